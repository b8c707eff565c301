"""The published corpus as a researcher sees it: Datasette in headless Chromium, over the demo database.

Debian's chromium (installed by tests/setup.sh), driven by Playwright.
"""
import shutil
import subprocess
import sys
import time
import urllib.request

import pandas as pd
import pytest

from conftest import ROOT, free_port, nianbao
from corpus.schema import connect

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    if shutil.which("apt-get"):
        raise RuntimeError("chromium is missing: run tests/setup.sh (it installs Debian's chromium)")
    pytest.skip("no chromium and no apt-get to install it", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")



@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browse")
    db = tmp / "corpus.db"
    nianbao("demo", "--no-serve", "--db", db)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "nianbao.cli", "serve", "--db", str(db), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError(proc.stderr.read().decode())
    yield {"base": base, "db": db, "tmp": tmp}
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()


def db_count(site, sql, params=()):
    return connect(site["db"]).execute(sql, params).fetchone()[0]


def test_the_reports_table_opens_with_every_report(site, page):
    page.goto(site["base"] + "/corpus/reports")
    assert page.locator("h1").inner_text().strip() == "reports"
    assert page.locator("h3").first.inner_text().startswith(f"{db_count(site, 'select count(*) from reports')} rows")
    assert page.locator("table.rows-and-columns tbody tr").count() == 13


def test_clicking_a_year_facet_filters_the_table(site, page):
    page.goto(site["base"] + "/corpus/reports")
    page.locator(".facet-info[data-column=year] a", has_text="2023").first.click()
    page.wait_for_url("**year=2023**")
    expected = db_count(site, "select count(*) from reports where year = 2023")
    assert page.locator("table.rows-and-columns tbody tr").count() == expected
    assert expected >= 4


def test_a_canned_query_runs_from_the_database_page(site, page):
    page.goto(site["base"] + "/corpus")
    page.get_by_role("link", name="Applications per year and level").click()
    page.wait_for_url("**/corpus/applications_per_year_level**")
    headers = page.locator("table.rows-and-columns th").all_inner_texts()
    assert [h.strip() for h in headers][:3] == ["year", "level", "reports"]
    years = {c.strip() for c in page.locator("table.rows-and-columns td.col-year").all_inner_texts()}
    # reports that fail their checks are left out by default (exclude_failing)
    assert years == {str(y) for (y,) in connect(site["db"]).execute("select distinct year from reports where check_status != 'fail'").fetchall()}


def test_chinese_full_text_search_from_the_search_box(site, page):
    page.goto(site["base"] + "/corpus/reports")
    page.fill("input[name=_search]", "官庄镇")
    page.locator("form.filters input[type=submit]").click()
    page.wait_for_url("**_search=**")
    agencies = page.locator("table.rows-and-columns td.col-agency").all_inner_texts()
    assert [a.strip() for a in agencies] == ["安丘市官庄镇人民政府"]


def test_a_csv_download_of_a_view_opens_in_pandas(site, page):
    page.goto(site["base"] + "/corpus/report_summary?year=2023")
    page.check("input[name=_dl]")
    with page.expect_download() as dl:
        page.locator("input[type=submit][value='Export CSV']").click()
    path = dl.value.path()
    df = pd.read_csv(path)
    assert {"report_id", "year", "agency", "agency_id", "level", "new_received", "total_handled", "granted"} <= set(df.columns)
    assert set(df["year"]) == {2023}
    assert len(df) == db_count(site, "select count(*) from reports where year = 2023")


def test_the_applications_chart_draws(site, page):
    page.goto(site["base"] + "/")  # the site's description lists the charts
    page.get_by_role("link", name="Applications per year", exact=True).click()
    page.wait_for_url("**chart_applications_per_year**")
    chart = page.locator(".datasette-vega svg, .datasette-vega canvas, .vega-embed svg, .vega-embed canvas").first
    chart.wait_for(state="visible", timeout=20000)
    box = chart.bounding_box()
    assert box["width"] > 100 and box["height"] > 50


def test_each_report_links_to_its_archived_copy(site, page):
    page.goto(site["base"] + "/corpus/reports?agency=安丘市官庄镇人民政府")
    link = page.locator("td.col-url a", has_text="archived copy").first
    link.click()
    page.wait_for_url("**/-/archived?url=**")
    assert "安丘市官庄镇人民政府" in page.content()
