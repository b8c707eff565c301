"""Combine the databases of a distributed crawl's workers into one corpus. Idempotent.

Report ids come from canonical URLs, so the same report from two workers is one row. The same
document under two URLs is folded as a single crawl folds it (the smallest canonical URL keeps
the report). Agencies are re-assigned over the merged reports in (year, url) order, so merging
the workers' files gives the same agency ids as merging one process's file. Documents keep the
archive folder their WARC file lives in (``archive_dir``), since each worker archives on its own.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from .agencies import assign
from .load import CHILD_TABLES, upsert_report, fold_duplicate, refresh_figures
from .schema import connect


def merge(out: str | Path, inputs: list[str | Path]) -> dict:
    target = connect(out)
    counts = {"reports": 0, "documents": 0, "folded": 0}
    for path in inputs:
        src = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        src.row_factory = sqlite3.Row
        archive_dir = str(Path(path).resolve().with_suffix("")) + "-archive"
        with target.conn:
            counts["documents"] += _merge_documents(target, src, archive_dir)
            for name in ("crawl_runs",):
                rows = [dict(r) for r in src.execute(f"select * from [{name}]")]
                if rows:
                    target[name].upsert_all(rows, pk="run_id", alter=True)
            have = {r[0] for r in src.execute("select name from sqlite_master where type = 'table'")}
            if "crawl_columns" in have:  # per-column completeness of each worker's runs
                rows = [dict(r) for r in src.execute("select * from crawl_columns")]
                if rows:
                    target["crawl_columns"].upsert_all(rows, pk=("run_id", "column_url"), alter=True)
            known = set(target["reports"].columns_dict)  # a worker from an older version may lack or add columns
            for r in src.execute("select * from reports order by report_id"):
                counts["folded"] += _merge_report(target, src, dict(r), have, known)
        src.close()
    _reassign_agencies(target)
    counts["reports"] = target["reports"].count
    target.conn.close()
    return counts


def _merge_documents(target, src, archive_dir: str) -> int:
    n = 0
    for r in src.execute("select * from documents"):
        row = dict(r)
        row["archive_dir"] = row.get("archive_dir") or (archive_dir if row.get("warc_file") else None)
        old = target.execute("select status, warc_file, fetch_count, error from documents where url = ?", [row["url"]]).fetchone()
        if old is not None:
            row["fetch_count"] = max(old[2] or 0, row.get("fetch_count") or 0)
            if old[1] and not row.get("warc_file"):
                continue  # keep the archived fetch over a failed one
            if old[3] is None and row.get("error") is not None:
                continue  # keep a worker's good answer over another's failed attempt (a retry taken by it)
        target["documents"].upsert(row, pk="url", alter=True)
        n += 1
    return n


def _merge_report(target, src, row: dict, have: set[str], known: set[str]) -> int:
    """Copy one report and its rows; returns 1 if it was folded with a duplicate, else 0."""
    rid = row["report_id"]
    keeper, folded = fold_duplicate(target, rid, row["url"], row.get("sha256"))
    if keeper != rid:
        target.execute("update documents set report_id = ? where report_id = ?", [keeper, rid])
        return 1
    for name in CHILD_TABLES:
        target.execute(f"delete from [{name}] where report_id = ?", [rid])
    row["agency_id"] = None  # re-assigned over the merged corpus
    upsert_report(target, {k: v for k, v in row.items() if k in known})
    for name in CHILD_TABLES:
        if name not in have:
            continue  # a worker database from an older version: rebuilt by `nianbao extract` if needed
        rows = [dict(r) for r in src.execute(f"select * from [{name}] where report_id = ?", [rid])]
        if rows:
            target[name].insert_all(rows, replace=True)
    refresh_figures(target, rid)  # from the copied rows: the worker's figures may predate them
    return int(folded)


def _reassign_agencies(db) -> None:
    with db.conn:
        db.execute("update reports set agency_id = null")
        db.execute("delete from agency_names")
        db.execute("delete from agencies")
        rows = db.execute("select report_id, agency, host, level, agency_type, province, city, county, admin_code "
                          "from reports order by year, url").fetchall()
        for rid, agency, host, *place in rows:
            keys = ("level", "agency_type", "province", "city", "county", "admin_code")
            aid = assign(db, agency=agency, place=dict(zip(keys, place)), host=host)
            db.execute("update reports set agency_id = ? where report_id = ?", [aid, rid])
