"""The identities the tables must satisfy (report-tables.md), evaluated as data.

Reports break them often enough that researchers want to see which and why; the numbers as
published are never corrected. Each evaluated identity becomes one row of the ``checks`` table.
"""
from __future__ import annotations

from dataclasses import dataclass

from .spec import tables
from .tables import Tables

ORG_COLUMNS = ["commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org", "other_org"]
APPLICANT_COLUMNS = ["natural_person", *ORG_COLUMNS]


@dataclass
class Check:
    check: str
    expected: float
    actual: float
    ok: bool
    description: str


def _v(t: Tables, row: str, col: str):
    cell = t.applications.get(row, {}).get(col)
    return None if cell is None else cell.value


def evaluate(t: Tables) -> list[Check]:
    out: list[Check] = []
    if t.applications:
        results = [r.key for r in tables().application_rows if r.result and r.key in t.applications]
        cols = t.application_columns
        for col in cols:
            a, b, c, d = (_v(t, r, col) for r in ("new_received", "carried_over", "total_handled", "carried_forward"))
            if None not in (a, b, c, d):
                out.append(Check(f"applications.balance.{col}", a + b, c + d, a + b == c + d,
                                 "本年新收 + 上年结转 = 办理结果总计 + 结转下年度"))
            parts = [_v(t, r, col) for r in results]
            if c is not None and parts and None not in parts:
                s = sum(parts)
                out.append(Check(f"applications.results_sum.{col}", c, s, c == s, "（七）总计 = 各项办理结果之和"))
        for row, cells in t.applications.items():
            parts = [cells[c].value for c in APPLICANT_COLUMNS if c in cells]
            total = cells.get("total").value if "total" in cells else None
            if total is not None and len(parts) == 6 and None not in parts:
                s = sum(parts)
                out.append(Check(f"applications.row_total.{row}", total, s, total == s, "总计 = 自然人 + 五类法人或其他组织"))
            if "org_subtotal" in cells:
                sub = cells["org_subtotal"].value
                orgs = [cells[c].value for c in ORG_COLUMNS]
                if sub is not None and None not in orgs:
                    s = sum(orgs)
                    out.append(Check(f"applications.org_subtotal.{row}", sub, s, sub == s, "小计 = 五类法人或其他组织之和"))
    for proc, cells in t.review_litigation.items():
        parts = [cells[o].value for o in ("upheld", "corrected", "other", "pending")]
        total = cells["total"].value
        if total is not None and None not in parts:
            s = sum(parts)
            out.append(Check(f"review_litigation.total.{proc}", total, s, total == s, "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结"))
    return out


def status(t: Tables, checks: list[Check]) -> str:
    """``pass``, ``fail`` (an identity broken as published), ``incomplete`` or ``not_applicable``."""
    if t.format == "pre2019":
        return "not_applicable"
    if any(not c.ok for c in checks):
        return "fail"
    cells = [c for tbl in (t.active_disclosure, t.applications, t.review_litigation) for row in tbl.values() for c in row.values()]
    if len(t.found) < 3 or any(c.value is None and c.status == "missing" for c in cells):
        return "incomplete"
    return "pass"
