"""The corpus database: created and migrated by code, safe to run again at any time.

The tables and columns named in the schema contract (reports, sections, active_disclosure,
applications, review_litigation, checks, documents) are never renamed or dropped; everything
else here is an addition. Foreign keys tie every table to ``reports``; FTS5 with the trigram
tokenizer makes Chinese searchable (the default tokenizer treats a run of Chinese as one word).
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from . import derived
from .agencies import reversed_key

FIGURES = derived.FIGURES

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
    "agency_id": str,
    "agency_type": str,
    "level_source": str,
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
    with _schema_lock(path):
        _prepare(db)
    return db


@contextmanager
def _schema_lock(path: Path):
    """One process at a time creates or migrates a database's schema.

    Schema creation is dozens of statements, each its own transaction: two processes opening a
    fresh database together (a crawl and ``nianbao serve``, a crawl and a test reading its
    database, workers started together) interleaved them and failed with "database is locked"
    (SQLite answers SQLITE_BUSY at once, without waiting, when a reader must become a writer
    while another process writes), 'table "sections_fts" already exists', or a UNIQUE
    constraint on ``divisions``; a process could meet the tables half made (the likely cause of
    "no such table: sections" seen once for the first report of a fresh database). An ``flock`` on a lock file
    named for the database (in the temporary folder, never beside the corpus) serialises this;
    SQLite's own POSIX locks on the database file are left alone (closing any other descriptor
    of that file would drop them: https://www.sqlite.org/howtocorrupt.html §2.2)."""
    import fcntl
    import hashlib
    import tempfile

    key = hashlib.sha1(str(Path(path).resolve()).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"nianbao-schema-{key}.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _prepare(db: sqlite_utils.Database) -> None:
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    # 64 MB of page cache instead of SQLite's 2 MB: a crawl writes each report into eight tables and
    # two full-text indexes, and with 2 MB the pages of the growing b-trees are evicted between reports
    db.execute("PRAGMA cache_size=-65536")
    # checkpoint the WAL every ~40 MB instead of every 4 MB: each report rewrites the same hot pages
    # (index roots, full-text segments), and a rarer checkpoint copies each of them to the file once
    # (3,000 reports stored 17% faster, alternating runs; benchmarks/RESULTS.md, Crawl). The WAL file
    # grows to ~40 MB between checkpoints
    db.execute("PRAGMA wal_autocheckpoint=10000")
    db.execute("PRAGMA foreign_keys=ON")
    ensure_schema(db)


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create what is missing; add columns a newer version defines. Idempotent."""
    fk_report = [("report_id", "reports", "report_id")]
    _table(db, "agencies", {"agency_id": str, "name": str, "scope": str, "level": str, "agency_type": str,
                            "province": str, "city": str, "county": str, "admin_code": str}, pk="agency_id")
    needs_rkey = db["agency_names"].exists() and "rkey" not in db["agency_names"].columns_dict
    _table(db, "agency_names", {"scope": str, "key": str, "rkey": str, "agency_id": str, "name": str}, pk=("scope", "key"),
           fks=[("agency_id", "agencies", "agency_id")])
    if needs_rkey:  # names stored before rkey existed
        db.conn.create_function("reverse_key", 1, reversed_key, deterministic=True)
        db.execute("update agency_names set rkey = reverse_key(key)")
    _table(db, "reports", REPORT_COLUMNS, pk="report_id", fks=[("agency_id", "agencies", "agency_id")])
    _table(db, "sections", {"report_id": str, "section_no": int, "heading": str, "text": str},
           pk=("report_id", "section_no"), fks=fk_report)
    _table(db, "active_disclosure", {"report_id": str, "item": str, "measure": str, "value": float, "raw": str, "status": str},
           pk=("report_id", "item", "measure"), fks=fk_report)
    _table(db, "applications", {"report_id": str, "row": str, "row_order": int, **{c: int for c in APPLICATION_VALUE_COLUMNS}},
           pk=("report_id", "row"), fks=fk_report)
    _table(db, "review_litigation", {"report_id": str, "proceeding": str, **{c: int for c in OUTCOMES}},
           pk=("report_id", "proceeding"), fks=fk_report)
    # checks and cells hold dozens to hundreds of rows per report: WITHOUT ROWID keeps one b-tree
    # (the primary key) instead of a table plus an equally large index (benchmarks/db_bench.py)
    _compact_table(db, "checks", {"report_id": str, "check": str, "expected": float, "actual": float, "ok": int, "description": str},
                   pk=("report_id", "check"))
    _compact_table(db, "cells", {"report_id": str, "tbl": str, "row": str, "col": str, "value": float, "raw": str, "status": str,
                                 "location": str, "confidence": float}, pk=("report_id", "tbl", "row", "col"))
    db.execute("drop index if exists idx_cells_status")  # a secondary index on a WITHOUT ROWID table repeats its key: too big
    _table(db, "documents", {
        "url": str, "final_url": str, "status": int, "content_type": str, "sha256": str, "size": int,
        "fetched_at": str, "warc_file": str, "warc_offset": int, "warc_length": int, "report_id": str,
        "error": str, "role": str, "source": str, "parent_url": str, "list_title": str, "list_date": str,
        "run_id": str, "fetch_count": int,
        "archive_dir": str,  # set by `nianbao merge`: the worker's archive folder holding warc_file
    }, pk="url")
    _table(db, "crawl_runs", {"run_id": str, "started_at": str, "finished_at": str, "spider": str, "args": str,
                              "finish_reason": str, "pages": int, "reports": int, "errors": int, "stats": str,
                              # completeness (crawler/completeness.py) and anti-bot blocks, per run
                              "shortfall": int, "shortfall_summary": str, "blocked": str}, pk="run_id")
    _table(db, "crawl_columns", {"run_id": str, "column_url": str, "how_found": str, "mechanism": str,
                                 "stated_entries": int, "stated_pages": int, "size_how": str, "entries_reached": int,
                                 "pages_reached": int, "reports_listed": int, "shortfall": int, "shortfall_unit": str},
           pk=("run_id", "column_url"))
    derived.facet_indexes(db, "reports")  # why these and not one index per column: its docstring
    for table, cols in {
        "reports": [["agency"], ["host"], ["source"], ["agency_id", "year"], ["admin_code", "year"], ["sha256"]],
        "agency_names": [["agency_id"], ["scope", "rkey"]],
        "applications": [["row"]],
        "active_disclosure": [["item", "measure"]],
        "checks": [["ok"], ["check"]],
        "documents": [["report_id"], ["role"], ["sha256"], ["status"]],
    }.items():
        for c in cols:
            db[table].create_index(c, if_not_exists=True)
    for table, cols in (("reports", ["title", "agency", "body_text"]), ("sections", ["heading", "text"])):
        if not db[f"{table}_fts"].exists():
            db[table].enable_fts(cols, tokenize="trigram", create_triggers=True)
    _tail_indexes(db)
    with db.conn:
        derived.ensure(db)
    from .coverage import ensure_coverage, write_divisions

    divisions_changed = write_divisions(db)
    _views(db)
    with db.conn:
        ensure_coverage(db, refresh=divisions_changed)
    from .codebook import write_reference_tables  # the codebook describes the views too: last

    write_reference_tables(db)
    db.execute("PRAGMA user_version = %d" % SCHEMA_VERSION)


def _tail_indexes(db) -> None:
    """Each searched text's last two characters and last one, indexed: the full-text index's
    trigrams cover every character but these, which a short term may end on (corpus/search.py)."""
    from .search import TEXTS, tail_expressions

    for table, (column, _) in TEXTS.items():
        for name, expr in zip(("tail2", "tail1"), tail_expressions(column)):
            db.execute(f"create index if not exists [idx_{table}_{name}] on [{table}] ({expr})")


_SQL_TYPES = {str: "TEXT", int: "INTEGER", float: "FLOAT"}


def _compact_table(db, name, columns, pk):
    """A WITHOUT ROWID table keyed on ``pk`` with a foreign key to reports (created once; later
    versions' columns added as for any table)."""
    if not db[name].exists():
        cols = ",\n  ".join(f"[{c}] {_SQL_TYPES[t]}" + (" NOT NULL" if c in pk else "") for c, t in columns.items())
        db.execute(f"CREATE TABLE [{name}] (\n  {cols},\n  PRIMARY KEY ({', '.join(f'[{c}]' for c in pk)}),\n"
                   f"  FOREIGN KEY([report_id]) REFERENCES [reports]([report_id])\n) WITHOUT ROWID")
        return
    _table(db, name, columns, pk)


def _table(db, name, columns, pk, fks=None):
    t = db[name]
    if not t.exists():
        t.create(columns, pk=pk, foreign_keys=fks or [])
        return
    existing = set(t.columns_dict)
    refs = {col: (other, other_col) for col, other, other_col in (fks or [])}
    for col, typ in columns.items():
        if col not in existing:
            other, other_col = refs.get(col, (None, None))
            t.add_column(col, typ, fk=other, fk_col=other_col)


def _report_columns(alias: str, *cols: str) -> str:
    """Select-list lines taking columns of ``alias``'s report from report_summary, one scalar
    subquery each: SQLite evaluates them only for the rows a page shows, never to count a page."""
    return ",\n".join(f"  (select r.[{c}] from report_summary r where r.report_id = {alias}.report_id) as [{c}]" for c in cols)


# hierarchy_totals: which reports a government's report sums, by its level (the report ``c``
# beneath the government's ``p``), and what it sums of them
_BENEATH = {"县级": "(c.level in ('乡镇街道', '村居/社区') or (c.level = '县级' and c.agency_type = '部门'))",
            "市级": "((c.level = '市级' and c.agency_type = '部门') or (c.level = '县级' and c.agency_type = '政府'))"}
_SUMS = "  select p.rowid, count(*), sum(c.new_received), sum(c.total_handled), group_concat(c.agency, ' | ')"

VIEWS = {
    # Table 三 with the report's metadata on every row. Scalar subqueries rather than a join: SQLite
    # computes them only for the rows shown, so counting a filtered page reads no report at all.
    "applications_by_report": "select\n  a.report_id,\n" + _report_columns("a", "year", "agency", "level", "province", "city",
                                                                      "county", "format", "check_status") + """,
  a.row, a.row_order, a.natural_person, a.commercial_enterprise, a.research_institution,
  a.social_welfare_org, a.legal_service_org, a.other_org, a.org_subtotal, a.total,
""" + _report_columns("a", "url") + """
from applications a
""",
    # Every identity a report breaks, with the report's metadata (scalar subqueries, as above: the
    # failed checks are found first, whatever order the page asks for).
    "failed_checks": "select\n  c.report_id,\n" + _report_columns("c", "year", "agency", "level", "province") + """,
  c.[check], c.description, c.expected, c.actual, c.actual - c.expected as difference,
""" + _report_columns("c", "url") + """
from checks c indexed by idx_checks_ok  -- else SQLite may scan all checks hoping to meet failures soon
where c.ok = 0
""",
    # The search page: report_summary's rows under their report's rowid, the key of the reports'
    # full-text index, with no facets by default (each would match the text again: see metadata).
    "report_search": """
select rowid as report_rowid, report_id, year, agency, level, province, format, check_status, title,
  new_received, total_handled, url
from report_summary
""",
    # A government's own figures beside the sum of the reports filed beneath it (its departments,
    # townships and communities; for a city, also its counties) in the same year. Whether a
    # government's report covers only itself or its whole area varies: this is data, not a verdict.
    "hierarchy_totals": """
with beneath (p, n, new_received, total_handled, agencies) as (
  -- each government's report and the reports beneath it, summed: three joins on covering indexes,
  -- each grouped in the order it reads the governments (no sort)
  -- a county: the same GB/T 2260 code
""" + _SUMS + """
  from report_summary p join report_summary c on c.admin_code = p.admin_code and c.year = p.year
  where p.level = '县级' and p.agency_type = '政府' and p.admin_code is not null and """ + _BENEATH["县级"] + """
  group by p.rowid
  union all
  -- a city: the codes of its area, the first four digits (codes are six digits)
""" + _SUMS + """
  from report_summary p join report_summary c indexed by idx_report_summary_by_code  -- else, without ANALYZE, the year index
    on c.admin_code between substr(p.admin_code, 1, 4) || '00' and substr(p.admin_code, 1, 4) || '99' and c.year = p.year
  where p.level = '市级' and p.agency_type = '政府' and p.admin_code is not null and """ + _BENEATH["市级"] + """
  group by p.rowid
  union all
  -- no code known: the same portal, and the government's name (without 人民政府/政府) as prefix
""" + _SUMS + """
  from report_summary p join report_summary c on c.host = p.host and c.year = p.year
  where p.level in ('县级', '市级') and p.agency_type = '政府' and p.admin_code is null and c.admin_code is null
    and c.agency like replace(replace(p.agency, '人民政府', ''), '政府', '') || '_%'
    and ((p.level = '县级' and """ + _BENEATH["县级"] + """) or (p.level = '市级' and """ + _BENEATH["市级"] + """))
  group by p.rowid)
select
  p.report_id, p.year, p.agency, p.level, p.admin_code, p.province, p.city, p.county,
  p.new_received as own_new_received,
  b.n as n_reports_beneath,
  b.new_received as sum_new_received_beneath,
  p.total_handled as own_total_handled,
  b.total_handled as sum_total_handled_beneath,
  b.new_received - p.new_received as difference_new_received,
  b.agencies as agencies_beneath
from beneath b join report_summary p on p.rowid = b.p
""",
}


def _views(db) -> None:
    from .coverage import VIEWS as COVERAGE

    for name, sql in {**VIEWS, **COVERAGE}.items():
        db.execute(f"drop view if exists [{name}]")
        db.execute(f"create view [{name}] as {sql}")
