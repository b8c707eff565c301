"""Nothing lost silently: every URL taken for a report ends as a stored report or as a
``documents`` row with its reason, and the crawl's exit status says whether anything failed.

Reproductions from issue #16 ("Lost silently today"): several report pages linking one
attachment URL (Scrapy's dupefilter dropped the second request, and with it the second report:
https://docs.scrapy.org/en/latest/topics/settings.html#dupefilter-class); an attachment that
redirect-loops; failures that ended with exit 0.
"""
import pytest

from conftest import free_port, nianbao
from corpus.schema import connect
from crawler.policy import link_url
from nianbao.portal import PortalServer
from nianbao.portal.builders import START_PATHS, trs_site
from nianbao.portal.faults import elsewhere_site, hostile_site
from portals import family_items


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("accounting")
    other = PortalServer(elsewhere_site(), host="127.0.0.2").start()
    try:
        site = hostile_site(other.base_url, str(tmp / "no-such-file.txt"))
        with PortalServer(site) as server:
            proc = nianbao("crawl", "--start-url", server.url("/hx/index.html"), "--db", tmp / "c.db", check=False)
            log = list(server.log)
            base = server.base_url
    finally:
        other.stop()
    conn = connect(tmp / "c.db")
    docs = {r["url"]: r for r in conn.query("select * from documents")}
    return {"site": site, "proc": proc, "log": log, "db": conn, "docs": docs, "base": base}


def _ending(docs, url, hops=10):
    """The documents row a URL ends at, following recorded redirects."""
    row = docs.get(url)
    while row and hops and row["report_id"] is None and row["error"] is None and (row["status"] or 0) in range(300, 400):
        row, hops = docs.get(row["final_url"]), hops - 1
    return row


def test_every_url_taken_for_a_report_ends_stored_or_with_a_reason(hostile):
    reports = {r[0] for r in hostile["db"].execute("select report_id from reports")}
    for url, doc in hostile["docs"].items():
        if doc["role"] != "report":
            continue
        end = _ending(hostile["docs"], url)
        assert end is not None, url
        assert end["report_id"] in reports or end["error"], (url, dict(end))


def test_each_listed_report_link_has_the_expected_outcome(hostile):
    for href, outcome in hostile["site"].expected_outcomes.items():
        url = link_url(hostile["base"] + "/hx/index.html", href)
        doc = _ending(hostile["docs"], url)
        assert doc is not None, f"{href[:40]} has no documents row"
        if outcome == "stored":
            assert doc["report_id"] and not doc["error"], href
        else:
            assert doc["error"] and not doc["report_id"], href


def test_pages_sharing_one_attachment_each_end_linked_to_the_report_it_holds(hostile):
    ids = {hostile["docs"][hostile["base"] + p]["report_id"] for p in hostile["site"].shared_attachment_pages}
    assert None not in ids
    rows = hostile["db"].execute(f"select attachment_url, check_status from reports where report_id in ({','.join('?' * len(ids))})",
                                 list(ids)).fetchall()
    assert rows and all(att.endswith("/hx/files/shared.pdf") and status == "pass" for att, status in rows)


def test_a_shared_attachment_is_requested_once(hostile):
    assert [p for _, p, _ in hostile["log"]].count("/hx/files/shared.pdf") == 1


@pytest.mark.parametrize("page,reason", [("/hx/attloop.html", "redirect loop"), ("/hx/att404.html", "HTTP 404")])
def test_a_failed_attachment_leaves_its_report_stored_from_the_page_and_flagged(hostile, page, reason):
    rid = hostile["docs"][hostile["base"] + page]["report_id"]
    flags = hostile["db"].execute("select flags from reports where report_id = ?", [rid]).fetchone()[0]
    attachment = hostile["site"].flagged[page]
    assert f"attachment {hostile['base']}{attachment} not read: {reason}" in flags


def test_a_redirect_looping_attachment_is_not_chased_round_the_loop(hostile):
    paths = [p for _, p, _ in hostile["log"]]
    assert paths.count("/hx/files/loop-1.pdf") == 1 and paths.count("/hx/files/loop-2.pdf") == 1


def test_a_crawl_with_failures_exits_1_and_counts_them_by_kind(hostile):
    assert hostile["proc"].returncode == 1
    assert "3 failed: 2 redirect loop, 1 HTTP 404" in hostile["proc"].stdout


def test_the_summary_names_the_query_that_lists_the_failures(hostile):
    line = next(l for l in hostile["proc"].stdout.splitlines() if l.startswith("list them: sqlite3 "))
    query = line.split('"', 1)[1].rstrip('"')
    listed = hostile["db"].execute(query).fetchall()
    assert {u for u, *_ in listed} == {u for u, d in hostile["docs"].items() if d["error"]}


def test_a_start_url_answering_404_fails_the_crawl(tmp_path):
    site = trs_site(family_items())
    with PortalServer(site) as server:
        proc = nianbao("crawl", "--start-url", server.url("/no/such/column/"), "--db", tmp_path / "c.db", check=False)
    assert proc.returncode == 1
    assert "1 failed: 1 HTTP 404" in proc.stdout


def test_a_crawl_whose_only_misses_are_decisions_exits_0(tmp_path):
    """robots.txt disallows one report of this portal: recorded, but not a failure."""
    site = trs_site(family_items())
    with PortalServer(site) as server:
        proc = nianbao("crawl", "--start-url", server.url(START_PATHS["trs"]), "--db", tmp_path / "c.db", check=False)
    assert proc.returncode == 0, proc.stdout
    assert "not fetched on purpose: 1 robots.txt disallows" in proc.stdout


def test_network_errors_are_one_line_each_without_tracebacks(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/zwgk/nb/"  # nothing listens there
    proc = nianbao("crawl", "--start-url", url, "--db", tmp_path / "c.db", "--set", "RETRY_TIMES=1", check=False)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "connection" in proc.stdout


def test_each_page_of_a_post_list_api_has_its_own_documents_row(tmp_path):
    """TRS 动静结合's /fjdzapp/search and Hanweb's dataproxy.jsp serve every list page from one URL,
    told apart by the POST form. Keyed by URL alone, page 3's failure was overwritten by page 4's
    answer (or skipped as "an earlier attempt of this run succeeded"). Keys follow the IIPC
    guideline "CDX for non-GET requests" (``?__wb_method=post&<form>``)."""
    from scrapy.http import FormRequest, HtmlResponse

    from crawler.archive import Archive

    archive = Archive(tmp_path / "c.db", tmp_path / "warc", "run-1")
    api = "http://127.0.0.1:9/fjdzapp/search"
    page3 = FormRequest(api, formdata={"channelid": "200210", "page": "3"}, meta={"role": "list"})
    page4 = FormRequest(api, formdata={"channelid": "200210", "page": "4"}, meta={"role": "list"})
    archive.failure(page3, "HTTP 503", {"role": "list"})
    archive.write(page4, HtmlResponse(api, body=b"{}", status=200, request=page4), {"role": "list"})
    archive.failure(page4.replace(url=api), "late duplicate", {"role": "list"})  # the same page: its success stands
    rows = {r["url"]: (r["status"], r["error"]) for r in archive.db.query("select url, status, error from documents")}
    assert rows == {f"{api}?__wb_method=post&channelid=200210&page=3": (None, "HTTP 503"),
                    f"{api}?__wb_method=post&channelid=200210&page=4": (200, None)}
