"""How a list page reaches the rest of its list, and what size the list says it has.

Independent of CMS family: every mechanism real gov.cn portals use, read from the page itself.

* ``createPageHTML(...)`` in any argument order or arity: TRS's ``(count, current, "index", "html")``
  (current 0-based, pages ``index_1`` … ``index_{count-1}``) and the 集约化 / 开普云 form
  ``('page_div', count, current, 'xxgk_list', 'shtml', records)`` (current 1-based, pages
  ``xxgk_list_2`` … ``xxgk_list_{count}``, the last number the record total), with arguments
  given as literals or as ``var`` names;
* pager links: 下一页 / 尾页 / page numbers, with ``href`` or only in ``onclick`` / ``data-*``
  attributes; once two pages' addresses are known the page number's place in them is a template,
  and a stated page count (尾页's number, 共N页) lists every page from the first one read;
* query-string and path pages (``?page=N``, ``&pageNo=N``, ``currentPage=N``, ``cur_page=N``,
  ``index_N.html``, ``PREFIX-N.html``, ``/N.htm``);
* a pager a script draws (no link at all): the page's own page parameter and the size it states
  (``totalCount`` with ``pageSize``, 共N页);
* list endpoints a page's script names (``<script url=… queryData=…>``, ``$.ajax({url: …})``, a form
  it POSTs, a 加载更多 button's ``data-url``) and their JSON answers' size and pages
  (:func:`script_endpoints`, :func:`script_posts`, :func:`json_pager`; ``data/list_apis.toml``).

:func:`stated_size` reads the sizes lists print (共N条, 共N页, ``recordCount``, ``totalRecord``,
a JSON ``total``) so a crawl can say when it reached fewer entries than the list holds
(:mod:`crawler.completeness`).
"""
from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

MAX_PAGES = 5000

_CALL = re.compile(r"createPageHTML\s*\(([^()]*)\)", re.I)
_ARG = re.compile(r"""\s*(?:(['"])(.*?)\1|(-?\d+)|([A-Za-z_$][\w$.]*))\s*""")
_NEXT = re.compile(r"^(?:下一?页|后一?页|下一頁|next|>|>>|›|»|＞|(?:点击)?(?:加载|查看|显示)更多(?:内容|信息)?)$", re.I)
_LAST = re.compile(r"^(?:尾页|末页|最后一?页|last|>>\||»\|)$", re.I)
_PAGE_PARAM = re.compile(r"^(?:page|pageno|pagenum|pageindex|currentpage|cur_?page|cpage|pn|p|pageid_?no|startpage|page_no|pagenumber|index|currentpageindex)$", re.I)
_NUM_TEXT = re.compile(r"^\s*(?:第\s*)?(\d{1,4})\s*(?:页)?\s*$")
_QUOTED = re.compile(r"""(['"])((?:\.{0,2}/|\?|[\w-]+\.(?:s?html?|jsp|php|aspx?)|[\w./-]*\?)[^'"]*?)\1""")
_RAW_URL = re.compile(r"^(?:https?://|/|\.{1,2}/|\?)[^\s'\"<>()]*$")
_CALL_NUMBER = re.compile(r"\(\s*['\"]?(\d{1,4})['\"]?\s*(?:,|\))")
_VAR = r"(?:var|let|const)?\s*{name}\s*[=:]\s*['\"]?(\d+)"
# the page size a list states beside its total (a script's pageSize, 每页N条)
_SIZE = re.compile(r"(?:\b(?:pageSize|pagesize|perPage|perpage|page_size|prepage)\b\s*['\"]?\s*[=:]\s*['\"]?(\d+)|每页\s*(\d+)\s*条)")

# sizes a list prints about itself
_ENTRIES = [
    (re.compile(r"共\s*(?:有\s*)?(\d+)\s*(?:条|篇|项|个信息|条记录|条信息)"), "共N条"),
    (re.compile(r"(?:recordCount|totalRecord|totalRecords|totalCount|totalNum|allRecordNumber|recordTotal)\s*[\"']?\s*[=:]\s*['\"]?(\d+)", re.I), "recordCount"),
    (re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I), "totalrecord"),
    (re.compile(r"\"total\"\s*:\s*(\d+)"), "JSON total"),
    (re.compile(r"总(?:记录|条)数?\s*[:：]?\s*(\d+)"), "总记录数"),
]
_PAGES = [
    (re.compile(r"共\s*(\d+)\s*页"), "共N页"),
    (re.compile(r"第\s*\d+\s*页\s*/\s*(\d+)\s*页|\d+\s*/\s*(\d+)\s*页"), "N/M页"),
    (re.compile(r"(?:var\s+)?(?:countPage|pageCount|totalPage|totalPages|page_count|pageTotal|maxPageNum)\s*[=:]\s*['\"]?(\d+)", re.I), "page count variable"),
]


@dataclass
class Pager:
    """What a list page says about its list: the other pages' URLs and the sizes it states."""

    mechanism: str | None = None
    pages: list[str] = field(default_factory=list)  # every page of the list known from this page (absolute URLs)
    stated_pages: int | None = None
    stated_entries: int | None = None
    size_how: str | None = None  # where the stated size was read


# -- createPageHTML ---------------------------------------------------------------------------


def _resolve(name: str, text: str) -> int | None:
    m = re.search(_VAR.format(name=re.escape(name.split(".")[-1])), text)
    return int(m.group(1)) if m else None


def create_page_args(text: str) -> dict | None:
    """The arguments of a ``createPageHTML`` call: page count, current page, stem, extension,
    record total, and whether the current page counts from 0 or 1.

    The call's arity tells the convention; ``var`` names are resolved in the same script.
    """
    for m in _CALL.finditer(text):
        ints, strings, order = [], [], []
        for raw in m.group(1).split(","):
            am = _ARG.fullmatch(raw)
            if not am:
                continue
            if am.group(3) is not None:
                ints.append(int(am.group(3)))
                order.append("i")
            elif am.group(2) is not None:
                strings.append(am.group(2))
                order.append("s")
            elif am.group(4):
                v = _resolve(am.group(4), text)
                if v is not None:
                    ints.append(v)
                    order.append("i")
        if len(ints) < 2:
            continue
        count, current = ints[0], ints[1]
        records = ints[2] if len(ints) >= 3 else None
        leading_id = bool(order) and order[0] == "s"
        names = [s for s in strings if s and not s.startswith("#")]
        if leading_id and len(names) >= 3:
            names = names[1:]
        stem, ext = (names[-2], names[-1]) if len(names) >= 2 else ("index", "html")
        # TRS's four-argument form counts from 0; the six-argument form (element id first) from 1
        one_based = leading_id or records is not None
        if current == 0:
            one_based = False
        elif current >= count and count > 0:
            one_based = True
        return {"count": count, "current": current, "stem": stem, "ext": ext.lstrip("."), "records": records,
                "one_based": one_based}
    return None


def create_page_urls(args: dict, base_url: str) -> list[str]:
    count = min(args["count"], MAX_PAGES)
    stem, ext = args["stem"], args["ext"]
    if args["one_based"]:
        names = [f"{stem}.{ext}"] + [f"{stem}_{k}.{ext}" for k in range(2, count + 1)]
    else:
        names = [f"{stem}.{ext}"] + [f"{stem}_{k}.{ext}" for k in range(1, count)]
    return [urljoin(base_url, n) for n in names]


# -- pager links ------------------------------------------------------------------------------


def _link_targets(el, base_url: str) -> list[str]:
    """Where a pager element leads: its href, or a URL quoted in onclick / data-* attributes,
    or a page number there (returned as ``#page=N`` for the caller to place in a template)."""
    href = (el.attrib.get("href") or "").strip()
    if href and not href.lower().startswith(("javascript", "#", "mailto:")):
        return [urljoin(base_url, href)]
    scripted = {k.lower(): v for k, v in el.attrib.items()
                if k.lower().startswith(("on", "data-")) or k.lower() in ("href", "paged", "page", "url", "tagname")}
    urls = [urljoin(base_url, q.group(2).replace("&amp;", "&")) for v in scripted.values() for q in _QUOTED.finditer(v)]
    # a "加载更多" / page button whose address is the whole value of a data attribute
    urls += [urljoin(base_url, v.strip()) for k, v in scripted.items()
             if k in ("data-url", "data-href", "data-link", "url", "tagname") and _RAW_URL.match(v.strip())]
    if urls:
        return list(dict.fromkeys(urls))
    for name, value in scripted.items():
        value = value.strip()
        if (name.startswith("data-") and ("page" in name or "index" in name) or name in ("paged", "page")) and value.isdigit():
            return [f"#page={int(value)}"]
        if name.startswith("on") or (name == "href" and not re.match(r"javascript:\s*void", value, re.I)):
            n = _CALL_NUMBER.search(value)
            if n:
                return [f"#page={int(n.group(1))}"]
    return []


def _text(el) -> str:
    return re.sub(r"\s+", "", el.attrib.get("title") or "".join(el.css("::text").getall()))


def pager_links(sel: Selector, base_url: str) -> list[tuple[str, str, int | None]]:
    """(kind, target, page number) for each pager control: kind is next, last or number."""
    out = []
    for el in sel.css("a, span[onclick], li[onclick], button, input[type=button], div[onclick], a[data-page], span[data-page]"):
        t = _text(el)
        if el.root.tag == "input":
            t = re.sub(r"\s+", "", el.attrib.get("value") or "")
        kind = "next" if _NEXT.match(t) else "last" if _LAST.match(t) else None
        num = None
        if kind is None:
            m = _NUM_TEXT.match(t)
            if not m or not t:
                continue
            kind, num = "number", int(m.group(1))
        for target in _link_targets(el, base_url):
            out.append((kind, target, num))
    return out


def _page_number_positions(url: str) -> list[tuple[str, int]]:
    """Places in a URL that look like a page number: page-like query parameters, ``_N`` before
    the extension, or a bare ``N.htm`` last segment."""
    parts = urlsplit(url)
    found = []
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        if _PAGE_PARAM.match(k) and v.isdigit():
            found.append((f"q:{k}", int(v)))
    last = parts.path.rsplit("/", 1)[-1]
    m = re.fullmatch(r"(.*?)_(\d+)(\.\w+)", last)
    if m:
        found.append(("suffix", int(m.group(2))))
    m = re.fullmatch(r"(.+?)-(\d{1,4})(\.\w+)", last)  # PREFIX-N.html (eportal tagname; kjt.hebei.gov.cn cb473d96-2.html)
    if m and not re.search(r"-\d+$", m.group(1)):  # not a document number (xxgkcontent-888888025-2612.html)
        found.append(("dash", int(m.group(2))))
    m = re.fullmatch(r"(\d+)(\.\w+)", last)
    if m:
        found.append(("segment", int(m.group(1))))
    return found


def with_page(url: str, where: str, n: int) -> str:
    parts = urlsplit(url)
    if where.startswith("q:"):
        key = where[2:]
        q = [(k, str(n) if k == key else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
        if key not in dict(q):
            q.append((key, str(n)))
        return urlunsplit(parts._replace(query=urlencode(q)))
    head, _, last = parts.path.rpartition("/")
    if where == "suffix":
        m = re.fullmatch(r"(.*?)(?:_(\d+))?(\.\w+)", last)
        if m:
            last = f"{m.group(1)}_{n}{m.group(3)}"
    elif where == "dash":
        m = re.fullmatch(r"(.+?)(?:-(\d{1,4}))?(\.\w+)", last)
        if m:
            last = f"{m.group(1)}-{n}{m.group(3)}"
    elif where == "segment":
        last = re.sub(r"^\d+", str(n), last)
    return urlunsplit(parts._replace(path=f"{head}/{last}"))


def _stem(name: str) -> str:
    """A list page's file name without its page number and extension (``index_3.html``,
    ``cb473d96-2.html``); a document number (``xxgkcontent-888888025-2612``) keeps its parts."""
    m = re.fullmatch(r"(.+?)-\d{1,4}\.\w+", name)
    if m and not re.search(r"-\d+$", m.group(1)):
        return m.group(1)
    return re.sub(r"(_\d+)?\.\w+$", "", name) or "index"


def same_list(url: str, other: str) -> bool:
    """Whether ``other`` can be another page of the list at ``url``: same host, and the same path
    or the same folder with the same file stem (``index`` / ``index_3``), or a numbered file in a
    folder named after the page (VSB's ``xxgknb.htm`` → ``xxgknb/3.htm``)."""
    a, b = urlsplit(url), urlsplit(other)
    if a.netloc != b.netloc:
        return False
    if a.path == b.path:
        return a.query != b.query
    adir, _, afile = a.path.rpartition("/")
    bdir, _, bfile = b.path.rpartition("/")
    stem, bstem = _stem(afile), _stem(bfile)
    if adir == bdir and (stem == bstem or re.search(r"(?:^|_)\d+\.\w+$", bfile) or re.search(r"(?:^|_)\d+\.\w+$", afile)):
        return True  # index.html → list_2.html, 2.htm: a page number in the same folder
    if bdir == f"{adir}/{stem}" and re.fullmatch(r"\d+\.\w+", bfile):
        return True
    if adir.endswith("/" + bstem) and bdir + "/" + bstem == adir and re.fullmatch(r"\d+\.\w+", afile):
        return True
    return adir == bdir and not afile and bstem.startswith("index")


# -- stated sizes ------------------------------------------------------------------------------


def stated_size(text: str) -> tuple[int | None, int | None, str | None]:
    """(entries, pages, where read) as the list states them; None where it does not."""
    entries = pages = None
    how = []
    for rx, name in _ENTRIES:
        m = rx.search(text)
        if m:
            entries = int(next(g for g in m.groups() if g))
            how.append(name)
            break
    for rx, name in _PAGES:
        # the largest a pattern states: a script sets its count after `var maxPageNum=0;` (jxfc.gov.cn)
        found = [int(next(g for g in m.groups() if g)) for m in rx.finditer(text)]
        if any(found):
            pages = max(found)
            how.append(name)
            break
    return entries, pages, " + ".join(how) or None


# -- everything together -----------------------------------------------------------------------


def find_pager(text: str, url: str, sel: Selector | None = None) -> Pager:
    """The pages of the list ``url`` belongs to, as far as this page tells, and its stated size
    (``sel``: the page already parsed, when the caller has it)."""
    pager = Pager()
    entries, pages, how = stated_size(text)
    args = create_page_args(text)
    if args:
        pager.mechanism = f"createPageHTML ({'1' if args['one_based'] else '0'}-based, {args['stem']}_N.{args['ext']})"
        pager.pages = create_page_urls(args, url)
        pager.stated_pages = args["count"]
        pager.stated_entries = args["records"] if args["records"] is not None else entries
        pager.size_how = "createPageHTML" + (" records" if args["records"] is not None else "")
        if args["records"] is None and entries is not None:
            pager.size_how = how
        return pager
    pager.stated_entries, pager.stated_pages, pager.size_how = entries, pages, how
    if sel is None:
        try:
            sel = Selector(text=text, type="html")
        except Exception:
            return pager
    links = pager_links(sel, url)
    if not links:
        return _stated_pages(pager, text, url)
    where, offset = _template(links, url)
    followed: list[str] = []
    mech = set()
    endpoints: list[str] = []
    for kind, target, num in links:
        if not target.startswith("#page=") and target != url and same_list(url, target):
            followed.append(target)
            mech.add({"next": "下一页 link", "last": "尾页 link", "number": "page-number links"}[kind])
        elif (kind == "next" and not target.startswith("#page=") and urlsplit(target).netloc == urlsplit(url).netloc
              and api_rules()["script_url_rx"].search(urlsplit(target).path)):
            endpoints.append(target)  # 加载更多 fetching the rest from a list service (…/list.do?page=2)
            mech.add("加载更多 endpoint")
    enumerated: list[str] = []
    if where is not None:
        base = next((t for _, t, _ in links if not t.startswith("#page=") and any(w == where for w, _ in _page_number_positions(t))), url)
        last = pager.stated_pages
        for kind, target, num in links:
            if target.startswith("#page="):
                n = int(target[6:])
                followed.append(with_page(base, where, n + offset))
                mech.add("onclick/data-attribute pager")
                if kind == "last":
                    last = max(last or 0, n)
            elif kind == "last":
                for w, v in _page_number_positions(target):
                    if w == where:
                        last = max(last or 0, v - offset)
        if last:
            enumerated = [with_page(base, where, n + offset) for n in range(2, min(last, MAX_PAGES) + 1)]
            mech.add("page template")
            if not pager.stated_pages:
                pager.stated_pages = last
                pager.size_how = (pager.size_how + " + " if pager.size_how else "") + "last page link"
    seen, pages_out = {url}, [url]
    for u in enumerated + followed:
        if u not in seen and same_list(url, u):
            seen.add(u)
            pages_out.append(u)
    pages_out += [u for u in dict.fromkeys(endpoints) if u not in seen]
    pager.pages = pages_out if len(pages_out) > 1 else []
    pager.mechanism = ", ".join(sorted(mech)) or None
    return pager


def _stated_pages(pager: Pager, text: str, url: str) -> Pager:
    """A list whose pager a script draws (no link to follow), on a page whose own address carries
    its page number (``iList.jsp?…&cur_page=1``): its other pages, from the size it states — a page
    count, or a total with a page size (``var totalCount = 26; var pageSize = 8``)."""
    here = [(w, v) for w, v in _page_number_positions(url) if w.startswith("q:") and v in (0, 1)]
    if not here:
        return pager
    count = pager.stated_pages
    if count is None and pager.stated_entries is not None:
        m = _SIZE.search(text)
        size = int(next(g for g in m.groups() if g)) if m else 0
        if size:
            count = -(-pager.stated_entries // size)
            pager.stated_pages = count
    if not count or count < 2:
        return pager
    where, first = here[0]
    pager.pages = [with_page(url, where, first + k) for k in range(0, min(count, MAX_PAGES))]
    pager.mechanism = f"stated size × page parameter ({where[2:]}=N)"
    return pager


def _template(links, url: str) -> tuple[str | None, int]:
    """Where the page number sits in this list's URLs and how it relates to the page number
    (``index_1.html`` is page 2 on TRS: offset -1), learnt from the pager's own links."""
    real = [(k, t, n) for k, t, n in links if not t.startswith("#page=")]
    for kind, target, num in real:  # a numbered link whose URL carries its number
        if num is None:
            continue
        for w, v in _page_number_positions(target):
            if v == num:
                return w, 0
            if v == num - 1 and w == "suffix":
                return w, -1
    here = dict(_page_number_positions(url))
    for kind, target, num in real:  # a next link from the first page leads to page 2 (index_1 on TRS)
        if kind == "next":
            for w, v in _page_number_positions(target):
                if w not in here and (v == 2 or (v == 1 and w == "suffix")):
                    return w, v - 2
                # anything else (VSB's pages count down: xxgknb.htm → xxgknb/3.htm) is followed
                # link by link, never extrapolated
                return None, 0
    if any(t.startswith("#page=") for _, t, _ in links):  # goPage(3): the page's own parameter
        if here:
            return next(iter(here)), 0
    return None, 0


# -- JSON list endpoints named by a page's scripts ---------------------------------------------
#
# A list page may hold no entry itself: its script fetches them from an endpoint it names (Hanweb
# jpaas ``<script url="…/front/page/build/unit" queryData="{'pageId':'…'}">``, ``$.ajax({url:
# '…/list.do'})``). The endpoints and the shape of their answers are read as data
# (``data/list_apis.toml``), never per site.


@cache
def api_rules() -> dict:
    raw = tomllib.loads((Path(__file__).parent / "data" / "list_apis.toml").read_text(encoding="utf-8"))
    raw["script_url_rx"] = re.compile(raw["script_url"])
    raw["script_call_rx"] = re.compile(raw["script_call"])
    return raw


_JS_PAIR = re.compile(r"""['"]?([A-Za-z_$][\w$]*)['"]?\s*:\s*(?:'([^']*)'|"([^"]*)"|(-?\d+(?:\.\d+)?|true|false|null))""")


def js_object(text: str) -> dict[str, str]:
    """The flat key/value pairs of a JavaScript object literal (``{'pageId':'abc', size: 10}``)."""
    return {m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in _JS_PAIR.finditer(text or "")}


def _with_query(url: str, params: dict) -> str:
    parts = urlsplit(url)
    q = parse_qsl(parts.query, keep_blank_values=True) + [(k, v) for k, v in params.items() if k not in dict(parse_qsl(parts.query))]
    return urlunsplit(parts._replace(query=urlencode(q)))


def script_endpoints(sel: Selector, base_url: str) -> list[str]:
    """List endpoints a page's scripts name: an element's ``url`` attribute with its ``queryData``
    object, or a list-like URL quoted in a script call (``$.ajax({url: '…/list.do'})``)."""
    r = api_rules()
    out: list[str] = []
    for el in sel.xpath("//*[@url or @data-url or @dataurl or @data-api or @api]"):
        attrs = {k.lower(): v for k, v in el.attrib.items()}
        target = next((attrs[k] for k in r["endpoint_attrs"] if attrs.get(k)), None)
        if not target or target.lower().startswith(("javascript", "#", "mailto:")):
            continue
        query = next((js_object(attrs[k]) for k in r["query_attrs"] if attrs.get(k)), {})
        if el.root.tag != "script" and not query:
            continue  # a url attribute on an ordinary element names no list
        out.append(_with_query(urljoin(base_url, target), query))
    for script in sel.css("script::text").getall():
        for m in r["script_call_rx"].finditer(script):
            target = m.group(1)
            path = urlsplit(urljoin(base_url, target)).path
            if r["script_url_rx"].search(path) and not target.lower().startswith("javascript"):
                out.append(urljoin(base_url, target))
    host = urlsplit(base_url).netloc
    return list(dict.fromkeys(u for u in out if urlsplit(u).netloc == host and u != base_url))


_AJAX = re.compile(r"""\$\.(?:ajax|post)\s*\(""")
_DATA_OBJ = re.compile(r"""\bdata\s*:\s*\{([^{}]*)\}""")


def script_posts(sel: Selector, base_url: str) -> list[tuple[str, dict]]:
    """List services a page's script POSTs to, with their form (``$.ajax({url: '…/search', type:
    'post', data: {pageSize: 30, currentPageNum: 1}})``, ``$.post('…', {…})``): mohurd.gov.cn's
    ``/dynamic/document/search`` is read this way by public crawlers (destiny-zxj/dumpInfo)."""
    r = api_rules()
    host, out = urlsplit(base_url).netloc, []
    for script in sel.css("script::text").getall():
        for m in _AJAX.finditer(script):
            call = script[m.end():m.end() + 1500]
            call = call[:call.find("success")] if "success" in call else call
            flat = js_object(call)
            post_call = m.group(0).startswith("$.post")
            target = flat.get("url")
            if post_call:
                q = re.match(r"""\s*['"]([^'"]+)['"]\s*,?\s*(\{[^{}]*\})?""", call)
                target = q.group(1) if q else None
                form = js_object(q.group(2)) if q and q.group(2) else {}
            else:
                if str(flat.get("type") or flat.get("method") or "").lower() != "post":
                    continue
                d = _DATA_OBJ.search(call)
                form = js_object(d.group(1)) if d else {}
            if not target or target.lower().startswith("javascript"):
                continue
            url = urljoin(base_url, target)
            listy = r["script_url_rx"].search(urlsplit(url).path) or any(k in form for k in r["page_keys"])
            if listy and urlsplit(url).netloc == host:
                out.append((url, {k: str(v) for k, v in form.items()}))
    return out


def json_answer(text: str):
    """The parsed JSON of a list endpoint's answer (also JSONP ``cb({...})``), or None."""
    t = (text or "").strip()
    if not t or t[0] not in "{[":
        m = re.match(r"^[\w$.]+\s*\((.*)\)\s*;?\s*$", t, re.S)
        if not m:
            return None
        t = m.group(1)
    try:
        return json.loads(t)
    except ValueError:
        return None


def _scalars(data, depth: int = 0, limit: int = 3):
    """(key, value) of a JSON answer's scalars outside its lists of records, a few levels deep."""
    if depth > limit or not isinstance(data, dict):
        return
    for k, v in data.items():
        if isinstance(v, dict):
            yield from _scalars(v, depth + 1, limit)
        elif not isinstance(v, list):
            yield k, v


def _int(v) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, str) and v.strip().isdigit():
        return int(v)
    return None


def json_size(data) -> dict:
    """What an endpoint's answer says of its list: total, page count, page size, this page's number."""
    r = api_rules()
    got: dict = {}
    for k, v in _scalars(data):
        n = _int(v)
        if n is None:
            continue
        for name, keys in (("total", r["total_keys"]), ("pages", r["page_count_keys"]), ("size", r["size_keys"]), ("page", r["page_keys"])):
            if k in keys and name not in got:
                got[name] = n
    return got


def _page_place(url: str) -> tuple[str, str | None, int | None, int | None]:
    """Where this endpoint's page number goes: ("q", key, page, size) for a query parameter, or
    ("json", param, page, size) for a page key inside a JSON-valued parameter (``paramJson``)."""
    r = api_rules()
    q = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    size = next((_int(q[k]) for k in r["size_keys"] if k in q), None)
    for k in r["page_keys"]:
        if k in q and _int(q[k]) is not None:
            return "q", k, _int(q[k]), size
    for param, value in q.items():
        if value.strip().startswith("{"):
            try:
                obj = json.loads(value)
            except ValueError:
                continue
            for k in r["page_keys"]:
                if k in obj and _int(obj[k]) is not None:
                    return "json", f"{param}.{k}", _int(obj[k]), _int(next((obj[s] for s in r["size_keys"] if s in obj), None))
    path = urlsplit(url).path
    for rule in r["page_param"]:
        if rule["path"] in path:
            if rule.get("json"):
                return "json", f"{rule['json']}.{rule['key']}", None, size
            return "q", rule["key"], None, size
    return "q", "page", None, size


def endpoint_page(url: str, n: int, size: int | None = None) -> str:
    """The endpoint's URL for page ``n`` (its page number put where the list keeps it)."""
    kind, where, _, _ = _page_place(url)
    parts = urlsplit(url)
    q = parse_qsl(parts.query, keep_blank_values=True)
    if kind == "q":
        q = [(k, v) for k, v in q if k != where] + [(where, str(n))]
    else:
        param, key = where.split(".", 1)
        current = dict(q).get(param)
        obj = json.loads(current) if current else {}
        obj[key] = n
        rule = next((x for x in api_rules()["page_param"] if x.get("json") == param), None)
        if size and rule and rule.get("size") and rule["size"] not in obj:
            obj[rule["size"]] = size
        q = [(k, v) for k, v in q if k != param] + [(param, json.dumps(obj, separators=(",", ":")))]
    return urlunsplit(parts._replace(query=urlencode(q)))


def json_pager(url: str, data, n_entries: int) -> Pager:
    """The other pages of an endpoint's list, from its first answer's stated total (or page count)
    and size; without a stated size, the next page (asked while pages bring new entries)."""
    pager = Pager()
    size = json_size(data)
    kind, where, page, req_size = _page_place(url)
    page = page or size.get("page") or 1
    per = req_size or size.get("size") or n_entries
    pager.stated_entries = size.get("total")
    pager.stated_pages = size.get("pages")
    if pager.stated_entries is not None or pager.stated_pages is not None:
        pager.size_how = "JSON " + ("total" if pager.stated_entries is not None else "page count")
    if pager.stated_pages is None and pager.stated_entries is not None and per:
        pager.stated_pages = -(-pager.stated_entries // per)
    pager.mechanism = f"JSON list endpoint ({where}=N)"
    if pager.stated_pages:
        if page == 1:
            pager.pages = [endpoint_page(url, n, per) for n in range(2, min(pager.stated_pages, MAX_PAGES) + 1)]
    elif n_entries and page < MAX_PAGES:
        pager.pages = [endpoint_page(url, page + 1, per)]  # the caller asks it only if this page brought new entries
    return pager
