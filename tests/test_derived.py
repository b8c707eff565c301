"""report_summary and agency_years are tables kept current by triggers: whatever changes a report
(storing it again, folding a duplicate, a merge, an edit in the SQLite shell) changes them in the
same transaction, so they always equal what a view over the reports would answer."""
import pytest

from conftest import FIXTURES
from corpus.derived import AGENCY_YEAR_COLUMNS, META
from corpus.load import CHILD_TABLES, fold_duplicate, store_report
from corpus.schema import connect
from extract.documents import extract_document

SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))


@pytest.fixture
def db(tmp_path):
    db = connect(tmp_path / "corpus.db")
    for f in SEEDS:
        store_report(db, extract_document(f.read_bytes()), url=f"http://127.0.0.1/seeds/{f.name}", sha256=f.name)
    return db


def summary_as_a_view_would_answer(db):
    """Each report's metadata, under its report's rowid (the full-text index's key)."""
    cols = ", ".join(f"r.[{c}]" for c in META)
    return sorted(db.execute(f"select r.rowid, r.report_id, {cols} from reports r").fetchall())


def panel_as_a_view_would_answer(db):
    return sorted(db.execute(f"select {AGENCY_YEAR_COLUMNS} group by g.agency_id, s.year").fetchall())


def review_totals_as_a_query_would_answer(db):
    sums = ", ".join(f"coalesce(sum(l.[{o}]), 0), count(l.[{o}])" for o in ("upheld", "corrected", "other", "pending", "total"))
    return sorted(db.execute(f"select coalesce(s.year, 0), l.proceeding, count(*), {sums} from review_litigation l "
                             f"join report_summary s on s.report_id = l.report_id group by 1, 2").fetchall())


def review_totals(db):
    return sorted(db.execute("select * from review_litigation_by_year").fetchall())


def assert_derived_tables_current(db):
    assert summary(db) == summary_as_a_view_would_answer(db)
    assert panel(db) == panel_as_a_view_would_answer(db)
    assert review_totals(db) == review_totals_as_a_query_would_answer(db)


def panel(db):
    return sorted(db.execute("select * from agency_years").fetchall())


def summary(db):
    cols = ", ".join(f"[{c}]" for c in META)
    return sorted(db.execute(f"select rowid, report_id, {cols} from report_summary").fetchall())


def test_review_totals_start_as_the_sum_of_the_stored_rows(db):
    assert review_totals(db) == review_totals_as_a_query_would_answer(db)
    assert db.execute("select sum(n_reports) from review_litigation_by_year").fetchone()[0] == db["review_litigation"].count


def test_every_stored_report_has_one_summary_row_with_its_figures(db):
    assert summary(db) == summary_as_a_view_would_answer(db)
    assert db.execute("select count(*) from report_summary where failed_checks is null").fetchone()[0] == 0
    granted = db.execute("select a.total from applications a where a.row = 'granted' order by report_id").fetchall()
    assert db.execute("select granted from report_summary order by report_id").fetchall() == granted


def test_storing_a_report_again_with_another_year_moves_it_in_the_panel(db):
    f = SEEDS[0]
    report = extract_document(f.read_bytes())
    report.year = 2001
    store_report(db, report, url=f"http://127.0.0.1/seeds/{f.name}", sha256=f.name)
    assert db.execute("select count(*) from agency_years where year = 2001").fetchone()[0] == 1
    assert_derived_tables_current(db)


def test_review_totals_follow_a_year_edited_in_the_shell_and_a_corrected_cell(db):
    with db.conn:
        db.execute("update reports set year = 1999 where report_id = (select min(report_id) from reports)")
        db.execute("update review_litigation set total = coalesce(total, 0) + 7 where proceeding = 'review'")
    assert db.execute("select count(*) from review_litigation_by_year where year = 1999").fetchone()[0] > 0
    assert review_totals(db) == review_totals_as_a_query_would_answer(db)


def test_a_folded_duplicate_leaves_neither_summary_nor_panel_row(db):
    f = SEEDS[1]
    twin = "http://127.0.0.1/a-copy/" + f.name  # sorts before /seeds/: the twin keeps the document
    rid = store_report(db, extract_document(f.read_bytes()), url=twin, sha256=f.name)
    with db.conn:
        fold_duplicate(db, rid, twin, f.name)
    assert db["report_summary"].count == len(SEEDS)
    assert_derived_tables_current(db)


def test_an_edit_in_the_sqlite_shell_reaches_both_tables(db):
    with db.conn:
        db.execute("update reports set agency = '改名后的机关', level = '市级' where report_id = (select min(report_id) from reports)")
        db.execute("update agencies set name = '改名后的机关' where agency_id = (select min(agency_id) from agencies)")
    assert_derived_tables_current(db)
    assert db.execute("select count(*) from agency_years where agency_name = '改名后的机关'").fetchone()[0] == 1


def test_deleting_a_report_removes_its_rows(db):
    with db.conn:
        rid = db.execute("select min(report_id) from reports").fetchone()[0]
        for t in CHILD_TABLES:
            db.execute(f"delete from [{t}] where report_id = ?", [rid])
        db.execute("delete from reports where report_id = ?", [rid])
    assert db["report_summary"].count == len(SEEDS) - 1
    assert_derived_tables_current(db)


def test_a_report_replaced_in_the_shell_takes_its_summary_row_to_its_new_rowid(db):
    with db.conn:  # "insert or replace" deletes the row and inserts it again, under a new rowid
        cols = ", ".join(c for c in db["reports"].columns_dict)
        db.execute(f"insert or replace into reports ({cols}) select {cols} from reports "
                   f"where report_id = (select min(report_id) from reports)")
    assert_derived_tables_current(db)


def test_report_summary_finds_what_the_full_text_index_finds(db):
    hits = db.execute("select report_id from report_summary where rowid in "
                      "(select rowid from reports_fts where reports_fts match '\"官庄镇\"')").fetchall()
    assert hits == db.execute("select report_id from reports where agency like '%官庄镇%'").fetchall()
    assert len(hits) == 1
