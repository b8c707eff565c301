"""Nothing lost silently on the discovery paths of issue #15 and the picture path of issue #18.

Each platform mock (``nianbao/portal/platforms/``: gkmlpt's JSON API, TRS 动静结合's POST search
API, the Hanweb annual-report module, 开普云, eportal, numeric paths, Hebei and Liaoning URL shapes)
is crawled with faults injected (``nianbao/portal/inject.py``) the way real portals fail (issue
#16): a report page that is gone (404), one whose server keeps failing (503 through every retry),
one that never answers in time, a failing attachment, a table picture that is gone, and — in a
second crawl — a list page (or list-API page) failing in the middle of its pagination.

The invariant: every URL taken for a report ends as a ``reports`` row or a ``documents`` row with
its reason; a list page that fails is a ``documents`` row with its reason too (a missed page of a
list is a possible missed report); the closing summary counts each failure and the crawl exits 1.
"""
from dataclasses import dataclass

import pytest

from conftest import nianbao
from corpus.schema import connect
from nianbao.portal import PortalServer
from nianbao.portal.inject import break_resource, linked_files, tables_as_missing_picture
from nianbao.portal.platforms import MOCKS
from nianbao.portal.platforms.common import local

pytestmark = pytest.mark.slow

CRAWLED = [name for name in MOCKS if name != "challenge"]
PICTURE = "/uploads/nb-table3.png"
TIMEOUT = ["--set", "DOWNLOAD_TIMEOUT=1"]  # the "never in time" page answers after 3 s

# A list page in the middle of each mock's pagination: (resource, the request parameters that pick
# one page of a list API out of the pages sharing its path, or None for a page of its own).
MID_PAGINATION = {
    "gkmlpt": ("/lnsfx/gkmlpt/api/all/2735", {"page": "3"}),  # JSON API page 3 of 5
    "trs_dynamic": ("/fjdzapp/search", {"page": "3"}),  # POST form page 3 of 4
    "hanweb_annual": ("/module/xxgk/xxgkAnnualReport.jsp?area=002562740", None),  # one unit's page
    "ucap": ("/gnxxgk/xxgknb/xxgk_list_2.shtml", None),
    "eportal": ("/eportal/ui?pageId=fa19a5bcd172e1346746ab6cf38e40e1&currentPage=2"
                "&moduleId=754c8a2a25e98314a6ac5187bb8f764f&staticRequest=yes", None),
    "numeric": ("/14868/28067/37850/index_3.htm", None),
    "hebei": ("/xxgklist.jsp?catid=2730&page=4", None),
    "liaoning": ("/html/LNSFS/zfxxgknb/index_3.html", None),
}


@dataclass
class Faulted:
    site: object
    proc: object
    docs: dict
    db: object
    base: str
    broken: dict  # path -> the reason its documents row must give


def crawl(name, tmp, site):
    with PortalServer(site) as server:
        proc = nianbao("crawl", "--start-url", " ".join(server.url(p) for p in site.column_paths), "--db", tmp / "c.db",
                       *TIMEOUT, check=False)
        base = server.base_url
    conn = connect(tmp / "c.db")
    return proc, {r["url"]: r for r in conn.query("select * from documents")}, conn, base


@pytest.fixture(scope="module", params=CRAWLED)
def documents_faulted(request, tmp_path_factory):
    site = MOCKS[request.param]()
    pages = sorted(p for p, e in site.expected_reports.items() if e["layout"] == "html" and p in site.resources)
    with_attachment = sorted(p for p in site.expected_reports if p in site.resources and linked_files(site, p))
    broken = {pages[0]: ("404", "HTTP 404"), pages[1]: ("503", "HTTP 503"), pages[2]: ("timeout", "took longer than")}
    for path, (fault, _) in broken.items():
        break_resource(site, path, fault)
    attachment = linked_files(site, with_attachment[0])[0]
    break_resource(site, attachment, "503")
    tables_as_missing_picture(site, pages[3], PICTURE)
    proc, docs, conn, base = crawl(request.param, tmp_path_factory.mktemp(f"docs-{request.param}"), site)
    f = Faulted(site, proc, docs, conn, base, {p: why for p, (_, why) in broken.items()})
    f.attachment = (with_attachment[0], attachment)
    f.picture_page = pages[3]
    return f


def _ending(docs, url, hops=10):
    row = docs.get(url)
    while row and hops and row["report_id"] is None and row["error"] is None and (row["status"] or 0) in range(300, 400):
        row, hops = docs.get(row["final_url"]), hops - 1
    return row


def test_every_report_url_taken_ends_stored_or_with_its_reason(documents_faulted):
    f = documents_faulted
    reports = {r[0] for r in f.db.execute("select report_id from reports")}
    taken = [u for u, d in f.docs.items() if d["role"] == "report"]
    assert taken
    for url in taken:
        end = _ending(f.docs, url)
        assert end is not None and (end["report_id"] in reports or end["error"]), (url, end)


def test_each_failed_report_page_is_recorded_with_its_reason(documents_faulted):
    f = documents_faulted
    for path, why in f.broken.items():
        row = f.docs.get(f.base + path)
        assert row is not None, f"{path} was never requested"
        assert why in (row["error"] or "") and not row["report_id"], (path, row)


@pytest.mark.parametrize("what", ["attachment", "picture"])
def test_a_failed_attachment_or_picture_leaves_the_report_stored_and_flagged(documents_faulted, what):
    f = documents_faulted
    page, target, reason = ((*f.attachment, "HTTP 503") if what == "attachment" else (f.picture_page, PICTURE, "HTTP 404"))
    row = f.db.execute("select flags from reports where url = ?", [f.base + page]).fetchone()
    assert row is not None, f"{page} was not stored"
    assert f"attachment {f.base}{target} not read: {reason}" in row[0]


def test_the_summary_counts_every_failure_and_the_crawl_exits_1(documents_faulted):
    f = documents_faulted
    assert f.proc.returncode == 1, f.proc.stdout + f.proc.stderr
    # the report pages (404, 503, timeout), the attachment (503) and the picture (404)
    assert "5 failed: 2 HTTP 404, 2 HTTP 503, 1 timeout" in f.proc.stdout


@pytest.fixture(scope="module", params=CRAWLED)
def list_faulted(request, tmp_path_factory):
    site = MOCKS[request.param]()
    key, params = MID_PAGINATION[request.param]
    break_resource(site, key, "503", params)
    proc, docs, conn, base = crawl(request.param, tmp_path_factory.mktemp(f"list-{request.param}"), site)
    return Faulted(site, proc, docs, conn, base, {key: "HTTP 503"}), params


def test_a_list_page_failing_mid_pagination_is_recorded_with_its_reason(list_faulted):
    f, params = list_faulted
    (key,) = f.broken
    failed = [d for d in f.docs.values() if d["role"] == "list" and d["error"] and "robots" not in d["error"]]
    assert len(failed) == 1, failed
    url = failed[0]["url"]
    assert local(url).startswith(key) and "HTTP 503" in failed[0]["error"]
    assert all(f"{k}={v}" in url for k, v in (params or {}).items())  # the page itself, not its API's path


def test_a_list_page_failing_mid_pagination_fails_the_crawl(list_faulted):
    f, _ = list_faulted
    assert f.proc.returncode == 1, f.proc.stdout
    assert "1 failed: 1 HTTP 503" in f.proc.stdout


def test_the_pages_of_the_list_that_answered_are_still_read(list_faulted):
    f, _ = list_faulted
    stored = f.db.execute("select count(*) from reports").fetchone()[0]
    assert 0 < stored < len(f.site.expected_reports)
