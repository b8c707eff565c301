"""`nianbao release DIR`: the corpus as a citable folder — SQLite, CSV (with a BOM) and Parquet per
table with column metadata, a Frictionless data package (https://specs.frictionlessdata.io/
data-package/, validated with the `frictionless` library), the codebook, CITATION.cff, licences."""
import json
import sqlite3

import pandas as pd
import pyarrow.parquet as pq
import pytest

from conftest import FIXTURES, nianbao
from corpus.load import store_report
from corpus.schema import connect
from extract.documents import extract_document


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("release")
    db = connect(tmp / "corpus.db")
    for f in sorted((FIXTURES / "seeds").glob("*.txt")):
        store_report(db, extract_document(f.read_bytes()), url=f"http://127.0.0.1/seeds/{f.name}",
                     fetched_at="2025-03-04T05:06:07+00:00")
    db.conn.close()
    out = tmp / "release"
    p = nianbao("release", out, "--db", tmp / "corpus.db", "--version", "2025.1")
    assert "2025.1" in p.stdout
    return tmp / "corpus.db", out


def test_the_release_holds_the_database_csv_parquet_and_documentation(released):
    _, out = released
    for name in ("corpus.db", "datapackage.json", "CITATION.cff", "LICENSE", "DATA-LICENSE.md", "README.md",
                 "codebook.csv", "crosswalk.csv", "csv/reports.csv", "parquet/applications.parquet"):
        assert (out / name).is_file(), name


def test_every_csv_has_a_bom_and_reads_back_in_pandas_as_the_database_has_it(released):
    db_path, out = released
    conn = sqlite3.connect(db_path)
    for table in ("report_summary", "applications", "cells", "crosswalk"):
        raw = (out / "csv" / f"{table}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        df = pd.read_csv(out / "csv" / f"{table}.csv", encoding="utf-8-sig")
        assert len(df) == conn.execute(f"select count(*) from {table}").fetchone()[0], table


def test_parquet_columns_carry_their_chinese_label_unit_and_meaning(released):
    _, out = released
    schema = pq.read_schema(out / "parquet" / "report_summary.parquet")
    meta = schema.field("other_handling").metadata
    assert meta[b"label"].decode() == "其他处理" and meta[b"unit"].decode() == "件" and b"2021" in meta[b"meaning"]
    assert b"key figures" in schema.metadata[b"description"]
    df = pd.read_parquet(out / "parquet" / "applications.parquet")
    assert {"new_received", "total_handled"} <= set(df["row"])


def test_the_data_package_validates_with_frictionless(released):
    from frictionless import Package

    _, out = released
    report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[:10]
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for r in package["resources"] if r["name"] == "applications" for f in r["schema"]["fields"]}
    assert fields["natural_person"]["title"] == "自然人" and fields["natural_person"]["unit"] == "件"


def test_citation_names_the_version_and_the_snapshot_date(released):
    _, out = released
    cff = (out / "CITATION.cff").read_text(encoding="utf-8")
    assert 'version: "2025.1"' in cff and 'date-released: "2025-03-04"' in cff
    assert "Apache License" in (out / "LICENSE").read_text() and "CC BY 4.0" in (out / "DATA-LICENSE.md").read_text()


def test_the_released_database_is_a_complete_copy(released):
    db_path, out = released
    a, b = sqlite3.connect(db_path), sqlite3.connect(out / "corpus.db")
    for t in ("reports", "cells", "checks", "codebook"):
        assert a.execute(f"select count(*) from {t}").fetchone() == b.execute(f"select count(*) from {t}").fetchone()
