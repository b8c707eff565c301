"""``scrapy crawl discover -a start_url=HOME``: find a portal's report column(s) from its home page.

The home page is read the way a person reads it (:mod:`crawler.navigation`): links named like a
report column (政府信息公开年报, 年度报告 …, or with zfxxgknb / xxgknb / ndbg in their path) are
crawled as lists; hub links (政务公开, 政府信息公开, 法定主动公开内容 …) are followed best first,
a few per page and a few levels deep, until the columns are found. A start URL that turns out
to be a report column itself is read as one (the same test the ``reports`` spider applies).
"""
import scrapy

from .base import ReportSpider


class DiscoverSpider(ReportSpider):
    name = "discover"

    def start_requests(self):
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse_list, errback=self.on_error,
                                 meta=self._meta("list", start=True, column=url, how_found="home page"))
