"""From fetched documents to a stored report: used by the crawl's pipeline and by
``nianbao extract`` (which replays the WARC archive), so both build the same database.

A report page may carry its tables itself or only in an attachment (PDF, DOCX …): every
candidate is extracted and the one that yields the most tables wins; the page still supplies
the title and the publication date. The same document reached under two URLs is stored once.

Extraction goes through an *extractor* (:class:`extract.limits.ExtractPool` in a crawl and in
``nianbao extract``): a document stopped by a limit (time, memory, a cap on inflated bytes or
grid cells) still yields a report, flagged, and its ``documents`` row says why in ``error``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from extract.documents import sniff, unread_report
from extract.limits import InProcess, limit_flags
from extract.report import Report

from .load import fold_duplicate, report_id_for, store_report


@dataclass
class Doc:
    url: str
    body: bytes
    content_type: str | None = None
    sha256: str | None = None
    fetched_at: str | None = None
    archive: str | None = None  # "file.warc.gz#offset"
    filename: str | None = None


@dataclass
class Candidate:
    url: str  # the report page
    page: Doc
    attachments: list[Doc] = field(default_factory=list)
    hints: dict = field(default_factory=dict)  # list title/date, source agency
    source: str | None = None
    place: dict = field(default_factory=dict)
    given: dict = field(default_factory=dict)  # agency / year stated by the user (nianbao ingest): they override the document


def _score(r: Report) -> tuple:
    return (len(r.tables.found), r.check_status == "pass", -len(r.tables.flags))


_PICTURE = ("image/",)


def _is_picture(d: Doc) -> bool:
    return (d.content_type or "").lower().startswith(_PICTURE) or sniff(d.body[:2048]) == "image"


def _read(doc: Doc, hints: dict, extractor, limited: dict, **extra) -> Report:
    """One document through the extractor; a limit it hit goes into ``limited`` (url → reason)."""
    out = extractor.extract(doc.body, content_type=doc.content_type, url=doc.url, filename=doc.filename, hints=hints, **extra)
    if out.report is None:
        limited[doc.url] = out.limit
        return unread_report(doc.body, out.limit, content_type=doc.content_type, filename=doc.filename, hints=hints)
    caps = limit_flags(out.report.flags)
    if caps:
        limited[doc.url] = "; ".join(caps)
    return out.report


def choose(c: Candidate, extractor=None, limited: dict | None = None) -> tuple[Report, Doc]:
    """The best report among the page and its attachments. Thread-safe (no database access), so
    candidates can be read in parallel; ``limited`` collects the documents a limit stopped."""
    extractor = extractor or InProcess()
    limited = {} if limited is None else limited
    # the page's pictures (fetched like attachments) are read together with the page: one table each
    images = {d.url: d.body for d in c.attachments if _is_picture(d)}
    page_report = _read(c.page, c.hints, extractor, limited, **({"images": images} if images else {}))
    if images:
        c = Candidate(c.url, c.page, [d for d in c.attachments if d.url not in images], c.hints, c.source, c.place, c.given)
    best, best_doc = page_report, c.page
    tried = []
    if len(page_report.tables.found) < 3:
        for att in c.attachments:
            r = _read(att, c.hints, extractor, limited)
            tried.append((att, r))
            if _score(r) > _score(best):
                best, best_doc = r, att
    for att, r in tried:
        if r is not best:  # what the other candidates could not give is part of the story
            name = att.filename or att.url
            notes = r.flags or [f for f in r.tables.flags if "no statistical table" in f]
            best.flags.extend(f"attachment {name}: {f}" for f in notes)
    if best is not page_report:
        # the page names the report better than an attachment's first line does
        if page_report.title and "报告" in page_report.title:
            best.title = page_report.title
        for attr in ("agency", "year"):
            if getattr(page_report, attr) and getattr(page_report, f"{attr}_source") in ("title",):
                setattr(best, attr, getattr(page_report, attr))
                setattr(best, f"{attr}_source", "page_title")
        best.published_date = page_report.published_date or best.published_date
        if not page_report.body_text.strip() or len(page_report.body_text) < len(best.body_text):
            pass
        else:
            best.body_text = page_report.body_text + "\n\n" + best.body_text
    return best, best_doc


def ingest(db, c: Candidate, extractor=None) -> tuple[str, bool]:
    """Extract and store one candidate. Returns (report_id, is_new_report).

    When the chosen document's bytes are already stored under another report URL, the two are
    folded into one report and ``is_new_report`` is False, whichever URL keeps it.
    """
    limited: dict = {}
    report, doc = choose(c, extractor, limited)
    return store(db, c, report, doc, limited)


def store(db, c: Candidate, report: Report, doc: Doc, limited: dict | None = None) -> tuple[str, bool]:
    """Store what :func:`choose` picked (in the thread that owns ``db``); see :func:`ingest`."""
    for attr, value in c.given.items():
        if value is not None:
            setattr(report, attr, value)
            setattr(report, f"{attr}_source", "given")
    if limited:
        with db.conn:
            for url, reason in limited.items():
                db.execute("update documents set error = ? where url = ?", [reason, url])
    rid = report_id_for(c.url)
    with db.conn:
        keeper, folded = fold_duplicate(db, rid, c.url, doc.sha256)
    if keeper != rid:
        _link_documents(db, c, keeper)
        return keeper, False
    store_report(db, report, url=c.url, attachment_url=doc.url if doc is not c.page else None,
                 fetched_at=c.page.fetched_at, source=c.source, sha256=doc.sha256, archive=doc.archive,
                 place=c.place, report_id=rid)
    _link_documents(db, c, rid)
    return rid, not folded


def _link_documents(db, c: Candidate, rid: str) -> None:
    urls = [c.page.url, c.url] + [a.url for a in c.attachments]
    with db.conn:
        for u in urls:
            db.execute("update documents set report_id = ? where url = ?", [rid, u])
