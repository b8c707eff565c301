"""A portal found only through its own navigation, as on most real county sites.

Home → 政务公开 → 政府信息公开 → 法定主动公开内容 → 政府信息公开年报, none of their paths named
after a report column (so only the anchor text leads there). The 年报 column lists the
county government's own reports, paged by a 下一页 link and stating 共N条, and, side by side,
its units: 部门 names leading to each department's list (paged by ``?page=N``) and 乡镇 names
leading to each town's 信息公开 page, where a 政府信息公开年报 link leads to the town's list.
Look-alike notices sit in every list; 互动交流 is disallowed by robots.txt.

Modelled on real portals (shared/research/portals.md): menus 政务公开 / 政府信息公开 /
法定主动公开内容; 年报 columns with sub-columns by publisher group (zfbm 政府部门, xzjd 乡镇街道),
towns' own columns under 乡镇信息公开 pages (huichang.gov.cn, nq.gov.cn …); query-string pages
(eportal ``currentPage=N``, ``?page=N``).
"""
from __future__ import annotations

import html as htmllib

from .. import render
from ..synthetic import synthetic_report
from .builders import LOOKALIKES, page_html
from .site import Resource, Site

COUNTY = "示范县"
DEPARTMENTS = [("czj", "示范县财政局"), ("jyj", "示范县教育局"), ("mzj", "示范县民政局"), ("sfj", "示范县司法局")]
TOWNS = [("cgz", "城关镇"), ("dfx", "东风乡"), ("xhjd", "新华街道")]
COLUMN = "/zwgk/zfxxgk/fdzdgknr/gzbg/"


def _page(title: str, body: str, menu=()) -> str:
    links = "".join(f'<li><a href="{u}">{htmllib.escape(t)}</a></li>' for u, t in menu)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{htmllib.escape(title)}_{COUNTY}人民政府</title></head>
<body><div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/hdjl/">互动交流</a><a href="/bsfw/">办事服务</a></div>
<div class="side"><ul>{links}</ul></div><div class="main"><h2>{htmllib.escape(title)}</h2>{body}</div>
<div class="footer">主办：{COUNTY}人民政府办公室（演示数据）</div></body></html>"""


def _items(entries) -> str:
    return "<ul class=\"list\">" + "".join(
        f'<li><a href="{u}" title="{htmllib.escape(t)}">{htmllib.escape(t)}</a><span>{d}</span></li>' for u, t, d in entries) + "</ul>"


def _report(site: Site, path: str, agency: str, year: int, seed: int) -> tuple[str, str, str]:
    rep = synthetic_report(agency, year, seed=seed)
    title = render.title_of(rep)
    published = f"{year + 1}-01-{10 + seed % 18:02d}"
    site.add(path, Resource(page_html(title, published, render.html_body(rep)).encode()))
    site.expected_reports[path] = {"agency": agency, "year": year}
    return path, title, published


def _lookalike(site: Site, path: str, year: int, k: int) -> tuple[str, str, str]:
    title = LOOKALIKES[k % len(LOOKALIKES)].format(y=year)
    site.add(path, Resource(page_html(title, f"{year}-12-01", f"<p>{title}。</p>").encode()))
    return path, title, f"{year}-12-01"


def navigation_site(years=(2021, 2022, 2023), per_page: int = 3, stated_extra: int = 0) -> Site:
    """The portal; ``stated_extra`` makes the 年报 column state more entries than it links
    (a list whose last entries the crawl cannot reach: a shortfall to report)."""
    site = Site(name="navigation")
    site.robots = "User-agent: *\nDisallow: /hdjl/\n"
    seed = 0
    news = []
    # the county's own reports, in the column, plus a look-alike
    own = []
    for y in years:
        seed += 1
        own.append(_report(site, f"/zwgk/zfxxgk/fdzdgknr/gzbg/{y + 1}01/t{y + 1}0120_{seed}.html", f"{COUNTY}人民政府", y, seed))
    own.insert(1, _lookalike(site, "/zwgk/zfxxgk/fdzdgknr/gzbg/202312/t20231201_900.html", years[-1], 0))
    news.append(own[-1])
    pages = [own[k : k + per_page] for k in range(0, len(own), per_page)]
    stated = len(own) + stated_extra
    units = [(f"/bm/{code}/nb.jsp", name) for code, name in DEPARTMENTS]
    towns = [(f"/xz/{code}/", name) for code, name in TOWNS]
    menu = [("/zwgk/zfxxgk/fdzdgknr/jgzn/", "机构职能"), ("/zwgk/zfxxgk/fdzdgknr/zcwj/", "政策文件"), (COLUMN + "index.html", "政府信息公开年报")]
    for n, chunk in enumerate(pages):
        name = "index.html" if n == 0 else f"index_{n + 1}.html"
        nxt = f'<a href="index_{n + 2}.html">下一页</a>' if n + 1 < len(pages) else ""
        pager = f'<div class="pager">共{stated}条 {nxt}</div>'
        unit_block = ""
        if n == 0:
            unit_block = ('<h3>部门年报</h3><ul class="units">' + "".join(f'<li><a href="{u}">{t}</a></li>' for u, t in units) + "</ul>"
                          '<h3>乡镇（街道）年报</h3><ul class="units">' + "".join(f'<li><a href="{u}">{t}</a></li>' for u, t in towns) + "</ul>")
        site.html(COLUMN + name, _page("政府信息公开年报", _items(chunk) + pager + unit_block, menu))
    # departments: a list paged by ?page=N, reports under /bm/<code>/
    for code, agency in DEPARTMENTS:
        entries = []
        for y in years:
            seed += 1
            entries.append(_report(site, f"/bm/{code}/art/{y + 1}/{seed}.html", agency, y, seed))
        entries.append(_lookalike(site, f"/bm/{code}/art/notice_{seed}.html", years[-1], seed))
        chunks = [entries[k : k + 2] for k in range(0, len(entries), 2)]
        for n, chunk in enumerate(chunks, start=1):
            links = "".join(f'<a href="nb.jsp?page={k}">{k}</a>' for k in range(1, len(chunks) + 1) if k != n)
            nxt = f'<a href="nb.jsp?page={n + 1}">下一页</a>' if n < len(chunks) else ""
            body = _items(chunk) + f'<div class="pages">{links}{nxt}</div>'
            html = _page(f"{agency}政府信息公开年报", body)
            site.html(f"/bm/{code}/nb.jsp?page={n}", html)
            if n == 1:
                site.html(f"/bm/{code}/nb.jsp", html)
    # towns: a 信息公开 page whose 年报 link leads to the town's list
    for code, town in TOWNS:
        entries = []
        for y in years:
            seed += 1
            entries.append(_report(site, f"/xz/{code}/xxgknb/{y + 1}01/t_{seed}.html", f"{COUNTY}{town}", y, seed))
        site.html(f"/xz/{code}/", _page(f"{town}信息公开", "<p>机构概况</p>",
                                        [(f"/xz/{code}/jgzn/", "机构职能"), (f"/xz/{code}/xxgknb/", "政府信息公开年报")]))
        site.html(f"/xz/{code}/xxgknb/", _page(f"{town}政府信息公开年报", _items(entries)))
    # the way there
    site.html("/", _page("首页", "<h3>最新公开</h3>" + _items(news)))
    site.html("/zwgk/", _page("政务公开", "<p>政务公开</p>", [("/zwgk/zfxxgk/", "政府信息公开"), ("/zwgk/zcwj/", "政策文件"), ("/hdjl/", "互动交流")]))
    site.html("/zwgk/zfxxgk/", _page("政府信息公开", "<p>政府信息公开</p>", [
        ("/zwgk/zfxxgk/gkzn/", "政府信息公开指南"), ("/zwgk/zfxxgk/gkzd/", "政府信息公开制度"),
        ("/zwgk/zfxxgk/fdzdgknr/", "法定主动公开内容"), ("/zwgk/zfxxgk/ysqgk/", "依申请公开")]))
    site.html("/zwgk/zfxxgk/fdzdgknr/", _page("法定主动公开内容", "<p>法定主动公开内容</p>", menu))
    for path, title in [("/zwgk/zcwj/", "政策文件"), ("/bsfw/", "办事服务"), ("/zwgk/zfxxgk/gkzn/", "政府信息公开指南"),
                        ("/zwgk/zfxxgk/gkzd/", "政府信息公开制度"), ("/zwgk/zfxxgk/ysqgk/", "依申请公开"),
                        ("/zwgk/zfxxgk/fdzdgknr/jgzn/", "机构职能"), ("/zwgk/zfxxgk/fdzdgknr/zcwj/", "政策文件")]:
        site.html(path, _page(title, f"<p>{title}</p>"))
    site.html("/hdjl/", _page("互动交流", '<a href="/hdjl/nb.html">政府信息公开年报</a>'))
    site.home_path = "/"
    site.column_paths = [COLUMN + "index.html"]
    site.forbidden_prefix = "/hdjl/"
    return site
