"""The fallback family: entries are the page's links; pagination is ordinary links (下一页, 尾页, 2, 3 …)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlsplit

import scrapy
from parsel import Selector
from scrapy.http import HtmlResponse, TextResponse

from .. import pagination

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
_NEXT_TEXT = re.compile(r"^(?:下一?页|后一?页|尾页|末页|>|>>|›|»|\d{1,4})$")


@dataclass
class Entry:
    title: str
    url: str
    date: str | None = None


def entries_from_anchors(anchors, base_url: str) -> list[Entry]:
    """Links with a title, and the date printed beside them (the list item's text)."""
    out, seen = [], set()
    for a in anchors:
        href = (a.attrib.get("href") or "").strip()
        if not href or href.startswith("#"):  # other schemes meet the policy (crawler/policy.py) and are recorded
            continue
        title = anchor_title(a)
        if not title:
            continue
        url = urljoin(base_url, href)
        if url in seen:
            continue
        seen.add(url)
        out.append(Entry(title, url, item_date(a)))
    return out


def anchor_title(a) -> str:
    """A link's title: its ``title`` attribute; else the heading inside it (VSB items wrap an
    ``<h4>`` title, the date and a summary in one link: lntdxy.com, tests/fixtures/platforms/vsb);
    else its text."""
    for sel in ("::attr(title)", "h1 ::text, h2 ::text, h3 ::text, h4 ::text, h5 ::text, h6 ::text", "::text"):
        title = " ".join(t.strip() for t in a.css(sel).getall() if t.strip())
        if title:
            return title
    return ""


def item_date(a, levels: int = 6) -> str | None:
    """The date printed in the link's own list item: the nearest enclosing element (the link
    itself first) whose text holds a date, when it holds only one. An element holding several is
    the whole list — pingtan.gov.cn's items are ``<dl>``s inside one ``<div>``, and reading the
    div gave every entry the first entry's date — so no date is taken from it."""
    for node in a.xpath("ancestor-or-self::*")[::-1][:levels]:
        if node.root.tag in ("body", "html"):
            break
        dates = _DATE.findall(" ".join(node.xpath(".//text()").getall()))
        if len(dates) == 1:
            return _iso(dates[0])
        if dates:  # items not wrapped one by one: the date printed next to the link, before the next link
            return _beside(a)
    return None


def _iso(date) -> str:
    y, m, d = date
    return f"{y}-{int(m):02d}-{int(d):02d}"


def _beside(a) -> str | None:
    """The date between this link and the next one (``<a>…</a><span>2024-01-09</span><br><a>…``),
    else between the previous link and this one."""
    for axis in ("following-sibling", "preceding-sibling"):
        text = []
        siblings = a.xpath(f"{axis}::node()")
        for sib in siblings:
            if getattr(sib.root, "tag", None) == "a" or sib.xpath(".//a[@href]"):
                break
            text.extend(sib.xpath("descendant-or-self::text()").getall())
        dates = _DATE.findall(" ".join(text))
        if len(dates) == 1:
            return _iso(dates[0])
    return None


class GenericMixin:
    family = "generic"


    def list_entries(self, response) -> list[Entry]:
        if not isinstance(response, TextResponse):
            return []
        data = _endpoint_answer(response)
        if data is not None:
            return json_entries(data, response.url)
        return entries_from_anchors(response.css("a[href]"), response.url)

    def next_list_pages(self, response) -> list:
        """Pagination links that stay inside the column (same host, same directory); the list
        endpoints the page's scripts name; an endpoint answer's further pages."""
        data = _endpoint_answer(response)
        if data is not None:
            return endpoint_pages(self, response, data)
        if not isinstance(response, HtmlResponse):
            return []
        column = _meta(response).get("column") or response.url
        endpoints = [scrapy.Request(u, meta={"column": column, "endpoint": True})
                     for u in pagination.script_endpoints(response.selector, response.url)]
        endpoints += [scrapy.FormRequest(u, formdata=form, meta={"column": column, "endpoint": True})
                      for u, form in pagination.script_posts(response.selector, response.url)]
        nxt = _next_links(response)
        return endpoints + nxt + [u for u in numbered_siblings(response) if u not in nxt]


def _next_links(response) -> list[str]:
    """Pagination links that stay inside the column (same host, same directory)."""
    base = urlsplit(response.url)
    column_dir = base.path.rsplit("/", 1)[0] + "/"
    out = []
    for a in response.css("a[href]"):
        text = "".join(a.css("::text").getall()).strip()
        if not _NEXT_TEXT.match(text):
            continue
        url = urljoin(response.url, a.attrib["href"])
        u = urlsplit(url)
        if u.netloc == base.netloc and u.path.startswith(column_dir) and url != response.url:
            out.append(url)
    return out


def numbered_siblings(response) -> list[str]:
    """Links (and jump-``<select>`` options) to this page's numbered copies in its own folder
    (``index.html`` → ``index_958_7.html``; ``news-list-x.html`` → ``news-list-x-7.html``), whatever
    their text: jxfc.gov.cn writes its pager by script and lists every page only as text-less links
    in a hidden div; wanzai.gov.cn links 下一页/末页 and lists all 30 pages in a jump select
    (tests/fixtures/platforms/generic/)."""
    base = urlsplit(response.url)
    folder, _, name = base.path.rpartition("/")
    stem = re.sub(r"\.\w+$", "", name) or "index"
    numbered = re.compile(rf"{re.escape(stem)}(?:[-_][0-9A-Za-z]+)*[-_]\d+\.\w+")
    out = []
    for href in response.css("a::attr(href), select option::attr(value)").getall():
        url = urljoin(response.url, href.strip())
        u = urlsplit(url)
        head, _, last = u.path.rpartition("/")
        if u.netloc == base.netloc and head == folder and numbered.fullmatch(last) and url not in out and url != response.url:
            out.append(url)
    return out


def note_stated(spider, column: str, n: int, unit: str, how: str) -> None:
    """Tell the spider's completeness accounting what size a list states (a no-op where it has none)."""
    hook = getattr(spider, "note_stated", None)
    if hook is not None and n is not None:
        hook(column, int(n), unit=unit, how=how)


def once(spider, key) -> bool:
    """True the first time a column's pages are listed in this crawl (keeps a crawl linear)."""
    seen = spider.__dict__.setdefault("columns_paged", set())
    if key in seen:
        return False
    seen.add(key)
    return True


# -- JSON list endpoints ------------------------------------------------------------------------


def _meta(response) -> dict:
    return response.meta if getattr(response, "request", None) is not None else {}


def _endpoint_answer(response):
    """The JSON of a list endpoint's answer (a request this family made, or any JSON answer)."""
    if not isinstance(response, TextResponse):
        return None
    if isinstance(response, HtmlResponse) and not _meta(response).get("endpoint") \
            and not response.body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return None  # an HTML page; JSON served as text/html (common on gov.cn) is still JSON
    data = pagination.json_answer(response.text)
    return data if isinstance(data, (dict, list)) else None


def json_entries(data, base_url: str) -> list[Entry]:
    """Entries of a JSON answer: HTML fragments (``data.html``) read as a list page's links, and
    records with a title and a URL (``[{"title": …, "url": …}]``)."""
    r = pagination.api_rules()
    out: list[Entry] = []

    def walk(node, depth=0):
        if depth > 6:
            return
        if isinstance(node, str):
            if "<a" in node and "href" in node:
                out.extend(entries_from_anchors(Selector(text=node).css("a[href]"), base_url))
            return
        if isinstance(node, list):
            for x in node:
                walk(x, depth + 1)
            return
        if isinstance(node, dict):
            title = next((node[k] for k in r["title_keys"] if isinstance(node.get(k), str) and node[k].strip()), None)
            url = next((node[k] for k in r["url_keys"] if isinstance(node.get(k), str) and node[k].strip()), None)
            if title and url and not url.lower().startswith(("javascript", "#")) and not any(isinstance(v, list) for v in node.values()):
                raw = next((str(node[k]) for k in r["date_keys"] if node.get(k)), "")
                m = _DATE.search(raw)
                date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else None
                out.append(Entry(re.sub(r"<[^>]+>", "", title).strip(), urljoin(base_url, url.strip()), date))
                return
            for v in node.values():
                walk(v, depth + 1)

    walk(data)
    seen, unique = set(), []
    for e in out:
        if e.url not in seen:
            seen.add(e.url)
            unique.append(e)
    return unique


def endpoint_pages(spider, response, data) -> list:
    """An endpoint answer's further pages: all of them from page 1 when the list states its size,
    else the next one while pages bring entries the column had not seen."""
    column = _meta(response).get("column") or response.url
    entries = json_entries(data, response.url)
    if not entries:
        return []  # not a list (a hit counter's {"count": N}, a config): it states nothing about the column
    request = getattr(response, "request", None)
    form = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)) \
        if request is not None and request.method == "POST" and request.body else None
    # a POSTed list pages through its form: its fields are read as the endpoint's parameters
    address = response.url if form is None else pagination._with_query(response.url, form)
    pager = pagination.json_pager(address, data, len(entries))
    if pager.stated_entries is not None:
        note_stated(spider, column, pager.stated_entries, unit="entries", how=pager.size_how)
    elif pager.stated_pages is not None:
        note_stated(spider, column, pager.stated_pages, unit="pages", how=pager.size_how)
    ledger = getattr(spider, "ledger", None)
    if ledger is not None and column in ledger.columns and not pager.stated_pages:
        seen = ledger.columns[column].entries
        if not any(e.url not in seen for e in entries):
            return []  # an endpoint that ignores the page number answers the same entries again
    col = ledger.column(column) if ledger is not None else None
    if col is not None:
        col.mechanism = col.mechanism or pager.mechanism
    if form is None:
        return [scrapy.Request(u, meta={"column": column, "endpoint": True}) for u in pager.pages]
    out = []
    for u in pager.pages:
        params = dict(parse_qsl(urlsplit(u).query, keep_blank_values=True))
        page_form = {k: params.get(k, v) for k, v in form.items()} | {k: v for k, v in params.items() if k not in parse_qs_keys(response.url)}
        out.append(scrapy.FormRequest(response.url, formdata=page_form, meta={"column": column, "endpoint": True}))
    return out


def parse_qs_keys(url: str) -> set:
    return {k for k, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)}
