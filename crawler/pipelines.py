"""Items → the corpus: each report item is extracted and stored as it arrives."""
from __future__ import annotations

from corpus.ingest import Candidate, Doc, ingest

from .archive import get_archive


def doc_from(d: dict) -> Doc:
    return Doc(url=d["url"], body=d["body"], content_type=d.get("content_type"), sha256=d.get("sha256"),
               fetched_at=d.get("fetched_at"), archive=d.get("archive"), filename=d.get("filename"))


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item, spider=None):
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
        try:
            rid, new = ingest(archive.db, cand)
        except Exception as e:  # a bug in extraction must not stop the crawl: record it
            stats.inc_value("nianbao/failed")
            with archive.db.conn:
                archive.db.execute("update documents set error = ? where url = ?",
                                   [f"extraction failed: {type(e).__name__}: {e}", cand.page.url])
            spider and spider.logger.exception("extraction failed for %s", cand.url)
            return {"url": cand.url, "error": str(e)}
        related = [d["url"] for d in item.get("related", [])]
        if related:  # 图解/解读 pages: documents of the report they explain, never reports
            with archive.db.conn:
                for url in related:
                    archive.db.execute("update documents set report_id = ?, role = 'related' where url = ?", [rid, url])
            stats.inc_value("nianbao/related_documents", len(related))
        stats.inc_value("nianbao/reports_stored" if new else "nianbao/duplicates_folded")
        return {"url": cand.url, "report_id": rid, "duplicate": not new}
