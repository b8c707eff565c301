"""Attachments shared by several report pages, and what a report could not get from them.

Several report pages may link one attachment URL (a county's page and its department column's
page, or a portal that links one combined PDF from every office). Scrapy's dupefilter drops the
second request for a URL, and with it the second report's chain: the page ended as a 200 with
no report and no error. Here each attachment URL is fetched once per crawl; reports that link it
while it is in flight wait for that one response, and later ones reuse the archived bytes (read
back from the WARC, not kept in memory). An attachment archived by an earlier run is read from
the archive too. A failed attachment (HTTP error, redirect loop, off-site, refused scheme …)
leaves the report to be stored from its page, with a flag naming the attachment and the reason.
"""
from __future__ import annotations

from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

WAITING = "waiting"


class SharedAttachments:
    """url -> what happened to it in this crawl: in flight (with the chains waiting for it),
    archived (a documents row), or failed (a reason)."""

    def __init__(self):
        self.state: dict[str, tuple] = {}

    def claim(self, url: str, chain) -> tuple | None:
        """None: the caller fetches it. (WAITING,): the chain was queued behind the fetch in flight.
        ("done", doc) or ("failed", reason): the outcome is known."""
        st = self.state.get(url)
        if st is None:
            self.state[url] = (WAITING, [])
            return None
        if st[0] == WAITING:
            st[1].append(chain)
            return (WAITING,)
        return st

    def settle(self, url: str, outcome: tuple) -> list:
        """Record the outcome; return the chains that were waiting for it."""
        st = self.state.get(url)
        waiting = st[1] if st and st[0] == WAITING else []
        self.state[url] = outcome
        return waiting


def read_record_body(warc_path: str | Path, offset: int) -> bytes | None:
    """The payload of the response record at ``offset`` (decoded as Scrapy hands bodies over)."""
    try:
        with open(warc_path, "rb") as fh:
            fh.seek(offset)
            for rec in ArchiveIterator(fh):
                return rec.content_stream().read()
    except Exception:  # a record cut off by a kill, a damaged gzip member: not readable
        return None
    return None


def doc_from_archive(archive, url: str, row: dict | None = None) -> dict | None:
    """A ``_doc``-shaped dict for an archived 200 response of ``url``, read from its WARC."""
    if row is None:
        row = _archived_row(archive.db, url)
        if row is None:
            return None
    folder = Path(row.get("archive_dir") or archive.dir)
    body = read_record_body(folder / row["warc_file"], int(row["warc_offset"]))
    if body is None:
        return None
    return {
        "url": row.get("final_url") or row["url"],
        "body": body,
        "content_type": row.get("content_type"),
        "sha256": row.get("sha256"),
        "fetched_at": row.get("fetched_at"),
        "archive": f"{row['warc_file']}#{row['warc_offset']}",
        "filename": row.get("filename") or Path(url.split("?", 1)[0]).name,
    }


def _archived_row(db, url: str, hops: int = 10) -> dict | None:
    """The documents row of the 200 response ``url`` leads to (following recorded redirects)."""
    cols = "url, status, content_type, sha256, fetched_at, warc_file, warc_offset, archive_dir, final_url"
    for _ in range(hops):
        cur = db.execute(f"select {cols} from documents where url = ?", [url])
        r = cur.fetchone()
        if r is None:
            return None
        row = dict(zip([c[0] for c in cur.description], r))
        if row["status"] == 200 and row["warc_file"]:
            return row
        if not row["final_url"] or row["final_url"] == url or not 300 <= (row["status"] or 0) < 400:
            return None
        url = row["final_url"]
    return None


def failure_flag(url: str, reason: str) -> str:
    return f"attachment {url} not read: {reason}"


class ReportLinksPipeline:
    """After the report is stored: the report page's redirect hops point at it (so every URL taken
    for a report ends linked to one), and attachments that failed are flagged on it."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item, spider=None):
        spider = spider or self.crawler.spider
        notes = getattr(spider, "report_notes", {}).pop(item.get("url"), None)
        rid = item.get("report_id")
        if not notes or not rid:
            return item
        from .archive import get_archive

        db = get_archive(self.crawler).db
        with db.conn:
            for url in notes.get("redirects", []):
                db.execute("update documents set report_id = ? where url = ? and report_id is null", [rid, url])
            flags = [failure_flag(u, why) for u, why in notes.get("failed", [])]
            if flags:
                add_flags(db, rid, flags)
        return item


def add_flags(db, report_id: str, flags: list[str]) -> None:
    import json

    row = db.execute("select flags from reports where report_id = ?", [report_id]).fetchone()
    if row is None:
        return
    current = json.loads(row[0] or "[]")
    current += [f for f in flags if f not in current]
    db.execute("update reports set flags = ?, n_flags = ? where report_id = ?",
               [json.dumps(current, ensure_ascii=False), len(current), report_id])


class AttachmentChainMixin:
    """For the report spider: a report page's attachments are read one after another (each
    fetched at most once per crawl), then the report item is yielded."""

    @property
    def shared_attachments(self) -> SharedAttachments:
        if "_shared_attachments" not in self.__dict__:
            self._shared_attachments = SharedAttachments()
        return self._shared_attachments

    @property
    def report_notes(self) -> dict:
        if "_report_notes" not in self.__dict__:
            self._report_notes = {}
        return self._report_notes

    def note_redirects(self, response) -> None:
        hops = [u for u in response.meta.get("redirect_urls", []) if u != response.url]
        if hops:
            self.report_notes.setdefault(response.url, {}).setdefault("redirects", []).extend(hops)

    def _next_attachment(self, item, remaining):
        import scrapy

        while remaining:
            url, remaining = remaining[0], remaining[1:]
            url, role = url if isinstance(url, tuple) else (url, "attachment")
            if role == "related":  # a 图解/解读 page: a document of this report, never a report (issue #15)
                item.setdefault("related_urls", set()).add(url)
            outcome = self.shared_attachments.claim(url, (item, remaining))
            if outcome is None:
                meta = self._meta(role, parent_url=item["url"], report_url=item["url"], attachment_key=url)
                meta["chain"] = (item, remaining)
                # dont_filter: the registry already asks once per crawl, and a resumed job's
                # dupefilter may remember a request that never completed
                yield scrapy.Request(url, callback=self.parse_attachment, errback=self.on_error, meta=meta,
                                     priority=10, dont_filter=True)
                return
            if outcome[0] == WAITING:
                return  # the fetch in flight resumes this chain
            self._apply_outcome(item, url, outcome)
        yield item

    def _apply_outcome(self, item, url, outcome, doc=None) -> None:
        if outcome[0] == "done":
            reused = doc is None
            doc = doc or (doc_from_archive(self._archive(), url, outcome[1]) if outcome[1] else None)
            if doc is not None:
                item["related" if url in item.get("related_urls", ()) else "attachments"].append(dict(doc))
                self.crawler.stats.inc_value("nianbao/attachments_reused" if reused else "nianbao/attachments_read")
                return
            outcome = ("failed", "its archived copy could not be read back")
        self.report_notes.setdefault(item["url"], {}).setdefault("failed", []).append((url, outcome[1]))
        self.crawler.stats.inc_value("nianbao/attachments_failed")

    def _archive(self):
        from .archive import get_archive

        return get_archive(self.crawler)

    def parse_attachment(self, response):
        key = response.meta.get("attachment_key") or response.url
        doc = self._doc(response)
        row = dict(response.meta.get("nianbao_document") or {})
        row.update(url=response.url, filename=doc["filename"])
        waiting = self.shared_attachments.settle(key, ("done", row))
        for item, rest in [response.meta["chain"], *waiting]:
            self._apply_outcome(item, key, ("done", row), doc)
            yield from self._next_attachment(item, rest)

    def _continue_chain(self, request, reason: str | None = None):
        """After an attachment request failed (``reason``) or was skipped as already archived."""
        chain = request.meta.get("chain")
        if not chain:
            return
        key = request.meta.get("attachment_key") or request.url
        outcome = ("failed", reason or "not fetched")
        if reason is None:  # archived and stored by an earlier run: read it back from the archive
            doc = doc_from_archive(self._archive(), key)
            outcome = ("done", None) if doc else ("failed", "already archived, but its copy could not be read back")
        waiting = self.shared_attachments.settle(key, outcome if outcome[0] == "failed" else ("done", _row_of(doc)))
        for item, rest in [chain, *waiting]:
            self._apply_outcome(item, key, outcome, doc if reason is None else None)
            yield from self._next_attachment(item, rest)


def _row_of(doc: dict | None) -> dict | None:
    if not doc or not doc.get("archive"):
        return None
    warc_file, offset = doc["archive"].rsplit("#", 1)
    return {"url": doc["url"], "final_url": doc["url"], "warc_file": warc_file, "warc_offset": int(offset),
            "content_type": doc.get("content_type"), "sha256": doc.get("sha256"), "fetched_at": doc.get("fetched_at"),
            "filename": doc.get("filename")}
