"""A county portal with numeric column paths whose 年报 column lists UNITS, not reports.

- numeric column paths: nanxian.gov.cn ``/14868/28067/37851/index.htm`` (a report that is a directory's
  index page) and yynanhu.yueyang.gov.cn ``/29509/29510/55038/55040/55223/55306/content_1649246.html``
  (research/portals.md); zrzy.smx.gov.cn ``/16903/616589856/1288675.html`` (a real page in the pages corpus);
- the 年报 column's entries are the publishing units (县政府, 部门 and 乡镇 names), each linking to the
  unit's own column of reports (issue #15);
- each unit column pages with ordinary 首页/上一页/下一页/尾页 links to ``index_N.htm`` and states 共N条.
"""
from __future__ import annotations

import html as htmllib

from ..builders import _place, list_html
from .common import PlatformSite, add_explainers, add_lookalikes, navigation, panel

COUNTY = "湘北示范县人民政府"
ROOT = "/14868/28067/"
PER_PAGE = 3
UNITS = {"37850": COUNTY, "37851": "湘北示范县发展和改革局", "37852": "湘北示范县财政局", "37853": "湘北示范县住房和城乡建设局",
         "37860": "湘北示范县城关镇人民政府", "37861": "湘北示范县麻河口镇人民政府"}
SHORT = {COUNTY: "县人民政府", "湘北示范县发展和改革局": "县发展和改革局", "湘北示范县财政局": "县财政局",
         "湘北示范县住房和城乡建设局": "县住房和城乡建设局", "湘北示范县城关镇人民政府": "城关镇",
         "湘北示范县麻河口镇人民政府": "麻河口镇"}


def pager(n: int, pages: int, records: int) -> str:
    def name(k):
        return "index.htm" if k == 1 else f"index_{k}.htm"
    links = [f'<a href="{name(1)}">首页</a>']
    if n > 1:
        links.append(f'<a href="{name(n - 1)}">上一页</a>')
    if n < pages:
        links += [f'<a href="{name(n + 1)}">下一页</a>', f'<a href="{name(pages)}">尾页</a>']
    return f'<div class="page">共{records}条 {n}/{pages}页 {" ".join(links)}</div>'


def build() -> PlatformSite:
    site = PlatformSite(name="numeric", platform="generic", evidence=__doc__)
    by_agency = {a: u for u, a in UNITS.items()}
    items = panel("湘北示范县", {u: [a] for u, a in UNITS.items()}, [2021, 2022, 2023])
    for it in items:  # the robots-disallowed report sits in the county government's column
        if it.disallowed:
            it.column = "37850"

    def page_path(i, it):
        unit = by_agency.get(it.report["agency"], it.column)
        # half the reports are a directory's index page (nanxian), half content_N.html (yynanhu)
        return f"{ROOT}{unit}/{41000 + i}/index.htm" if i % 2 else f"{ROOT}{unit}/content_{1649200 + i}.html"

    report_paths = [page_path(i, it) for i, it in enumerate(items)]
    columns = _place(site, items, page_path, lambda i, ext, name: (f"/uploadfiles/2024/{41000 + i}.{ext}", {}),
                     lambda j: f"{ROOT}37850/content_{1649100 + j}.html")
    columns["37850"] = columns.pop("main", []) + columns.get("37850", [])
    add_explainers(site, items, report_paths, lambda i: f"/14868/28070/content_{1650000 + i}.html", columns)
    add_lookalikes(site, "湘北示范县", 2023, lambda j: f"{ROOT}37850/content_{1649150 + j}.html", columns, column="37850")
    site.pages = {}
    for unit, agency in UNITS.items():
        entries = columns.get(unit, [])
        chunks = [entries[k:k + PER_PAGE] for k in range(0, len(entries), PER_PAGE)] or [[]]
        site.pages[unit] = len(chunks)
        for n, chunk in enumerate(chunks, start=1):
            path = f"{ROOT}{unit}/index.htm" if n == 1 else f"{ROOT}{unit}/index_{n}.htm"
            site.html(path, list_html(f"{SHORT[agency]}政府信息公开年报", chunk, extra=pager(n, len(chunks), len(entries))))
    unit_list = "".join(f'<li><a href="{ROOT}{u}/index.htm">{htmllib.escape(SHORT[a])}</a></li>' for u, a in UNITS.items())
    site.html(f"{ROOT}index.htm", list_html("政府信息公开年报", [], extra=f'<div class="dwlist"><ul>{unit_list}</ul></div>'))
    site.column_paths = [f"{ROOT}index.htm"]
    navigation(site, "湘北示范县", [
        ("/", f"{COUNTY}门户网站", [("/14868/index.htm", "政务公开")]),
        ("/14868/index.htm", "政务公开", [("/14868/28060/index.htm", "政府信息公开"), ("/14868/28070/index.htm", "政策解读")]),
        ("/14868/28060/index.htm", "政府信息公开", [("/14868/28061/index.htm", "政府信息公开指南"),
                                                   ("/14868/28062/index.htm", "法定主动公开内容"), (f"{ROOT}index.htm", "政府信息公开年报")]),
    ])
    for p, t in (("/14868/28070/index.htm", "政策解读"), ("/14868/28061/index.htm", "政府信息公开指南"), ("/14868/28062/index.htm", "法定主动公开内容")):
        site.html(p, list_html(t, []))
    return site
