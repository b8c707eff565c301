"""Command-line errors are one clear line with the fix, and documented exit codes."""
from conftest import FIXTURES, nianbao


def test_bad_url_is_a_one_line_input_error():
    p = nianbao("crawl", "--start-url", "not-a-url", "--db", "/tmp/x.db", check=False)
    assert p.returncode == 3
    assert p.stderr.strip().count("\n") == 0 and "not a web address" in p.stderr


def test_unknown_source_names_known_ones():
    p = nianbao("crawl", "--source", "no_such_source", check=False)
    assert p.returncode == 3 and "unknown source" in p.stderr and "nianbao sources" in p.stderr


def test_real_portals_need_a_contact_address(tmp_path):
    p = nianbao("crawl", "--start-url", "https://www.example.gov.cn/zfxxgknb/", "--db", tmp_path / "c.db",
                check=False, env={"NIANBAO_CONTACT": ""})
    assert p.returncode == 3 and "NIANBAO_CONTACT" in p.stderr


def test_unwritable_database_path_is_explained(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    p = nianbao("crawl", "--start-url", "http://127.0.0.1:9/x/", "--db", blocker / "c.db", check=False)
    assert p.returncode == 3 and "choose another --db path" in p.stderr


def test_year_must_be_a_year():
    p = nianbao("crawl", "--source", "js_nanjing", "--year", "twenty", check=False)
    assert p.returncode == 2 and "not a year" in p.stderr


def test_missing_file_for_parse():
    p = nianbao("parse", FIXTURES / "nope.txt", check=False)
    assert p.returncode == 3 and "no such file" in p.stderr


def test_sources_lists_real_unverified_sources():
    out = nianbao("sources").stdout
    assert "js_nanjing" in out and "(unverified)" in out
