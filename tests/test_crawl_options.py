"""Crawl options: discovery from a home page, one report year, run summaries, resumable jobs."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT, nianbao
from corpus.schema import connect
from nianbao.portal import PortalServer
from nianbao.portal.builders import START_PATHS, generic_site, trs_site
from portals import expected, family_items, repeated_successes, stored

pytestmark = pytest.mark.slow


def test_discovery_finds_the_report_column_from_the_home_page(tmp_path):
    site = generic_site(family_items())
    with PortalServer(site) as server:
        nianbao("crawl", "--discover", "--start-url", server.url("/"), "--db", tmp_path / "c.db")
    _, found = stored(tmp_path / "c.db")
    assert found == expected(site)


def test_year_limits_the_crawl_to_one_report_year(tmp_path):
    site = trs_site(family_items())
    with PortalServer(site) as server:
        nianbao("crawl", "--start-url", server.url(START_PATHS["trs"]), "--db", tmp_path / "c.db", "--year", "2022")
        fetched = {p for _, p, _ in server.log}
    _, found = stored(tmp_path / "c.db")
    assert found == {a for a in expected(site) if a[1] == 2022}
    other_years = [p for p, e in site.expected_reports.items() if e["year"] != 2022]
    assert not fetched & set(other_years)


def test_each_run_stores_a_summary(tmp_path):
    site = trs_site(family_items())
    with PortalServer(site) as server:
        nianbao("crawl", "--start-url", server.url(START_PATHS["trs"]), "--db", tmp_path / "c.db")
    runs = list(connect(tmp_path / "c.db").query("select * from crawl_runs"))
    assert len(runs) == 1
    run = runs[0]
    assert run["finish_reason"] == "finished" and run["reports"] == len(site.expected_reports)  # the duplicate folded, not counted
    assert json.loads(run["stats"])["nianbao/archived"] == run["pages"]


def test_an_interrupted_job_resumes_from_its_jobdir(tmp_path):
    site = trs_site(family_items() * 2, per_page=2)
    for path, res in site.resources.items():
        if "/zwgk/zfxxgknb/20" in path:
            res.delay = 0.3
    with PortalServer(site) as server:
        url = server.url(START_PATHS["trs"])
        args = [sys.executable, "-m", "nianbao.cli", "crawl", "--start-url", url, "--db", str(tmp_path / "c.db"),
                "--jobdir", str(tmp_path / "job")]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            time.sleep(0.2)
            try:
                if connect(tmp_path / "c.db").execute("select count(*) from reports").fetchone()[0] >= 2:
                    break
            except Exception:
                pass
        proc.send_signal(signal.SIGINT)  # a clean stop: Scrapy writes the job state
        proc.wait(timeout=60)
        assert (tmp_path / "job" / "requests.queue").exists()
        nianbao("crawl", "--start-url", url, "--db", tmp_path / "c.db", "--jobdir", tmp_path / "job")
        log = list(server.log)
    _, found = stored(tmp_path / "c.db")
    assert found == expected(site)
    assert repeated_successes([e for e in log if "/zwgk/zfxxgknb/20" in e[1]]) == {}


def test_robots_applies_to_every_request_waiting_for_robots_txt(tmp_path):
    """Several start URLs on one host all wait for its robots.txt: none may slip through."""
    site = trs_site(family_items())
    private = site.disallowed_reports[0]
    with PortalServer(site) as server:
        urls = [server.url(START_PATHS["trs"]), server.url(private), server.url(private.replace(".html", "_b.html"))]
        nianbao("crawl", *[a for u in urls for a in ("--start-url", u)], "--db", tmp_path / "c.db")
        assert not [p for _, p, _ in server.log if p.startswith("/private/")]
