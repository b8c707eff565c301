"""hierarchy_totals puts a government's own figures beside the sum of the reports filed beneath it
in the same year: for a county, the reports with its GB/T 2260 code; for a city, its departments and
its counties' governments (codes sharing the first four digits)."""
import copy

import pytest

from conftest import FIXTURES
from corpus.load import store_report
from corpus.schema import connect
from extract.documents import extract_document

SEED = FIXTURES / "seeds" / "000_6b21c550f40125da.txt"


@pytest.fixture
def db(tmp_path):
    db = connect(tmp_path / "corpus.db")
    base = extract_document(SEED.read_bytes())
    for i, (agency, year) in enumerate([
        ("石家庄市人民政府", 2023), ("石家庄市教育局", 2023),  # the city (130100) and a department
        ("井陉县人民政府", 2023), ("井陉县教育局", 2023), ("井陉县秀林镇人民政府", 2023),  # a county (130121)
        ("井陉县财政局", 2022),  # another year
        ("正定县教育局", 2023),  # another county's department (130123)
    ]):
        r = copy.copy(base)
        r.agency, r.year = agency, year
        store_report(db, r, url=f"http://www.example.gov.cn/nb/{i}.html", sha256=str(i))
    return db


def beneath(db, agency):
    row = db.execute("select n_reports_beneath, agencies_beneath, sum_new_received_beneath, own_new_received "
                     "from hierarchy_totals where agency = ?", [agency]).fetchone()
    return row[0], sorted(row[1].split(" | ")), row[2], row[3]


def test_a_county_sums_the_reports_with_its_code_in_the_same_year(db):
    n, agencies, total, own = beneath(db, "井陉县人民政府")
    assert (n, agencies) == (2, ["井陉县教育局", "井陉县秀林镇人民政府"])
    assert total == 2 * own  # each stored report is the same seed


def test_a_city_sums_its_departments_and_its_counties_governments(db):
    n, agencies, _, _ = beneath(db, "石家庄市人民政府")
    assert (n, agencies) == (2, ["井陉县人民政府", "石家庄市教育局"])


def test_a_government_with_nothing_beneath_it_has_no_row(db):
    assert db.execute("select count(*) from hierarchy_totals").fetchone()[0] == 2
