"""A crawl of a mock portal of each CMS family finds every report and nothing else.

Each portal paginates its list the way its family does (TRS only through createPageHTML(),
Hanweb only through the dataproxy POST, VSB with descending page numbers, generic through 下一页)
and shows the faults of real portals: a GBK page, attachments (PDF, DOCX, downfile.jsp with a
Content-Disposition name), a report linked straight to its PDF, a robots.txt-disallowed path,
a page that answers 500 before 200, a 301, look-alike notices, and a duplicate.
"""
import pytest

from portals import crawl_family, expected, repeated_successes, stored

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["trs", "hanweb", "vsb", "generic"])
def crawled(request, tmp_path_factory):
    return (request.param, *crawl_family(request.param, tmp_path_factory.mktemp(request.param)))


def test_every_report_is_found_and_nothing_else(crawled):
    family, site, db, log = crawled
    _, found = stored(db)
    assert found == expected(site)


def test_no_robots_violation(crawled):
    family, site, db, log = crawled
    assert not [p for _, p, _ in log if p.startswith("/private/")]


def test_robots_skip_is_recorded(crawled):
    family, site, db, log = crawled
    conn, _ = stored(db)
    rows = list(conn.query("select url, error from documents where url like '%/private/%'"))
    assert rows and all("robots" in r["error"].lower() for r in rows)


def test_no_page_is_fetched_twice(crawled):
    family, site, db, log = crawled
    assert repeated_successes(log) == {}


def test_flaky_page_is_retried_until_it_answers(crawled):
    family, site, db, log = crawled
    flaky = [p for p, r in site.resources.items() if r.fail_first]
    assert flaky
    statuses = [s for _, p, s in log if p == flaky[0]]
    assert statuses == [500, 200]


def test_duplicate_is_folded_into_one_report(crawled):
    family, site, db, log = crawled
    conn, _ = stored(db)
    n = conn.execute("select count(*) from reports where agency = '示范县水利局'").fetchone()[0]
    assert n == 1
    linked = conn.execute("select count(distinct url) from documents where report_id in "
                          "(select report_id from reports where agency = '示范县水利局') and role = 'report'").fetchone()[0]
    assert linked == 2


def test_tables_of_every_report_pass_their_checks(crawled):
    family, site, db, log = crawled
    conn, _ = stored(db)
    assert {r["check_status"] for r in conn.query("select check_status from reports")} == {"pass"}


def test_attachments_are_tied_to_their_report(crawled):
    family, site, db, log = crawled
    conn, _ = stored(db)
    kinds = {r["agency"]: (r["kind"], r["attachment_url"]) for r in conn.query("select agency, kind, attachment_url from reports")}
    assert kinds["示范县财政局"][0] == "pdf" and kinds["示范县财政局"][1]
    assert kinds["示范县民政局"][0] == "docx" and kinds["示范县民政局"][1]
    assert kinds["示范县教育局"] == ("html", None)
