"""Traps a hostile portal can set, each reproduced on loopback (nianbao/portal/traps.py).

Whatever the trap, the crawl ends, requests only http(s) on the portal's hosts, and every URL it
took for a report ends as a stored report or a ``documents`` row with its reason (issue #16).
"""
from types import SimpleNamespace

import pytest

from conftest import nianbao
from corpus.schema import connect
from crawler.policy import link_url, page_url
from nianbao.portal import PortalServer
from nianbao.portal.faults import elsewhere_site
from nianbao.portal.traps import crowded_list_site, endless_list_site, odd_robots_site, trap_site

pytestmark = pytest.mark.slow

LIMITS = ["--set", "DOWNLOAD_TIMEOUT=2", "--set", "DOWNLOAD_MAXSIZE=4000000"]


@pytest.fixture(scope="module")
def trapped(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("traps")
    other = PortalServer(elsewhere_site(), host="127.0.0.2").start()
    try:
        site = trap_site(other.base_url)
        with PortalServer(site) as server:
            proc = nianbao("crawl", "--start-url", server.url("/tp/index.html"), "--db", tmp / "c.db", *LIMITS, check=False)
            base = server.base_url
    finally:
        other.stop()
    conn = connect(tmp / "c.db")
    docs = {r["url"]: r for r in conn.query("select * from documents")}
    return {"site": site, "proc": proc, "db": conn, "docs": docs, "base": base, "other_log": list(other.log)}


def _ending(docs, url, hops=10):
    """The documents row a URL ends at, following recorded redirects and meta refreshes."""
    row = docs.get(url.split("#")[0])
    while row and hops and row["report_id"] is None and row["error"] is None and row["final_url"] not in (None, row["url"]):
        row, hops = docs.get(row["final_url"]), hops - 1
    return row


GBK_PAGE = SimpleNamespace(encoding="gbk")  # the trap column is a GBK page


def _outcome(t, href):
    return _ending(t["docs"], page_url(link_url(t["base"] + "/tp/index.html", href), GBK_PAGE))


def test_every_trap_link_ends_stored_or_with_its_reason(trapped):
    reports = {r[0] for r in trapped["db"].execute("select report_id from reports")}
    for href, expected in trapped["site"].expected_outcomes.items():
        end = _outcome(trapped, href)
        assert end is not None, f"{href} has no documents row"
        if expected in ("stored", "one report"):
            assert end["report_id"] in reports, (href, dict(end))
        elif expected in ("failed", "refused"):
            assert end["error"] and end["report_id"] is None, (href, dict(end))
        else:  # stored or failed: either, never neither
            assert end["report_id"] in reports or end["error"], (href, dict(end))


def test_one_report_under_many_addresses_is_stored_once(trapped):
    """``?a=1`` (a query the CMS ignores), ``#content`` (never sent: RFC 3986 §3.5), dot segments
    (removed: RFC 3986 §5.2.4), and ``/dir`` → ``/dir/`` → ``/dir/index.html``: one report each."""
    rows = trapped["db"].execute("select agency, count(*) from reports where agency in ('戊县人民政府', '戊县教育局') group by agency").fetchall()
    assert dict(rows) == {"戊县人民政府": 1, "戊县教育局": 1}


def test_nothing_is_requested_from_another_host(trapped):
    """A report page redirecting twice, then off-site, and a meta refresh off-site: recorded, not followed."""
    assert trapped["other_log"] == []
    for href in ("/tp/hop1.html", "/tp/meta-away.html"):
        assert "off-site" in _outcome(trapped, href)["error"]


def test_a_meta_refresh_loop_is_recorded_as_a_loop(trapped):
    """Scrapy marks requests, not responses, as seen: the refresh back to the first page was
    dropped by the dupefilter and neither callback nor errback ran (scrapy/scrapy#1225, #105)."""
    for path in ("/tp/meta-a.html", "/tp/meta-b.html"):
        assert trapped["docs"][trapped["base"] + path]["error"].startswith("redirect loop (meta refresh)")


def test_a_page_that_reloads_itself_is_read_as_shown(trapped):
    """``<meta http-equiv="refresh" content="60">``: a browser shows the page, then reloads it;
    Scrapy's MetaRefreshMiddleware followed it to itself and the dupefilter dropped the page."""
    assert trapped["docs"][trapped["base"] + "/tp/reload.html"]["report_id"]


@pytest.mark.parametrize("path,reason", [
    ("/tp/nb-announced.pdf", "larger than download max size"),  # Content-Length says 80 MB
    ("/tp/nb-streamed.pdf", "grew past DOWNLOAD_MAXSIZE"),  # no Content-Length: cut while reading
    ("/tp/slow.html", "took longer than 2.0 seconds"),  # slow-loris: DOWNLOAD_TIMEOUT bounds the whole body
    # RFC 9112 §6.3: an invalid Content-Length makes the framing invalid, an unrecoverable error
    ("/tp/two-lengths.html", "conflicting Content-Length"),
    ("/tp/bad-length.html", "non-decimal digits"),
])
def test_a_response_that_cannot_be_read_safely_is_recorded_with_its_reason(trapped, path, reason):
    assert reason in trapped["docs"][trapped["base"] + path]["error"]


def test_addresses_percent_encoded_from_gbk_are_requested_as_written(trapped):
    """IIS portals name files and query values in GBK (年报 = %C4%EA%B1%A8): the escapes must
    reach the server unchanged, not be decoded and re-encoded as UTF-8."""
    for path in ("/tp/%C4%EA%B1%A8.html", "/tp/view.jsp?title=%C4%EA%B1%A8&id=7"):
        assert trapped["docs"][trapped["base"] + path]["report_id"]


def test_raw_chinese_in_a_gbk_pages_links_is_sent_in_the_pages_encoding(trapped):
    """A GBK column links ``view.jsp?title=年报``, its report page ``down.jsp?name=年报.pdf``: a browser
    sends the query in the page's encoding (WHATWG URL Standard, query state), ``%C4%EA%B1%A8``;
    Scrapy's ``Request(url)`` sent UTF-8 bytes, which such a server answers with 404."""
    row = trapped["db"].execute("select attachment_url, check_status from reports where agency = '戊县原码局'").fetchone()
    assert row == (trapped["base"] + "/tp/down.jsp?name=%C4%EA%B1%A8.pdf", "pass")


def test_the_summary_counts_the_traps_by_kind_and_the_crawl_exits_1(trapped):
    out = trapped["proc"].stdout
    assert trapped["proc"].returncode == 1
    for kind in ("2 malformed response", "2 redirect loop", "2 too large", "1 timeout"):
        assert kind in out, out
    assert "5 off-site" in out


def test_endless_pagination_under_new_session_ids_stops_at_the_budget_and_says_so(tmp_path):
    """Every page links a "next" page under a new ``sid``/``t`` query (and its reports too): URL
    deduplication never ends it; the list-page budget does, and what it left is recorded."""
    with PortalServer(endless_list_site()) as server:
        proc = nianbao("crawl", "--start-url", server.url("/eq/list.jsp?page=1"), "--db", tmp_path / "c.db",
                       "--max-pages", 12, check=False)
        lists = [p for _, p, _ in server.log if p.startswith("/eq/list.jsp")]
    assert len(lists) == 12
    assert proc.returncode == 1 and "list pages over --max-pages" in proc.stdout
    conn = connect(tmp_path / "c.db")
    assert conn.execute("select count(*) from reports").fetchone()[0] == 1  # one report under 24 session ids


def test_a_list_linking_hundreds_of_report_titled_dead_links_records_each(tmp_path):
    with PortalServer(crowded_list_site(500)) as server:
        proc = nianbao("crawl", "--start-url", server.url("/cr/index.html"), "--db", tmp_path / "c.db", check=False)
    conn = connect(tmp_path / "c.db")
    assert conn.execute("select count(*) from documents where role = 'report' and error = 'HTTP 404'").fetchone()[0] == 500
    assert proc.returncode == 1 and "500 failed: 500 HTTP 404" in proc.stdout


def test_robots_txt_with_bom_crlf_allow_precedence_and_wildcards_is_obeyed(tmp_path):
    """RFC 9309: the longest matching rule wins and Allow wins a tie (§2.2.2); ``*`` and ``$``
    (§2.2.3); a UTF-8 byte-order mark and CRLF line ends do not hide the rules."""
    site = odd_robots_site()
    with PortalServer(site) as server:
        nianbao("crawl", "--start-url", server.url("/rb/index.html"), "--db", tmp_path / "c.db", check=False)
        fetched = {p for _, p, _ in server.log}
    for path, expected in site.expected_outcomes.items():
        assert (path in fetched) == (expected == "stored"), path
