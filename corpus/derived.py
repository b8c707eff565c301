"""Tables derived from the reports, kept current by SQLite triggers: report_summary and agency_years.

Both were views once. At 100,000 reports a view that joins or groups the wide ``reports`` table
(its body text inline) took 1.5–4.4 s per Datasette page (benchmarks/RESULTS.md). As narrow
tables with indexes they answer in milliseconds, and because triggers maintain them inside the
same transaction as the write that changes a report, they can never be stale: there is no
refresh step to forget after a crawl, an extract, a merge or a hand edit in the SQLite shell.

- ``report_summary``: one row per report, its metadata (copied from ``reports`` by triggers) and
  its key figures (written by ``corpus.load`` when it stores the report).
- ``agency_years``: one row per agency and year, the panel; the rows of an (agency, year) are
  recomputed whenever a report of it, or the agency, changes.
- ``review_litigation_by_year``: table 四 summed per year and proceeding, kept by adding and
  subtracting each row as it comes and goes (summing 300,000 rows through a join took 0.5 s).
  Each outcome has a count of the reports that printed it, so a sum over none is null, as in SQL.
"""
from __future__ import annotations

META = ["year", "agency", "agency_id", "level", "agency_type", "province", "city", "county", "admin_code", "format",
        "check_status", "published_date", "title", "url", "attachment_url", "host", "source", "archive"]
# each report's headline numbers, computed by corpus/load.py key_figures
FIGURES = ["new_received", "carried_over", "granted", "partially_granted", "denied", "unable", "not_processed",
           "other_handling", "total_handled", "carried_forward", "new_received_natural_person", "review_total",
           "review_corrected", "litigation_total", "litigation_corrected", "failed_checks"]
FACETS = ["year", "level", "province", "format", "check_status"]
# report_summary's columns in the order a researcher reads them: who and when, then the key
# figures, then the rest of the metadata (on a screen, the figures used to start at column 20)
LEADING = ["year", "agency", "level", "province", "format", "check_status"]
SUMMARY_COLUMNS = LEADING + FIGURES + [c for c in META if c not in LEADING]
_TEXT = {"agency", "agency_id", "level", "agency_type", "province", "city", "county", "admin_code", "format",
         "check_status", "published_date", "title", "url", "attachment_url", "host", "source", "archive"}

AGENCY_YEAR_COLUMNS = """
  g.agency_id, g.name as agency_name, s.year, g.level, g.agency_type, g.province, g.city, g.county, g.admin_code,
  count(*) as n_reports, group_concat(s.agency, ' | ') as names_as_published,
  min(s.report_id) as report_id, max(s.check_status) as check_status,
  sum(s.new_received) as new_received, sum(s.total_handled) as total_handled, sum(s.granted) as granted,
  sum(s.denied) as denied, sum(s.review_total) as review_total, sum(s.litigation_total) as litigation_total
from report_summary s join agencies g on g.agency_id = s.agency_id"""
# the report_summary columns agency_years reads: a change to any other does not recompute it
_PANEL_INPUTS = ["agency_id", "year", "agency", "report_id", "check_status", "new_received", "total_handled", "granted",
                 "denied", "review_total", "litigation_total"]


OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]


def ensure(db) -> None:
    """Create (or migrate from the old views) the tables and their triggers. Idempotent."""
    _report_summary(db)
    _agency_years(db)
    _review_litigation_by_year(db)
    facet_indexes(db, "report_summary")
    for cols in (["agency_id", "year"], ["agency_type", "level"]):
        db["report_summary"].create_index(cols, if_not_exists=True)
    # hierarchy_totals (corpus/schema.py) starts from the governments' reports (agency_type, level)
    # and finds the reports beneath each by code or by portal, in the same year: these two indexes
    # hold all it reads of them, so it visits no row of the 100k (138 -> 87 ms per query)
    for old in ("admin_code_year", "host", "host_year"):  # what older versions had
        db.execute(f"drop index if exists idx_report_summary_{old}")
    for by, first in (("code", ["admin_code", "year"]), ("host", ["host", "year", "admin_code"])):
        db["report_summary"].create_index(first + ["level", "agency_type", "new_received", "total_handled", "agency"],
                                          index_name=f"idx_report_summary_by_{by}", if_not_exists=True)
    for cols in (["year"], ["level"], ["agency_type"], ["province"]):
        db["agency_years"].create_index(cols, if_not_exists=True)
    from . import coverage, totals

    totals.ensure(db)
    coverage.ensure_absent(db)


def facet_indexes(db, table: str) -> None:
    """One index per facet column, each holding all the facet columns with that one first.

    Datasette's facet is ``select c, count(*) … where <filters> group by c``. Given a plain index on
    ``c``, SQLite answers a filtered facet by walking that index and reading every row it points
    to: 160 ms at 100,000 reports, whose rows carry their body text. With every facet column in
    every index, each facet, filtered by any of the others or not, is read from one index alone:
    2–8 ms (benchmarks/db_bench.py). The indexes replace the single-column ones of older versions.
    """
    for old in ("year", "format", "level", "province", "check_status", "year_level",
                "year_level_province_format_check_status"):
        db.execute(f"drop index if exists idx_{table}_{old}")
    for c in FACETS:
        db[table].create_index([c] + [x for x in FACETS if x != c], index_name=f"idx_{table}_by_{c}", if_not_exists=True)


def _kind(db, name: str) -> str | None:
    row = db.execute("select type from sqlite_master where name = ?", [name]).fetchone()
    return row[0] if row else None


def _needs_table(db, name: str) -> bool:
    """Whether ``name`` still has to be created as a table; a view of that name (what older
    versions made) is dropped first."""
    kind = _kind(db, name)
    if kind == "view":
        db.execute(f"drop view [{name}]")
    return kind != "table"


def _create_trigger(db, sql: str) -> None:
    """Create a trigger, replacing one of the same name (a trigger on another table outlives the
    derived table it writes to, when a migration rebuilds that table)."""
    db.execute(f"drop trigger if exists {sql.split()[2]}")
    db.execute(sql)


def _without_rowid(db, name: str) -> bool:
    sql = db.execute("select sql from sqlite_master where name = ?", [name]).fetchone()[0]
    return "WITHOUT ROWID" in sql.upper()


def _report_summary(db) -> None:
    """report_summary's rows share their rowid with the report's row in ``reports``.

    That is what lets Datasette search it (the view ``report_search``) through the full-text index
    of ``reports`` (``report_rowid in (select rowid from reports_fts …)``): a search matching every
    report then reads 100,000 narrow rows instead of 100,000 rows that carry their body text
    (benchmarks/RESULTS.md)."""
    kind = _kind(db, "report_summary")
    if kind == "table" and not _without_rowid(db, "report_summary") and _current_order(db):
        return
    figs = ", ".join(f"[{c}]" for c in FIGURES)
    old_figures = "report_figures" if _kind(db, "report_figures") == "table" else None  # where figures lived before
    if kind == "view":
        db.execute("drop view report_summary")
    elif kind == "table":  # WITHOUT ROWID in older versions (keyed by report_id alone), or columns in an older order
        db.execute(f"create temp table old_figures (report_id TEXT PRIMARY KEY, {figs}) WITHOUT ROWID")
        db.execute(f"insert into temp.old_figures select report_id, {figs} from report_summary")
        db.execute("drop table report_summary")
        # their triggers on report_summary (or agency_years) went with it
        from .totals import GROUPS

        for t in ("agency_years", "review_litigation_by_year", *GROUPS, "agencies_absent"):
            if _kind(db, t) == "table":
                db.execute(f"drop table [{t}]")
        old_figures = "temp.old_figures"
    cols = ",\n  ".join(f"[{c}] {'TEXT' if c in _TEXT else 'INTEGER'}" for c in SUMMARY_COLUMNS)
    db.execute(f"CREATE TABLE report_summary (\n  [report_id] TEXT NOT NULL PRIMARY KEY,\n  {cols}\n)")
    names = ", ".join(f"[{c}]" for c in META)
    news = ", ".join(f"new.[{c}]" for c in META)
    sets = ", ".join(f"[{c}] = excluded.[{c}]" for c in META)
    upsert = (f"insert into report_summary (rowid, report_id, {names}) values (new.rowid, new.report_id, {news}) "
              f"on conflict(report_id) do update set rowid = excluded.rowid, {sets};")
    _create_trigger(db, f"create trigger report_summary_ai after insert on reports begin {upsert} end")
    _create_trigger(db, f"create trigger report_summary_au after update of report_id, {names} on reports begin "
                    f"delete from report_summary where report_id = old.report_id and old.report_id != new.report_id; {upsert} end")
    _create_trigger(db, "create trigger report_summary_ad after delete on reports begin "
                    "delete from report_summary where report_id = old.report_id; end")
    if old_figures:
        olds = ", ".join(f"f.[{c}]" for c in FIGURES)
        db.execute(f"insert into report_summary (rowid, report_id, {names}, {figs}) select r.rowid, r.report_id, "
                   f"{', '.join(f'r.[{c}]' for c in META)}, {olds} from reports r "
                   f"left join {old_figures} f on f.report_id = r.report_id")
        db.execute(f"drop table {old_figures}")
    else:
        db.execute(f"insert into report_summary (rowid, report_id, {names}) select rowid, report_id, {names} from reports")
    from .load import backfill_figures  # reports stored before figures existed

    backfill_figures(db)


def _current_order(db) -> bool:
    return [r[1] for r in db.execute("pragma table_info(report_summary)")] == ["report_id"] + SUMMARY_COLUMNS


def _agency_years(db) -> None:
    if not _needs_table(db, "agency_years"):
        return
    if _kind(db, "agencies_absent") == "table":  # derived from the panel: rebuilt with it (corpus/coverage.py)
        db.execute("drop table agencies_absent")
    db.execute(f"create table agency_years as select {AGENCY_YEAR_COLUMNS} where 0 group by g.agency_id, s.year")
    db.execute(f"insert into agency_years select {AGENCY_YEAR_COLUMNS} group by g.agency_id, s.year")
    db.execute("create unique index agency_years_key on agency_years (agency_id, year)")

    def recompute(ref: str) -> str:
        return (f"delete from agency_years where agency_id = {ref}.agency_id and year is {ref}.year; "
                f"insert into agency_years select {AGENCY_YEAR_COLUMNS} "
                f"where s.agency_id = {ref}.agency_id and s.year is {ref}.year group by g.agency_id, s.year;")

    inputs = ", ".join(_PANEL_INPUTS)
    _create_trigger(db, f"create trigger agency_years_ai after insert on report_summary when new.agency_id is not null "
                    f"begin {recompute('new')} end")
    _create_trigger(db, f"create trigger agency_years_ad after delete on report_summary when old.agency_id is not null "
                    f"begin {recompute('old')} end")
    _create_trigger(db, f"create trigger agency_years_au after update of {inputs} on report_summary "
                    f"begin {recompute('old')} {recompute('new')} end")
    panel_of = (f"insert into agency_years select {AGENCY_YEAR_COLUMNS} where s.agency_id = new.agency_id "
                f"group by g.agency_id, s.year;")
    _create_trigger(db, f"create trigger agency_years_agency_insert after insert on agencies begin {panel_of} end")
    _create_trigger(db, f"create trigger agency_years_agency_update after update on agencies begin "
                    f"delete from agency_years where agency_id = old.agency_id; {panel_of} end")
    _create_trigger(db, "create trigger agency_years_agency_delete after delete on agencies begin "
                    "delete from agency_years where agency_id = old.agency_id; end")


def _review_litigation_by_year(db) -> None:
    if not _needs_table(db, "review_litigation_by_year"):
        return
    cols = ", ".join(f"[{o}] INTEGER NOT NULL DEFAULT 0, [n_{o}] INTEGER NOT NULL DEFAULT 0" for o in OUTCOMES)
    db.execute(f"create table review_litigation_by_year ([year] INTEGER NOT NULL, [proceeding] TEXT NOT NULL, "
               f"[n_reports] INTEGER NOT NULL DEFAULT 0, {cols}, PRIMARY KEY ([year], [proceeding]))")
    names = ", ".join(f"[{o}], [n_{o}]" for o in OUTCOMES)
    year_of = "coalesce((select year from report_summary where report_id = {ref}.report_id), 0)"

    def add(ref: str, year: str, sign: str = "", rows_of_report: bool = False) -> str:
        """Add (sign "") or take away (sign "-") table 四 row ``ref`` in its year's totals; with
        ``rows_of_report``, every row (``l``) of the report being changed (``new``)."""
        vals = ", ".join(f"{sign}coalesce({ref}.[{o}], 0), {sign}({ref}.[{o}] is not null)" for o in OUTCOMES)
        sets = ", ".join(f"[{o}] = [{o}] + excluded.[{o}], [n_{o}] = [n_{o}] + excluded.[n_{o}]" for o in OUTCOMES)
        source = (f"select {year}, {ref}.proceeding, {sign}1, {vals} from review_litigation {ref} "
                  f"where {ref}.report_id = new.report_id and true" if rows_of_report  # "and true": SQLite's upsert-after-select rule
                  else f"values ({year}, {ref}.proceeding, {sign}1, {vals})")
        return (f"insert into review_litigation_by_year ([year], [proceeding], [n_reports], {names}) {source} "
                f"on conflict([year], [proceeding]) do update set [n_reports] = [n_reports] + excluded.[n_reports], {sets};")

    tidy = "delete from review_litigation_by_year where n_reports = 0;"
    _create_trigger(db, f"create trigger rl_by_year_ai after insert on review_litigation begin {add('new', year_of.format(ref='new'))} end")
    _create_trigger(db, f"create trigger rl_by_year_ad after delete on review_litigation begin "
                    f"{add('old', year_of.format(ref='old'), '-')} {tidy} end")
    _create_trigger(db, f"create trigger rl_by_year_au after update on review_litigation begin "
                    f"{add('old', year_of.format(ref='old'), '-')} {add('new', year_of.format(ref='new'))} {tidy} end")
    # a report whose year changes takes its table 四 rows to the other year
    _create_trigger(db, f"create trigger rl_by_year_move after update of year on report_summary "
                    f"when old.year is not new.year begin {add('l', 'coalesce(old.year, 0)', '-', rows_of_report=True)} "
                    f"{add('l', 'coalesce(new.year, 0)', rows_of_report=True)} {tidy} end")
    sums = ", ".join(f"coalesce(sum(l.[{o}]), 0), count(l.[{o}])" for o in OUTCOMES)
    db.execute(f"insert into review_litigation_by_year ([year], [proceeding], [n_reports], {names}) "
               f"select coalesce(s.year, 0), l.proceeding, count(*), {sums} from review_litigation l "
               f"left join report_summary s on s.report_id = l.report_id group by 1, 2")
