"""Build mock portals in the style of the big CMS families, from a list of reports.

Each builder lays the reports out the way that family does (URL shapes, list pages, pagination,
attachments; see the research notes on real portals) and records in ``site.expected_reports``
what a perfect crawl must find, so tests can compare the corpus against it.
"""
from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field
from urllib.parse import quote
from xml.sax.saxutils import escape

from .. import render
from .site import Resource, Site


@dataclass
class Listed:
    """One report as a portal publishes it."""

    report: dict  # gold-shaped data plus title / signature_date / prose
    layout: str = "html"  # html, html-split, html-subtotal, html-gbk, html-pictures, docx, pdf, pdf-scanned, pdf-direct, text
    published: str = "2024-01-20"
    text: str | None = None  # the verbatim text of a text dump (layout "text")
    column: str = "main"  # "main", or the name of a sub-column (部门年报 …)
    flaky: bool = False  # the page answers 500 once, then 200
    redirect: bool = False  # listed under an old URL that answers 301
    disallowed: bool = False  # under a path robots.txt disallows
    duplicate: bool = False  # listed again, under a second URL, with identical bytes

    @property
    def title(self) -> str:
        return render.title_of(self.report)


LOOKALIKES = [
    "关于做好{y}年度政府信息公开工作年度报告编制和发布工作的通知",
    "{y}年政务公开工作要点",
    "{y}年度法治政府建设年度报告",
    "{y}年国民经济和社会发展统计公报",
    "政府信息公开指南",
]

SITE_TITLE = "示范县人民政府门户网站（演示）"


def page_html(title: str, published: str, body: str, attachments=(), encoding: str = "utf-8", column: str = "政府信息公开年报") -> str:
    links = "".join(f'<p>附件：<a href="{htmllib.escape(h)}">{htmllib.escape(n)}</a></p>' for h, n in attachments)
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={encoding}">
<meta name="SiteName" content="{SITE_TITLE}"><meta name="ColumnName" content="{column}">
<meta name="ArticleTitle" content="{htmllib.escape(title)}"><meta name="PubDate" content="{published} 09:30">
<title>{htmllib.escape(title)}_{SITE_TITLE}</title></head>
<body><div class="top"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/hdjl/">互动交流</a></div>
<div class="article"><h1>{htmllib.escape(title)}</h1><div class="info">发布日期：{published}　来源：{SITE_TITLE}</div>
<div class="TRS_Editor">{body}</div>{links}</div>
<div class="footer">主办：示范县人民政府办公室（演示数据，非真实政府网站）</div></body></html>"""


def list_html(title: str, entries: list[tuple[str, str, str]], extra: str = "", sub_columns=(), encoding="utf-8") -> str:
    items = "".join(f'<li><a href="{htmllib.escape(u)}" title="{htmllib.escape(t)}" target="_blank">{htmllib.escape(t)}</a><span>{d}</span></li>'
                    for u, t, d in entries)
    subs = "".join(f'<li><a href="{u}">{n}</a></li>' for u, n in sub_columns)
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={encoding}"><title>{title}_{SITE_TITLE}</title></head>
<body><div class="top"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a></div>
<div class="side"><ul>{subs}</ul></div>
<div class="list"><h2>{title}</h2><ul>{items}</ul></div>{extra}
<div class="footer">主办：示范县人民政府办公室（演示数据）</div></body></html>"""


# --------------------------------------------------------------------------------------------


@dataclass
class _Rendered:
    page: tuple[str, Resource] | None  # (path, resource) of the report page
    attachments: list[tuple[str, Resource, str]] = field(default_factory=list)  # (path, resource, name)
    list_url: str = ""  # what the list links to


def _render(item: Listed, page_path: str, att_path_for, i: int) -> _Rendered:
    rep = item.report
    title = item.title
    enc = "gbk" if item.layout == "html-gbk" else "utf-8"
    if item.layout in ("html", "html-split", "html-subtotal", "html-gbk"):
        body = render.html_body(rep, subtotal=item.layout == "html-subtotal", split_table_3=item.layout == "html-split")
        res = Resource(page_html(title, item.published, body, encoding=enc).encode(enc, "replace"), f"text/html; charset={enc}")
        return _Rendered((page_path, res), [], page_path)
    if item.layout == "html-pictures":  # tables only as pictures of the scanned pages (read by OCR)
        return _render_pictures(item, page_path, att_path_for, i)
    if item.layout == "prose":  # a pre-2019 report: text only
        body = "".join(f"<p>{line}</p>" for line in (rep.get("body") or "").splitlines() if line.strip())
        res = Resource(page_html(title, item.published, body).encode(), "text/html; charset=utf-8")
        return _Rendered((page_path, res), [], page_path)
    ext, ctype, data = {
        "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", lambda: render.docx_bytes(rep)),
        "pdf": ("pdf", "application/pdf", lambda: render.pdf_bytes(rep)),
        "pdf-scanned": ("pdf", "application/pdf", lambda: _scanned_pdf(rep)),  # image-only: read by OCR
        "pdf-direct": ("pdf", "application/pdf", lambda: render.pdf_bytes(rep)),
        "text": ("txt", "text/plain; charset=utf-8", lambda: (item.text or render.text_dump(rep)).encode("utf-8")),
    }[item.layout]
    name = f"{title}.{ext}"
    att_path, headers = att_path_for(i, ext, name)
    att = Resource(data(), ctype, headers=headers)
    if item.layout == "pdf-direct":
        return _Rendered(None, [(att_path, att, name)], att_path)
    intro = f"<p>现将《{title}》全文公布如下，详见附件。</p>"
    res = Resource(page_html(title, item.published, intro, attachments=[(att_path, name)]).encode(), "text/html; charset=utf-8")
    return _Rendered((page_path, res), [(att_path, att, name)], page_path)


def _scanned_pdf(rep: dict) -> bytes:
    from .. import pictures

    return pictures.scanned_pdf(pictures.page_pictures(rep, dpi=150), 150)


def _render_pictures(item: Listed, page_path: str, att_path_for, i: int) -> _Rendered:
    """A report page whose statistics are scanned pages pasted in as pictures (a slight skew, JPEG,
    a red seal on the last), each picture a file of the site."""
    from .. import pictures

    rep = item.report
    shots = []
    pages = pictures.page_pictures(rep, dpi=150)
    for k, img in enumerate(pages):
        # the seal sits where a report is signed: on its last page
        d = pictures.Degradation(dpi=150, jpeg=90, skew=0.8 if k % 2 else -0.6, seal=k == len(pages) - 1)
        data, ctype = pictures.encode(pictures.degrade(img, d, seed=k), d)
        path, _ = att_path_for(i, "jpg", "")
        path = re.sub(r"(\.\w+)$", rf"_{k + 1}\1", path)
        shots.append((path, Resource(data, ctype), f"图{k + 1}"))
    body = pictures.pictures_html(rep, [p for p, _, _ in shots])
    res = Resource(page_html(item.title, item.published, body).encode(), "text/html; charset=utf-8")
    return _Rendered((page_path, res), shots, page_path)


def _expect(site: Site, item: Listed, url_path: str) -> None:
    r = item.report
    site.expected_reports[url_path] = {"agency": r["agency"], "year": r["year"], "format": r.get("format"), "layout": item.layout}


def _place(site: Site, items: list[Listed], page_path_for, att_path_for, lookalike_path_for) -> dict[str, list]:
    """Put every report (and its look-alikes, redirects, duplicates) on the site; return the list
    entries per column: column -> [(url, title, date)]."""
    columns: dict[str, list] = {}
    for i, item in enumerate(items):
        page_path = page_path_for(i, item)
        if item.disallowed:
            page_path = "/private" + page_path
        rendered = _render(item, page_path, att_path_for, i)
        if rendered.page:
            path, res = rendered.page
            if item.flaky:
                res.fail_first = 1
            site.add(path, res)
        for path, res, _ in rendered.attachments:
            site.add(path, res)
        list_url = rendered.list_url
        if item.redirect:
            old = re.sub(r"(\.\w+)$", r"_old\1", list_url)
            site.add(old, Resource(redirect_to=list_url))
            list_url = old
        entries = columns.setdefault(item.column, [])
        entries.append((list_url, item.title, item.published))
        if item.disallowed:
            site.disallowed_reports.append(rendered.list_url)
        else:
            _expect(site, item, rendered.list_url)
        if item.duplicate and rendered.page:
            dup_path = re.sub(r"(\.\w+)$", r"_copy\1", rendered.page[0])
            site.add(dup_path, Resource(rendered.page[1].body, rendered.page[1].content_type))
            columns.setdefault(item.column, []).append((dup_path, item.title, item.published))
    years = sorted({it.report["year"] for it in items}) or [2023]
    for j, tmpl in enumerate(LOOKALIKES):
        t = tmpl.format(y=years[-1])
        path = lookalike_path_for(j)
        site.add(path, Resource(page_html(t, "2023-12-01", f"<p>{t}。</p>").encode()))
        columns.setdefault("main", []).insert(j * 2 % (len(columns.get("main", [])) + 1), (path, t, "2023-12-01"))
    if any(it.disallowed for it in items):
        site.robots = "User-agent: *\nDisallow: /private/\n"
    return columns


def _paginate(entries: list, per_page: int) -> list[list]:
    """List entries cut into pages (one empty page for an empty column)."""
    return [entries[k : k + per_page] for k in range(0, len(entries), per_page)] or [[]]


def _ymd(date: str) -> tuple[str, str, str]:
    y, m, d = date.split("-")
    return y, m, d


# --------------------------------------------------------------------------------------------
# TRS


def trs_site(items: list[Listed], per_page: int = 4, sub_column_names: dict | None = None) -> Site:
    """TRS WCM: /zwgk/zfxxgknb/index.html, index_1.html … paginated only by createPageHTML()."""
    site = Site(name="trs")
    sub_column_names = sub_column_names or {}

    def page_path(i, item):
        y, m, d = _ymd(item.published)
        return f"/zwgk/zfxxgknb/{y}{m}/t{y}{m}{d}_{1000 + i}.html"

    def att_path(i, ext, name):
        return f"/zwgk/zfxxgknb/files/P0{1000 + i}.{ext}", {}

    columns = _place(site, items, page_path, att_path, lambda j: f"/zwgk/zfxxgknb/202312/t20231201_{900 + j}.html")
    subs = [(f"/zwgk/zfxxgknb/{key}/index.html", sub_column_names.get(key, "部门年报")) for key in columns if key != "main"]
    for key, entries in columns.items():
        base = "/zwgk/zfxxgknb/" if key == "main" else f"/zwgk/zfxxgknb/{key}/"
        title = "政府信息公开年报" if key == "main" else sub_column_names.get(key, "部门年报")
        pages = _paginate(entries, per_page)
        for n, chunk in enumerate(pages):
            script = f'<div class="page"><script type="text/javascript">createPageHTML({len(pages)}, {n}, "index", "html");</script></div>'
            name = "index.html" if n == 0 else f"index_{n}.html"
            site.html(base + name, list_html(title, chunk, extra=script, sub_columns=subs if key == "main" else ()))
    return site


# --------------------------------------------------------------------------------------------
# Hanweb


def hanweb_site(items: list[Listed], first_page: int = 3, col: int = 7651, unit: int = 88231) -> Site:
    """Hanweb: /col/col7651/index.html carries a <script type="text/xml"> datastore with the first
    records; the rest come only from POST /module/web/jpage/dataproxy.jsp."""
    site = Site(name="hanweb")

    def page_path(i, item):
        y, m, d = _ymd(item.published)
        return f"/art/{int(y)}/{int(m)}/{int(d)}/art_{col}_{4000 + i}.html"

    def att_path(i, ext, name):
        return (f"/module/download/downfile.jsp?classid=0&filename={4000 + i}.{ext}",
                {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})

    columns = _place(site, items, page_path, att_path, lambda j: f"/art/2023/12/1/art_{col}_{3900 + j}.html")
    entries = [e for es in columns.values() for e in es]

    def record(u, t, d):
        return f"<record><![CDATA[<li><a href=\"{u}\" title=\"{escape(t)}\" target=\"_blank\">{escape(t)}</a><span>{d}</span></li>]]></record>"

    params = f"appid=1&webid=12&path=/&columnid={col}&unitid={unit}&webname=%E7%A4%BA%E8%8C%83%E5%8E%BF&permissiontype=0"
    first = "".join(record(*e) for e in entries[:first_page])
    datastore = (f'<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&{params}"></a>]]></nextgroup>'
                 f"<recordset>{first}</recordset></datastore></script>")
    script = f'<script language="javascript">var totalRecord = {len(entries)}; var perpage = 15;</script><script src="/module/web/jpage/jpage.js"></script>'
    site.html(f"/col/col{col}/index.html", list_html("政府信息公开年报", [], extra=f'<div id="{unit}">{datastore}</div>{script}'))

    def proxy(method, query, form):
        if method != "POST" or form.get("columnid") != str(col) or form.get("unitid") != str(unit):
            return Resource(b"<datastore><totalrecord>0</totalrecord></datastore>", "text/xml; charset=utf-8", status=400)
        start, end = int(query.get("startrecord", 1)), int(query.get("endrecord", 15))
        recs = "".join(record(*e) for e in entries[start - 1 : end])
        xml = f"<datastore><totalrecord>{len(entries)}</totalrecord><recordset>{recs}</recordset></datastore>"
        return Resource(xml.encode("utf-8"), "text/xml; charset=utf-8")

    site.add("/module/web/jpage/dataproxy.jsp", Resource(handler=proxy))
    return site


# --------------------------------------------------------------------------------------------
# VSB


def vsb_site(items: list[Listed], per_page: int = 4) -> Site:
    """VSB (博达): /xxgk/xxgknb.htm is the newest page; older ones are /xxgk/xxgknb/N.htm, N down to 1."""
    site = Site(name="vsb")
    columns = _place(site, items, lambda i, it: f"/info/1308/{25000 + i}.htm",
                     lambda i, ext, name: (f"/__local/{25000 + i}.{ext}", {}), lambda j: f"/info/1308/{24900 + j}.htm")
    entries = [e for es in columns.values() for e in es]
    pages = _paginate(entries, per_page)
    total = len(pages)
    for n, chunk in enumerate(pages):
        path = "/xxgk/xxgknb.htm" if n == 0 else f"/xxgk/xxgknb/{total - n}.htm"
        rel = "xxgknb/" if n == 0 else ""
        nxt = f'<a href="{rel}{total - n - 1}.htm" class="Next">下页</a>' if n + 1 < total else ""
        pager = f'<span class="p_pages"><span class="p_t">共{total}页</span>{nxt}</span><!-- _vsb_page -->'
        # the list shows links relative to the page, as VSB does
        fixed = [("../" * path.count("/", 1) + u.lstrip("/"), t, d) for u, t, d in chunk]
        site.html(path, list_html("政府信息公开年报", fixed, extra=pager))
    return site


# --------------------------------------------------------------------------------------------
# Generic


def generic_site(items: list[Listed], per_page: int = 4) -> Site:
    """Ordinary links: /gknb/index.html → list_2.html → … through 下一页."""
    site = Site(name="generic")
    columns = _place(site, items, lambda i, it: f"/gknb/content_{5000 + i}.html",
                     lambda i, ext, name: (f"/files/{5000 + i}.{ext}", {}), lambda j: f"/gknb/content_{4900 + j}.html")
    entries = [e for es in columns.values() for e in es]
    pages = _paginate(entries, per_page)
    for n, chunk in enumerate(pages):
        path = "/gknb/index.html" if n == 0 else f"/gknb/list_{n + 1}.html"
        nxt = f'<a href="list_{n + 2}.html">下一页</a>' if n + 1 < len(pages) else ""
        site.html(path, list_html("政府信息公开年报", chunk, extra=f'<div class="pager">{nxt}</div>'))
    site.html("/", list_html("首页", [], sub_columns=[("/gknb/index.html", "政府信息公开年报"), ("/zwgk/", "政务公开")]))
    site.html("/zwgk/", list_html("政务公开", []))  # the hub the home page links (a 404 would fail the crawl)
    return site


BUILDERS = {"trs": trs_site, "hanweb": hanweb_site, "vsb": vsb_site, "generic": generic_site}
START_PATHS = {"trs": "/zwgk/zfxxgknb/index.html", "hanweb": "/col/col7651/index.html", "vsb": "/xxgk/xxgknb.htm", "generic": "/gknb/index.html"}
