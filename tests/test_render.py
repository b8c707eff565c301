"""``--render``: a list built by JavaScript is loaded in the system Chromium, under the crawl's rules.

The mock column page carries an empty ``<ul>`` and a script that fetches its entries from a
JSON endpoint and writes them into the page, as the JavaScript-only lists of real 集约化
portals do (issue #15: gkmlpt directories are "JavaScript shells whose lists come only from a
JSON API"; TRS 动静结合 lists load the rest from a search API). The script also requests a path
robots.txt disallows: the browser must not fetch it. Without ``--render`` the crawl finds
nothing and says that the list needs JavaScript. The endpoint's address is computed when the
script runs: one a script names literally (``fetch('/api/nb.json')``) is read without a browser
(crawler/pagination.py ``script_endpoints``; tests/test_list_endpoints.py).
"""
import json
import shutil

import pytest

from conftest import nianbao
from corpus.schema import connect
from nianbao import render
from nianbao.portal import PortalServer
from nianbao.portal.builders import page_html
from nianbao.portal.site import Resource, Site
from nianbao.synthetic import synthetic_report

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not shutil.which("chromium"), reason="needs Debian's chromium")]

SHELL = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报_示范县</title></head>
<body><h2>政府信息公开年报</h2><ul id="list"></ul>
<script>
var api = ['', 'api', 'nb'].join('/') + '.json';
fetch(api).then(r => r.json()).then(items => {
  document.getElementById('list').innerHTML = items.map(
    i => '<li><a href="' + i.url + '" title="' + i.title + '">' + i.title + '</a><span>' + i.date + '</span></li>').join('');
});
fetch('/private/track.json').catch(() => null);
</script></body></html>"""


def js_site() -> Site:
    site = Site(name="js-list", robots="User-agent: *\nDisallow: /private/\n")
    items = []
    for k, (agency, year) in enumerate([("示范县人民政府", 2023), ("示范县财政局", 2023), ("示范县教育局", 2022)]):
        rep = synthetic_report(agency, year, seed=k)
        title = render.title_of(rep)
        path = f"/nb/{year + 1}01/t{k}.html"
        site.add(path, Resource(page_html(title, f"{year + 1}-01-20", render.html_body(rep)).encode()))
        site.expected_reports[path] = {"agency": agency, "year": year}
        items.append({"url": path, "title": title, "date": f"{year + 1}-01-20"})
    site.html("/nb/index.html", SHELL)
    site.add("/api/nb.json", Resource(json.dumps(items, ensure_ascii=False).encode(), "application/json"))
    site.add("/private/track.json", Resource(b"{}", "application/json"))
    return site


def crawl(tmp_path, *args):
    site = js_site()
    with PortalServer(site) as server:
        proc = nianbao("crawl", "--start-url", server.url("/nb/index.html"), "--db", tmp_path / "c.db", *args, check=False)
        log = list(server.log)
    conn = connect(tmp_path / "c.db")
    return site, proc, log, {(r["agency"], r["year"]) for r in conn.query("select agency, year from reports")}


def test_with_render_the_javascript_list_is_read_and_every_report_stored(tmp_path):
    site, proc, log, found = crawl(tmp_path, "--render")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert found == {(e["agency"], e["year"]) for e in site.expected_reports.values()}
    assert ("GET", "/api/nb.json", 200) in log  # the page's own request, made by the browser


def test_the_browser_obeys_robots_txt_for_its_own_requests(tmp_path):
    site, proc, log, found = crawl(tmp_path, "--render")
    assert not [p for _, p, _ in log if p.startswith("/private/")]


def test_without_render_the_crawl_says_the_list_needs_javascript(tmp_path):
    site, proc, log, found = crawl(tmp_path)
    assert found == set()
    assert "lists nothing without JavaScript; --render" in proc.stdout
