"""Every layout a report comes in reads back to the same numbers (rendered from the seeds' gold)."""
import pytest

from conftest import GOLD_KEYS, gold, seed_names
from extract.documents import extract_document
from nianbao import render
from nianbao.synthetic import synthetic_report

LAYOUTS = {
    "html table with rowspan/colspan": lambda r: ("<html><body>" + render.html_body(r) + "</body></html>").encode(),
    "html table 三 split in two with the header repeated": lambda r: ("<html><body>" + render.html_body(r, split_table_3=True) + "</body></html>").encode(),
    "docx with merged cells": render.docx_bytes,
    "pdf with ruled tables": render.pdf_bytes,
    "text, tab-separated rows": lambda r: render.text_dump(r, "tab_rows").encode(),
    "text, one cell per line": lambda r: render.text_dump(r, "cell_per_line").encode(),
    "text, pipe rows": lambda r: render.text_dump(r, "pipe").encode(),
}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("stem", seed_names())
def test_layout_round_trips_the_seed_tables(stem, layout):
    expected = gold(stem)
    report = extract_document(LAYOUTS[layout](expected))
    got = report.to_json()
    for k in ("format", "active_disclosure", "applications", "review_litigation"):
        assert got[k] == expected[k], k


def test_optional_subtotal_column_is_read_as_org_subtotal():
    r = synthetic_report("示范县教育局", 2023, "2021", scale=40, subtotal=True)
    report = extract_document(("<html><body>" + render.html_body(r, subtotal=True) + "</body></html>").encode())
    assert report.tables.application_columns[-2:] == ["org_subtotal", "total"]
    assert report.to_json()["applications"] == r["applications"]
    assert any(c.check.startswith("applications.org_subtotal.") for c in report.checks)


def test_gbk_page_is_decoded():
    r = gold("003_1762ab0cc7bc4c17")
    page = f'<html><head><meta charset="gb2312"><title>{render.title_of(r)}</title></head><body>{render.html_body(r)}</body></html>'
    report = extract_document(page.encode("gbk"))
    assert report.agency == "安丘市官庄镇人民政府"
    assert report.to_json()["applications"] == r["applications"]


def test_2019_format_is_detected_from_labels_not_year():
    r = synthetic_report("示范县财政局", 2021, "2019")  # a 2021 report still in the 2019 shape
    report = extract_document(render.text_dump(r).encode())
    assert report.format == "2019"
    assert "other_handling" in report.tables.applications


def _cells_only(text, sep):
    return sep.join(c for line in text.splitlines() for c in line.split("\t") if c)


@pytest.mark.parametrize("sep", ["\n\n", "\n|\n"], ids=["cells separated by blank lines", "cells separated by lone | lines"])
def test_cells_without_row_delimiters_are_grouped_into_rows_by_label(sep):
    expected = gold("003_1762ab0cc7bc4c17")
    report = extract_document(_cells_only(render.text_dump(expected), sep).encode())
    got = report.to_json()
    for k in ("format", "active_disclosure", "applications", "review_litigation"):
        assert got[k] == expected[k], k


def test_vertical_header_characters_do_not_disturb_the_rows():
    expected = gold("003_1762ab0cc7bc4c17")
    text = render.text_dump(expected).replace("三、本年度办理结果", "三、\n本\n年\n度\n办\n理\n结\n果\n")
    got = extract_document(text.encode()).to_json()
    assert got["applications"] == expected["applications"]


def test_columns_of_table_three_are_located_by_their_headers_in_a_real_grid():
    r = synthetic_report("示范县教育局", 2023, "2021", scale=40, subtotal=True)
    grid = render.report_grids(r, subtotal=True)["三"]
    grid[2] = [grid[2][-1]] + grid[2][:-1]  # this agency prints 小计 before the five organisations
    for row in grid[3:]:
        head, v = row[:-8], row[-8:]
        row[:] = head + [v[0], v[6]] + v[1:6] + [v[7]]
    html = "<html><body><p>三、收到和处理政府信息公开申请情况</p>" + render._html_table(grid) + "</body></html>"
    got = extract_document(html.encode()).to_json()
    assert got["applications"] == r["applications"]


@pytest.mark.parametrize("stem,fixture", [("003_1762ab0cc7bc4c17", "seed003_libreoffice.doc"), ("002_a941c392a2b54e65", "seed002_libreoffice.doc")])
def test_legacy_word_doc_written_by_libreoffice_reads_back(stem, fixture):
    from conftest import FIXTURES

    report = extract_document((FIXTURES / "generated" / fixture).read_bytes(), filename=fixture)
    assert report.kind == "doc"
    got = report.to_json()
    for k in GOLD_KEYS:
        assert got[k] == gold(stem)[k], k
