"""A column's list pages are requested once each, whichever of its pages the crawl reads first.

TRS pages each carry ``createPageHTML(total, current, …)``, so every page could request every
other page; requesting them from every page made a crawl quadratic in its list pages.
"""
import re

from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.spiders.reports import ReportsSpider
from nianbao.portal.builders import Listed, trs_site
from nianbao.synthetic import synthetic_report

COLUMN = "http://127.0.0.1/zwgk/zfxxgknb/"


def trs_list_pages(n_reports: int) -> list[HtmlResponse]:
    """The list pages of a TRS column of ``n_reports`` reports (and the portal's look-alike notices)."""
    items = [Listed(synthetic_report(f"示范县第{i}单位", 2023, seed=i), "html", published="2024-02-01")
             for i in range(n_reports)]
    site = trs_site(items, per_page=2)
    n_pages = sum(1 for path in site.resources if re.fullmatch(r"/zwgk/zfxxgknb/index(_\d+)?\.html", path))
    names = ["index.html"] + [f"index_{n}.html" for n in range(1, n_pages)]
    return [HtmlResponse(COLUMN + name, body=site.resources["/zwgk/zfxxgknb/" + name].body, encoding="utf-8")
            for name in names]


def trs_spider() -> ReportsSpider:
    return ReportsSpider.from_crawler(get_crawler(ReportsSpider), family="trs")


def list_requests(spider, response) -> list[str]:
    return [r.url for r in spider.parse_list(response) if r.meta.get("role") == "list"]


def test_the_first_list_page_read_requests_every_page_of_the_column():
    pages = trs_list_pages(8)
    spider = trs_spider()
    assert list_requests(spider, pages[0]) == [p.url for p in pages]


def test_later_pages_of_the_same_column_request_none_again():
    pages = trs_list_pages(8)
    spider = trs_spider()
    list_requests(spider, pages[0])
    assert [list_requests(spider, p) for p in pages[1:]] == [[]] * (len(pages) - 1)


def test_a_crawl_starting_on_a_later_page_still_requests_every_page():
    pages = trs_list_pages(8)
    spider = trs_spider()
    assert list_requests(spider, pages[2]) == [p.url for p in pages]


def test_a_page_count_that_grows_mid_crawl_lists_the_pages_again():
    spider = trs_spider()
    list_requests(spider, trs_list_pages(6)[0])
    grown = trs_list_pages(8)
    assert list_requests(spider, grown[1]) == [p.url for p in grown]
