"""Discovery by a portal's own navigation, and a crawl that knows and says what it missed.

The mock (nianbao/portal/navigation_site.py) is reached only the way a person reaches it:
home → 政务公开 → 政府信息公开 → 法定主动公开内容 → 政府信息公开年报, none of those paths named like a
report column; the column lists the county's reports (下一页 pager, 共N条) and, side by side, unit
names (部门 → lists paged by ``?page=N``; 乡镇 → each town's 信息公开 page → its own 年报 list).
Where each mechanism comes from is in that module's docstring.
"""
import pytest

from conftest import nianbao
from corpus.schema import connect
from nianbao.portal import PortalServer
from nianbao.portal.navigation_site import navigation_site

pytestmark = pytest.mark.slow


def crawl(site, path, tmp, *args):
    db = tmp / "corpus.db"
    with PortalServer(site) as server:
        proc = nianbao("crawl", "--start-url", server.url(path), "--db", db, *args, check=False)
        log = list(server.log)
    return proc, connect(db), log


def found(conn):
    return {(r["agency"], r["year"]) for r in conn.query("select agency, year from reports")}


def expected(site):
    return {(e["agency"], e["year"]) for e in site.expected_reports.values()}


@pytest.fixture(scope="module", params=["home --discover", "home", "column"])
def crawled(request, tmp_path_factory):
    site = navigation_site()
    path = site.home_path if request.param.startswith("home") else site.column_paths[0]
    args = ["--discover"] if "--discover" in request.param else []
    return (request.param, site, *crawl(site, path, tmp_path_factory.mktemp("nav"), *args))


def test_every_report_is_found_and_nothing_else(crawled):
    how, site, proc, conn, log = crawled
    assert proc.returncode == 0, proc.stderr
    assert found(conn) == expected(site)


def test_robots_disallowed_navigation_is_never_requested(crawled):
    how, site, proc, conn, log = crawled
    assert not [p for _, p, _ in log if p.startswith(site.forbidden_prefix)]


def test_the_column_is_recorded_with_the_way_it_was_found(crawled):
    how, site, proc, conn, log = crawled
    rows = {r["column_url"].split("/", 3)[3]: r for r in conn.query("select * from crawl_columns")}
    column = rows[site.column_paths[0].lstrip("/")]
    if how.startswith("home"):
        assert column["how_found"].endswith("政务公开 → 政府信息公开 → 法定主动公开内容 → 政府信息公开年报")
    assert column["stated_entries"] == column["entries_reached"] == 4 and column["shortfall"] == 0


def test_units_listed_in_the_column_are_crawled_as_their_own_columns(crawled):
    how, site, proc, conn, log = crawled
    units = [r["how_found"] for r in conn.query("select how_found from crawl_columns where how_found like '%unit %'")]
    assert any("unit 示范县财政局" in u for u in units) and any("unit 城关镇" in u for u in units)


def test_a_home_page_without_discover_says_it_was_discovered_from(crawled):
    how, site, proc, conn, log = crawled
    said = "is not a report column" in proc.stdout
    assert said == (how == "home")


def test_a_list_stating_more_entries_than_it_links_is_reported_as_a_shortfall(tmp_path):
    site = navigation_site(stated_extra=3)
    proc, conn, _ = crawl(site, site.column_paths[0], tmp_path)
    assert "shortfall: 3 listed entries not reached" in proc.stdout
    run = next(conn.query("select shortfall, shortfall_summary from crawl_runs"))
    assert run["shortfall"] == 3 and "states 7 entries, reached 4" in run["shortfall_summary"]
    assert found(conn) == expected(site)  # what could be reached still is


platforms = pytest.importorskip("nianbao.portal.platforms")


@pytest.mark.parametrize("name", [n for n in platforms.MOCKS if n != "challenge"])
def test_a_platform_home_page_given_without_discover_is_discovered_from(name, tmp_path):
    """Each platform mock (nianbao/portal/platforms/, evidence in each module) from its home page,
    as a new user would give it: not silently a fraction (issue #15), but every report, nothing
    else, nothing robots.txt disallows. (Column URLs and --discover: tests/test_platforms.py.)"""
    site = platforms.MOCKS[name]()
    proc, conn, log = crawl(site, site.home_path, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]
    got, want = found(conn), expected(site)
    assert not got - want
    assert len(got & want) >= 0.98 * len(want)
    assert not [p for _, p, _ in log if p.startswith(site.forbidden_prefix)]
    assert "is not a report column: its columns were discovered from it" in proc.stdout
