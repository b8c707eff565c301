"""The published corpus: Datasette serves facets, canned queries and Chinese full-text search;
`nianbao export` writes CSV slices Excel and pandas read."""
import json
import subprocess
import sys
from urllib.parse import quote

import pandas as pd
import pytest

from conftest import FIXTURES, ROOT, nianbao, store_seeds
from corpus.load import store_report
from corpus.schema import connect
from extract.documents import extract_document


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("pub") / "corpus.db"
    return store_seeds(db_path)


def get(db, path):
    out = subprocess.run([sys.executable, "-m", "datasette", str(db), "-m", str(ROOT / "datasette_metadata.json"), "--get", path],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_schema_is_idempotent(corpus_db):
    db = connect(corpus_db)
    before = {t: db[t].count for t in ("reports", "applications", "checks")}
    f = FIXTURES / "seeds" / "000_6b21c550f40125da.txt"
    store_report(db, extract_document(f.read_bytes()), url=f"http://127.0.0.1/seeds/{f.name}")
    connect(corpus_db)
    assert {t: db[t].count for t in before} == before


def test_reports_facet_by_year(corpus_db):
    data = get(corpus_db, "/corpus/reports.json?_facet=year&_size=0")
    years = {f["value"]: f["count"] for f in data["facet_results"]["year"]["results"]}
    assert years == {2023: 3, 2020: 1, 2024: 1}


def test_chinese_full_text_search_finds_phrases(corpus_db):
    data = get(corpus_db, "/corpus/reports.json?_search=" + quote("官庄镇") + "&_col=agency&_shape=objects")
    assert [r["agency"] for r in data["rows"]] == ["安丘市官庄镇人民政府"]


def test_short_terms_use_the_like_query(corpus_db):
    data = get(corpus_db, "/corpus/search_short.json?q=" + quote("社区") + "&_shape=objects")
    assert len(data["rows"]) >= 3


def test_canned_query_outcome_shares(corpus_db):
    rows = get(corpus_db, "/corpus/outcome_shares.json?_shape=objects")["rows"]
    assert {r["year"] for r in rows} == {2020, 2023, 2024}


def test_every_contract_column_is_described():
    meta = json.loads((ROOT / "datasette_metadata.json").read_text(encoding="utf-8"))
    tables = meta["databases"]["corpus"]["tables"]
    db = connect(":memory:")
    for t in ("reports", "sections", "active_disclosure", "applications", "review_litigation", "checks", "documents"):
        described = set(tables[t]["columns"])
        assert {c.name for c in db[t].columns} <= described, t


def test_export_csv_has_a_bom_and_opens_in_pandas(corpus_db, tmp_path):
    out = tmp_path / "summary.csv"
    nianbao("export", "summary", "--db", corpus_db, "-o", out, "--year", "2023")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(out, encoding="utf-8-sig")
    assert len(df) == 3 and {"report_id", "agency", "year", "new_received", "granted", "check_status"} <= set(df.columns)


def test_export_parquet(corpus_db, tmp_path):
    out = tmp_path / "apps.parquet"
    nianbao("export", "applications", "--db", corpus_db, "--format", "parquet", "-o", out)
    df = pd.read_parquet(out)
    assert set(df["row"]) >= {"new_received", "total_handled"}


def test_export_of_the_agency_panel_has_one_row_per_agency_and_year(corpus_db, tmp_path):
    out = tmp_path / "panel.csv"
    nianbao("export", "agency_years", "--db", corpus_db, "-o", out)
    df = pd.read_csv(out, encoding="utf-8-sig")
    assert {"agency_id", "agency_name", "year", "n_reports", "new_received"} <= set(df.columns)
    assert not df.duplicated(["agency_id", "year"]).any()
    assert len(df) == 5  # the five seeds: five agencies, one year each


def test_a_database_from_when_summary_and_panel_were_views_migrates_on_opening(tmp_path):
    import shutil
    import sqlite3

    old = tmp_path / "corpus.db"
    shutil.copy(FIXTURES / "old-databases" / "corpus-d8904b5.db", old)
    with sqlite3.connect(old) as conn:  # what the views answered in the old database
        cursor = conn.execute("select * from report_summary")
        summary = sorted(cursor.fetchall())
        cols = [d[0] for d in cursor.description]
        panel = sorted(conn.execute("select * from agency_years").fetchall())
    db = connect(old)
    kinds = dict(db.execute("select name, type from sqlite_master where name in ('report_summary', 'agency_years', 'report_figures')").fetchall())
    assert kinds == {"report_summary": "table", "agency_years": "table"}
    assert set(db["report_summary"].columns_dict) == set(cols)  # the same columns, in a table now (key figures first)
    assert sorted(db.execute(f"select {', '.join(cols)} from report_summary").fetchall()) == summary
    assert sorted(db.execute("select * from agency_years").fetchall()) == panel



def test_a_database_whose_summary_had_no_rowid_migrates_on_opening_and_is_searchable(tmp_path):
    import shutil
    import sqlite3

    from test_derived import SEEDS, assert_derived_tables_current

    old = tmp_path / "corpus.db"
    shutil.copy(FIXTURES / "old-databases" / "corpus-801c648.db", old)
    tables = ("report_summary", "agency_years", "review_litigation_by_year")
    with sqlite3.connect(old) as conn:
        columns = {t: [r[1] for r in conn.execute(f"pragma table_info({t})")] for t in tables}
        before = {t: sorted(conn.execute(f"select * from {t}").fetchall()) for t in tables}
    db = connect(old)
    assert "WITHOUT ROWID" not in db.execute("select sql from sqlite_master where name = 'report_summary'").fetchone()[0]
    after = {t: sorted(db.execute(f"select {', '.join(f'[{c}]' for c in columns[t])} from {t}").fetchall()) for t in tables}
    assert after == before  # figures kept (report_summary's columns now in another order)
    assert_derived_tables_current(db)  # rowids shared with reports, triggers in place
    store_report(db, extract_document(SEEDS[0].read_bytes()), url="http://127.0.0.1/again/" + SEEDS[0].name)
    assert_derived_tables_current(db)
    db.conn.close()
    data = get(old, "/corpus/report_search.json?_search=" + quote("官庄镇") + "&_shape=objects")
    assert [r["agency"] for r in data["rows"]] == ["安丘市官庄镇人民政府"]


def test_report_search_finds_reports_by_their_text_and_offers_facets_on_demand(corpus_db):
    data = get(corpus_db, "/corpus/report_search.json?_search=" + quote("官庄镇") + "&_facet=year&_shape=objects")
    assert [r["agency"] for r in data["rows"]] == ["安丘市官庄镇人民政府"]
    assert [f["value"] for f in data["facet_results"]["year"]["results"]] == [data["rows"][0]["year"]]


def test_report_search_page_shows_a_search_box(corpus_db):
    out = subprocess.run([sys.executable, "-m", "datasette", str(corpus_db), "-m", str(ROOT / "datasette_metadata.json"),
                          "--get", "/corpus/report_search"], capture_output=True, text=True, check=True)
    assert 'name="_search"' in out.stdout
