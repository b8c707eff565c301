"""A Hanweb (大汉) portal whose 年报 are published through the 信息公开 annual-report module.

- one page per publishing unit and year: ``/module/xxgk/xxgkAnnualReport.jsp?area=CODE&fbtime=YYYY``
  (kaihua.gov.cn ``area=11330824753996260L&fbtime=2020``, pinghu.gov.cn ``area=002562728&fbtime=2024``;
  research/portals.md);
- reached from a unit list in the 年报 column (``/col/colNNNN/index.html``, Hanweb's column URL shape);
  a unit's page without ``fbtime`` shows its latest report, and its other years are reachable only
  through a ``<select>`` whose ``onchange`` script reloads the page with ``fbtime`` (issue #15).
"""
from __future__ import annotations

import html as htmllib

from ..builders import _place, list_html
from ..site import Resource
from .common import PlatformSite, add_explainers, add_lookalikes, navigation, panel

COUNTY = "浙西示范县人民政府"
MODULE = "/module/xxgk/xxgkAnnualReport.jsp"
COLUMN = "/col/col1229069/index.html"
UNITS = {  # unit -> area code (the module's own codes: organisation codes, some with a letter)
    COUNTY: "11330824002562728L", "浙西示范县发展和改革局": "002562731", "浙西示范县财政局": "002562735",
    "浙西示范县卫生健康局": "002562740", "浙西示范县华埠镇人民政府": "002562801", "浙西示范县芹阳办事处": "002562809",
    "浙西示范县公安局": "002562777",
}


def select_html(area: str, years: list[int], current: int) -> str:
    opts = "".join(f'<option value="{y}"{" selected" if y == current else ""}>{y}年度</option>' for y in sorted(years, reverse=True))
    return (f'<div class="ndxz">年度：<select id="fbtime" onchange="changeYear(this.value)">{opts}</select></div>'
            f"<script>function changeYear(y){{ window.location.href = 'xxgkAnnualReport.jsp?area={area}&fbtime=' + y; }}</script>")


def build() -> PlatformSite:
    site = PlatformSite(name="hanweb_annual", platform="hanweb_annual", evidence=__doc__)
    groups = {"main": [COUNTY], "bm": ["浙西示范县发展和改革局", "浙西示范县财政局", "浙西示范县卫生健康局"],
              "xz": ["浙西示范县华埠镇人民政府", "浙西示范县芹阳办事处"]}
    items = panel("浙西示范县", groups, [2021, 2022, 2023, 2024])
    report_paths = [f"{MODULE}?area={UNITS[it.report['agency']]}&fbtime={it.report['year']}" for it in items]
    columns = _place(site, items, lambda i, it: report_paths[i],
                     lambda i, ext, name: (f"/module/download/downfile.jsp?classid=0&filename=nb{4100 + i}.{ext}", {}),
                     lambda j: f"/art/2023/12/1/art_1229069_{3900 + j}.html")
    add_explainers(site, items, report_paths, lambda i: f"/art/2024/3/1/art_1229069_{4200 + i}.html", columns)
    add_lookalikes(site, "浙西示范县", 2024, lambda j: f"/art/2024/12/1/art_1229069_{3950 + j}.html", columns)
    by_unit: dict[str, list[tuple[int, str]]] = {}
    for it, path in zip(items, report_paths):
        by_unit.setdefault(it.report["agency"], []).append((it.report["year"], "/private" + path if it.disallowed else path))
    for agency, reports in by_unit.items():
        area = UNITS[agency]
        years = [y for y, _ in reports]
        for year, path in reports:
            res = site.resources[path]
            res.body = res.body.replace(b'<div class="footer">', select_html(area, years, year).encode() + b'<div class="footer">', 1)
        latest_year, latest = max(reports)
        prefix = "/private" if latest.startswith("/private") else ""
        site.add(f"{prefix}{MODULE}?area={area}", Resource(site.resources[latest].body, site.resources[latest].content_type))
    unit_links = "".join(f'<li><a href="{"/private" if a.endswith("公安局") else ""}{MODULE}?area={UNITS[a]}" target="_blank">{htmllib.escape(a)}</a></li>'
                         for a in UNITS)
    units_block = f'<div class="dwlb"><h3>发布单位</h3><ul>{unit_links}</ul></div>'
    site.html(COLUMN, list_html("政府信息公开年报", columns["main"], extra=units_block))
    site.column_paths = [COLUMN]
    navigation(site, "浙西示范县", [
        ("/", f"{COUNTY}门户网站", [("/col/col1229001/index.html", "政务公开")]),
        ("/col/col1229001/index.html", "政务公开", [("/col/col1229002/index.html", "政府信息公开"), ("/col/col1229003/index.html", "政策解读")]),
        ("/col/col1229002/index.html", "政府信息公开", [("/col/col1229004/index.html", "政府信息公开指南"),
                                                       ("/col/col1229005/index.html", "法定主动公开内容"), (COLUMN, "政府信息公开年报")]),
    ])
    for p, t in (("/col/col1229003/index.html", "政策解读"), ("/col/col1229004/index.html", "政府信息公开指南"),
                 ("/col/col1229005/index.html", "法定主动公开内容")):
        site.html(p, list_html(t, []))
    return site
