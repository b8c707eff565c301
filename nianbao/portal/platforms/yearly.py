"""A 年报 column split by YEAR: tabs named 2024年度 / 2023年度 …, older years only in a ``<select>``,
and inside each year the publisher groups (政府部门 / 乡镇街道) as sub-columns.

Real evidence (research/portals.md, real report URLs):

- year folders under the 年报 column: houqi.gov.cn ``/zwgk/zfxxgk/zfxxgknb/2022/qzfwbj/202310/t20231018_606269.html``,
  nq.gov.cn ``/nqzd/nqzwgk/xxgknb/2021/zfbm/202201/<32 hex>.shtml``, htq.gov.cn ``/zwgk/xxgknb/2019/zbxx/…``,
  gzhezhang.gov.cn ``/zwgk/zfxxgkzl/zfxxgknb/2021n/202201/t20220127_72425999.html``, changtu.gov.cn
  ``/zfxxgknb99/2021n2/xzfbmzfxxgkgzndbg/…``, hbdaye.gov.cn ``/zfxxgk/zfxxgkndbg/gb2025/2025szbm/…``;
- inside a year, folders per publisher group: ``zfbm`` 政府部门, ``qzfwbj`` 区政府委办局, ``2025szbm`` 市直部门;
- a ``<select>`` of years whose options carry the year pages' URLs (issue #15: "any 年报 column with a
  ``<select>`` of years"; the Hanweb annual module's year ``<select>`` is the same control).

The tabs' and options' text is a year and nothing else, which a navigation that takes "a link
with a year" for a report title does not follow.
"""
from __future__ import annotations

from ..builders import _place, list_html
from .common import PlatformSite, add_explainers, add_lookalikes, navigation, panel

COUNTY = "晋北示范县人民政府"
COLUMN = "/zwgk/zfxxgk/zfxxgknb/"
TABS = (2024, 2023, 2022)  # years shown as tabs
OLDER = (2021, 2020)  # years only in the <select>
GROUPS = {"zfbm": ("政府部门", ["晋北示范县发展和改革局", "晋北示范县财政局", "晋北示范县教育局"]),
          "xzjd": ("乡镇街道", ["晋北示范县城关镇人民政府", "晋北示范县东关街道办事处"])}
PER_PAGE = 3


def year_dir(year: int) -> str:
    return f"{COLUMN}{year}/" if year in TABS else f"{COLUMN}{year}n/"


def year_controls(current: int | None) -> str:
    tabs = "".join(f'<li{" class=on" if y == current else ""}><a href="{year_dir(y)}index.html">{y}年度</a></li>' for y in TABS)
    opts = "".join(f'<option value="{year_dir(y)}index.html">{y}年</option>' for y in OLDER)
    return (f'<div class="nb-tabs"><ul>{tabs}</ul>'
            f'<select onchange="window.location.href=this.value"><option value="">往年年报</option>{opts}</select></div>')


def pager(base: str, n: int, pages: int) -> str:
    if pages == 1:
        return ""
    name = lambda k: f"{base}index.html" if k == 1 else f"{base}index_{k - 1}.html"
    links = [f'<a href="{name(1)}">首页</a>'] + ([f'<a href="{name(n + 1)}">下一页</a>'] if n < pages else [])
    return f'<div class="page">第{n}页 共{pages}页 {" ".join(links)}</div>'


def build() -> PlatformSite:
    site = PlatformSite(name="yearly", platform="generic", evidence=__doc__)
    groups = {"gov": [COUNTY]} | {k: agencies for k, (_, agencies) in GROUPS.items()}
    items = panel("晋北示范县", groups, list(TABS + OLDER))

    def folder(it):
        y = it.report["year"]
        return year_dir(y) + ("" if it.column == "gov" else f"{it.column}/")

    def page_path(i, it):
        y, m, d = it.published.split("-")
        return f"{folder(it)}{y}{m}/t{y}{m}{d}_{606200 + i}.html"

    for it in items:
        it.column = f"{it.report['year']}:{it.column}"
    report_paths = []
    for i, it in enumerate(items):
        key = it.column
        it.column = key.split(":")[1]
        report_paths.append(page_path(i, it))
        it.column = key
    columns = _place(site, items, lambda i, it: report_paths[i],
                     lambda i, ext, name: (f"{COLUMN}files/P0{606200 + i}.{ext}", {}),
                     lambda j: f"{COLUMN}2024/202412/t20241201_{606100 + j}.html")
    add_explainers(site, items, report_paths, lambda i: f"/zwgk/zcjd/202503/t20250320_{607000 + i}.html", columns)
    # the look-alikes sit in the newest year's own list, as 编制通知 and 工作要点 do on real portals
    columns.setdefault(f"{TABS[0]}:gov", [])[:0] = columns.pop("main", [])
    add_lookalikes(site, "晋北示范县", TABS[0], lambda j: f"{COLUMN}2024/202412/t20241203_{606150 + j}.html", columns,
                   column=f"{TABS[0]}:gov")
    side = [("/zwgk/zfxxgk/zfxxgkzn/index.html", "政府信息公开指南"), ("/zwgk/zfxxgk/fdzdgknr/index.html", "法定主动公开内容"),
            (f"{COLUMN}index.html", "政府信息公开年报")]
    site.pages = {}
    for year in TABS + OLDER:
        base = year_dir(year)
        subs = [(f"{base}{k}/index.html", name) for k, (name, _) in GROUPS.items()]
        own = columns.get(f"{year}:gov", [])
        site.html(base + "index.html", list_html(f"{year}年度政府信息公开工作年度报告", own,
                                                 extra=f'<div class="nb-groups">{"".join(f"<a href={u!r}>{n}</a>" for u, n in subs)}</div>'
                                                 + year_controls(year), sub_columns=side))
        for key in GROUPS:
            entries = columns.get(f"{year}:{key}", [])
            chunks = [entries[k:k + PER_PAGE] for k in range(0, len(entries), PER_PAGE)] or [[]]
            gdir = f"{base}{key}/"
            site.pages[f"{year}:{key}"] = len(chunks)
            for n, chunk in enumerate(chunks, start=1):
                path = f"{gdir}index.html" if n == 1 else f"{gdir}index_{n - 1}.html"
                site.html(path, list_html(f"{year}年{GROUPS[key][0]}", chunk, extra=pager(gdir, n, len(chunks)), sub_columns=side))
    # the column's front page: no report of its own, only the years
    site.html(f"{COLUMN}index.html", list_html("政府信息公开年报", [], extra=year_controls(None), sub_columns=side))
    site.column_paths = [f"{COLUMN}index.html"]
    navigation(site, "晋北示范县", [
        ("/", f"{COUNTY}门户网站", [("/zwgk/index.html", "政务公开")]),
        ("/zwgk/index.html", "政务公开", [("/zwgk/zfxxgk/index.html", "政府信息公开"), ("/zwgk/zcjd/index.html", "政策解读")]),
        ("/zwgk/zfxxgk/index.html", "政府信息公开", side),
    ])
    for p, t in (("/zwgk/zcjd/index.html", "政策解读"), (side[0][0], "政府信息公开指南"), (side[1][0], "法定主动公开内容")):
        site.html(p, list_html(t, []))
    return site
