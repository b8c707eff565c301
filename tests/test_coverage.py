"""Coverage: every government at county level and above must publish a report a year
(政府信息公开条例 第五十条), so the governments expected are the GB/T 2260 divisions bundled in
extract/data/divisions.csv, and an agency present one year and absent the next is listed."""
import pytest

from corpus.load import store_report
from corpus.schema import connect
from extract.documents import extract_document
from nianbao import render
from nianbao.synthetic import synthetic_report


def store(db, agency, year):
    report = extract_document(render.text_dump(synthetic_report(agency, year, "2021")).encode())
    report.agency, report.year = agency, year
    return store_report(db, report, url=f"http://127.0.0.1/{agency}/{year}.html")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    db = connect(tmp_path_factory.mktemp("coverage") / "corpus.db")
    store(db, "安丘市人民政府", 2022)
    store(db, "安丘市人民政府", 2023)
    store(db, "昌乐县人民政府", 2022)  # absent in 2023
    store(db, "潍坊市人民政府", 2023)
    store(db, "安丘市教育局", 2022)  # a department: not a government's report
    return db


def row(db, year, province, level):
    return db.execute("select expected, found, missing, missing_governments from coverage where year = ? and province = ? "
                      "and level = ?", [year, province, level]).fetchone()


def test_expected_governments_are_the_divisions_of_each_province_and_level(db):
    counties = db.execute("select count(*) from divisions where province = '山东省' and level = '县级'").fetchone()[0]
    assert counties > 100
    expected, found, missing, _ = row(db, 2023, "山东省", "县级")
    assert (expected, found, missing) == (counties, 1, counties - 1)


def test_the_missing_governments_are_listed_by_name(db):
    *_, names_2023 = row(db, 2023, "山东省", "县级")
    *_, names_2022 = row(db, 2022, "山东省", "县级")
    assert "昌乐县" in names_2023.split("、") and "安丘市" not in names_2023.split("、")
    assert "昌乐县" not in names_2022.split("、")


def test_a_city_government_counts_at_city_level_only(db):
    assert row(db, 2023, "山东省", "市级")[1] == 1
    assert row(db, 2022, "山东省", "市级")[1] == 0


def test_a_department_report_does_not_count_as_its_government(db):
    found = db.execute("select report_id from coverage_governments where year = 2022 and name = '安丘市'").fetchone()[0]
    assert found is not None
    agency = db.execute("select agency from reports where report_id = ?", [found]).fetchone()[0]
    assert agency == "安丘市人民政府"


def test_an_agency_present_one_year_and_absent_the_next_is_listed(db):
    rows = db.execute("select agency_name, last_seen, missing_year, seen_again from agencies_absent").fetchall()
    assert ("昌乐县人民政府", 2022, 2023, None) in rows
    assert ("安丘市教育局", 2022, 2023, None) in rows
    assert not [r for r in rows if r[0] == "安丘市人民政府"]
