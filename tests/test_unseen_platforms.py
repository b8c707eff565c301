"""Crawls of portal shapes the crawler was not built against, read by its generic mechanisms only.

Each mock (``nianbao/portal/platforms/<name>.py``, listed in ``UNSEEN``; its docstring names the real
evidence) is a platform outside the registry:

- ``jpaas``: Hanweb jpaas (国务院部门, Zhejiang/Shandong) — a column page whose list comes from the JSON
  endpoint its ``<script url=… queryData=…>`` names, paged by ``paramJson={"pageNo":N}``;
- ``ministry``: a 国务院部门 column (mohurd.gov.cn's shape) whose script POSTs a form to a document-search
  service answering JSON records, paged by the form's ``currentPageNum``;
- ``openness``: the Anhui 政务公开 platform — each unit's ``/opennessAnnualReport/?branch_id=…``, the other
  units reachable only through a ``<select>`` of units;
- ``sichuan``: ``/info/iList.jsp?…&cur_page=1`` lists whose pager a script draws from ``totalCount``/``pageSize``;
- ``yearly``: a 年报 column split by year (tabs 2024年度 …, older years in a ``<select>``), each year
  split by publisher group (政府部门 / 乡镇街道).

Each carries 图解/解读 pages linked from reports, look-alike notices, a report under a robots.txt-disallowed
path and the navigation 首页 → 政务公开 → 政府信息公开 → 年报. From the column URL, from the home page
with ``--discover`` and from the home page without it, a crawl must store at least 98% of the reports,
nothing else, never request a disallowed path, and report no shortfall; a probe must name the column
and count every listed report.
"""
import re

import pytest

from corpus.schema import connect
from nianbao.portal import PortalServer
from nianbao.portal.platforms import UNSEEN
from nianbao.portal.platforms.common import local

from conftest import nianbao

pytestmark = pytest.mark.slow

RECALL = 0.98


def crawl(site, tmp_path, mode: str):
    db = tmp_path / "corpus.db"
    with PortalServer(site) as server:
        proc = nianbao("crawl", *site.start_args(server, mode), "--db", db, check=False)
        log = list(server.log)
    return site, connect(db), proc, log


@pytest.fixture(scope="module", params=[(n, m) for m in ("column", "discover", "home") for n in UNSEEN],
                ids=lambda p: f"{p[0]}-{p[1]}")
def crawled(request, tmp_path_factory):
    name, mode = request.param
    return crawl(UNSEEN[name](), tmp_path_factory.mktemp(f"{name}-{mode}"), mode)


def test_the_crawl_succeeds(crawled):
    site, conn, proc, log = crawled
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_at_least_98_percent_of_the_reports_are_stored(crawled):
    site, conn, proc, log = crawled
    stored = {local(r["url"]) for r in conn.query("select url from reports")}
    expected = set(site.expected_reports)
    assert len(stored & expected) >= RECALL * len(expected), sorted(expected - stored)


def test_nothing_but_reports_is_stored(crawled):
    site, conn, proc, log = crawled
    stored = {local(r["url"]) for r in conn.query("select url from reports")}
    assert stored - set(site.expected_reports) == set()


def test_explainers_are_documents_of_the_report_they_explain(crawled):
    site, conn, proc, log = crawled
    by_path = {local(r["url"]): r["report_id"] for r in conn.query("select url, report_id from reports")}
    related = {local(d["url"]): d["report_id"] for d in conn.query("select url, report_id from documents where role = 'related'")}
    linked = {e: r for e, r in site.explainer_paths.items() if r in by_path}
    assert linked
    assert {e: related.get(e) for e in linked} == {e: by_path[r] for e, r in linked.items()}


def test_no_path_robots_txt_disallows_is_requested_and_the_skip_is_recorded(crawled):
    site, conn, proc, log = crawled
    assert [p for _, p, _ in log if p.startswith(site.forbidden_prefix)] == []
    rows = list(conn.query("select error from documents where url like ?", [f"%{site.forbidden_prefix}%"]))
    assert rows and all("robots" in (r["error"] or "").lower() for r in rows)


def test_a_complete_crawl_reports_no_shortfall(crawled):
    site, conn, proc, log = crawled
    assert [r["shortfall"] for r in conn.query("select shortfall from crawl_runs")] == [0]
    assert "shortfall" not in proc.stdout


# -- completeness: a list endpoint page that never answers ---------------------------------------


def test_a_list_endpoint_page_that_fails_is_reported_as_a_shortfall(tmp_path):
    """The jpaas endpoint's ``count`` states the list's size; page 2 answering 500 leaves 10 entries unread."""
    site, conn, proc, log = crawl(UNSEEN["jpaas"](failing_pages={2}), tmp_path, "column")
    (run,) = list(conn.query("select shortfall from crawl_runs"))
    assert run["shortfall"] == 10
    assert "shortfall" in proc.stdout
    (col,) = [c for c in conn.query("select * from crawl_columns") if c["stated_entries"]]
    assert col["stated_entries"] == site.stated_total and col["size_how"] == "JSON total"


# -- probe ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=list(UNSEEN))
def probed(request):
    site = UNSEEN[request.param]()
    with PortalServer(site) as server:
        proc = nianbao("probe", server.url(site.home_path), check=False)
        log = list(server.log)
    return site, proc, log


def test_probe_names_the_column_found_through_the_navigation(probed):
    site, proc, log = probed
    assert proc.returncode == 0, proc.stderr[-2000:]
    columns = [local(u) for u in re.findall(r"^column: (\S+)", proc.stdout, re.M)]
    assert columns == site.column_paths
    assert re.search(r"^  found: start URL → 政务公开 → .*(?:年报)$", proc.stdout, re.M)


def test_probe_counts_every_listed_report(probed):
    """Every report the portal lists, the robots-disallowed one included (it is listed, not fetched)."""
    site, proc, log = probed
    top = sum(int(n) for n in re.findall(r"^  reports listed: (\d+)", proc.stdout, re.M))
    subs = sum(int(n) for n in re.findall(r"^sub-columns and units: \d+, (\d+) reports listed", proc.stdout, re.M))
    assert top + subs == len(site.expected_reports) + len(site.disallowed_reports)


def test_probe_fetches_no_report_and_nothing_robots_disallows(probed):
    site, proc, log = probed
    fetched = {p for _, p, _ in log}
    assert not fetched & set(site.expected_reports)
    assert not [p for p in fetched if p.startswith(site.forbidden_prefix)]


def test_probe_compares_the_stated_size_with_what_was_reached(probed):
    """jpaas states its size in the endpoint's ``count``, the ministry's service in ``total``, the
    Sichuan list in ``totalCount``."""
    site, proc, log = probed
    if not getattr(site, "stated_total", None):
        pytest.skip("this portal's list states no size")
    assert re.search(rf"^  stated size: {site.stated_total} entries \(.+\); reached {site.stated_total}: complete$", proc.stdout, re.M), proc.stdout
