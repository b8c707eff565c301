"""A Sichuan county portal: lists at ``/info/iList.jsp?node_id=…&cat_id=N&cur_page=1`` whose pager is
drawn by a script from the size it states, reports under ``/gk/zfxxgk/zfxxgknb/YEAR/GROUP/N.htm``.

Real evidence:

- lists ``https://www.mz.gov.cn/info/iList.jsp?node_id=GKmzs&cat_id=15971&cur_page=1`` (法定主动内容) and
  ``…&cat_id=24186&cur_page=1`` (公示公告), read by a public feed generator (RSSHub's ``gov/sichuan/deyang``
  route; search tool code corpus, find_string ids 570991515, 4009358606, 41866980) that steps
  ``cur_page`` itself: the page carries no pager links a crawler could follow;
- a real 年报 of that portal: ``https://www.mz.gov.cn/gk/zfxxgk/zfxxgknb/2020/fzf/1393699.htm`` (pages corpus:
  "本报告根据《中华人民共和国政府信息公开条例》…由绵竹市人民政府办公室牵头编制");
- the size a list states in its script (``totalCount``, ``pageSize``; the names public crawlers of
  gov.cn list services read, e.g. sczwfw.gov.cn ``{"pageSize": 20, "currentPageIndex": page}``).

Modelled: 8 entries a page; the pager is ``<div id="page">`` filled by ``pageBar(...)`` from
``var totalCount = N; var pageSize = 8;`` — only the stated size and the page's own ``cur_page``
say where the other pages are.
"""
from __future__ import annotations

from ..builders import _place, list_html
from .common import PlatformSite, add_explainers, add_lookalikes, navigation, panel

COUNTY = "川西示范县人民政府"
NODE = "GKcxsf"
PER_PAGE = 8
GROUPS = {COUNTY: "fzf", "川西示范县发展和改革局": "bm", "川西示范县财政局": "bm", "川西示范县卫生健康局": "bm",
          "川西示范县汉旺镇人民政府": "xz", "川西示范县拱星镇人民政府": "xz"}


def ilist(cat: int, page: int = 1) -> str:
    return f"/info/iList.jsp?node_id={NODE}&cat_id={cat}&cur_page={page}"


def pagebar(total: int, page: int) -> str:
    return (f'<div class="ewb-page" id="page"></div><script type="text/javascript">'
            f"var totalCount = {total}; var pageSize = {PER_PAGE}; var curPage = {page};"
            f"pageBar('page', totalCount, pageSize, curPage);</script>")


def build() -> PlatformSite:
    site = PlatformSite(name="sichuan", platform="generic", evidence=__doc__)
    items = panel("川西示范县", {"main": list(GROUPS)}, [2021, 2022, 2023, 2024])

    def page_path(i, it):
        return f"/gk/zfxxgk/zfxxgknb/{it.report['year']}/{GROUPS.get(it.report['agency'], 'bm')}/{1393600 + i}.htm"

    report_paths = [page_path(i, it) for i, it in enumerate(items)]
    columns = _place(site, items, page_path, lambda i, ext, name: (f"/uploadfiles/gk/{1393600 + i}.{ext}", {}),
                     lambda j: f"/gk/zfxxgk/zfxxgknb/2023/fzf/{1393500 + j}.htm")
    add_explainers(site, items, report_paths, lambda i: f"/gk/zcjd/{1394000 + i}.htm", columns)
    add_lookalikes(site, "川西示范县", 2024, lambda j: f"/gk/zfxxgk/zfxxgknb/2024/fzf/{1393550 + j}.htm", columns)
    entries = sorted(columns["main"], key=lambda e: e[2], reverse=True)
    side = [(ilist(15971), "法定主动内容"), (ilist(15975), "政府信息公开指南"), (ilist(15980), "政府信息公开年报")]
    chunks = [entries[k:k + PER_PAGE] for k in range(0, len(entries), PER_PAGE)]
    site.pages = len(chunks)
    for n, chunk in enumerate(chunks, start=1):
        site.html(ilist(15980, n), list_html("政府信息公开年报", chunk, extra=pagebar(len(entries), n), sub_columns=side))
    for cat, title in ((15971, "法定主动内容"), (15975, "政府信息公开指南")):
        site.html(ilist(cat), list_html(title, [], extra=pagebar(0, 1), sub_columns=side))
    site.column_paths = [ilist(15980)]
    site.stated_total = len(entries)
    navigation(site, "川西示范县", [
        ("/", f"{COUNTY}门户网站", [("/zwgk/index.htm", "政务公开")]),
        ("/zwgk/index.htm", "政务公开", [("/gk/index.htm", "政府信息公开"), ("/gk/zcjd/index.htm", "政策解读")]),
        ("/gk/index.htm", "政府信息公开", side),
    ])
    site.html("/gk/zcjd/index.htm", list_html("政策解读", []))
    return site
