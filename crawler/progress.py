"""A live progress line (pages fetched, reports found, errors) and a stored summary per run."""
from __future__ import annotations

import sys

from scrapy import signals
from twisted.internet import task

from .archive import dumps, get_archive, utcnow


class Progress:
    def __init__(self, crawler):
        self.crawler = crawler
        self.interval = crawler.settings.getfloat("NIANBAO_PROGRESS_INTERVAL", 5.0)
        self.loop = None
        self.started = utcnow()
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def line(self) -> str:
        s = self.crawler.stats
        return (
            f"pages {s.get_value('nianbao/archived', 0)} | reports {s.get_value('nianbao/reports_stored', 0)} "
            f"| known {s.get_value('nianbao/skipped_known', 0)} | errors {s.get_value('nianbao/fetch_errors', 0) + s.get_value('nianbao/failed', 0)}"
        )

    def show(self):
        if sys.stderr.isatty():
            sys.stderr.write("\r" + self.line() + "   ")
            sys.stderr.flush()
        else:
            self.crawler.spider.logger.info(self.line())

    def opened(self, spider):
        get_archive(self.crawler)
        if self.interval > 0:
            self.loop = task.LoopingCall(self.show)
            self.loop.start(self.interval, now=False)

    def closed(self, spider, reason):
        if self.loop and self.loop.running:
            self.loop.stop()
        s = self.crawler.stats
        archive = get_archive(self.crawler)
        extras = spider.nianbao_run_extras(archive) if hasattr(spider, "nianbao_run_extras") else {}
        archive.record_run({
            **extras,
            "run_id": archive.run_id,
            "started_at": self.started,
            "finished_at": utcnow(),
            "spider": spider.name,
            "args": dumps(getattr(spider, "nianbao_args", {})),
            "finish_reason": reason,
            "pages": s.get_value("nianbao/archived", 0),
            "reports": s.get_value("nianbao/reports_stored", 0),
            "errors": s.get_value("nianbao/fetch_errors", 0) + s.get_value("nianbao/failed", 0),
            "stats": dumps(s.get_stats()),
        })
        if sys.stderr.isatty():
            sys.stderr.write("\r" + self.line() + "\n")
        archive.close()
