"""The Scrapy project: discover annual reports on gov.cn portals, archive every response."""
