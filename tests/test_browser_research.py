"""The researcher's corpus in headless Chromium, over the demo database: one report read in the
official layout, search that fits Chinese, coverage, canned queries that exclude failing reports.

Debian's chromium driven by Playwright, as tests/test_browser.py (whose fixtures these reuse).
"""
from urllib.parse import quote

import pytest

from corpus.schema import connect
from test_browser import browser, page, site  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow


def q(site, sql, params=()):
    return connect(site["db"]).execute(sql, params).fetchall()


@pytest.mark.parametrize("fmt, n_rows", [("2019", 23), ("2021", 25)])
def test_a_report_opens_from_its_row_in_the_official_layout(site, page, fmt, n_rows):
    page.goto(site["base"] + f"/corpus/report_summary?format={fmt}&_sort=report_id")
    rid = page.locator("td.col-report_id").first.inner_text().strip()
    page.locator("td.col-title a").first.click()
    page.wait_for_url(f"**/report/{rid}")
    assert page.locator("table.nb-applications tr[data-row]").count() == n_rows
    headers = page.locator("table.nb-applications th").all_inner_texts()
    assert "三、本年度办理结果" in headers and "（三）不予公开" in headers and "法人或其他组织" in headers
    # table 二 in the format's own items: 2019 has 政府集中采购, 2021 does not
    items = page.locator("table.nb-active tr[data-item] th").all_inner_texts()
    assert ("政府集中采购" in items) == (fmt == "2019")
    # table 四: fifteen numbers
    assert page.locator("table.nb-review td").count() == 15


def test_a_cell_shows_its_value_and_its_provenance_on_hover(site, page):
    rid, total = q(site, "select a.report_id, a.total from applications a join reports r using (report_id) "
                         "where a.row = 'new_received' and r.format = '2021' order by a.report_id limit 1")[0]
    page.goto(site["base"] + f"/report/{rid}")
    cell = page.locator("table.nb-applications tr[data-row=new_received] td").last
    assert cell.inner_text().strip() == str(total)
    raw, status, where = q(site, "select raw, status, location from cells where report_id = ? and tbl = 'applications' "
                                 "and row = 'new_received' and col = 'total'", [rid])[0]
    title = cell.get_attribute("title")
    assert f"原文 raw: {raw}" in title and f"状态 status: {status}" in title and (where or "") in title


def test_identities_stand_beside_the_table_with_pass_and_fail(site, page):
    rid, n_failed = q(site, "select report_id, count(*) from checks where ok = 0 group by report_id order by report_id limit 1")[0]
    page.set_viewport_size({"width": 1440, "height": 900})  # a laptop screen
    page.goto(site["base"] + f"/report/{rid}")
    assert page.locator(".nb-fail-detail").count() == n_failed
    table = page.locator("table.nb-applications").bounding_box()
    checks = page.locator(".nb-checks").first.bounding_box()
    assert checks["x"] >= table["x"] + table["width"] - 1  # beside, not below


def test_the_report_page_links_the_source_and_its_archived_copy(site, page):
    # a report read from an HTML page, whose archived copy is that page (report ids hash the URL,
    # port included: the first by id may be a PDF listed directly, or a page with a PDF attachment)
    rid, url, agency = q(site, "select report_id, url, agency from reports where format = '2021' and attachment_url is null "
                               "and url like '%.html' order by report_id limit 1")[0]
    page.goto(site["base"] + f"/report/{rid}")
    assert page.locator(f"a[href='{url}']").count() >= 1
    page.locator("dl.nb-meta a", has_text="archived copy").first.click()
    page.wait_for_url("**/-/archived?url=**")
    assert agency in page.content()


def test_the_reports_list_opens_without_the_body_text(site, page):
    page.goto(site["base"] + "/corpus/reports")
    assert "_nocol=body_text" in page.url
    assert page.locator("th.col-body_text").count() == 0
    assert page.locator("table.rows-and-columns tbody tr").count() == len(q(site, "select 1 from reports"))
    assert page.evaluate("document.body.scrollHeight") < 8000  # it was 73,832 px with every text inline
    page.goto(site["base"] + "/corpus/reports?_all_columns=1")
    assert page.locator("th.col-body_text").count() == 1


def search(page, site, terms, section=None):
    page.goto(site["base"] + "/")
    page.get_by_role("link", name="Search the reports").first.click()
    page.fill("input[name=q]", terms)
    if section:
        page.select_option("select[name=section]", str(section))
    page.locator("form.nb-search input[type=submit]").click()
    page.wait_for_url("**/search?q=**")


def body_texts(site, section=None):
    if section:
        return q(site, "select report_id, text from sections where section_no = ?", [section])
    return q(site, "select report_id, body_text from reports")


def test_a_two_character_search_finds_and_shows_it_in_context(site, page):
    search(page, site, "复议")
    expected = sum(1 for _, text in body_texts(site) if "复议" in (text or ""))
    assert expected > 0 and page.locator("table.nb-results tr td.nb-kwic").count() == expected
    assert page.locator("td.nb-kwic mark", has_text="复议").count() >= expected


def test_a_mixed_search_needs_every_term_and_marks_each(site, page):
    search(page, site, "行政复议 纠正")
    expected = sum(1 for _, text in body_texts(site) if "行政复议" in (text or "") and "纠正" in (text or ""))
    assert page.locator("td.nb-kwic").count() == expected > 0
    first = page.locator("td.nb-kwic").first
    assert first.locator("mark", has_text="行政复议").count() and first.locator("mark", has_text="纠正").count()


def test_a_search_within_a_section(site, page):
    search(page, site, "问题", section=5)
    expected = sum(1 for _, text in body_texts(site, 5) if "问题" in (text or ""))
    assert page.locator("td.nb-kwic").count() == expected > 0
    assert "section=5" in page.url


def test_capped_results_say_so_and_page_on(site, page):
    page.goto(site["base"] + "/search?q=" + quote("公开") + "&size=5")
    assert page.locator("td.nb-kwic").count() == 5
    assert "more match" in page.locator("p.nb-capped").inner_text()
    page.locator("p.nb-capped a").click()
    page.wait_for_url("**offset=5**")
    assert page.locator("td.nb-kwic").count() >= 1


def test_a_term_found_nowhere_says_so(site, page):
    page.goto(site["base"] + "/search?q=" + quote("行政复议 ㊣"))
    assert "No report contains" in page.locator("p.nb-none").inner_text()


def test_the_database_downloads_from_the_front_page(site, page):
    import sqlite3

    page.goto(site["base"] + "/")
    with page.expect_download() as dl:
        page.get_by_role("link", name="the SQLite database").click()
    conn = sqlite3.connect(dl.value.path())
    assert conn.execute("select count(*) from reports").fetchone() == (len(q(site, "select 1 from reports")),)


def test_the_front_page_links_the_release_and_its_files_download(site, page):
    import pandas as pd

    from conftest import nianbao

    nianbao("release", site["tmp"] / "corpus-release", "--db", site["db"])
    page.goto(site["base"] + "/")
    page.get_by_role("link", name="the release").click()
    page.wait_for_url("**/-/release")
    assert page.locator("a", has_text="datapackage.json").count() == 1
    with page.expect_download() as dl:
        page.locator("a", has_text="csv/report_summary.csv").click()
    df = pd.read_csv(dl.value.path(), encoding="utf-8-sig")
    assert len(df) == len(q(site, "select 1 from report_summary"))


def test_the_coverage_view_lists_the_governments_missing_per_province_level_and_year(site, page):
    page.goto(site["base"] + "/")
    page.get_by_role("link", name="coverage").first.click()
    page.wait_for_url("**/corpus/coverage")
    page.goto(site["base"] + "/corpus/coverage?year=2023&province=" + quote("山东省") + "&level=" + quote("县级"))
    expected = len(q(site, "select 1 from divisions where province = '山东省' and level = '县级'"))
    assert page.locator("td.col-expected").inner_text().strip() == str(expected)
    found = len(q(site, "select 1 from reports where year = 2023 and province = '山东省' and level = '县级' and agency_type = '政府'"))
    assert page.locator("td.col-found").inner_text().strip() == str(found)
    assert "安丘市" in page.locator("td.col-missing_governments").inner_text()


def test_agencies_absent_the_next_year_link_to_their_last_report(site, page):
    page.goto(site["base"] + "/corpus/agencies_absent?missing_year=2024")
    names = [n.strip() for n in page.locator("td.col-agency_name").all_inner_texts()]
    assert "示范县教育局" in names  # reports for 2023 in the demo, none for 2024
    page.locator("td.col-report_id a").first.click()
    page.wait_for_url("**/report/**")
    assert page.locator("table.nb-applications").count() == 1


def _shares(page):
    rows = {}
    for tr in page.locator("table.rows-and-columns tbody tr").all():
        cells = {c.get_attribute("class").split()[0][4:]: c.inner_text().strip() for c in tr.locator("td").all()}
        rows[int(cells["year"])] = sum(float(cells[k] or 0) for k in ("granted", "partially_granted", "denied", "unable",
                                                                     "not_processed", "other"))
    return rows


def test_a_canned_query_excludes_failing_reports_by_default_and_says_so(site, page):
    page.goto(site["base"] + "/corpus")
    page.get_by_role("link", name="Outcome shares per year", exact=True).click()
    page.wait_for_url("**/corpus/outcome_shares**")
    assert page.title().startswith("Outcome shares per year")  # not the SQL
    assert "excluded by default" in page.locator(".content").inner_text()
    failing_years = {y for (y,) in q(site, "select distinct year from reports where check_status = 'fail' and year not in "
                                           "(select year from reports where check_status != 'fail' and year is not null)")}
    assert failing_years  # the demo has a year whose only report fails its checks
    shares = _shares(page)
    assert not failing_years & set(shares)
    assert all(abs(total - 1) <= 0.01 for total in shares.values()), shares
    page.fill("input[name=exclude_failing]", "0")
    page.locator("form.sql input[type=submit]").click()
    page.wait_for_url("**exclude_failing=0**")
    assert failing_years <= set(_shares(page))


def test_a_chart_has_a_title_a_readable_width_and_excludes_failing_reports(site, page):
    page.goto(site["base"] + "/")
    page.get_by_role("link", name="Outcome shares per year · 办理结果构成").click()
    page.wait_for_url("**/chart/outcome_shares")
    chart = page.locator("figure.nb-chart svg")
    assert chart.locator("text.chart-title").text_content() == "Outcome shares per year · 办理结果构成"
    assert chart.bounding_box()["width"] >= 800
    years = {y for (y,) in q(site, "select distinct year from report_summary where total_handled > 0 and check_status != 'fail'")}
    assert chart.locator("rect.bar").count() == 6 * len(years)  # six outcomes a year
    assert "Excluding" in page.locator("form").first.inner_text()
    page.get_by_role("button", name="Include them").click()
    page.wait_for_url("**exclude_failing=0**")
    all_years = {y for (y,) in q(site, "select distinct year from report_summary where total_handled > 0")}
    assert page.locator("figure.nb-chart svg rect.bar").count() == 6 * len(all_years) > 6 * len(years)


def test_a_short_term_in_a_table_search_box_goes_to_the_search_page(site, page):
    page.goto(site["base"] + "/corpus/report_search")
    page.fill("input[name=_search]", "复议")
    page.locator("form.filters input[type=submit]").click()
    page.wait_for_url("**/search?q=**")
    expected = sum(1 for _, text in body_texts(site) if "复议" in (text or ""))
    assert page.locator("td.nb-kwic").count() == expected > 0
