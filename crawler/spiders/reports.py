"""``scrapy crawl reports -a start_url=URL [-a family=trs] [-a year=2024]``: any report column."""
from .base import ReportSpider


class ReportsSpider(ReportSpider):
    name = "reports"
