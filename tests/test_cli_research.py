"""The command line a researcher meets first: failures that say so, the database found where the
demo put it, Chinese filter values matched as people type them, help for every option, a busy
port handled, and local report files added to the corpus."""
import os
import shutil
import socket
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT, nianbao, store_seeds
from corpus.schema import connect
from nianbao.cli import build_parser


def run_in(cwd, *args, timeout=300):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "nianbao.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=timeout)


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "seeds.db"
    return store_seeds(path)


@pytest.mark.slow
def test_a_crawl_whose_every_request_failed_exits_non_zero(tmp_path):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p = nianbao("crawl", "--start-url", f"http://127.0.0.1:{port}/zfxxgknb/", "--db", tmp_path / "c.db", check=False)
    assert p.returncode == 1
    assert "failed" in p.stdout  # the crawl's failure summary (issue #16) counts them by kind


def test_export_finds_the_demo_database_when_corpus_db_is_absent(seeds_db, tmp_path):
    (tmp_path / "demo").mkdir()
    shutil.copy(seeds_db, tmp_path / "demo" / "corpus.db")
    p = run_in(tmp_path, "export", "summary", "--year", "2023", "-o", "s.csv")
    assert p.returncode == 0, p.stderr
    assert "demo/corpus.db" in p.stderr and (tmp_path / "s.csv").exists()


def test_export_without_any_database_says_where_to_find_one(tmp_path):
    p = run_in(tmp_path, "export", "summary", "-o", "s.csv")
    assert p.returncode == 3
    assert "--db" in p.stderr and "demo/corpus.db" in p.stderr and p.stderr.strip().count("\n") == 0


def test_a_province_prefix_matches_the_province(seeds_db, tmp_path):
    import pandas as pd

    p = nianbao("export", "summary", "--db", seeds_db, "--province", "山东", "-o", tmp_path / "sd.csv")
    expected = connect(seeds_db).execute("select count(*) from reports where province = '山东省'").fetchone()[0]
    assert expected > 0 and f"{expected} rows" in p.stdout
    assert set(pd.read_csv(tmp_path / "sd.csv", encoding="utf-8-sig")["province"]) == {"山东省"}


def test_an_unknown_province_lists_the_valid_values(seeds_db, tmp_path):
    p = nianbao("export", "summary", "--db", seeds_db, "--province", "江苏", "-o", tmp_path / "x.csv", check=False)
    provinces = [v for (v,) in connect(seeds_db).execute("select distinct province from reports where province is not null")]
    assert p.returncode == 3 and all(v in p.stderr for v in provinces)


@pytest.mark.parametrize("command", ["export", "serve", "extract", "demo", "ingest", "release"])
def test_every_option_has_help_and_states_its_default(command):
    sub = next(a for a in build_parser()._actions if a.dest == "command").choices[command]
    for action in sub._actions:
        if action.dest == "help":
            continue
        assert action.help, f"{command} {action.option_strings or action.dest} has no help"
        if action.default not in (None, False, [], "==SUPPRESS=="):
            assert "default" in action.help, f"{command} {action.option_strings} does not state its default"


@pytest.mark.slow
def test_demo_with_its_port_busy_picks_a_free_one_and_says_so(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen([sys.executable, "-m", "nianbao.cli", "demo", "--port", str(port), "--db", str(tmp_path / "d.db")],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                start_new_session=True)  # its own process group: the demo's Datasette child stops with it
        try:
            lines = []
            for line in proc.stdout:
                lines.append(line)
                if line.startswith("Datasette:"):
                    break
            out = "".join(lines)
            assert f"port {port} is busy" in out and "--port" in out
            assert f":{port}/" not in lines[-1] and lines[-1].startswith("Datasette: http://127.0.0.1:")
        finally:
            import signal

            os.killpg(proc.pid, signal.SIGINT)  # as Ctrl-C in a terminal: the demo and its Datasette
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)


@pytest.fixture
def local_files(tmp_path):
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(FIXTURES / "seeds" / "003_1762ab0cc7bc4c17.txt", folder / "sub" / "guanzhuang.txt")
    shutil.copy(FIXTURES / "real" / "hongze_2023.pdf", folder / "hongze_2023.pdf")
    (folder / "notes.xyz").write_text("not a report")
    return folder


def test_ingest_adds_local_files_archived_and_extracted_like_crawled_ones(local_files, tmp_path):
    sys.path.insert(0, str(ROOT / "corpus" / "datasette_plugins"))
    from archived_copies import read_record

    db_path = tmp_path / "corpus.db"
    p = nianbao("ingest", local_files, "--db", db_path)
    assert "ingested 2 reports" in p.stdout and "notes.xyz" in p.stderr  # the other file is named, not dropped silently
    db = connect(db_path)
    rows = {r["agency"]: r for r in db.query("select * from reports")}
    assert set(rows) == {"安丘市官庄镇人民政府", "洪泽区人民政府"}
    assert rows["安丘市官庄镇人民政府"]["year"] == 2023 and rows["洪泽区人民政府"]["year"] == 2023
    pdf = rows["洪泽区人民政府"]
    assert pdf["url"].startswith("file://") and pdf["source"] == "ingest"
    assert db["applications"].count_where("report_id = ?", [pdf["report_id"]]) > 0
    doc = db.execute("select warc_file, warc_offset, report_id from documents where url = ?", [pdf["url"]]).fetchone()
    body, ctype = read_record(tmp_path / "corpus-archive" / doc[0], doc[1])
    assert body == (local_files / "hongze_2023.pdf").read_bytes() and ctype == "application/pdf" and doc[2] == pdf["report_id"]


def test_ingest_with_a_given_agency_and_year_overrides_the_document(local_files, tmp_path):
    db_path = tmp_path / "corpus.db"
    nianbao("ingest", local_files / "sub", "--db", db_path, "--agency", "某某县人民政府", "--year", "2022")
    row = connect(db_path).execute("select agency, year, agency_source, year_source from reports").fetchone()
    assert row == ("某某县人民政府", 2022, "given", "given")


def test_ingesting_the_same_file_twice_keeps_one_report(local_files, tmp_path):
    db_path = tmp_path / "corpus.db"
    nianbao("ingest", local_files / "sub", "--db", db_path)
    p = nianbao("ingest", local_files / "sub", "--db", db_path)
    assert connect(db_path)["reports"].count == 1 and "ingested" in p.stdout


def test_ingested_files_survive_a_rebuild_from_the_archive(local_files, tmp_path):
    db_path = tmp_path / "corpus.db"
    nianbao("ingest", local_files, "--db", db_path)
    before = sorted(connect(db_path).execute("select report_id, agency, year, check_status from reports").fetchall())
    db_path.unlink()
    for extra in ("-wal", "-shm"):
        (tmp_path / f"corpus.db{extra}").unlink(missing_ok=True)
    p = nianbao("extract", "--db", db_path)
    assert "2 reports" in p.stdout
    assert sorted(connect(db_path).execute("select report_id, agency, year, check_status from reports").fetchall()) == before


def test_a_given_agency_and_year_survive_a_rebuild(local_files, tmp_path):
    db_path = tmp_path / "corpus.db"
    nianbao("ingest", local_files / "sub", "--db", db_path, "--agency", "某某县人民政府", "--year", "2022")
    db_path.unlink()
    nianbao("extract", "--db", db_path)
    assert connect(db_path).execute("select agency, year, agency_source from reports").fetchone() == ("某某县人民政府", 2022, "given")


def test_exports_carry_the_codebook(seeds_db, tmp_path):
    import pandas as pd
    import pyarrow.parquet as pq

    nianbao("export", "applications", "--db", seeds_db, "--format", "parquet", "-o", tmp_path / "a.parquet")
    field = pq.read_schema(tmp_path / "a.parquet").field("natural_person")
    assert field.metadata[b"label"].decode() == "自然人" and field.metadata[b"unit"].decode() == "件"
    nianbao("export", "summary", "--db", seeds_db, "--chinese-headers", "-o", tmp_path / "s.csv")
    assert "其他处理 other_handling" in pd.read_csv(tmp_path / "s.csv", encoding="utf-8-sig").columns
