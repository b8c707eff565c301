"""Write one extracted report into the corpus, replacing what an earlier run wrote for it.

Each report is written in one transaction: a crash leaves either the old rows or the new ones.
"""
from __future__ import annotations

import hashlib
import json
from contextlib import nullcontext
from datetime import datetime, timezone
from urllib.parse import urlsplit

from extract.place import infer_place
from extract.report import Report, cell_rows
from extract.spec import tables

from .agencies import assign
from .derived import FIGURES

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
                 place: dict | None = None, report_id: str | None = None, transaction: bool = True) -> str:
    """Store one report; ``transaction=False`` leaves committing to the caller (bulk loads)."""
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
    children = {
        "sections": [{"report_id": rid, "section_no": s.no, "heading": s.heading, "text": s.text} for s in report.sections],
        "active_disclosure": [{"report_id": rid, "item": item, "measure": m, "value": c.value, "raw": c.raw, "status": c.status}
                              for item, ms in t.active_disclosure.items() for m, c in ms.items()],
        "applications": [{"report_id": rid, "row": r, "row_order": order.get(r), **{c: _int(cells[c].value) for c in cells}}
                         for r, cells in t.applications.items()],
        "review_litigation": [{"report_id": rid, "proceeding": p, **{o: _int(c.value) for o, c in cells.items()}}
                              for p, cells in t.review_litigation.items()],
        "checks": [{"report_id": rid, "check": c.check, "expected": c.expected, "actual": c.actual, "ok": int(c.ok),
                    "description": c.description} for c in report.checks],
        "cells": [{"report_id": rid, "tbl": c["table"], "row": c["row"], "col": c["col"], "value": c["value"],
                   "raw": c["raw"], "status": c["status"], "location": c["where"], "confidence": c["confidence"]}
                  for c in cell_rows(t)],
    }
    figures = key_figures({r["row"]: r for r in children["applications"]}, {r["proceeding"]: r for r in children["review_litigation"]},
                          sum(1 for c in report.checks if not c.ok))
    with db.conn if transaction else nullcontext():
        _write(db, rid, row, report, place, host, children)
        write_figures(db, rid, figures)
    return rid


def _write(db, rid, row, report, place, host, children) -> None:
    for name in CHILD_TABLES:
        db.execute(f"delete from [{name}] where report_id = ?", [rid])
    row["agency_id"] = assign(db, agency=report.agency, place=place, host=host)
    upsert_report(db, row)
    for name, rows in children.items():
        _insert(db, name, rows)


def upsert_report(db, row: dict) -> None:
    """Insert or update in place (never delete-and-insert: the report's child rows and the triggers
    that keep report_summary current depend on the row staying)."""
    cols = list(row)
    names = ", ".join(f"[{c}]" for c in cols)
    sets = ", ".join(f"[{c}] = excluded.[{c}]" for c in cols if c != "report_id")
    db.conn.execute(f"insert into reports ({names}) values ({', '.join('?' * len(cols))}) "
                    f"on conflict(report_id) do update set {sets}", [row[c] for c in cols])


def write_figures(db, rid: str, figures: dict) -> None:
    """The key figures of one report, into its report_summary row (which the reports triggers made)."""
    db.conn.execute(f"update report_summary set {', '.join(f'[{c}] = ?' for c in FIGURES)} where report_id = ?",
                    [figures.get(c) for c in FIGURES] + [rid])


def _insert(db, table: str, rows: list[dict]) -> None:
    """Plain executemany: the rows of one report share their keys (sqlite-utils' per-call
    introspection cost more than the insert itself when loading many reports)."""
    if not rows:
        return
    cols = list(rows[0])
    sql = f"insert or replace into [{table}] ({', '.join(f'[{c}]' for c in cols)}) values ({', '.join('?' * len(cols))})"
    db.conn.executemany(sql, [[r.get(c) for c in cols] for r in rows])


def _sum(values):
    """SQL's sum(): None when every value is None."""
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def key_figures(apps: dict[str, dict], rl: dict[str, dict], failed_checks: int) -> dict:
    """One report's headline numbers (in report_summary) from its table 三 rows (by row key)
    and table 四 rows (by proceeding), as stored: computed once, when the report is stored."""
    total = lambda row: apps.get(row, {}).get("total")  # noqa: E731
    like = lambda prefix: _sum(v.get("total") for k, v in apps.items() if k.startswith(prefix))  # noqa: E731
    return {
        "new_received": total("new_received"),
        "carried_over": total("carried_over"),
        "granted": total("granted"),
        "partially_granted": total("partially_granted"),
        "denied": like("denied_"),
        "unable": like("unable_"),
        "not_processed": like("not_processed_"),
        "other_handling": like("other_"),
        "total_handled": total("total_handled"),
        "carried_forward": total("carried_forward"),
        "new_received_natural_person": apps.get("new_received", {}).get("natural_person"),
        "review_total": rl.get("review", {}).get("total"),
        "review_corrected": rl.get("review", {}).get("corrected"),
        "litigation_total": _sum(v.get("total") for k, v in rl.items() if k.startswith("litigation_")),
        "litigation_corrected": _sum(v.get("corrected") for k, v in rl.items() if k.startswith("litigation_")),
        "failed_checks": failed_checks,
    }


def refresh_figures(db, rid: str) -> None:
    """Recompute one report's key figures from its stored table rows. No transaction of its own."""
    apps = {r["row"]: r for r in db.query("select * from applications where report_id = ?", [rid])}
    rl = {r["proceeding"]: r for r in db.query("select * from review_litigation where report_id = ?", [rid])}
    failed = db.execute("select count(*) from checks where report_id = ? and ok = 0", [rid]).fetchone()[0]
    write_figures(db, rid, key_figures(apps, rl, failed))


def backfill_figures(db) -> None:
    """Figures for stored reports that have none (failed_checks is set for every report whose
    figures were computed): a database from before they existed. No transaction of its own."""
    for (rid,) in db.execute("select report_id from report_summary where failed_checks is null").fetchall():
        refresh_figures(db, rid)


def fold_duplicate(db, report_id: str, url: str, sha256: str | None) -> tuple[str, bool]:
    """The same document stored under two report URLs is one report, and the smallest canonical URL
    keeps it, so the corpus does not depend on which URL a crawl (or a worker) reached first.

    Returns (the id that keeps the document, whether two reports were folded). When ``report_id``
    keeps it, the other report is removed and its documents point here. No transaction of its own.
    """
    if not sha256:
        return report_id, False
    dup = db.execute("select report_id, url from reports where sha256 = ? and report_id != ?", [sha256, report_id]).fetchone()
    if dup is None:
        return report_id, False
    if canonical_url(dup[1]) <= canonical_url(url):
        return dup[0], True
    db.execute("update documents set report_id = ? where report_id = ?", [report_id, dup[0]])
    for name in CHILD_TABLES:
        db.execute(f"delete from [{name}] where report_id = ?", [dup[0]])
    db.execute("delete from reports where report_id = ?", [dup[0]])
    return report_id, True


def _int(v):
    if v is None:
        return None
    return int(v) if float(v).is_integer() else v
