"""The codebook describes every column of every table and view, once, and everything that shows
descriptions (the database's codebook table, datasette_metadata.json) is generated from it."""
import json
import re
import runpy
import subprocess
import sys

from conftest import ROOT
from corpus.codebook import codebook_rows, crosswalk_rows, schema_objects
from corpus.schema import connect
from extract.spec import tables


def test_every_column_of_every_table_and_view_has_a_label_and_a_meaning():
    db = connect(":memory:")
    missing = [(r["table_name"], r["column_name"]) for r in codebook_rows(db) if not (r["label"] and r["meaning"])]
    assert missing == []
    described = {(r["table_name"], r["column_name"]) for r in db.query("select * from codebook")}
    assert described == {(t, c) for t, _, cols in schema_objects(db) for c in cols}


def test_the_committed_metadata_is_what_the_codebook_generates():
    """Drift check: edit corpus/data/codebook.toml, then run corpus/data/build_metadata.py."""
    generated = runpy.run_path(str(ROOT / "corpus" / "data" / "build_metadata.py"), run_name="check")["meta"]
    committed = json.loads((ROOT / "datasette_metadata.json").read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(generated, ensure_ascii=False))


def test_metadata_cites_only_files_in_the_repository():
    text = (ROOT / "datasette_metadata.json").read_text(encoding="utf-8")
    cited = set(re.findall(r"[\w/.-]+\.(?:md|toml|py|csv)\b", text))
    assert cited and all((ROOT / c).exists() for c in cited), sorted(c for c in cited if not (ROOT / c).exists())


def test_the_crosswalk_accounts_for_every_row_of_table_three_in_both_formats():
    rows = [r for r in crosswalk_rows() if r["tbl"] == "applications"]
    keys = {fmt: [k for r in rows if r[f"key_{fmt}"] for k in r[f"key_{fmt}"].split(" + ")] for fmt in ("2019", "2021")}
    assert len(keys["2019"]) == 23 and len(keys["2021"]) == 25
    for fmt in ("2019", "2021"):
        assert sorted(keys[fmt]) == sorted(r.key for r in tables().application_rows_for(fmt))
    split = next(r for r in rows if r["relation"] == "split")
    assert split["key_2019"] == "other_handling" and split["key_2021"].count("+") == 2


def test_the_crosswalk_names_the_table_two_items_only_one_format_has():
    rows = crosswalk_rows()
    only19 = {r["key_2019"].split(".")[0] for r in rows if r["relation"] == "only_2019"}
    assert {"other_external_services", "centralized_procurement"} <= only19
    assert all(r["relation"] == "same" for r in rows if r["tbl"] == "review_litigation")


def test_codebook_and_crosswalk_are_browsable_in_datasette(tmp_path):
    db_path = tmp_path / "corpus.db"
    connect(db_path).conn.close()
    for table in ("codebook", "crosswalk", "codes"):
        out = subprocess.run([sys.executable, "-m", "datasette", str(db_path), "-m", str(ROOT / "datasette_metadata.json"),
                              "--get", f"/corpus/{table}.json?_shape=objects&_size=max"], capture_output=True, text=True, check=True)
        assert len(json.loads(out.stdout)["rows"]) > 20, table
