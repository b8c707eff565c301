"""Downloader middlewares: archive every response, skip what is already archived, back off on errors."""
from __future__ import annotations

import asyncio

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as BaseRobotsTxtMiddleware
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred
from scrapy.exceptions import IgnoreRequest

from .archive import get_archive, request_meta


class ArchiveMiddleware:
    """Sits next to the downloader (order 650), so it sees every redirect hop and every failed
    attempt before Retry and Redirect act on them, and the bytes before decompression."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        archive = get_archive(self.crawler)
        row = archive.write(request, response, request_meta(request))
        request.meta["nianbao_document"] = row
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if 300 <= response.status < 400 and row["final_url"] in chain:
            # Scrapy's dupefilter would drop the next hop silently: say what happened
            loop = " → ".join(chain + [row["final_url"]])
            for url in chain:
                archive.failure(request.replace(url=url), f"redirect loop: {loop}", request_meta(request))
            self.crawler.stats.inc_value("nianbao/redirect_loops")
        self.crawler.stats.inc_value("nianbao/archived")
        return response

    def process_exception(self, request, exception, spider=None):
        if isinstance(exception, AlreadyArchived):
            return None  # not a failure: the archived copy stands
        get_archive(self.crawler).failure(request, f"{type(exception).__name__}: {exception}", request_meta(request))
        self.crawler.stats.inc_value("nianbao/fetch_errors")
        return None


class AlreadyArchived(IgnoreRequest):
    """Raised for a report an earlier run archived and stored: skipped, not failed."""


class SkipKnownMiddleware:
    """Incremental crawls: a report (or attachment) already archived and stored is not fetched
    again. List pages always are, since that is where new reports appear."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        if request.meta.get("role") in ("report", "attachment") and not request.meta.get("refetch"):
            if get_archive(self.crawler).known_report(request.url):
                self.crawler.stats.inc_value("nianbao/skipped_known")
                raise AlreadyArchived(f"already archived: {request.url}")
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, with an exponential pause before each new attempt (5xx, 429, timeouts)."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("NIANBAO_RETRY_BACKOFF_BASE", 2.0)
        self.cap = settings.getfloat("NIANBAO_RETRY_BACKOFF_MAX", 120.0)

    async def _pause(self, request):
        tries = request.meta.get("retry_times", 0)
        delay = min(self.cap, self.base * (2 ** max(0, tries - 1)))
        if delay > 0:
            await asyncio.sleep(delay)

    async def process_response(self, request, response, spider=None):
        result = super().process_response(request, response)
        if result is not response:
            await self._pause(result)
        return result

    async def process_exception(self, request, exception, spider=None):
        result = super().process_exception(request, exception)
        if result is not None:
            await self._pause(result)
        return result


class RobotsTxtMiddleware(BaseRobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with every waiting request given the parser.

    In Scrapy 2.19 the requests that arrive while a host's robots.txt is still being fetched all
    await one Deferred through ``asFuture``, which passes the parser to the first waiter and
    ``None`` ("no robots.txt: allow all") to the others. That lets disallowed URLs through when a
    crawl resumes from its JOBDIR or starts with several URLs on one host. Once the fetch is
    done the parser sits in ``self._parsers``, so it is read from there.
    """

    async def robot_parser(self, request):
        parser = await super().robot_parser(request)
        if parser is None:
            settled = self._parsers.get(urlparse_cached(request).netloc)
            if settled is not None and not isinstance(settled, Deferred):
                return settled
        return parser
