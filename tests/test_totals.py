"""The running totals behind the charts and canned queries (corpus/totals.py) and the tables of
coverage and of agencies absent the next year (corpus/coverage.py) are kept by triggers: whatever changes a
report (storing it again, a year edited in the shell, a failing check, deleting it) changes them
in the same transaction, so they always equal what summing every report would answer, and the
canned queries over them answer what they answered when they summed report_summary."""
import json

import pytest

from conftest import FIXTURES, ROOT
from corpus.coverage import ABSENT, COVERAGE
from corpus.load import CHILD_TABLES, store_report
from corpus.schema import connect
from corpus.totals import FAILING, GROUPS, HANDLED
from extract.documents import extract_document

SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
QUERIES = json.loads((ROOT / "datasette_metadata.json").read_text(encoding="utf-8"))["databases"]["corpus"]["queries"]
EXCLUDE = "(coalesce(:exclude_failing, '') in ('0', 'no', 'false') or check_status is not 'fail')"
# what the canned queries were when they summed every report (before the running totals)
BY_SUMMING = {
    "applications_per_year_level":
        "select year, coalesce(level, '(unknown)') as level, count(*) as reports, sum(new_received) as new_received, "
        "sum(total_handled) as total_handled, round(avg(new_received), 1) as mean_per_report "
        f"from report_summary where {EXCLUDE} group by +year, level order by year, level",
    "outcome_shares":
        "select year, sum(total_handled) as handled, "
        + ", ".join(f"round(1.0 * sum({f}) / nullif(sum(total_handled), 0), 3)" for f in
                    ("granted", "partially_granted", "denied", "unable", "not_processed", "other_handling"))
        + f" from report_summary where total_handled is not null and {EXCLUDE} group by +year order by year",
    "chart_applications_per_year":
        "select year, sum(new_received) as new_received, sum(total_handled) as total_handled, count(*) as reports "
        f"from report_summary where {EXCLUDE} group by +year having year is not null order by year",
    "chart_outcome_shares":
        "with t as (select year, sum(total_handled) as handled, sum(granted) as granted, sum(partially_granted) as partially_granted, "
        "sum(denied) as denied, sum(unable) as unable, sum(not_processed) as not_processed, sum(other_handling) as other "
        f"from report_summary where total_handled > 0 and {EXCLUDE} group by +year) "
        "select year, 'granted 予以公开' as outcome, round(1.0 * granted / handled, 3) as share from t union all "
        "select year, 'partially 部分公开', round(1.0 * partially_granted / handled, 3) from t union all "
        "select year, 'denied 不予公开', round(1.0 * denied / handled, 3) from t union all "
        "select year, 'unable 无法提供', round(1.0 * unable / handled, 3) from t union all "
        "select year, 'not processed 不予处理', round(1.0 * not_processed / handled, 3) from t union all "
        "select year, 'other 其他处理', round(1.0 * other / handled, 3) from t order by year, outcome",
    "top_agencies":
        "select s.agency_id, g.name as agency, count(*) as reports, min(s.year) as first_year, max(s.year) as last_year, "
        "sum(s.new_received) as new_received, group_concat(distinct s.agency) as names_as_published "
        "from report_summary s join agencies g on g.agency_id = s.agency_id "
        f"where (coalesce(:year, '') = '' or s.year = cast(:year as integer)) and {EXCLUDE.replace('check_status', 's.check_status')} "
        "group by s.agency_id order by new_received desc limit 100",
}


@pytest.fixture
def db(tmp_path):
    db = connect(tmp_path / "corpus.db")
    for f in SEEDS:
        store_report(db, extract_document(f.read_bytes()), url=f"http://127.0.0.1/seeds/{f.name}", sha256=f.name)
    return db


def totals_by_summing(db, table):
    spec = GROUPS[table]
    keys = [expr.format(r="s") for _, expr in spec["keys"].values()]
    sums = ", ".join(f"coalesce(sum(s.[{f}]), 0), count(s.[{f}])" for f in spec["figures"])
    return sorted(db.execute(f"select {', '.join(keys)}, count(*), {sums} from report_summary s "
                             f"group by {', '.join(str(i + 1) for i in range(len(keys)))}").fetchall(), key=repr)


def assert_in_step(db):
    for table in GROUPS:
        assert sorted(db.execute(f"select * from [{table}]").fetchall(), key=repr) == totals_by_summing(db, table), table
    assert sorted(db.execute("select * from agencies_absent").fetchall(), key=repr) == sorted(db.execute(ABSENT).fetchall(), key=repr)
    assert (sorted(db.execute("select * from coverage").fetchall(), key=repr)
            == sorted(db.execute(COVERAGE.format(where="")).fetchall(), key=repr))


def rows(db, sql, **params):
    names = {p for p in ("exclude_failing", "year") if ":" + p in sql}
    return db.execute(sql, {p: params.get(p, "") for p in names}).fetchall()


def test_the_totals_start_as_the_sums_of_the_stored_reports(db):
    assert db.execute("select sum(n_reports) from totals_by_year_level").fetchone()[0] == len(SEEDS)
    assert_in_step(db)


def test_the_totals_follow_a_report_stored_again_in_another_year(db):
    report = extract_document(SEEDS[0].read_bytes())
    report.year = 2001
    store_report(db, report, url=f"http://127.0.0.1/seeds/{SEEDS[0].name}", sha256=SEEDS[0].name)
    assert db.execute("select count(*) from totals_by_year_level where year = 2001").fetchone()[0] == 1
    assert_in_step(db)


def test_the_totals_follow_edits_in_the_shell_failing_checks_unknown_years_and_empty_figures(db):
    with db.conn:
        db.execute("update reports set check_status = 'fail' where report_id = (select min(report_id) from reports)")
        db.execute("update reports set year = null, level = null where report_id = (select max(report_id) from reports)")
        db.execute("update report_summary set total_handled = 0 where report_id = (select min(report_id) from reports)")
        db.execute("update report_summary set new_received = null, granted = null where rowid = (select max(rowid) from reports)")
    assert db.execute("select count(*) from totals_by_year_level where failing = 1").fetchone()[0] == 1
    assert_in_step(db)


def test_the_totals_follow_a_deleted_report(db):
    with db.conn:
        rid = db.execute("select min(report_id) from reports").fetchone()[0]
        for t in CHILD_TABLES:
            db.execute(f"delete from [{t}] where report_id = ?", [rid])
        db.execute("delete from reports where report_id = ?", [rid])
    assert db.execute("select sum(n_reports) from totals_by_year_level").fetchone()[0] == len(SEEDS) - 1
    assert_in_step(db)


def test_an_agency_absent_from_a_new_year_of_the_corpus_is_listed_and_leaves_when_it_reports(db):
    """A year new to the corpus makes every agency of the year before absent from it: all rows recomputed."""
    absent_2025 = "select count(*) from agencies_absent where missing_year = 2025"
    assert db.execute(absent_2025).fetchone()[0] == 0
    report = extract_document(SEEDS[0].read_bytes())
    report.year = 2025
    store_report(db, report, url="http://127.0.0.1/2025/" + SEEDS[0].name)
    assert db.execute(absent_2025).fetchone()[0] > 0
    assert_in_step(db)
    with db.conn:  # and the year leaves the corpus with its only report
        rid = db.execute("select report_id from reports where year = 2025").fetchone()[0]
        for t in CHILD_TABLES:
            db.execute(f"delete from [{t}] where report_id = ?", [rid])
        db.execute("delete from reports where report_id = ?", [rid])
    assert db.execute(absent_2025).fetchone()[0] == 0
    assert_in_step(db)


def test_coverage_follows_a_government_report_stored_moved_to_another_year_and_deleted(db):
    from nianbao import render
    from nianbao.synthetic import synthetic_report

    found = "select found, missing_governments from coverage where year = ? and province = '山东省' and level = '县级'"
    before = db.execute(found, [2023]).fetchone()
    report = extract_document(render.text_dump(synthetic_report("昌乐县人民政府", 2023, "2021")).encode())
    report.agency, report.year = "昌乐县人民政府", 2023
    rid = store_report(db, report, url="http://127.0.0.1/changle/2023.html")
    after = db.execute(found, [2023]).fetchone()
    assert after[0] == before[0] + 1 and "昌乐县" in before[1].split("、") and "昌乐县" not in after[1].split("、")
    assert_in_step(db)
    with db.conn:  # a year new to the corpus: every division expected in it
        db.execute("update reports set year = 2031 where report_id = ?", [rid])
    assert db.execute(found, [2031]).fetchone()[0] == 1
    assert_in_step(db)
    with db.conn:
        for t in CHILD_TABLES:
            db.execute(f"delete from [{t}] where report_id = ?", [rid])
        db.execute("delete from reports where report_id = ?", [rid])
    assert db.execute(found, [2031]).fetchone() is None
    assert_in_step(db)


@pytest.mark.parametrize("name", sorted(BY_SUMMING))
def test_a_canned_query_over_the_totals_answers_what_summing_every_report_answered(db, name):
    with db.conn:  # reports that fail, of no year or level, with no or zero handled applications
        db.execute("update reports set check_status = 'fail' where report_id = (select min(report_id) from reports)")
        db.execute("update reports set year = null, level = null where report_id = (select max(report_id) from reports)")
        db.execute("update report_summary set total_handled = 0 where rowid = (select min(rowid) from reports)")
        db.execute("update report_summary set granted = null where rowid = (select max(rowid) from reports)")
    for params in ({}, {"exclude_failing": "0"}, {"year": "2023"}, {"year": "2023", "exclude_failing": "0"}):
        old = rows(db, BY_SUMMING[name], **params)
        new = rows(db, QUERIES[name]["sql"], **params)
        if name == "top_agencies":  # the old order left ties unordered
            old, new = sorted(old, key=repr), sorted(new, key=repr)
        assert new == old and old, (name, params)


def test_a_database_whose_coverage_and_absences_were_views_migrates_on_opening(db):
    """As the code of e7ed5c9 left them: two views, computed on every page."""
    path = db.conn.execute("pragma database_list").fetchone()[2]
    with db.conn:
        for name, sql in (("coverage", COVERAGE.format(where="")), ("agencies_absent", ABSENT)):
            db.execute(f"drop table {name}")
            db.execute(f"create view {name} as {sql}")
    views = {n: sorted(db.execute(f"select * from {n}").fetchall(), key=repr) for n in ("coverage", "agencies_absent")}
    db.conn.close()
    db = connect(path)
    kinds = dict(db.execute("select name, type from sqlite_master where name in ('coverage', 'agencies_absent')").fetchall())
    assert kinds == {"coverage": "table", "agencies_absent": "table"}
    assert {n: sorted(db.execute(f"select * from {n}").fetchall(), key=repr) for n in views} == views
    assert_in_step(db)
