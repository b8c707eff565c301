"""``nianbao probe URL``: what a researcher adding a portal sees, on mock portals.

The navigation mock (nianbao/portal/navigation_site.py) and the platform mocks
(nianbao/portal/platforms/, each citing its real evidence) are probed from their home pages:
the probe must name the right column, count the reports its lists carry, say when a list states
more than was reached, say what was blocked, fetch no report, and print a ``[[source]]`` entry
that ``crawler/sources.py`` loads.
"""
import re
import tomllib

import pytest

from conftest import nianbao
from crawler.sources import load_sources
from nianbao.portal import PortalServer
from nianbao.portal.navigation_site import COLUMN, navigation_site

pytestmark = pytest.mark.slow


def probe(site, path):
    with PortalServer(site) as server:
        proc = nianbao("probe", server.url(path), check=False)
        log = list(server.log)
    return proc, log, server.base_url


def listed(out: str) -> int:
    """Reports listed in the top columns and in their sub-columns and units."""
    top = sum(int(n) for n in re.findall(r"^  reports listed: (\d+)", out, re.M))
    subs = sum(int(n) for n in re.findall(r"^sub-columns and units: \d+, (\d+) reports listed", out, re.M))
    return top + subs


def source_block(out: str) -> str:
    return out.split("# add to crawler/data/sources.toml:\n", 1)[1]


@pytest.fixture(scope="module")
def probed():
    site = navigation_site()
    return (site, *probe(site, "/"))


def test_probe_names_the_column_and_how_it_was_found(probed):
    site, proc, log, base = probed
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert f"column: {base}{COLUMN}index.html" in proc.stdout
    assert "found: start URL → 政务公开 → 政府信息公开 → 法定主动公开内容 → 政府信息公开年报" in proc.stdout


def test_probe_counts_the_reports_listed_per_year(probed):
    site, proc, log, base = probed
    assert "reports listed: 3 (2021: 1, 2022: 1, 2023: 1)" in proc.stdout
    assert listed(proc.stdout) == len(site.expected_reports)


def test_probe_states_robots_pagination_size_and_blocks(probed):
    site, proc, log, base = probed
    out = proc.stdout
    assert "robots.txt: HTTP 200" in out
    assert "pagination: 下一页 link" in out
    assert "stated size: 4 entries (共N条); reached 4: complete" in out
    assert "blocked: nothing" in out


def test_probe_fetches_no_report_and_nothing_robots_disallows(probed):
    site, proc, log, base = probed
    fetched = {p for _, p, _ in log}
    assert not fetched & set(site.expected_reports)
    assert not [p for p in fetched if p.startswith(site.forbidden_prefix)]


def test_probe_prints_a_source_entry_that_loads(probed, tmp_path):
    site, proc, log, base = probed
    block = source_block(proc.stdout)
    (tmp_path / "sources.toml").write_text(block, encoding="utf-8")
    (src,) = load_sources(str(tmp_path / "sources.toml"))
    assert src["start_urls"] == [f"{base}{COLUMN}index.html"] and src["mode"] == "list"
    assert src["agency"] == "示范县人民政府" and src["verified"] is False


def test_probe_reports_a_stated_size_above_what_was_reached():
    proc, _, _ = probe(navigation_site(stated_extra=3), "/")
    assert "stated size: 7 entries (共N条); reached 4: SHORTFALL of 3" in proc.stdout


platforms = pytest.importorskip("nianbao.portal.platforms")


@pytest.mark.parametrize("name", [n for n in platforms.MOCKS if n != "challenge"])
def test_probe_on_each_platform_mock_finds_its_column_and_its_reports(name):
    site = platforms.MOCKS[name]()
    proc, log, base = probe(site, site.home_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]
    columns = re.findall(r"^column: (\S+)", proc.stdout, re.M)
    assert base + site.column_paths[0] in columns
    # robots-disallowed reports are listed too (the probe counts lists; a crawl skips them)
    assert len(site.expected_reports) <= listed(proc.stdout)
    assert "SHORTFALL" not in proc.stdout
    tomllib.loads(source_block(proc.stdout))


def test_probe_on_a_challenged_portal_says_it_was_blocked():
    site = platforms.MOCKS["challenge"]()
    proc, log, base = probe(site, site.home_path)
    assert proc.returncode == 1
    assert re.search(r"^blocked: anti-bot challenge at 127\.0\.0\.1:\d+", proc.stdout, re.M)
