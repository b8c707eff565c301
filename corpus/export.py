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
NAMED = ("province", "level")  # filters on names: a prefix that names one value is enough (山东 → 山东省)


def resolve(db, column: str, value: str) -> str:
    """The stored value ``value`` names: itself, or the one stored value it begins (山东 → 山东省);
    else ValueError listing the values there are."""
    values = [v for (v,) in db.execute(f"select distinct [{column}] from reports where [{column}] is not null order by 1")]
    if value in values:
        return value
    matches = [v for v in values if v.startswith(value)]
    if len(matches) == 1:
        return matches[0]
    listed = "、".join(matches or values) or "(none in this corpus)"
    raise ValueError(f"--{column.replace('_', '-')} {value!r} matches {'several' if matches else 'no'} {column} values; "
                     f"{'they are' if matches else 'choose one of'}: {listed}")


def export(db, what: str, out: str | Path, fmt: str = "csv", chinese_headers: bool = False, **filters) -> int:
    """Write one slice; returns the number of rows. ``filters`` are column = value. Parquet columns
    carry their codebook entry (label, unit, meaning, formats) as field metadata; with
    ``chinese_headers`` a CSV's header row reads "自然人 natural_person" (codebook labels)."""
    from .codebook import entry, table_description

    if what not in EXPORTABLE:
        raise ValueError(f"unknown slice {what!r}; choose one of: {', '.join(EXPORTABLE)}")
    table = EXPORTABLE[what]
    cols = [c.name for c in db[table].columns]
    where, params = [], []
    for k, v in filters.items():
        if v is None:
            continue
        if k in NAMED:
            v = resolve(db, k, v)
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

        t = pa.Table.from_pylist([dict(zip(names, r)) for r in rows])
        meta = {c: {k.encode(): str(v).encode() for k, v in (entry(table, c) or {}).items() if v} for c in t.column_names}
        schema = pa.schema([f.with_metadata(meta[f.name]) for f in t.schema],
                           metadata={b"table": table.encode(), b"description": (table_description(table) or "").encode()})
        pq.write_table(t.cast(schema), out)
    else:
        with open(out, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([f"{(entry(table, n) or {}).get('label') or ''} {n}".strip() for n in names] if chinese_headers else names)
            w.writerows(rows)
    return len(rows)
