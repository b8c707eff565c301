"""The fallback family: entries are the page's links; pagination is ordinary links (下一页, 尾页, 2, 3 …)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from scrapy.http import HtmlResponse, TextResponse

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
        return entries_from_anchors(response.css("a[href]"), response.url)

    def next_list_pages(self, response) -> list[str]:
        """Pagination links that stay inside the column (same host, same directory)."""
        if not isinstance(response, HtmlResponse):
            return []
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
        return out + [u for u in numbered_siblings(response) if u not in out]


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
