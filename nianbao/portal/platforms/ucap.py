"""A 开普云 (UCAP) 集约化 county portal.

- report pages ``…/YYYYMM/<32 hex>.shtml`` (huichang.gov.cn ``/hcxxxgk/hc1554/202101/157a95c3e64f41039bb3beb14dbc7638.shtml``,
  nq.gov.cn, xjnlk.gov.cn, hanyang.gov.cn; research/portals.md);
- lists ``xxgk_list.shtml`` → ``xxgk_list_2.shtml`` … (kjj.suqian.gov.cn ``zcfg/xxgk_list.shtml``, "分页格式：xxgk_list_2.shtml"),
  paged only by ``createPageHTML('page_div', pages, current, 'xxgk_list', 'shtml', records)`` — the argument list of
  csrc.gov.cn ``createPageHTML('page_div', 5, 1, 'fg', 'shtml', 89)``, not TRS's;
- town columns nested under a 乡镇信息公开 page whose links are the towns' names (issue #15).
"""
from __future__ import annotations

import hashlib

from ..builders import _place, list_html
from .common import PlatformSite, add_explainers, add_lookalikes, navigation, panel

COUNTY = "赣南示范县人民政府"
BASE = "/gnxxgk"
PER_PAGE = 8
TOWNS = {"wwbz": "文武坝镇", "jmlz": "筠门岭镇", "ztz": "周田镇"}


def hexname(i: int) -> str:
    return hashlib.md5(f"ucap-{i}".encode()).hexdigest()


def pager(pages: int, current: int, records: int, stem: str = "xxgk_list") -> str:
    return (f'<div class="page" id="page_div"></div><script type="text/javascript">'
            f"createPageHTML('page_div',{pages}, {current},'{stem}','shtml',{records});</script>")


def lay_out(site, directory: str, title: str, entries: list, side=()) -> int:
    pages = [entries[k:k + PER_PAGE] for k in range(0, len(entries), PER_PAGE)] or [[]]
    for n, chunk in enumerate(pages, start=1):
        name = "xxgk_list.shtml" if n == 1 else f"xxgk_list_{n}.shtml"
        site.html(directory + name, list_html(title, chunk, extra=pager(len(pages), n, len(entries)), sub_columns=side))
    return len(pages)


def build() -> PlatformSite:
    site = PlatformSite(name="ucap", platform="ucap", evidence=__doc__)
    groups = {"main": [COUNTY, "赣南示范县财政局", "赣南示范县教育体育局", "赣南示范县自然资源局"]}
    groups.update({key: [f"赣南示范县{name}人民政府"] for key, name in TOWNS.items()})
    items = panel("赣南示范县", groups, [2021, 2022, 2023, 2024])

    def directory(col):
        return f"{BASE}/xxgknb/" if col == "main" else f"{BASE}/xzxxgk/{col}/xxgknb/"

    def page_path(i, it):
        y, m, _ = it.published.split("-")
        return f"{directory(it.column)}{y}{m}/{hexname(i)}.shtml"

    report_paths = [page_path(i, it) for i, it in enumerate(items)]
    columns = _place(site, items, page_path, lambda i, ext, name: (f"{BASE}/uploadfiles/{hexname(i)}.{ext}", {}),
                     lambda j: f"{BASE}/xxgknb/202312/{hexname(900 + j)}.shtml")
    add_explainers(site, items, report_paths, lambda i: f"{BASE}/zcjd/202403/{hexname(500 + i)}.shtml", columns)
    add_lookalikes(site, "赣南示范县", 2024, lambda j: f"{BASE}/xxgknb/202412/{hexname(950 + j)}.shtml", columns)
    side = [(f"{BASE}/xxgkzn/xxgk_list.shtml", "政府信息公开指南"), (f"{BASE}/fdzdgknr/xxgk_list.shtml", "法定主动公开内容"),
            (f"{BASE}/xzxxgk/index.shtml", "乡镇信息公开")]
    site.pages = {"main": lay_out(site, directory("main"), "政府信息公开年报", columns["main"], side)}
    site.column_paths = [directory("main") + "xxgk_list.shtml"]
    town_links = []
    for key, name in TOWNS.items():
        # a town's own 信息公开 page (named after the town), with its 年报 column among others
        tdir = f"{BASE}/xzxxgk/{key}/"
        site.html(tdir + "index.shtml", list_html(f"{name}信息公开", [], sub_columns=[
            (tdir + "xxgkzn/xxgk_list.shtml", "政府信息公开指南"), (tdir + "xxgknb/xxgk_list.shtml", "政府信息公开年报"),
            (tdir + "tzgg/xxgk_list.shtml", "通知公告")]))
        site.pages[key] = lay_out(site, directory(key), f"{name}政府信息公开年报", columns[key])
        site.column_paths.append(directory(key) + "xxgk_list.shtml")
        town_links.append((tdir + "index.shtml", name))
        for sub in ("xxgkzn", "tzgg"):
            site.html(f"{tdir}{sub}/xxgk_list.shtml", list_html("通知公告" if sub == "tzgg" else "政府信息公开指南", []))
    site.html(f"{BASE}/xzxxgk/index.shtml", list_html("乡镇信息公开", [], sub_columns=town_links))
    for p, t in ((f"{BASE}/xxgkzn/xxgk_list.shtml", "政府信息公开指南"), (f"{BASE}/fdzdgknr/xxgk_list.shtml", "法定主动公开内容")):
        site.html(p, list_html(t, []))
    navigation(site, "赣南示范县", [
        ("/", f"{COUNTY}门户网站", [("/zwgk/index.shtml", "政务公开")]),
        ("/zwgk/index.shtml", "政务公开", [(f"{BASE}/index.shtml", "政府信息公开"), ("/zwgk/zcjd/index.shtml", "政策解读")]),
        (f"{BASE}/index.shtml", "政府信息公开", side[:2] + [(directory("main") + "xxgk_list.shtml", "政府信息公开年报"), side[2]]),
    ])
    site.html("/zwgk/zcjd/index.shtml", list_html("政策解读", []))
    return site
