"""An Anhui 政务公开 platform portal (``opennessContent`` / ``opennessAnnualReport`` / ``openness/detail/content``).

Real evidence (public code, search tool's code corpus; find_string ids in brackets):

- the platform's own controllers (CodeIgniter PHP, [9733613779] ``class opennessTarget``, [9063439969],
  [9146015384]): every publishing unit ("branch") has ``/opennessContent/?branch_id=ID`` (its 信息公开 page),
  ``/opennessGuide/?branch_id=ID`` and ``/opennessAnnualReport/?branch_id=ID`` (its 年报); documents are
  ``/openness/detail/content/<24 hex>.html``; lists page with ``&page=N`` and a ``getPagination(total,
  page, per)`` pager; the branch list marks the current unit ``selected`` (a ``<select>`` of units);
- public spiders for xxgk.ahys.gov.cn and ahkjt.gov.cn following ``/opennessTarget/?branch_id=…&column_code=N&page=N``
  and ``/openness/detail/content/.*\\.html`` [20759024256], [46335560062]; real documents at
  mas.gov.cn ``/xxgk/openness/detail/content/69fbfe0e8866888e3e8b4576.html`` [57877016622].

Modelled: the county's 年报 page lists its own reports (two pages, 共N条, numbered links), and the
other units' 年报 pages are reached only through the unit ``<select>`` (``onchange`` to the option's
URL) — no ``<a>`` leads there.
"""
from __future__ import annotations

import hashlib
import html as htmllib

from ..builders import _place, list_html
from .common import PlatformSite, add_explainers, add_lookalikes, navigation, panel

COUNTY = "皖南示范县人民政府"
GOV = "57ec8b1c538739ee34a0cd80"
UNITS = {GOV: COUNTY, "5880516fceab06e46b82f6b5": "皖南示范县科学技术局", "57a3df762c262ea9a00aae7e": "皖南示范县财政局",
         "58f0c2e1ceab06e46b82f7a1": "皖南示范县生态环境分局", "59b1d2f3ceab06e46b82f8c2": "皖南示范县桃花镇人民政府"}
PER_PAGE = 5


def oid(i: int) -> str:
    return hashlib.md5(f"openness-{i}".encode()).hexdigest()[:24]


def annual(branch: str, page: int = 1) -> str:
    return f"/opennessAnnualReport/?branch_id={branch}" + (f"&page={page}" if page > 1 else "")


def unit_select(current: str) -> str:
    opts = "".join(f'<option value="{annual(b)}"{" selected" if b == current else ""}>{htmllib.escape(n)}</option>'
                   for b, n in UNITS.items())
    return f'<div class="branch">选择单位：<select onchange="window.location.href=this.value">{opts}</select></div>'


def pager(branch: str, page: int, pages: int, total: int) -> str:
    """CodeIgniter's pagination as the platform prints it: numbers, 下一页/尾页, and the total."""
    if pages <= 1:
        return f'<div class="pagination">共{total}条</div>'
    nums = "".join(f"<strong>{k}</strong>" if k == page else f'<a href="{annual(branch, k)}">{k}</a>' for k in range(1, pages + 1))
    nxt = f'<a href="{annual(branch, page + 1)}">下一页</a><a href="{annual(branch, pages)}">尾页</a>' if page < pages else ""
    return f'<div class="pagination">共{total}条 {nums}{nxt}</div>'


def build() -> PlatformSite:
    site = PlatformSite(name="openness", platform="generic", evidence=__doc__)
    items = panel("皖南示范县", {b: [a] for b, a in UNITS.items()}, [2021, 2022, 2023, 2024])
    report_paths = [f"/openness/detail/content/{oid(i)}.html" for i in range(len(items))]
    columns = _place(site, items, lambda i, it: report_paths[i], lambda i, ext, name: (f"/uploads/openness/{oid(i)}.{ext}", {}),
                     lambda j: f"/openness/detail/content/{oid(900 + j)}.html")
    columns[GOV] = columns.pop("main", []) + columns.get(GOV, [])
    add_explainers(site, items, report_paths, lambda i: f"/openness/detail/content/{oid(500 + i)}.html", columns)
    add_lookalikes(site, "皖南示范县", 2024, lambda j: f"/openness/detail/content/{oid(950 + j)}.html", columns, column=GOV)
    side = lambda b: [(f"/opennessGuide/?branch_id={b}", "信息公开指南"), (f"/opennessContent/?branch_id={b}", "信息公开目录"),
                      (annual(b), "信息公开年报"), ("/opennessRequest/", "依申请公开")]
    site.pages = {}
    for branch, agency in UNITS.items():
        entries = columns.get(branch, [])
        chunks = [entries[k:k + PER_PAGE] for k in range(0, len(entries), PER_PAGE)] or [[]]
        site.pages[branch] = len(chunks)
        for n, chunk in enumerate(chunks, start=1):
            site.html(annual(branch, n), list_html(f"{agency}信息公开年报", chunk,
                                                   extra=unit_select(branch) + pager(branch, n, len(chunks), len(entries)),
                                                   sub_columns=side(branch)))
        site.html(f"/opennessGuide/?branch_id={branch}", list_html("信息公开指南", [], sub_columns=side(branch)))
        site.html(f"/opennessContent/?branch_id={branch}", list_html(f"{agency}信息公开", [], sub_columns=side(branch)))
    site.html("/opennessRequest/", list_html("依申请公开", []))
    site.column_paths = [annual(GOV)]
    navigation(site, "皖南示范县", [
        ("/", f"{COUNTY}门户网站", [("/zwgk/index.html", "政务公开")]),
        ("/zwgk/index.html", "政务公开", [(f"/opennessContent/?branch_id={GOV}", "政府信息公开"), ("/zcjd/index.html", "政策解读")]),
    ])
    site.html("/zcjd/index.html", list_html("政策解读", []))
    return site
