"""Real reports from public sources, checked against the values a person read from the originals
(fixtures/SOURCES.md)."""
import pytest

from conftest import FIXTURES
from extract.documents import extract_document


def parse(name):
    return extract_document((FIXTURES / "real" / name).read_bytes(), filename=name)


def apps(report, row):
    return [c.value for c in report.tables.applications[row].values()]


def rl(report):
    return [[c.value for c in cells.values()] for cells in report.tables.review_litigation.values()]


def test_huaian_2024_pdf_tables_match_the_published_values():
    r = parse("huaian_szfgs_2024.pdf")
    assert r.format == "2021" and r.year == 2024
    ad = r.tables.active_disclosure
    assert ad["administrative_penalty"]["decisions"].value == 3985758
    assert ad["administrative_coercion"]["decisions"].value == 88283
    assert ad["administrative_fees"]["amount_10k_yuan"].value == 96171.6
    assert apps(r, "new_received") == [3001, 53, 0, 0, 61, 4, 3119]
    assert apps(r, "granted") == [1288, 21, 0, 0, 50, 3, 1362]
    assert apps(r, "total_handled") == [2932, 53, 0, 0, 61, 4, 3050]
    assert apps(r, "carried_forward")[-1] == 103
    assert rl(r) == [[72, 64, 178, 37, 351], [13, 4, 8, 1, 26], [12, 1, 1, 6, 20]]
    assert r.check_status == "pass"


def test_hongze_2024_pdf_tables_are_complete_and_consistent():
    r = parse("hongze_2024.pdf")
    assert apps(r, "total_handled")[-1] == 95
    assert rl(r) == [[1, 1, 0, 0, 2], [1, 0, 0, 0, 1], [2, 0, 1, 0, 3]]
    assert r.check_status == "pass"


def test_hongze_2023_table_four_inconsistency_is_reported_not_corrected():
    r = parse("hongze_2023.pdf")
    assert rl(r) == [[10, 1, 0, 0, 0], [0, 0, 0, 0, 0], [5, 0, 0, 0, 0]]
    failed = {c.check for c in r.checks if not c.ok}
    assert failed == {"review_litigation.total.review", "review_litigation.total.litigation_after_review"}
    assert r.check_status == "fail"


def test_hongze_single_other_handling_row_in_a_2021_report_is_kept_as_printed():
    r = parse("hongze_2024.pdf")
    assert r.format == "2021"
    assert "other_handling" in r.tables.applications
    assert any("rows kept as printed" in f for f in r.tables.flags)


def test_shanghai_2019_html_blank_cells_stay_blank():
    r = parse("shanghai_szfbgt_2019_tables.html")
    assert r.format == "2019"
    assert apps(r, "new_received") == [821, 35, None, None, 2, 1, 859]
    assert r.tables.applications["new_received"]["research_institution"].status == "blank"
    assert apps(r, "carried_over")[0] == 18 and apps(r, "carried_over")[-1] == 18
    assert r.tables.applications["granted"]["total"].value is None  # blank in the source
    assert rl(r)[0] == [5, None, None, 2, 7] and rl(r)[1] == [8, None, None, 1, 9]
    procurement = r.tables.active_disclosure["centralized_procurement"]
    assert procurement["projects"].value == 6
    assert procurement["amount_10k_yuan"].raw == "251000元" and procurement["amount_10k_yuan"].value == 25.1


def test_pingtan_2024_html_tables_match_the_published_values():
    r = parse("pingtan_2024_tables.html")
    ad = r.tables.active_disclosure
    assert [ad["normative_documents"][m].value for m in ("issued", "repealed", "in_force")] == [62, 33, 440]
    assert ad["administrative_licensing"]["decisions"].value == 4529
    assert ad["administrative_fees"]["amount_10k_yuan"].value == 18651.06
    assert apps(r, "new_received") == [217, 1, 0, 0, 0, 0, 218]
    assert apps(r, "other_other") == [1, 1, 0, 0, 0, 0, 2]
    assert apps(r, "unable_not_held")[0] == 75
    assert rl(r) == [[2, 1, 3, 1, 7], [0, 0, 0, 0, 0], [13, 2, 4, 0, 19]]
    assert r.check_status == "pass"


@pytest.mark.parametrize("name", ["pingtan_2024_page.txt", "pingtan_2019_page.txt", "shuyang_2025_ocr.txt",
                                  "huaian_szfgs_2024_section3_raw.txt"])
def test_hard_text_dumps_never_raise_and_say_what_they_could_not_read(name):
    r = parse(name)
    assert r.check_status in ("pass", "fail", "incomplete")
    if r.check_status == "incomplete":
        assert r.tables.flags or len(r.tables.found) < 3


def test_pingtan_2024_flattened_text_reads_tables_three_and_four_where_the_identities_are_certain():
    r = parse("pingtan_2024_page.txt")
    assert apps(r, "new_received") == [217, 1, 0, 0, 0, 0, 218]
    assert apps(r, "denied_internal_affairs") == [32, 0, 0, 0, 0, 0, 32]  # "3200000326.属于…": the next row's 6. stripped
    assert apps(r, "other_other") == [1, 1, 0, 0, 0, 0, 2]
    assert apps(r, "total_handled") == [217, 1, 0, 0, 0, 0, 218]
    assert rl(r) == [[2, 1, 3, 1, 7], [0, 0, 0, 0, 0], [13, 2, 4, 0, 19]]  # from "21317000001324019"
    assert all(c.ok for c in r.checks)


def test_pingtan_2024_flattened_numbers_without_an_identity_are_left_null_and_flagged():
    r = parse("pingtan_2024_page.txt")
    nd = r.tables.active_disclosure["normative_documents"]  # "6233440": 62/33/440 or 6/233/440 or …
    assert [c.value for c in nd.values()] == [None, None, None]
    assert any("6233440" in f for f in r.tables.flags)
    assert r.check_status == "incomplete"


def test_a_label_broken_across_two_lines_of_pdf_text_still_names_its_row():
    r = parse("huaian_szfgs_2024_section3_raw.txt")
    assert apps(r, "partially_granted") == [447, 7, 0, 0, 0, 0, 454]
    assert apps(r, "unable_not_held") == [746, 12, 0, 0, 10, 1, 769]


def test_ocr_markdown_with_one_small_table_per_row_is_read_completely():
    r = parse("shuyang_2025_ocr.txt")
    assert apps(r, "new_received") == [705, 3, 0, 0, 5, 0, 713]
    assert apps(r, "total_handled") == [710, 3, 0, 0, 5, 0, 718]
    assert rl(r) == [[27, 10, 9, 15, 61], [3, 0, 0, 0, 3], [8, 0, 1, 1, 10]]
    assert r.check_status == "pass"
