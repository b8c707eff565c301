"""Real pages of every platform in the registry, read by the crawler as a crawl reads them.

Each saved page under ``tests/fixtures/platforms/<family>/`` (where it came from: that folder's
``SOURCES.md``) has an ``<page>.expected.json`` typed by reading the page itself: the family it
belongs to, the entries its list shows (title, address, date), which of them are annual
disclosure reports, every other page of its list it implies, the API requests its script implies,
other lists it leads to, and the size it states. The page goes through the real code path — the
registry's ``detect()``, the family's ``list_entries``, and the spider's ``parse_list`` (family
pagination, ``crawler/pagination.py``'s pager reading, the ledger of ``crawler/completeness.py``)
— from a scrapy ``HtmlResponse`` of the saved bytes.

Two addresses of one page (a folder URL and its ``index.html``; a pager's link to page 1) are
``same_page`` in the expected file: requesting them is allowed, not required.

A registry family with no saved real page fails :func:`test_every_family_has_a_saved_real_page`
(model: fundus' tests/test_parser.py, one saved page and expected output per publisher); the
families in ``NOT_FOUND`` were searched for without result and are expected failures, each with
what was searched, until a page is saved for them.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.utils.test import get_crawler

from crawler.families import FAMILIES, detect
from crawler.families.registry import names
from crawler.spiders.reports import ReportsSpider

PAGES = Path(__file__).parent / "fixtures" / "platforms"
CASES = sorted(PAGES.glob("*/*.expected.json"))

# Families no real page of which was found (search tool: pages, code, find_string; 2026-12-02).
# A page saved for one of them fails its gate test until it is taken out of this list.
NOT_FOUND = {
    "gkmlpt": "no saved shell page or /gkmlpt/api/all/ answer in the indexed repositories; only crawlers "
              "and hand-made answers in their tests (find_string '/gkmlpt/api/all/', '\"display_publish_time\":')",
    "hanweb_annual": "find_string 'xxgkAnnualReport' finds nothing; the pages corpus holds no such page",
}
MIN_PAGES = {"generic": 2}  # generic: list pages of sites no family claims


def _case(path: Path) -> dict:
    exp = json.loads(path.read_text(encoding="utf-8"))
    exp["_path"] = path.parent / exp["page"]
    exp["_dir"] = path.parent.name
    return exp


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name.removesuffix('.expected.json')}"


def _response(exp: dict) -> TextResponse:
    url = exp["url"]
    request = Request(url, meta={"role": "list", "column": url.split("#")[0]})
    return HtmlResponse(url=url.split("#")[0], body=exp["_path"].read_bytes(), encoding="utf-8", request=request)


def _crawl(exp: dict):
    """What the spider makes of the page: its requests, and the ledger column of the page's list
    (read once per page: each test asks about one part of it)."""
    key = str(exp["_path"])
    if key not in _CRAWLED:
        _CRAWLED[key] = _crawl_once(exp)
    return _CRAWLED[key]


_CRAWLED: dict = {}


def _crawl_once(exp: dict):
    spider = ReportsSpider.from_crawler(get_crawler(ReportsSpider), start_url=exp["url"])
    response = _response(exp)
    requests = list(spider.parse_list(response))
    column = response.meta["column"]
    return requests, spider.ledger.column(column), column


@pytest.fixture(params=CASES, ids=_id)
def case(request):
    return _case(request.param)


def test_the_page_is_detected_as_its_platform(case):
    assert detect(_response(case)) == case["family"]


def test_the_page_is_saved_under_its_platform(case):
    assert case["_dir"] == case["family"]


def test_every_entry_the_list_shows_is_read_with_its_title_address_and_date(case):
    resp = _response(case)
    read = {e.url: (e.title, e.date) for e in FAMILIES[detect(resp)].list_entries(object(), resp)}
    expected = {e["url"]: (e["title"], e["date"]) for e in case["entries"]}
    assert {u: read.get(u) for u in expected} == expected


def test_exactly_the_listed_reports_are_requested_as_reports(case):
    requests, _, _ = _crawl(case)
    assert sorted(r.url for r in requests if r.meta.get("role") == "report") == sorted(case["reports"])


def test_the_other_pages_of_the_list_are_requested(case):
    requests, _, column = _crawl(case)
    asked = {r.url for r in requests if r.meta.get("role") == "list" and r.method == "GET"
             and r.meta.get("column") == column} - {case["url"]} - set(case.get("same_page", []))
    assert asked == set(case["next_pages"])


def test_the_api_requests_the_script_implies_are_made(case):
    requests, _, _ = _crawl(case)
    made = [{"method": r.method, "url": r.url, "form": dict(parse_qsl(r.body.decode(), keep_blank_values=True))}
            for r in requests if r.method == "POST"]
    assert made == case.get("api_requests", [])


def test_other_lists_the_page_leads_to_are_followed(case):
    requests, _, column = _crawl(case)
    others = {r.url for r in requests if r.meta.get("role") == "list" and r.meta.get("column") != column}
    assert others == set(case.get("other_lists", []))


def test_the_size_the_list_states_is_read(case):
    _, col, _ = _crawl(case)
    assert {"entries": col.stated_entries, "pages": col.stated_pages} == case["stated"]


@pytest.mark.parametrize("family", names())
def test_every_family_has_a_saved_real_page(family):
    saved = [c for c in map(_case, CASES) if c["family"] == family and c["_path"].exists()]
    if family in NOT_FOUND:
        assert not saved, f"{family} has a saved real page now: take it out of NOT_FOUND"
        pytest.xfail(f"no real {family} page found: {NOT_FOUND[family]}")
    assert len(saved) >= MIN_PAGES.get(family, 1)
    assert (PAGES / family / "SOURCES.md").exists()


def test_every_saved_page_has_its_expected_output():
    saved = {p for p in PAGES.glob("*/*") if p.suffix not in (".json", ".md")}
    assert saved == {_case(c)["_path"] for c in CASES}


# -- behaviours a real page showed (each came from the page named) ----------------------------------


def test_trs_fast_path_reads_the_call_after_an_inline_createPageHTML_definition():
    # yzq.gov.cn's list defines `function createPageHTML(_nPageCount, …)` before calling
    # createPageHTML(120, 0, "index", "html"): the family read the definition and listed no page
    exp = _case(PAGES / "trs" / "yzq_zwyw_index.expected.json")
    spider = ReportsSpider.from_crawler(get_crawler(ReportsSpider), start_url=exp["url"])
    pages = set(FAMILIES["trs"].next_list_pages(spider, _response(exp)))
    assert pages - set(exp["same_page"]) == set(exp["next_pages"])


def test_hanweb_groups_are_walked_while_full_when_the_column_states_no_total():
    # dingxi.gov.cn's datastore carries 45 records and a <nextgroup> link but no total: the next group
    # is asked, and after it the next, until one comes back short
    exp = _case(PAGES / "hanweb" / "dingxi_col12377_datastore.expected.json")
    spider = ReportsSpider.from_crawler(get_crawler(ReportsSpider), start_url=exp["url"])
    (first,) = FAMILIES["hanweb"].next_list_pages(spider, _response(exp))

    def answer(request, n_records):
        records = "".join(f"<record><![CDATA[<li><a href='/art/{i}.html' title='t{i}'>t</a></li>]]></record>"
                          for i in range(n_records))
        return TextResponse(url=request.url, body=f"<datastore><recordset>{records}</recordset></datastore>".encode(),
                            encoding="utf-8", request=request.replace(meta=request.meta))

    (second,) = FAMILIES["hanweb"].next_list_pages(spider, answer(first, 45))
    assert "startrecord=91&endrecord=135" in second.url and second.body == first.body
    assert FAMILIES["hanweb"].next_list_pages(spider, answer(second, 12)) == []


def test_an_entry_takes_the_date_of_its_own_item_not_the_lists_first():
    # pingtan.gov.cn's items are <dl>s in one <div>: reading the div gave every entry the first date.
    # Items not wrapped one by one keep the date printed beside their link.
    from crawler.families.generic import entries_from_anchors

    html = ('<div><dl><dd><a href="/a.htm">甲</a></dd><dd>2026-03-10</dd></dl>'
            '<dl><dd><a href="/b.htm">乙</a></dd><dd>2025-03-10</dd></dl></div>'
            '<div><a href="/c.htm">丙</a><span>2024-01-09</span><br><a href="/d.htm">丁</a><span>2023-02-03</span></div>')
    resp = HtmlResponse("http://x.gov.cn/l/", body=html.encode(), encoding="utf-8")
    dates = {e.title: e.date for e in entries_from_anchors(resp.css("a[href]"), resp.url)}
    assert dates == {"甲": "2026-03-10", "乙": "2025-03-10", "丙": "2024-01-09", "丁": "2023-02-03"}
