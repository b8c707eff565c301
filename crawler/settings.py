"""Scrapy settings for real portals: polite by default.

Tests and the demo crawl loopback mock portals and turn the delays off (``nianbao.cli`` does that
for 127.0.0.0/8 start URLs only); everything else here is what a crawl of gov.cn portals uses.
"""
import os

BOT_NAME = "nianbao"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Who we are. Operators set NIANBAO_CONTACT (an e-mail or URL where a site's webmaster can reach
# them); the CLI refuses to crawl non-loopback hosts without it.
NIANBAO_CONTACT = os.environ.get("NIANBAO_CONTACT", "")
USER_AGENT = (
    "nianbao/0.1 (research corpus of 政府信息公开工作年度报告; "
    f"+https://pypi.org/project/nianbao/; contact: {NIANBAO_CONTACT or 'unset'})"
)
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,application/pdf,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
}

# Politeness
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 2.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50%, so requests do not arrive on a beat
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
COOKIES_ENABLED = False
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024  # a larger response is cut off and recorded as a failure
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024
REDIRECT_MAX_TIMES = 10

# Retries with backoff: 5xx, 429, 408 and network errors; not 4xx (a 404 stays a 404).
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
NIANBAO_RETRY_BACKOFF_BASE = 5.0
NIANBAO_RETRY_BACKOFF_MAX = 120.0
# Retry-After (429/503) is honoured up to this many seconds; a host asking for more is deferred
# (its requests recorded, not sent) and the crawl exits 1 so it is run again later.
NIANBAO_RETRY_AFTER_MAX = 300.0

# Only http and https are ever requested (crawler/policy.py); Scrapy's defaults would also read
# file:// from the local disk and decode data: URLs, so those handlers are off as well.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "s3": None, "ftp": None}
NIANBAO_ALLOWED_HOSTS = []  # hosts besides the start URLs' (and their subdomains) a crawl may request

DOWNLOADER_MIDDLEWARES = {
    "crawler.policy.PolicyMiddleware": 50,  # before anything else: scheme and host policy
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.RobotsTxtMiddleware": 100,  # fixes a robots bypass, see its docstring
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "crawler.middlewares.SkipKnownMiddleware": 120,
    "crawler.middlewares.ArchiveMiddleware": 650,
}
ITEM_PIPELINES = {"crawler.pipelines.StorePipeline": 300, "crawler.attachments.ReportLinksPipeline": 310}
EXTENSIONS = {"crawler.progress.Progress": 500, "crawler.resume.JobGuard": 520}

# Where the crawl writes: the corpus database and the WARC archive beside it.
NIANBAO_DB = os.environ.get("NIANBAO_DB", "corpus.db")
NIANBAO_ARCHIVE_DIR = os.environ.get("NIANBAO_ARCHIVE_DIR", "")
NIANBAO_PROGRESS_INTERVAL = 5.0
# tables published as pictures: fetch a report page's pictures and OCR them (`--no-ocr` sets NIANBAO_OCR=0)
NIANBAO_OCR = os.environ.get("NIANBAO_OCR", "1").strip().lower() not in ("0", "false", "no", "off")

HTTPERROR_ALLOW_ALL = False
FEED_EXPORT_ENCODING = "utf-8"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = os.environ.get("NIANBAO_LOG_LEVEL", "INFO")
TELNETCONSOLE_ENABLED = False
