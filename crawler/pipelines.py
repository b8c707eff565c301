"""Items → the corpus: each report item is extracted and stored as it arrives.

Extraction runs in worker processes under the limits of :mod:`extract.limits` (settings
``NIANBAO_EXTRACT_*``), reached from a thread so the reactor keeps downloading while a document
is read; storing happens back in the reactor thread, which owns the database connection. A
document stopped by a limit is stored flagged and its ``documents`` row says why.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from twisted.internet.defer import Deferred

from corpus.ingest import Candidate, Doc, choose, store
from extract.limits import Limits, acquire_pool, release_pool

from .archive import get_archive


def doc_from(d: dict) -> Doc:
    return Doc(url=d["url"], body=d["body"], content_type=d.get("content_type"), sha256=d.get("sha256"),
               fetched_at=d.get("fetched_at"), archive=d.get("archive"), filename=d.get("filename"))


def _deferred(future) -> Deferred:
    """A Deferred fired in the reactor thread when a concurrent.futures Future completes."""
    from twisted.internet import reactor

    d: Deferred = Deferred()

    def settle(f):
        if f.exception() is not None:
            d.errback(f.exception())
        else:
            d.callback(f.result())

    future.add_done_callback(lambda f: reactor.callFromThread(settle, f))
    return d


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.limits = Limits.from_settings(crawler.settings)
        self.pool = None
        self.threads = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        # the database and its whole schema exist before any worker can hand back a result (not
        # on the first response archived: a report must never be stored into tables half made)
        get_archive(self.crawler)
        self.pool = acquire_pool(self.limits)
        # one waiting thread per worker: callers queue here, not in the reactor's thread pool (DNS)
        self.threads = ThreadPoolExecutor(self.pool.size, thread_name_prefix="nianbao-extract")

    def close_spider(self, spider=None):
        stats = self.crawler.stats
        if self.pool is not None:
            stats.set_value("nianbao/extract_workers", self.pool.size)
            stats.max_value("nianbao/extract_peak_rss_kb", self.pool.peak_rss_kb)
        if self.threads is not None:
            self.threads.shutdown(wait=True)
        if self.pool is not None:
            release_pool(self.pool)
            self.pool = None

    async def process_item(self, item, spider=None):
        from scrapy.utils.defer import maybe_deferred_to_future

        archive = get_archive(self.crawler)
        cand = Candidate(
            url=item["url"],
            page=doc_from(item["page"]),
            attachments=[doc_from(a) for a in item.get("attachments", [])],
            hints={k: item.get(k) for k in ("title", "published_date", "agency") if item.get(k)},
            source=item.get("source"),
            place=item.get("place") or {},
        )
        stats = self.crawler.stats
        limited: dict = {}
        try:
            report, doc = await maybe_deferred_to_future(_deferred(self.threads.submit(choose, cand, self.pool, limited)))
            rid, new = store(archive.db, cand, report, doc, limited)
        except Exception as e:  # a bug in extraction must not stop the crawl: record it
            stats.inc_value("nianbao/failed")
            with archive.db.conn:
                archive.db.execute("update documents set error = ? where url = ?",
                                   [f"extraction failed: {type(e).__name__}: {e}", cand.page.url])
            self.crawler.spider and self.crawler.spider.logger.error("extraction failed for %s: %s: %s", cand.url, type(e).__name__, e)
            return {"url": cand.url, "error": str(e)}
        related = [d["url"] for d in item.get("related", [])]
        if related:  # 图解/解读 pages: documents of the report they explain, never reports
            with archive.db.conn:
                for url in related:
                    archive.db.execute("update documents set report_id = ?, role = 'related' where url = ?", [rid, url])
            stats.inc_value("nianbao/related_documents", len(related))
        if limited:
            stats.inc_value("nianbao/extract_limits", len(limited))
            for url, reason in limited.items():
                self.crawler.spider and self.crawler.spider.logger.warning("extraction limit for %s: %s", url, reason)
        stats.inc_value("nianbao/reports_stored" if new else "nianbao/duplicates_folded")
        return {"url": cand.url, "report_id": rid, "duplicate": not new}
