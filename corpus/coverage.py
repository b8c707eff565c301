"""Coverage: which governments published no report, and which agencies stopped publishing.

Every government at county level and above must publish a report each year (政府信息公开条例
第五十条), so a government missing from the corpus is a finding, or a gap in the crawl: the
views say "not in the corpus", not "not published". The expected governments are the GB/T 2260
divisions bundled with the extractor (extract/data/divisions.csv: provinces, prefectures,
counties; townships are not GB/T 2260 divisions), written into the ``divisions`` table; a
division counts as found in a year when a report of that year has its code, its level and
agency_type 政府 (extract/place.py infers all three from the agency name, the host or the text).
"""
from __future__ import annotations

from extract.place import LEVEL_BY_TIER, chain, divisions

VIEWS = {
    # one row per expected government and year of the corpus, found or not: the base of the others
    "coverage_governments": """
with years (year) as (select distinct year from report_summary where year is not null),
-- the governments' own reports: few, read through the (agency_type, level) index and held apart,
-- so that each expected government is one look-up in them (223 -> 82 ms at 20k reports)
found as materialized (
  select admin_code, year, level, min(report_id) as report_id
  from report_summary indexed by idx_report_summary_agency_type_level
  where agency_type = '政府' and level in ('省级', '市级', '县级') and admin_code is not null
  group by admin_code, year, level)
select y.year, d.province, d.level, d.admin_code, d.name, f.report_id
from years y cross join divisions d indexed by idx_divisions_level_province
left join found f on f.admin_code = d.admin_code and f.year = y.year and f.level = d.level
""",
}

# Per province, level and year: expected, found, missing, and the missing ones by name. A table
# kept by triggers on report_summary (ensure_coverage): as a view, its page and count grouped the
# 3,219 divisions × every year twice (~200 ms whatever the number of reports: benchmarks/RESULTS.md).
COVERAGE_COLUMNS = {"year": "INTEGER", "province": "TEXT", "level": "TEXT", "expected": "INTEGER", "found": "INTEGER",
                    "missing": "INTEGER", "share_found": "REAL", "missing_governments": "TEXT"}
COVERAGE = """
select year, province, level, count(*) as expected, count(report_id) as found, count(*) - count(report_id) as missing,
  round(1.0 * count(report_id) / count(*), 3) as share_found,
  group_concat(case when report_id is null then name end, '、') as missing_governments
from coverage_governments {where} group by year, level, province"""
# a report that can make a division found (the conditions of coverage_governments' ``found``)
_GOVERNMENT = "({r}.agency_type = '政府' and {r}.level in ('省级', '市级', '县级') and {r}.admin_code is not null)"


def ensure_coverage(db, refresh: bool = False) -> None:
    """``coverage`` as a table (a view in older versions) and the triggers that keep it; ``refresh``:
    compute it again (the divisions changed). Needs the view coverage_governments.

    A year's rows are computed again when a government's report of that year comes, changes or
    goes, and when the year enters or leaves the corpus (its first report, any agency's, or its
    last): ~3,000 divisions, a few milliseconds, for the 1 in 100 reports that are a government's."""
    kind = db.execute("select type from sqlite_master where name = 'coverage'").fetchone()
    if kind and kind[0] == "view":
        db.execute("drop view coverage")
    if not kind or kind[0] == "view":
        db.execute(f"create table coverage ({', '.join(f'[{c}] {t}' for c, t in COVERAGE_COLUMNS.items())})")
        db["coverage"].create_index(["year", "level", "province"])
        refresh = True
    if refresh:
        db.execute("delete from coverage")
        db.execute("insert into coverage " + COVERAGE.format(where=""))

    def recompute(year: str) -> str:
        return (f"delete from coverage where year = {year}; "
                f"insert into coverage {COVERAGE.format(where=f'where year = {year}')}; ")

    gov_new, gov_old = _GOVERNMENT.format(r="new"), _GOVERNMENT.format(r="old")
    inputs = "year, level, agency_type, admin_code, report_id"
    for name, event, when, body in (
            ("coverage_ai", "insert", f"new.year is not null and ({gov_new} or not exists (select 1 from coverage where year = new.year))",
             recompute("new.year")),
            ("coverage_ad", "delete", f"old.year is not null and ({gov_old} or not exists (select 1 from report_summary where year = old.year))",
             recompute("old.year")),
            ("coverage_au", f"update of {inputs}", f"{gov_old} or {gov_new} or old.year is not new.year",
             recompute("old.year") + recompute("new.year"))):
        db.execute(f"drop trigger if exists [{name}]")
        db.execute(f"create trigger [{name}] after {event} on report_summary when {when} begin {body}end")


# An agency that published in one year and not in the corpus's next year (present in 2022, absent
# in 2023); years with no report at all in the corpus are skipped, not counted as absences. A table
# kept by triggers on agency_years (ensure_absent): as a view, each page and its count computed it
# for every agency and year (147 ms at 20k reports, ~0.7 s at 100k: benchmarks/RESULTS.md).
ABSENT_COLUMNS = {"agency_id": "TEXT", "agency_name": "TEXT", "level": "TEXT", "agency_type": "TEXT", "province": "TEXT",
                  "city": "TEXT", "county": "TEXT", "last_seen": "INTEGER", "missing_year": "INTEGER",
                  "seen_again": "INTEGER", "report_id": "TEXT"}
ABSENT = """
select a.agency_id, a.agency_name, a.level, a.agency_type, a.province, a.city, a.county, a.year as last_seen,
  y.year as missing_year,
  (select min(c.year) from agency_years c where c.agency_id = a.agency_id and c.year > y.year) as seen_again,
  a.report_id
from agency_years a
join agency_years y on y.rowid = (select z.rowid from agency_years z where z.year > a.year order by z.year limit 1)
where not exists (select 1 from agency_years b where b.agency_id = a.agency_id and b.year = y.year)"""


def ensure_absent(db) -> None:
    """``agencies_absent`` as a table (a view in older versions) and the triggers that keep it.

    An agency's rows depend on its own years and on the corpus's years: a change to one agency's
    panel recomputes that agency's rows; a year that appears in or leaves the panel (its first
    or last agency) recomputes them all, since every agency's next year may change. No
    transaction of its own."""
    kind = db.execute("select type from sqlite_master where name = 'agencies_absent'").fetchone()
    if kind and kind[0] == "view":
        db.execute("drop view agencies_absent")
    if not kind or kind[0] == "view":
        db.execute(f"create table agencies_absent ({', '.join(f'[{c}] {t}' for c, t in ABSENT_COLUMNS.items())})")
        for cols in (["agency_id"], ["missing_year"]):
            db["agencies_absent"].create_index(cols)
        db.execute(f"insert into agencies_absent {ABSENT}")

    def recompute(ref: str, year_changed: str) -> str:
        return (f"delete from agencies_absent where {year_changed}; insert into agencies_absent {ABSENT} and {year_changed}; "
                f"delete from agencies_absent where agency_id = {ref}.agency_id; "
                f"insert into agencies_absent {ABSENT} and a.agency_id = {ref}.agency_id; ")

    first_of_year = "new.year is not null and not exists (select 1 from agency_years w where w.year = new.year and w.rowid != new.rowid)"
    last_of_year = "old.year is not null and not exists (select 1 from agency_years w where w.year = old.year)"
    for name, event, body in (("agencies_absent_ai", "insert", recompute("new", first_of_year)),
                              ("agencies_absent_ad", "delete", recompute("old", last_of_year)),
                              ("agencies_absent_au", "update", recompute("old", last_of_year) + recompute("new", first_of_year))):
        db.execute(f"drop trigger if exists [{name}]")
        db.execute(f"create trigger [{name}] after {event} on agency_years begin {body}end")


def division_rows() -> list[dict]:
    rows = []
    for code, d in sorted(divisions().items()):
        c = chain(code)
        rows.append({"admin_code": code, "name": d.name, "level": LEVEL_BY_TIER[d.tier], "province": c["province"],
                     "city": c["city"]})
    return rows


def write_divisions(db) -> bool:
    """The expected governments (created once; rewritten when the bundled list changes). Whether
    they were (re)written."""
    cols = {"admin_code": str, "name": str, "level": str, "province": str, "city": str}
    if not db["divisions"].exists():
        db["divisions"].create(cols, pk="admin_code")
        db["divisions"].create_index(["level", "province"], if_not_exists=True)
    rows = division_rows()
    if db["divisions"].count != len(rows):
        with db.conn:
            db.execute("delete from divisions")
            db.conn.executemany("insert into divisions (admin_code, name, level, province, city) values (?, ?, ?, ?, ?)",
                                [[r[c] for c in cols] for r in rows])
        return True
    return False
