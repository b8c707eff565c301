"""Write one extracted report into the corpus, replacing what an earlier run wrote for it.

Each report is written in one transaction: a crash leaves either the old rows or the new ones.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from urllib.parse import urlsplit

from extract.place import infer_place
from extract.report import Report, cell_rows
from extract.spec import tables

from .agencies import assign

CHILD_TABLES = ("sections", "active_disclosure", "applications", "review_litigation", "checks", "cells")


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def report_id_for(url: str) -> str:
    """Stable id from the canonical URL, so a re-crawl updates the same row."""
    return hashlib.sha1(canonical_url(url).encode("utf-8")).hexdigest()[:16]


def canonical_url(url: str) -> str:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "http"
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = parts.path or "/"
    return f"{scheme}://{netloc}{path}" + (f"?{parts.query}" if parts.query else "")


def store_report(db, report: Report, *, url: str, attachment_url: str | None = None, fetched_at: str | None = None,
                 source: str | None = None, sha256: str | None = None, archive: str | None = None,
                 place: dict | None = None, report_id: str | None = None) -> str:
    rid = report_id or report_id_for(url)
    flags = report.flags + report.tables.flags
    host = urlsplit(url).hostname or ""
    # the source configuration (``place``) is one piece of evidence; the agency name and host the others
    place = infer_place(report.agency, host, hints=place or {}, text=report.body_text).as_dict()
    row = {
        "report_id": rid,
        "url": url,
        "attachment_url": attachment_url,
        "title": report.title,
        "agency": report.agency,
        "year": report.year,
        "format": report.format,
        "published_date": report.published_date,
        "level": place.get("level"),
        "agency_type": place.get("agency_type"),
        "level_source": place.get("level_source"),
        "province": place.get("province"),
        "city": place.get("city"),
        "county": place.get("county"),
        "admin_code": place.get("admin_code"),
        "region_source": place.get("source"),
        "host": host,
        "source": source,
        "body_text": report.body_text,
        "check_status": report.check_status,
        "fetched_at": fetched_at,
        "extracted_at": now(),
        "kind": report.kind,
        "agency_source": report.agency_source,
        "year_source": report.year_source,
        "flags": json.dumps(flags, ensure_ascii=False),
        "n_flags": len(flags),
        "sha256": sha256,
        "archive": archive,
    }
    order = {r.key: i for i, r in enumerate(tables().application_rows)}
    t = report.tables
    with db.conn:
        for name in CHILD_TABLES:
            db.execute(f"delete from [{name}] where report_id = ?", [rid])
        row["agency_id"] = assign(db, agency=report.agency, place=place, host=host)
        db["reports"].upsert(row, pk="report_id")
        db["sections"].insert_all(
            ({"report_id": rid, "section_no": s.no, "heading": s.heading, "text": s.text} for s in report.sections),
            pk=("report_id", "section_no"), replace=True)
        db["active_disclosure"].insert_all(
            ({"report_id": rid, "item": item, "measure": m, "value": c.value, "raw": c.raw, "status": c.status}
             for item, ms in t.active_disclosure.items() for m, c in ms.items()), replace=True)
        db["applications"].insert_all(
            ({"report_id": rid, "row": r, "row_order": order.get(r), **{c: _int(cells[c].value) for c in cells}}
             for r, cells in t.applications.items()), replace=True)
        db["review_litigation"].insert_all(
            ({"report_id": rid, "proceeding": p, **{o: _int(c.value) for o, c in cells.items()}}
             for p, cells in t.review_litigation.items()), replace=True)
        db["checks"].insert_all(
            ({"report_id": rid, "check": c.check, "expected": c.expected, "actual": c.actual, "ok": int(c.ok),
              "description": c.description} for c in report.checks), replace=True)
        db["cells"].insert_all(
            ({"report_id": rid, "tbl": c["table"], "row": c["row"], "col": c["col"], "value": c["value"],
              "raw": c["raw"], "status": c["status"], "location": c["where"]} for c in cell_rows(t)), replace=True)
    return rid


def _int(v):
    if v is None:
        return None
    return int(v) if float(v).is_integer() else v
