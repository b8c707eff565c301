"""The crawl keeps to its limits and to what servers ask: page budgets on every list path,
``Retry-After`` up to a ceiling, RFC 9309 for robots.txt that cannot be read.

Reproductions from issue #16: ``--max-pages 50`` fetched 1,500 list pages through sub-column
pagination and had no end on a TRS column whose page count grows from page to page;
``Retry-After: 3600`` on a 429 was retried after 0.1 s; a robots.txt answering 500 was retried and
then everything was crawled.
"""
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from scrapy.http import Response

from conftest import nianbao
from corpus.schema import connect
from crawler.middlewares import retry_after
from nianbao.portal import PortalServer
from nianbao.portal.faults import endless_columns_site, retry_after_site, robots_fault_site


@pytest.fixture(scope="module")
def endless():
    with PortalServer(endless_columns_site()) as server:
        yield server


def _list_fetches(server, start, tmp_path, budget):
    before = len(server.log)
    nianbao("crawl", "--start-url", server.url(start), "--db", tmp_path / "c.db", "--max-pages", budget, check=False)
    return [p for _, p, _ in server.log[before:] if p != "/robots.txt"]


def test_max_pages_holds_across_sub_column_pagination(endless, tmp_path):
    """30 sub-columns of 50 TRS pages each: 1,500 list pages without a budget."""
    assert len(_list_fetches(endless, "/many/index.html", tmp_path, 50)) == 50


def test_max_pages_holds_when_the_page_count_changes_from_page_to_page(endless, tmp_path):
    assert len(_list_fetches(endless, "/grow/index.html", tmp_path, 50)) == 50


def test_list_pages_over_the_budget_are_recorded_and_fail_the_crawl(endless, tmp_path):
    """A page the budget left unread may list reports: each is a documents row saying why, the
    summary counts them, and the crawl exits 1 (a run with a larger budget may get more)."""
    proc = nianbao("crawl", "--start-url", endless.url("/grow/index.html"), "--db", tmp_path / "c.db", "--max-pages", 20,
                   check=False)
    assert proc.returncode == 1
    rows = connect(tmp_path / "c.db").execute("select url from documents where error like '%list-page budget (--max-pages 20)%'").fetchall()
    assert rows and f"{len(rows)} list pages over --max-pages" in proc.stdout


def test_retry_after_in_seconds_is_parsed():
    assert retry_after(Response("http://x/", status=429, headers={"Retry-After": "120"})) == 120


def test_retry_after_as_an_http_date_is_parsed():
    """RFC 9110 §10.2.3: Retry-After = HTTP-date / delay-seconds."""
    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=90), usegmt=True)
    assert 80 <= retry_after(Response("http://x/", status=503, headers={"Retry-After": when})) <= 90


def test_retry_after_within_the_ceiling_is_waited_for(tmp_path):
    site = retry_after_site("2")
    with PortalServer(site) as server:
        proc = nianbao("crawl", "--start-url", server.url("/ra/index.html"), "--db", tmp_path / "c.db",
                       "--retry-after-max", "10", check=False)
        times = [t for t, p in server.arrivals if p == "/ra/report.html"]
    assert proc.returncode == 0, proc.stdout
    assert len(times) == 2 and times[1] - times[0] >= 2.0


def test_retry_after_beyond_the_ceiling_defers_the_host_and_records_it(tmp_path):
    site = retry_after_site("3600")
    with PortalServer(site) as server:
        proc = nianbao("crawl", "--start-url", server.url("/ra/index.html"), "--db", tmp_path / "c.db",
                       "--retry-after-max", "10", check=False)
        hits = [p for _, p, _ in server.log].count("/ra/report.html")
    error = connect(tmp_path / "c.db").execute("select error from documents where url like '%/ra/report.html'").fetchone()[0]
    assert hits == 1
    assert error.startswith("deferred:") and "Retry-After 3600" in error
    assert proc.returncode == 1 and "deferred host" in proc.stdout


def test_a_robots_txt_answering_5xx_disallows_everything_and_is_recorded(tmp_path):
    """RFC 9309 §2.3.1.4: unreachable (5xx) means complete disallow; crawl again later."""
    site = robots_fault_site(500)
    with PortalServer(site) as server:
        proc = nianbao("crawl", "--start-url", server.url("/rb/index.html"), "--db", tmp_path / "c.db", check=False)
        fetched = {p for _, p, _ in server.log} - {"/robots.txt"}
    assert fetched == set()
    error = connect(tmp_path / "c.db").execute("select error from documents where url like '%/rb/index.html'").fetchone()[0]
    assert error.startswith("deferred: robots.txt of") and "HTTP 500" in error
    assert proc.returncode == 1


@pytest.mark.parametrize("status", [404, 403])
def test_a_robots_txt_answering_4xx_allows_everything(tmp_path, status):
    """RFC 9309 §2.3.1.3: unavailable (4xx) means the crawler may access any resource."""
    site = robots_fault_site(status)
    with PortalServer(site) as server:
        proc = nianbao("crawl", "--start-url", server.url("/rb/index.html"), "--db", tmp_path / "c.db", check=False)
    assert proc.returncode == 0, proc.stdout
    assert connect(tmp_path / "c.db").execute("select count(*) from reports").fetchone()[0] == 2
