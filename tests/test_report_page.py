"""The report page draws tables 二, 三 and 四 as the official tables of both formats.

The official layouts are those of 国办公开办函〔2019〕60号 and 〔2021〕30号 as transcribed in
extract/data/tables.toml: table 三 has 23 rows in the 2019 format and 25 in the 2021 format, its
row headers nested three deep (三、本年度办理结果 › （三）不予公开 › 1.属于国家秘密); table 四 is one
row of fifteen numbers under 行政复议 and 行政诉讼 (未经复议直接起诉, 复议后起诉).
"""
import pytest

from conftest import FIXTURES
from corpus.load import store_report
from corpus.report_page import build, column_header_rows, row_paths, span_grid
from corpus.schema import connect
from extract.documents import extract_document
from extract.spec import tables


def _headers(fmt):
    rows = tables().application_rows_for(fmt)
    return rows, span_grid(row_paths([r.label for r in rows]))


@pytest.mark.parametrize("fmt, n_rows, results", [("2019", 23, 20), ("2021", 25, 22)])
def test_table_three_row_headers_nest_as_the_official_table(fmt, n_rows, results):
    rows, grid = _headers(fmt)
    assert len(rows) == n_rows
    # 三、本年度办理结果 spans every result row and 总计
    outer = grid[2][0]
    assert outer.text == "三、本年度办理结果" and outer.length == results
    # 不予公开 spans its eight reasons; the reasons sit one level deeper
    i = [r.key for r in rows].index("denied_state_secret")
    assert [(s.text, s.length) for s in grid[i]] == [("（三）不予公开", 8), ("1.属于国家秘密", 1)]
    # a top-level row with no sub-rows (一、本年新收…) spans all three header levels
    assert grid[0][0].depth == 3 and grid[0][0].length == 1


def test_the_2021_format_splits_other_handling_into_three_rows():
    rows, grid = _headers("2021")
    i = [r.key for r in rows].index("other_overdue_correction")
    assert (grid[i][0].text, grid[i][0].length) == ("（六）其他处理", 3)
    rows19, grid19 = _headers("2019")
    j = [r.key for r in rows19].index("other_handling")
    assert (grid19[j][0].text, grid19[j][0].depth) == ("（六）其他处理", 2)


def test_table_four_draws_review_over_two_header_rows_and_litigation_split():
    spec = tables()
    paths = [tuple(p.label.split(" / ")) + (o.label,) for p in spec.proceedings for o in spec.outcomes]
    top, middle, outcomes = column_header_rows(paths, leaves_aligned=True)
    assert [(s.text, s.length, s.depth) for s in top] == [("行政复议", 5, 2), ("行政诉讼", 10, 1)]
    assert [(s.text, s.length) for s in middle] == [("未经复议直接起诉", 5), ("复议后起诉", 5)]
    assert [s.text for s in outcomes] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3


def test_applicant_columns_group_under_legal_persons():
    cols = tables().columns_for(False)
    top, sub = column_header_rows([tuple(c.label.split(" / ")) for c in cols])
    assert [(s.text, s.length, s.depth) for s in top] == [("自然人", 1, 2), ("法人或其他组织", 5, 1), ("总计", 1, 2)]
    assert [s.text for s in sub] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    db = connect(tmp_path_factory.mktemp("page") / "corpus.db")
    ids = {}
    for f in sorted((FIXTURES / "seeds").glob("*.txt")):
        r = extract_document(f.read_bytes())
        ids[f.stem] = (store_report(db, r, url=f"http://127.0.0.1/seeds/{f.name}"), r)
    return db, ids


def test_every_cell_of_a_stored_report_appears_once_with_its_provenance(stored):
    db, ids = stored
    for rid, report in ids.values():
        page = build(db.conn, rid)
        shown = [c for b in page.active_blocks for row in b["rows"] for c in row["cells"]]
        shown += [c for row in page.app_rows for c in row["cells"]] + page.review_cells
        stored_cells = db.execute("select count(*) from cells where report_id = ?", [rid]).fetchone()[0]
        assert sum(c.status != "absent" for c in shown) + len(page.other_cells) == stored_cells
        assert all("原文 raw" in c.title and "状态 status" in c.title for c in shown if c.status != "absent")


def test_a_cell_shows_the_stored_value(stored):
    db, ids = stored
    rid, report = next(v for v in ids.values() if v[1].format == "2021")
    page = build(db.conn, rid)
    row = next(r for r in page.app_rows if r["key"] == "new_received")
    expected = db.execute("select total from applications where report_id = ? and row = 'new_received'", [rid]).fetchone()[0]
    assert row["cells"][-1].display == str(expected)


def test_identities_are_grouped_by_kind_with_their_failures(stored):
    db, ids = stored
    for rid, report in ids.values():
        page = build(db.conn, rid)
        groups = [g for gs in page.checks.values() for g in gs]
        failed = sum(len(g["failed"]) for g in groups)
        assert failed == sum(1 for c in report.checks if not c.ok)
        assert sum(len(g["passed"]) for g in groups) == sum(1 for c in report.checks if c.ok)


def test_an_unknown_report_has_no_page(stored):
    db, _ = stored
    assert build(db.conn, "no-such-report") is None
