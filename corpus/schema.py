"""The corpus database: created and migrated by code, safe to run again at any time.

The tables and columns named in the schema contract (reports, sections, active_disclosure,
applications, review_litigation, checks, documents) are never renamed or dropped; everything
else here is an addition. Foreign keys tie every table to ``reports``; FTS5 with the trigram
tokenizer makes Chinese searchable (the default tokenizer treats a run of Chinese as one word).
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

SCHEMA_VERSION = 1

REPORT_COLUMNS = {
    "report_id": str,
    "url": str,
    "attachment_url": str,
    "title": str,
    "agency": str,
    "year": int,
    "format": str,
    "published_date": str,
    "level": str,
    "province": str,
    "city": str,
    "county": str,
    "admin_code": str,
    "host": str,
    "source": str,
    "body_text": str,
    "check_status": str,
    "fetched_at": str,
    "extracted_at": str,
    # additions
    "kind": str,
    "agency_source": str,
    "year_source": str,
    "region_source": str,
    "flags": str,
    "n_flags": int,
    "sha256": str,
    "archive": str,
}

APPLICATION_VALUE_COLUMNS = [
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "org_subtotal",
    "total",
]
OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) a corpus database with WAL and foreign keys on."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=60)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create what is missing; add columns a newer version defines. Idempotent."""
    fk_report = [("report_id", "reports", "report_id")]
    _table(db, "reports", REPORT_COLUMNS, pk="report_id")
    _table(db, "sections", {"report_id": str, "section_no": int, "heading": str, "text": str},
           pk=("report_id", "section_no"), fks=fk_report)
    _table(db, "active_disclosure", {"report_id": str, "item": str, "measure": str, "value": float, "raw": str, "status": str},
           pk=("report_id", "item", "measure"), fks=fk_report)
    _table(db, "applications", {"report_id": str, "row": str, "row_order": int, **{c: int for c in APPLICATION_VALUE_COLUMNS}},
           pk=("report_id", "row"), fks=fk_report)
    _table(db, "review_litigation", {"report_id": str, "proceeding": str, **{c: int for c in OUTCOMES}},
           pk=("report_id", "proceeding"), fks=fk_report)
    _table(db, "checks", {"report_id": str, "check": str, "expected": float, "actual": float, "ok": int, "description": str},
           pk=("report_id", "check"), fks=fk_report)
    _table(db, "cells", {"report_id": str, "tbl": str, "row": str, "col": str, "value": float, "raw": str, "status": str, "location": str},
           pk=("report_id", "tbl", "row", "col"), fks=fk_report)
    _table(db, "documents", {
        "url": str, "final_url": str, "status": int, "content_type": str, "sha256": str, "size": int,
        "fetched_at": str, "warc_file": str, "warc_offset": int, "warc_length": int, "report_id": str,
        "error": str, "role": str, "source": str, "parent_url": str, "list_title": str, "list_date": str,
        "run_id": str, "fetch_count": int,
    }, pk="url")
    _table(db, "crawl_runs", {"run_id": str, "started_at": str, "finished_at": str, "spider": str, "args": str,
                              "finish_reason": str, "pages": int, "reports": int, "errors": int, "stats": str}, pk="run_id")
    for table, cols in {
        "reports": [["year"], ["format"], ["level"], ["province"], ["check_status"], ["agency"], ["host"], ["source"]],
        "applications": [["row"]],
        "active_disclosure": [["item", "measure"]],
        "checks": [["ok"], ["check"]],
        "documents": [["report_id"], ["role"], ["sha256"], ["status"]],
        "cells": [["status"]],
    }.items():
        for c in cols:
            db[table].create_index(c, if_not_exists=True)
    for table, cols in (("reports", ["title", "agency", "body_text"]), ("sections", ["heading", "text"])):
        if not db[f"{table}_fts"].exists():
            db[table].enable_fts(cols, tokenize="trigram", create_triggers=True)
    _views(db)
    db.execute("PRAGMA user_version = %d" % SCHEMA_VERSION)


def _table(db, name, columns, pk, fks=None):
    t = db[name]
    if not t.exists():
        t.create(columns, pk=pk, foreign_keys=fks or [])
        return
    existing = set(t.columns_dict)
    for col, typ in columns.items():
        if col not in existing:
            t.add_column(col, typ)


VIEWS = {
    # One wide row per report with its key figures: the one-click CSV slice.
    "report_summary": """
select
  r.report_id, r.year, r.agency, r.level, r.province, r.city, r.county, r.admin_code, r.format,
  r.check_status, r.published_date, r.title, r.url, r.attachment_url, r.host, r.source, r.archive,
  (select total from applications a where a.report_id = r.report_id and a.row = 'new_received') as new_received,
  (select total from applications a where a.report_id = r.report_id and a.row = 'carried_over') as carried_over,
  (select total from applications a where a.report_id = r.report_id and a.row = 'granted') as granted,
  (select total from applications a where a.report_id = r.report_id and a.row = 'partially_granted') as partially_granted,
  (select sum(total) from applications a where a.report_id = r.report_id and a.row like 'denied_%') as denied,
  (select sum(total) from applications a where a.report_id = r.report_id and a.row like 'unable_%') as unable,
  (select sum(total) from applications a where a.report_id = r.report_id and a.row like 'not_processed_%') as not_processed,
  (select sum(total) from applications a where a.report_id = r.report_id and a.row like 'other_%') as other_handling,
  (select total from applications a where a.report_id = r.report_id and a.row = 'total_handled') as total_handled,
  (select total from applications a where a.report_id = r.report_id and a.row = 'carried_forward') as carried_forward,
  (select natural_person from applications a where a.report_id = r.report_id and a.row = 'new_received') as new_received_natural_person,
  (select total from review_litigation l where l.report_id = r.report_id and l.proceeding = 'review') as review_total,
  (select corrected from review_litigation l where l.report_id = r.report_id and l.proceeding = 'review') as review_corrected,
  (select sum(total) from review_litigation l where l.report_id = r.report_id and l.proceeding like 'litigation_%') as litigation_total,
  (select sum(corrected) from review_litigation l where l.report_id = r.report_id and l.proceeding like 'litigation_%') as litigation_corrected,
  (select count(*) from checks c where c.report_id = r.report_id and c.ok = 0) as failed_checks
from reports r
""",
    # Table 三 with the report's metadata on every row.
    "applications_by_report": """
select
  r.report_id, r.year, r.agency, r.level, r.province, r.city, r.county, r.format, r.check_status,
  a.row, a.row_order, a.natural_person, a.commercial_enterprise, a.research_institution,
  a.social_welfare_org, a.legal_service_org, a.other_org, a.org_subtotal, a.total, r.url
from applications a join reports r on r.report_id = a.report_id
""",
    # Every identity a report breaks, with the report's metadata.
    "failed_checks": """
select r.report_id, r.year, r.agency, r.level, r.province, c.[check], c.description, c.expected, c.actual,
  c.actual - c.expected as difference, r.url
from checks c join reports r on r.report_id = c.report_id
where c.ok = 0
""",
}


def _views(db) -> None:
    for name, sql in VIEWS.items():
        db.execute(f"drop view if exists [{name}]")
        db.execute(f"create view [{name}] as {sql}")
