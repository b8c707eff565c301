"""CSV (with a BOM, so Excel on Chinese Windows reads UTF-8) and Parquet slices of the corpus."""
from __future__ import annotations

import csv
from pathlib import Path

EXPORTABLE = {
    "summary": "report_summary",
    "applications": "applications_by_report",
    "failed_checks": "failed_checks",
    "reports": "reports",
    "active_disclosure": "active_disclosure",
    "review_litigation": "review_litigation",
    "checks": "checks",
    "sections": "sections",
    "agency_years": "agency_years",
    "hierarchy": "hierarchy_totals",
}
FILTERS = ("year", "province", "level", "format", "check_status")


def export(db, what: str, out: str | Path, fmt: str = "csv", **filters) -> int:
    """Write one slice; returns the number of rows. ``filters`` are column = value."""
    if what not in EXPORTABLE:
        raise ValueError(f"unknown slice {what!r}; choose one of: {', '.join(EXPORTABLE)}")
    table = EXPORTABLE[what]
    cols = [c.name for c in db[table].columns]
    where, params = [], []
    for k, v in filters.items():
        if v is None:
            continue
        if k in cols:
            where.append(f"[{k}] = ?")
            params.append(v)
        elif "report_id" in cols:
            where.append(f"report_id in (select report_id from reports where [{k}] = ?)")
            params.append(v)
    sql = f"select * from [{table}]" + (" where " + " and ".join(where) if where else "")
    if "body_text" in cols:
        sql = sql.replace("select *", "select " + ", ".join(f"[{c}]" for c in cols if c != "body_text"))
        cols = [c for c in cols if c != "body_text"]
    order = [c for c in ("year", "report_id", "row_order", "section_no") if c in cols]
    if order:
        sql += " order by " + ", ".join(order)
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist([dict(zip(names, r)) for r in rows]), out)
    else:
        with open(out, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(names)
            w.writerows(rows)
    return len(rows)
