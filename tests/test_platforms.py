"""Crawls of mock portals of the real platforms the crawler was not built against (issue #15).

Each mock (``nianbao/portal/platforms/<name>.py``; its docstring names the evidence) lays out the
reports the way that platform does: Guangdong gkmlpt (JSON API behind a JavaScript shell), TRS
动静结合 (pingtan.gov.cn: static first page, the rest from /fjdzapp/search), the Hanweb
xxgkAnnualReport module (units × years through a <select>), 开普云/UCAP (createPageHTML with the
container id first; town columns under 乡镇信息公开), eportal (onclick/tagname pager; sub-columns
旗政府/旗直部门/苏木镇), numeric paths with a 年报 column of units, Hebei and Liaoning URL shapes.
Every mock also carries 图解/解读 pages linked from reports, look-alike notices (编制工作的通知,
政务公开工作要点, 法治政府建设年度报告), a report under a robots.txt-disallowed path, and a home page
from which a person reaches the column through 政务公开 → 政府信息公开 → 年报.

A crawl, from the column URLs a source would list, from the home page with ``--discover`` and from
the home page without it, must store at least 98% of the reports, nothing else, and never request
a disallowed path.
"""
from dataclasses import dataclass

import pytest

from corpus.schema import connect
from nianbao.portal import PortalServer
from nianbao.portal.platforms import MOCKS
from nianbao.portal.platforms.common import local

from conftest import nianbao

pytestmark = pytest.mark.slow

CRAWLED = [name for name in MOCKS if name != "challenge"]
RECALL = 0.98


@dataclass
class Crawl:
    site: object
    db: object
    log: list
    proc: object

    def stored(self):
        conn = connect(self.db)
        return conn, list(conn.query("select report_id, url, agency, year from reports"))


def crawl(name: str, tmp_path, mode: str, *extra, site=None) -> Crawl:
    site = site or MOCKS[name]()
    db = tmp_path / "corpus.db"
    with PortalServer(site) as server:
        proc = nianbao("crawl", *site.start_args(server, mode), "--db", db, *extra, check=False)
        log = list(server.log)
    return Crawl(site, db, log, proc)


@pytest.fixture(scope="module", params=[(n, m) for m in ("column", "discover", "home") for n in CRAWLED], ids=lambda p: f"{p[0]}-{p[1]}")
def crawled(request, tmp_path_factory):
    name, mode = request.param
    return crawl(name, tmp_path_factory.mktemp(f"{name}-{mode}"), mode)


def test_the_crawl_succeeds(crawled):
    assert crawled.proc.returncode == 0, crawled.proc.stdout + crawled.proc.stderr


def test_at_least_98_percent_of_the_reports_are_found(crawled):
    _, rows = crawled.stored()
    expected = {(e["agency"], e["year"]) for e in crawled.site.expected_reports.values()}
    found = {(r["agency"], r["year"]) for r in rows} & expected
    assert len(found) >= RECALL * len(expected), sorted(expected - found)


def test_nothing_but_reports_is_stored(crawled):
    _, rows = crawled.stored()
    expected = {(e["agency"], e["year"]) for e in crawled.site.expected_reports.values()}
    assert [(r["agency"], r["year"], r["url"]) for r in rows if (r["agency"], r["year"]) not in expected] == []
    assert [r["url"] for r in rows if local(r["url"]) not in crawled.site.expected_reports] == []


def test_explainers_are_documents_of_the_report_they_explain(crawled):
    conn, rows = crawled.stored()
    by_path = {local(r["url"]): r["report_id"] for r in rows}
    related = {local(d["url"]): d["report_id"] for d in conn.query("select url, report_id from documents where role = 'related'")}
    linked = {e: r for e, r in crawled.site.explainer_paths.items() if r in by_path}
    assert linked, "no report with an explainer was stored"
    assert {e: related.get(e) for e in linked} == {e: by_path[r] for e, r in linked.items()}
    assert set(related) <= set(crawled.site.explainer_paths)  # not the menu's 政策解读 column


def test_no_path_robots_txt_disallows_is_requested(crawled):
    assert [p for _, p, _ in crawled.log if p.startswith(crawled.site.forbidden_prefix)] == []


def test_the_disallowed_report_is_recorded_as_skipped(crawled):
    conn, _ = crawled.stored()
    rows = list(conn.query("select url, error from documents where url like ?", [f"%{crawled.site.forbidden_prefix}%"]))
    assert rows and all("robots" in (r["error"] or "").lower() for r in rows)


def test_a_complete_crawl_reports_no_shortfall(crawled):
    conn, _ = crawled.stored()
    assert [r["shortfall"] for r in conn.query("select shortfall from crawl_runs")] == [0]
    assert "shortfall" not in crawled.proc.stdout


@pytest.mark.parametrize("name", ["gkmlpt", "trs_dynamic"])
def test_a_list_api_page_that_never_answers_is_reported_as_a_shortfall(name, tmp_path):
    c = crawl(name, tmp_path, "column", site=MOCKS[name](failing_pages={2}))
    conn, rows = c.stored()
    (run,) = list(conn.query("select shortfall from crawl_runs"))
    assert run["shortfall"] >= 10  # one API page of entries (10 per page) stated but not reached
    assert "shortfall" in c.proc.stdout
    assert rows  # the pages that answered were still read


# -- a portal behind a JavaScript challenge -----------------------------------------------------


@pytest.fixture(scope="module", params=[521, 412], ids=["jsl-521", "waf-412"])
def challenged(request, tmp_path_factory):
    return crawl("challenge", tmp_path_factory.mktemp(f"challenge{request.param}"), "column", site=MOCKS["challenge"](request.param))


def test_a_challenge_page_makes_the_crawl_fail_and_says_so(challenged):
    assert challenged.proc.returncode != 0
    assert "blocked: anti-bot challenge" in challenged.proc.stdout + challenged.proc.stderr
    assert "127.0.0.1" in challenged.proc.stdout + challenged.proc.stderr


def test_a_challenge_page_is_never_stored_as_a_report(challenged):
    _, rows = challenged.stored()
    assert rows == []


def _browser_available() -> bool:
    import shutil

    try:
        import scrapy_playwright  # noqa: F401
    except ImportError:
        return False
    return shutil.which("chromium") is not None


@pytest.mark.skipif(not _browser_available(), reason="needs scrapy-playwright and the system chromium")
def test_with_render_the_challenged_portal_is_crawled_as_a_browser_sees_it(tmp_path):
    c = crawl("challenge", tmp_path, "column", "--render")
    _, rows = c.stored()
    expected = {(e["agency"], e["year"]) for e in c.site.expected_reports.values()}
    found = {(r["agency"], r["year"]) for r in rows}
    assert len(found & expected) >= RECALL * len(expected) and found <= expected
    assert [p for _, p, _ in c.log if p.startswith(c.site.forbidden_prefix)] == []
