"""Several crawler processes, on several machines, sharing one frontier in Redis (scrapy-redis).

scrapy-redis supplies the shared request queue and dupefilter: a URL is fetched by one worker
only, and both survive the workers (``SCHEDULER_PERSIST``), so a crawl resumes where all of them
stopped. Two things scrapy-redis does not do, added here:

* politeness across workers: Scrapy's download delay is per process, so N workers would hit a
  host N times as often. ``SharedHostDelayHandler`` takes a per-host slot in Redis
  (``SET key NX PX delay``) as each request is sent; a worker that does not get it waits.
* staying alive while others work: a worker whose queue is momentarily empty keeps waiting
  while another worker has been busy recently (it may still push requests), instead of leaving.

Each worker writes its own WARC files and its own SQLite file; ``nianbao merge`` combines them.
"""
from __future__ import annotations

import inspect
import os
import socket
import time
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import maybe_deferred_to_future


def distributed_settings(redis_url: str, crawl_name: str, host_delay: float | None = None) -> dict:
    """The settings that turn an ordinary crawl into one worker of a shared crawl."""
    prefix = f"nianbao:{crawl_name}"
    out = {
        "REDIS_URL": redis_url,
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
        "SCHEDULER_PERSIST": True,  # queue and seen-set outlive the workers: re-running resumes
        "SCHEDULER_IDLE_BEFORE_CLOSE": 1,
        "NIANBAO_REDIS_PREFIX": prefix,
        "JOBDIR": None,  # the frontier lives in Redis, not on one machine's disk
    }
    if host_delay is not None:
        out["NIANBAO_SHARED_HOST_DELAY"] = host_delay
    return out


def _redis(settings):
    import redis

    return redis.Redis.from_url(settings["REDIS_URL"])


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class SharedHostDelayHandler:
    """At most one request per host per delay, across every worker of the crawl.

    A download handler wrapping the one configured for the scheme (Scrapy's HTTP/1.1 handler, or
    scrapy-playwright's with ``--render``), so the shared slot is taken when the request is really
    sent: a downloader middleware runs before the request waits in its local download slot
    (DOWNLOAD_DELAY, randomised ×0.5–1.5, and the per-host concurrency), so a slot taken there
    could be spent before the request left, and two workers' requests reached the host 13 ms apart
    (seen in tests/test_distributed.py under load). The delay is ``NIANBAO_SHARED_HOST_DELAY``
    (default: ``DOWNLOAD_DELAY``). Robots.txt requests are exempt (each worker reads robots.txt itself).
    """

    lazy = False

    def __init__(self, crawler):
        s = crawler.settings
        self.crawler = crawler
        self.prefix = s.get("NIANBAO_REDIS_PREFIX")
        delay = s.getfloat("NIANBAO_SHARED_HOST_DELAY", s.getfloat("DOWNLOAD_DELAY", 0))
        self.delay_ms = int(delay * 1000)
        self.redis = _redis(s) if self.prefix and s.get("REDIS_URL") else None
        self.inner_paths = s.getdict("NIANBAO_SHARED_DELAY_INNER_HANDLERS")
        self.inner: dict = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _handler(self, scheme: str):
        if scheme not in self.inner:
            from scrapy.utils.misc import build_from_crawler, load_object

            path = self.inner_paths.get(scheme, "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler")
            self.inner[scheme] = build_from_crawler(load_object(path), self.crawler)
        return self.inner[scheme]

    async def download_request(self, request, spider=None):
        await self._take_slot(request)
        handler = self._handler(urlsplit(request.url).scheme)
        if inspect.iscoroutinefunction(handler.download_request):
            return await handler.download_request(request)
        # Scrapy before 2.14 (pyproject allows 2.13): Deferred-returning handlers that take the spider
        return await _settled(handler.download_request(request, spider or self.crawler.spider))

    async def _take_slot(self, request) -> None:
        if self.redis is None or self.delay_ms <= 0 or request.url.endswith("/robots.txt"):
            return
        from twisted.internet import reactor
        from twisted.internet.task import deferLater

        key = f"{self.prefix}:host:{urlsplit(request.url).netloc}"
        waited = 0.0
        while not self.redis.set(key, worker_id(), nx=True, px=self.delay_ms):
            ttl = max(self.redis.pttl(key), 10) / 1000
            await maybe_deferred_to_future(deferLater(reactor, ttl, lambda: None))
            waited += ttl
        if waited:
            self.crawler.stats.inc_value("nianbao/distributed/host_waits")

    async def close(self) -> None:
        for h in self.inner.values():
            if hasattr(h, "close"):
                await _settled(h.close())


async def _settled(value):
    """The result of a handler call in either of Scrapy's handler APIs: a coroutine, a Deferred or a plain value."""
    if inspect.isawaitable(value):
        return await value
    if hasattr(value, "addCallback"):
        return await maybe_deferred_to_future(value)
    return value


class WorkerHeartbeat:
    """Announce this worker's activity; while another worker is active, an empty queue is not the end."""

    def __init__(self, crawler):
        s = crawler.settings
        self.prefix = s.get("NIANBAO_REDIS_PREFIX")
        self.redis = _redis(s) if self.prefix and s.get("REDIS_URL") else None
        self.ttl = s.getfloat("NIANBAO_WORKER_ACTIVE_TTL", 8.0)
        self.me = worker_id()
        self.started = time.monotonic()
        crawler.signals.connect(self.beat, signal=signals.response_received)
        crawler.signals.connect(self.idle, signal=signals.spider_idle)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _key(self, who):
        return f"{self.prefix}:worker:{who}"

    def beat(self, *args, **kwargs):
        if self.redis is not None:
            self.redis.set(self._key(self.me), "1", px=int(self.ttl * 1000))

    def idle(self, spider):
        if self.redis is None:
            return
        others = [k for k in self.redis.scan_iter(self._key("*")) if k.decode() != self._key(self.me)]
        queued = self.redis.zcard(f"{self.prefix}:requests")
        if queued or others or time.monotonic() - self.started < self.ttl:
            raise DontCloseSpider  # others may still push requests into the shared queue

    def closed(self, spider):
        if self.redis is not None:
            self.redis.delete(self._key(self.me))
