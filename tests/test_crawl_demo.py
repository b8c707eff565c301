"""The demo, end to end: portal → crawl → WARC archive → database; re-crawls and rebuilds."""
import json

import pytest
from warcio.archiveiterator import ArchiveIterator

from conftest import GOLD_KEYS, gold, nianbao
from corpus.schema import connect
from nianbao.portal import PortalServer
from nianbao.portal.demo import PICTURE_TOWNSHIP, demo_items, demo_site
from portals import expected, repeated_successes, stored

pytestmark = pytest.mark.slow

START = "/zwgk/zfxxgknb/index.html"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo")
    site = demo_site()
    server = PortalServer(site).start()
    db = tmp / "corpus.db"
    nianbao("crawl", "--start-url", server.url(START), "--db", db)
    first_log = list(server.log)
    yield {"site": site, "server": server, "db": db, "log": first_log, "tmp": tmp}
    server.stop()


def test_demo_crawl_stores_every_report_and_nothing_else(demo):
    _, found = stored(demo["db"])
    assert found == expected(demo["site"])
    assert len(found) == 13


def test_demo_reports_of_the_seeds_match_their_gold(demo):
    conn = connect(demo["db"])
    seeds = {"安丘市官庄镇人民政府": "003_1762ab0cc7bc4c17", "官塘社区": "000_6b21c550f40125da",
             "荷花路街道办事处": "001_39a3bb303739f26f", "汤原县社区建设指导委员会办公室": "002_a941c392a2b54e65",
             "常青花园社区管理办公室": "004_76ac588e40fcc707"}
    for agency, stem in seeds.items():
        g = gold(stem)
        rid, fmt, year = conn.execute("select report_id, format, year from reports where agency = ?", [agency]).fetchone()
        assert (fmt, year) == (g["format"], g["year"])
        rows = {r["row"]: [r[c] for c in ("natural_person", "commercial_enterprise", "research_institution",
                                          "social_welfare_org", "legal_service_org", "other_org", "total")]
                for r in conn.query("select * from applications where report_id = ?", [rid])}
        assert rows == g["applications"], agency


def test_demo_panel_agency_has_reports_in_several_years_under_one_id(demo):
    conn = connect(demo["db"])
    panel = list(conn.query("select * from agency_years where agency_name = '示范县人民政府' order by year"))
    assert [r["year"] for r in panel] == [2017, 2021, 2022, 2023, 2024]
    assert len({r["agency_id"] for r in panel}) == 1
    assert {r["names_as_published"] for r in panel} == {"示范县人民政府", "示范县政府"}  # 2022's variant name joined


def test_demo_hierarchy_puts_the_county_beside_its_departments(demo):
    conn = connect(demo["db"])
    row = next(conn.query("select * from hierarchy_totals where agency = '示范县人民政府' and year = 2023"))
    dept = conn.execute("select total from applications a join reports r using (report_id) "
                        "where r.agency = '示范县教育局' and a.row = 'new_received'").fetchone()[0]
    assert (row["n_reports_beneath"], row["sum_new_received_beneath"], row["agencies_beneath"]) == (1, dept, "示范县教育局")


def test_demo_seed_agencies_get_their_level_and_region(demo):
    conn = connect(demo["db"])
    got = {r["agency"]: (r["level"], r["agency_type"], r["admin_code"], r["region_source"])
           for r in conn.query("select * from reports where agency in ('安丘市官庄镇人民政府', '汤原县社区建设指导委员会办公室', '官塘社区')")}
    assert got == {"安丘市官庄镇人民政府": ("乡镇街道", "政府", "370784", "agency"),
                   "汤原县社区建设指导委员会办公室": ("县级", "部门", "230828", "agency"),
                   "官塘社区": ("村居/社区", "政府", None, None)}


def test_demo_report_year_is_kept_apart_from_its_publication_date(demo):
    conn = connect(demo["db"])
    year, published = conn.execute("select year, published_date from reports where agency = '安丘市官庄镇人民政府'").fetchone()
    assert (year, published) == (2023, "2024-01-23")


def test_demo_township_whose_tables_are_only_pictures_is_read_into_the_database(demo):
    """The pictures are fetched and archived like attachments, read by OCR with the page, and every
    number stored is the rendered one (nianbao/portal/demo.py, issue #18)."""
    conn = connect(demo["db"])
    rid, kind = conn.execute("select report_id, kind from reports where agency = ?", [PICTURE_TOWNSHIP]).fetchone()
    pictures = list(conn.query("select warc_file from documents where report_id = ? and content_type = 'image/jpeg'", [rid]))
    assert kind == "html" and len(pictures) == 3 and all(p["warc_file"] for p in pictures)
    gold = next(i.report for i in demo_items() if i.report["agency"] == PICTURE_TOWNSHIP)
    cols = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org", "other_org", "total"]
    got = {r["row"]: [r[c] for c in cols] for r in conn.query("select * from applications where report_id = ?", [rid])}
    assert got.keys() == gold["applications"].keys()
    stored_cells = [(v, g) for row, vals in got.items() for v, g in zip(vals, gold["applications"][row])]
    assert all(v == g for v, g in stored_cells if v is not None)  # never a wrong number
    assert sum(v is not None for v, _ in stored_cells) >= 0.95 * len(stored_cells)
    statuses = {r["status"] for r in conn.query("select status from cells where report_id = ?", [rid])}
    assert "ocr" in statuses and "read" not in statuses


def test_every_response_is_in_the_warc_archive_and_indexed(demo):
    conn = connect(demo["db"])
    docs = list(conn.query("select url, warc_file, warc_offset, sha256 from documents where status = 200"))
    assert len(docs) == len([1 for m, p, s in demo["log"] if s == 200])
    archive = demo["db"].parent / "corpus-archive"
    for d in docs[:5]:
        with open(archive / d["warc_file"], "rb") as fh:
            fh.seek(d["warc_offset"])
            rec = next(iter(ArchiveIterator(fh)))
            assert rec.rec_headers.get_header("WARC-Target-URI") == d["url"]


def test_nothing_is_fetched_twice_in_one_crawl(demo):
    assert repeated_successes(demo["log"]) == {}


def test_second_crawl_refetches_list_pages_but_no_report(demo):
    server = demo["server"]
    before = len(server.log)
    nianbao("crawl", "--start-url", server.url(START), "--db", demo["db"])
    second = server.log[before:]
    fetched = {p for _, p, _ in second}
    assert START in fetched
    report_paths = set(demo["site"].expected_reports)
    assert not (fetched & report_paths)
    assert not [p for p in fetched if "/files/" in p]
    _, found = stored(demo["db"])
    assert len(found) == 13


def test_a_skipped_known_report_keeps_its_archived_copy_and_is_no_error(demo):
    server = demo["server"]
    out = nianbao("crawl", "--start-url", server.url(START), "--db", demo["db"]).stdout
    assert ", 0 errors" in out and "13 already known" in out
    conn = connect(demo["db"])
    docs = list(conn.query("select status, warc_file, error from documents where role = 'report' and report_id is not null"))
    assert docs and all(d["status"] == 200 and d["warc_file"] and d["error"] is None for d in docs)


def test_extract_rebuilds_the_same_database_from_the_archive_alone(demo):
    rebuilt = demo["tmp"] / "rebuilt.db"
    nianbao("extract", "--db", rebuilt, "--archive-dir", demo["db"].parent / "corpus-archive")
    a, b = connect(demo["db"]), connect(rebuilt)
    cols = "report_id, url, attachment_url, title, agency, year, format, published_date, check_status, body_text"
    assert list(a.query(f"select {cols} from reports order by report_id")) == list(b.query(f"select {cols} from reports order by report_id"))
    for table in ("applications", "active_disclosure", "review_litigation", "checks", "sections", "cells"):
        q = f"select * from {table} order by 1, 2, 3"
        assert list(a.query(q)) == list(b.query(q)), table
