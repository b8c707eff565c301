"""Downloader middlewares: archive every response, skip what is already archived, back off on errors."""
from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as BaseRobotsTxtMiddleware
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future

from .archive import get_archive, request_meta
from .policy import Refused

logger = logging.getLogger(__name__)


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
            # stop here: a request that bypasses the dupefilter (an attachment) would otherwise
            # go round until REDIRECT_MAX_TIMES, and the errback must hear why
            raise RedirectLoop(f"redirect loop: {loop}")
        refresh = meta_refresh_target(request, response, self.crawler.settings)
        if refresh is not None:
            self._meta_refresh(request, refresh, chain, row)
        self.crawler.stats.inc_value("nianbao/archived")
        return response

    def _meta_refresh(self, request, target: str, chain: list[str], row: dict) -> None:
        """A page whose ``<meta http-equiv="refresh">`` Scrapy's MetaRefreshMiddleware (below this
        one) will follow. Scrapy marks requests, not responses, as seen, so a refresh back into the
        chain (a loop, or a page that reloads itself) is dropped by the dupefilter and the page
        reaches neither callback nor errback (scrapy/scrapy#1225, #105): lost without a word.
        A page that reloads itself is read as it is, as a browser shows it; a loop is recorded
        like a redirect loop; any other refresh is a hop whose ``final_url`` says where it leads."""
        archive = get_archive(self.crawler)
        if _same_page(target, request.url):
            request.meta["dont_redirect"] = True
            return
        if any(_same_page(target, u) for u in chain):
            loop = " → ".join(chain + [target])
            for url in chain:
                archive.failure(request.replace(url=url), f"redirect loop (meta refresh): {loop}", request_meta(request), hop=True)
            self.crawler.stats.inc_value("nianbao/redirect_loops")
            raise RedirectLoop(f"redirect loop (meta refresh): {loop}")
        with archive.db.conn:
            archive.db.execute("update documents set final_url = ? where url = ?", [target, row["url"]])

    def process_exception(self, request, exception, spider=None):
        if isinstance(exception, (AlreadyArchived, HostDeferred, Refused)):
            return None  # not a failure (the archived copy stands), or recorded by whoever refused it
        get_archive(self.crawler).failure(request, exception_reason(exception, request, self.crawler.settings), request_meta(request))
        self.crawler.stats.inc_value("nianbao/fetch_errors")
        return None


def exception_reason(exception, request, settings) -> str:
    """One line saying why a fetch raised ``exception``."""
    why = str(exception)
    if not why and type(exception).__name__ in ("DownloadCancelledError", "CancelledError"):
        # Scrapy cancels a body that grows past DOWNLOAD_MAXSIZE without a message (a size
        # announced in Content-Length is refused with one)
        limit = request.meta.get("download_maxsize", settings.getint("DOWNLOAD_MAXSIZE"))
        why = f"cancelled: the body grew past DOWNLOAD_MAXSIZE ({limit} bytes) while being read"
    return f"{type(exception).__name__}: {why}".rstrip(": ")


def meta_refresh_target(request, response, settings) -> str | None:
    """Where Scrapy's MetaRefreshMiddleware will send this response's request, or None."""
    from scrapy.http import HtmlResponse
    from scrapy.utils.response import get_meta_refresh

    if (not isinstance(response, HtmlResponse) or request.meta.get("dont_redirect")
            or not settings.getbool("METAREFRESH_ENABLED") or response.status != 200):
        return None
    interval, url = get_meta_refresh(response, ignore_tags=settings.getlist("METAREFRESH_IGNORE_TAGS"))
    if url and interval < settings.getfloat("METAREFRESH_MAXDELAY"):
        return url
    return None


def _same_page(a: str, b: str) -> bool:
    return a.split("#", 1)[0] == b.split("#", 1)[0]


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL of the same chain."""


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


class HostDeferred(IgnoreRequest):
    """A host asked the crawl to wait longer than it is willing to (Retry-After, robots.txt 5xx)."""


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, with an exponential pause before each new attempt (5xx, 429, timeouts), and
    ``Retry-After`` honoured (RFC 9110 §10.2.3: seconds or an HTTP date) up to
    ``NIANBAO_RETRY_AFTER_MAX`` seconds. A host that asks for more is deferred: the response is
    recorded with the reason, and the host's other requests of this crawl are recorded as
    deferred instead of being sent."""

    def __init__(self, settings, crawler=None):
        super().__init__(settings)
        self.crawler = crawler
        self.base = settings.getfloat("NIANBAO_RETRY_BACKOFF_BASE", 2.0)
        self.cap = settings.getfloat("NIANBAO_RETRY_BACKOFF_MAX", 120.0)
        self.retry_after_max = settings.getfloat("NIANBAO_RETRY_AFTER_MAX", 300.0)
        self.deferred: dict[str, tuple[float, str]] = {}  # host -> (monotonic time it may be asked again, why)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings, crawler)

    async def _pause(self, request, at_least: float = 0.0):
        tries = request.meta.get("retry_times", 0)
        delay = max(at_least, min(self.cap, self.base * (2 ** max(0, tries - 1))))
        if delay > 0:
            await asyncio.sleep(delay)

    def process_request(self, request, spider=None):
        host = urlparse_cached(request).netloc
        deferred = self.deferred.get(host)
        if deferred and time.monotonic() < deferred[0]:
            reason = deferred[1]
            get_archive(self.crawler).failure(request, reason, request_meta(request))
            self.crawler.stats.inc_value("nianbao/deferred")
            raise HostDeferred(reason)
        return None

    async def process_response(self, request, response, spider=None):
        wait = retry_after(response) if response.status in self.retry_http_codes else None
        if wait is not None and wait > self.retry_after_max and not request.meta.get("dont_retry"):
            host = urlparse_cached(request).netloc
            reason = (f"deferred: {host} answered HTTP {response.status} with Retry-After {wait:.0f} s, more than "
                      f"NIANBAO_RETRY_AFTER_MAX={self.retry_after_max:.0f} s; crawl it again later")
            self.deferred[host] = (time.monotonic() + wait, reason)
            get_archive(self.crawler).failure(request, reason, request_meta(request))
            self.crawler.stats.inc_value("nianbao/hosts_deferred")
            logger.warning("%s", reason)
            return response
        result = super().process_response(request, response)
        if result is not response:
            get_archive(self.crawler).retrying(request)
            await self._pause(result, at_least=wait or 0.0)
        return result

    async def process_exception(self, request, exception, spider=None):
        result = super().process_exception(request, exception)
        if result is not None:
            await self._pause(result)
        return result


def retry_after(response) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delay-seconds or an HTTP-date), None without one."""
    raw = response.headers.get(b"Retry-After")
    if not raw:
        return None
    text = raw.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class RobotsTxtMiddleware(BaseRobotsTxtMiddleware):
    """Scrapy's robots.txt middleware with RFC 9309 semantics and every waiting request given the
    parser.

    RFC 9309 §2.3.1.3: a robots.txt answering 4xx ("unavailable") allows everything.
    §2.3.1.4: 5xx or a network error ("unreachable") means complete disallow; the host is
    recorded as deferred (crawl it again later). Scrapy parses whatever body a 5xx carries (and so
    allows everything) and logs a network error with a traceback.

    In Scrapy 2.19 the requests that arrive while a host's robots.txt is still being fetched all
    await one Deferred through ``asFuture``, which passes the parser to the first waiter and
    ``None`` ("no robots.txt: allow all") to the others. That lets disallowed URLs through when a
    crawl resumes from its JOBDIR or starts with several URLs on one host. Once the fetch is
    done the parser sits in ``self._parsers``, so it is read from there.
    """

    async def robot_parser(self, request):
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            robotsreq = Request(f"{urlparse_cached(request).scheme}://{netloc}/robots.txt", priority=self.DOWNLOAD_PRIORITY,
                                meta={"dont_obey_robotstxt": True, "role": "robots"}, callback=NO_CALLBACK)
            try:
                resp = await self.crawler.engine.download_async(robotsreq)
            except Exception as e:  # unreachable: RFC 9309 §2.3.1.4
                self._settle(netloc, Unreachable(f"robots.txt of {netloc} unreachable ({type(e).__name__}: {e})"))
                self._stats.inc_value("robotstxt/unreachable")
            else:
                if resp.status >= 500:
                    self._settle(netloc, Unreachable(f"robots.txt of {netloc} answered HTTP {resp.status}"))
                    self._stats.inc_value("robotstxt/unreachable")
                elif resp.status >= 400:  # unavailable: RFC 9309 §2.3.1.3, allow all
                    self._stats.inc_value(f"robotstxt/response_status_count/{resp.status}")
                    self._settle(netloc, None)
                else:
                    await self._parse_robots(resp, netloc, request)
            self._stats.inc_value("robotstxt/request_count")
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            parser = await maybe_deferred_to_future(parser)
            settled = self._parsers.get(netloc)
            if parser is None and settled is not None and not isinstance(settled, Deferred):
                parser = settled
        return parser

    def _settle(self, netloc, parser):
        waiting = self._parsers[netloc]
        self._parsers[netloc] = parser
        if isinstance(waiting, Deferred):
            waiting.callback(parser)

    def process_request_2(self, rp, request):
        if isinstance(rp, Unreachable):
            reason = (f"deferred: {rp.why}; RFC 9309 §2.3.1.4 says disallow everything until it can be read, "
                      "crawl it again later")
            get_archive(self.crawler).failure(request, reason, request_meta(request))
            self._stats.inc_value("nianbao/deferred")
            raise HostDeferred(reason)
        return super().process_request_2(rp, request)


class Unreachable:
    """The parser of a robots.txt that could not be read: disallows everything (RFC 9309 §2.3.1.4)."""

    def __init__(self, why: str):
        self.why = why

    def allowed(self, url, user_agent) -> bool:
        return False
