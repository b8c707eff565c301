"""OCR runs inside the crawl's extraction limits (issue #18: "OCR … runs inside the extraction
limits of the crawl (time and memory per document)"; the limits are issue #16's, extract/limits.py).

A mock portal on loopback lists a township report whose tables are JPEG pictures in its page, a
report whose attachment is a scanned (image-only) PDF, and an ordinary HTML report after them.
The address space OCR needs (``address_space_mb`` in extract/data/ocr.toml) is measured by
``benchmarks/ocr_bench.py --memory``: about 0.9 GiB beyond what a worker maps with one recogniser
thread, so a worker limited to 1280 MiB still reads the pictures and one of 700 MiB cannot.
"""
import json
import re

import pytest

from corpus.schema import connect
from extract.limits import Limits
from nianbao.portal import PortalServer
from nianbao.portal.builders import Listed, trs_site
from nianbao.synthetic import synthetic_report
from test_hostile_crawl import crawl_measured

PICTURES = "青石镇人民政府"  # tables as pictures in the report page
SCANNED = "白沙乡人民政府"  # tables in a scanned PDF attachment
ORDINARY = "示范县水利局"  # an HTML report listed after them
DEFAULT_MB = Limits().memory_mb
TIGHT_MB = 1280


@pytest.fixture(scope="module")
def site():
    from nianbao import pictures

    assert pictures.has_cjk_font(), "no CJK font: run tests/setup.sh (Debian package fonts-wqy-microhei)"
    items = [Listed(synthetic_report(PICTURES, 2023, "2021", scale=40), layout="html-pictures", published="2024-02-02"),
             Listed(synthetic_report(SCANNED, 2023, "2021", scale=25, seed=3), layout="pdf-scanned", published="2024-02-01"),
             Listed(synthetic_report(ORDINARY, 2023, "2021", scale=10), layout="html", published="2024-01-30")]
    return trs_site(items, per_page=10)


def crawl(site, tmp, *options):
    db = tmp / "corpus.db"
    with PortalServer(site) as server:
        result = crawl_measured(["crawl", "--start-url", server.url("/zwgk/zfxxgknb/index.html"), "--db", db, "--log-level", "WARNING", *options])
    conn = connect(db)
    reports = {r["agency"]: r for r in conn.query("select agency, year, check_status, flags from reports")}
    errors = [r["error"] for r in conn.query("select error from documents where error is not null")]
    stats = json.loads(conn.execute("select stats from crawl_runs").fetchone()[0])
    return {"result": result, "reports": reports, "errors": errors, "stats": stats, "conn": conn}


def values_read(conn, agency: str) -> int:
    return conn.execute("select count(*) from cells join reports using (report_id) "
                        "where reports.agency = ? and cells.status in ('ocr', 'inferred') and cells.value is not null",
                        [agency]).fetchone()[0]


@pytest.fixture(scope="module", params=[DEFAULT_MB, TIGHT_MB], ids=["default-memory", "tight-memory"])
def within(request, site, tmp_path_factory):
    options = [] if request.param == DEFAULT_MB else ["--extract-memory", request.param]
    return request.param, crawl(site, tmp_path_factory.mktemp(f"ocr{request.param}"), *options)


def test_pictures_and_a_scanned_pdf_are_read_inside_the_workers(within):
    _, c = within
    for agency in (PICTURES, SCANNED):
        assert values_read(c["conn"], agency) > 150, c["reports"][agency]["flags"]  # of the 3 tables' ~210 cells
        assert "extraction limit" not in c["reports"][agency]["flags"]
    assert c["reports"][ORDINARY]["check_status"] == "pass"
    assert c["errors"] == []


def test_the_workers_peak_memory_stays_under_the_limit(within):
    limit_mb, c = within
    assert 0 < c["stats"]["nianbao/extract_peak_rss_kb"] <= limit_mb * 1024
    assert 0 < c["result"]["maxrss_kb"] <= limit_mb * 1024


def test_a_worker_too_small_for_ocr_stores_the_reports_flagged(site, tmp_path):
    """700 MiB: onnxruntime would fail to map its library or die (SIGSEGV) inside it; the
    pictures are skipped instead and the rest of each report (agency, year, text) is kept."""
    c = crawl(site, tmp_path, "--extract-memory", 700)
    assert set(c["reports"]) >= {PICTURES, SCANNED, ORDINARY}
    for agency in (PICTURES, SCANNED):
        assert c["reports"][agency]["year"] == 2023
        assert "OCR not run" in c["reports"][agency]["flags"]
        assert values_read(c["conn"], agency) == 0
    assert sum("OCR not run" in e and "700 MiB memory limit" in e for e in c["errors"]) == 2
    assert c["reports"][ORDINARY]["check_status"] == "pass"


def test_an_ocr_job_over_the_time_limit_is_recorded_and_the_crawl_goes_on(tmp_path):
    """A scan of 12 pages (the OCR page cap) under a 5 s limit: at ~1 s of CPU a page it cannot be
    read in time on any machine; the worker is killed at the limit, or the OCR stops at half of it
    keeping what it read, and either way the document is recorded with its reason."""
    from nianbao import pictures
    from nianbao.portal.site import Resource

    long_scan = synthetic_report(SCANNED, 2023, "2021", scale=25, seed=3)
    items = [Listed(long_scan, layout="pdf-scanned", published="2024-02-01"),
             Listed(synthetic_report(ORDINARY, 2023, "2021", scale=10), layout="html", published="2024-01-30")]
    site = trs_site(items, per_page=10)
    path = next(p for p in site.resources if p.endswith(".pdf"))
    site.add(path, Resource(pictures.scanned_pdf(pictures.page_pictures(long_scan, 150) * 4, 150), "application/pdf"))
    c = crawl(site, tmp_path, "--extract-timeout", 5)
    assert [e for e in c["errors"] if re.search(r"time limit|OCR stopped after", e)], c["errors"]
    assert set(c["reports"]) == {SCANNED, ORDINARY}
    assert c["reports"][ORDINARY]["check_status"] == "pass"
    assert "crawl finished" in c["result"]["out"]
