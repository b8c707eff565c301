"""``scrapy crawl discover -a start_url=HOME``: find a portal's report column(s) from its home page.

The home page (and one level of 信息公开 hubs under it) is searched for links named like a
report column (政府信息公开年报, 年度报告 …); each column found is then crawled as a list.
"""
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import TextResponse

from .. import recognize
from .base import ReportSpider


class DiscoverSpider(ReportSpider):
    name = "discover"

    def start_requests(self):
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse_home, errback=self.on_error, meta=self._meta("home", depth_left=1))

    def parse_home(self, response):
        if not isinstance(response, TextResponse):
            return
        host = urlsplit(response.url).netloc
        for a in response.css("a[href]"):
            text = (a.attrib.get("title") or "".join(a.css("::text").getall())).strip()
            url = urljoin(response.url, a.attrib["href"])
            if urlsplit(url).netloc != host:
                continue
            if recognize.is_column_link(text):
                self.crawler.stats.inc_value("nianbao/columns_found")
                yield scrapy.Request(url, callback=self.parse_list, errback=self.on_error, meta=self._meta("list", parent_url=response.url))
            elif recognize.is_hub_link(text) and response.meta.get("depth_left", 0) > 0:
                yield scrapy.Request(url, callback=self.parse_home, errback=self.on_error,
                                     meta=self._meta("home", parent_url=response.url, depth_left=0))
