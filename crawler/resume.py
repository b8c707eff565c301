"""``--jobdir`` that loses nothing, whether the crawl was stopped cleanly or killed.

Scrapy writes a JOBDIR's queue state (``requests.queue/active.json``) and ``spider.state`` only
when the spider closes, while ``requests.seen`` (the dupefilter) is appended as requests are
scheduled. After ``kill -9`` the next run therefore starts with an empty queue and a dupefilter
that drops every start URL and list page: it exits in seconds with "0 responses archived", stuck
for good (reproduced on the loopback portals; see also the Scrapy docs, "Jobs: pausing and
resuming crawls": a job must be stopped safely to be resumed).

Reconciliation: each spider marks its JOBDIR as running while it runs and removes the mark after
a clean close. A mark found at start (or a dupefilter without a saved queue) means the previous
run died without saving its state, so the queue and the dupefilter are discarded and the crawl reads its list pages again, exactly as
a plain re-run does (reports archived and stored are not fetched again, see SkipKnownMiddleware;
anything fetched but not stored is fetched again). After a clean stop the saved queue is used,
and the report pages that were waiting for an attachment another report was fetching (state
that lives only in memory) are requested again from a list written at close. A job that
finished discards its Scrapy state, so running the same command again is an incremental crawl.
"""
from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.job import job_dir

logger = logging.getLogger(__name__)
MARK = "nianbao-running-{spider}"
WAITING = "nianbao-waiting-{spider}.json"
SCRAPY_STATE = ("requests.seen", "requests.queue", "spider.state")


def discard_state(jobdir: Path) -> None:
    for name in SCRAPY_STATE:
        p = jobdir / name
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        elif p.exists():
            p.unlink()


def reset_if_killed(jobdir: str | Path) -> bool:
    """Discard a JOBDIR's Scrapy state when a run left its running mark behind (it was killed),
    or when the dupefilter remembers requests but no queue was ever saved (a clean stop saves
    ``requests.queue/active.json``)."""
    jobdir = Path(jobdir)
    marks = list(jobdir.glob(MARK.format(spider="*")))
    unsaved = (jobdir / "requests.seen").exists() and not (jobdir / "requests.queue" / "active.json").exists()
    if not marks and not unsaved:
        return False
    discard_state(jobdir)
    for m in marks:
        m.unlink(missing_ok=True)
    logger.warning("%s: the previous run stopped without saving its state (killed?); its queue is discarded and "
                   "the crawl starts again from its list pages (stored reports are not fetched again)", jobdir)
    return True


class JobGuard:
    """Marks the JOBDIR while the spider runs; on a clean close, saves the report pages that were
    waiting in memory for a shared attachment."""

    def __init__(self, crawler):
        jobdir = job_dir(crawler.settings)
        if not jobdir:
            raise NotConfigured
        self.crawler = crawler
        self.jobdir = Path(jobdir)
        self.jobdir.mkdir(parents=True, exist_ok=True)
        crawler.nianbao_job_reset = reset_if_killed(self.jobdir)
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _mark(self, spider) -> Path:
        return self.jobdir / MARK.format(spider=spider.name)

    def opened(self, spider):
        if getattr(self.crawler, "nianbao_job_reset", False):
            self.crawler.stats.set_value("nianbao/job_reset_after_kill", 1)
        self._mark(spider).write_text("running\n")

    def closed(self, spider, reason):
        waiting = []
        shared = spider.__dict__.get("_shared_attachments")
        for state in (shared.state.values() if shared else ()):
            if state[0] == "waiting":
                for item, _rest in state[1]:
                    waiting.append({"url": item["url"], "list_title": item.get("title"), "list_date": item.get("published_date")})
        (self.jobdir / WAITING.format(spider=spider.name)).write_text(json.dumps(waiting, ensure_ascii=False))
        if reason == "finished":
            # the job is done: the same command later is a new incremental crawl (list pages read
            # again, stored reports skipped), not a no-op on a dupefilter that remembers them all
            discard_state(self.jobdir)
        self._mark(spider).unlink(missing_ok=True)


def in_flight_requests(spider):
    """Report pages a cleanly stopped job was holding in memory: requested again (once)."""
    import scrapy

    jobdir = job_dir(spider.crawler.settings) if getattr(spider, "crawler", None) else None
    if not jobdir:
        return
    path = Path(jobdir) / WAITING.format(spider=spider.name)
    if not path.exists():
        return
    pages = json.loads(path.read_text() or "[]")
    path.unlink()
    for p in pages:
        meta = spider._meta("report", list_title=p.get("list_title"), list_date=p.get("list_date"), refetch=True)
        yield scrapy.Request(p["url"], callback=spider.parse_report, errback=spider.on_error, meta=meta, dont_filter=True)
