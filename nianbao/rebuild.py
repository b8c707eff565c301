"""``nianbao extract``: rebuild the corpus from the WARC archive alone, without fetching anything.

Every response record is re-indexed into ``documents`` and every report (with its attachments,
tied by the ``WARC-Nianbao-Report-Url`` header) is extracted again with the current extractor,
on every core, under the same per-document limits as a crawl (:mod:`extract.limits`).
"""
from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from corpus.ingest import Candidate, Doc, choose, store
from corpus.schema import connect
from crawler.archive import post_key
from extract.limits import ExtractPool, Limits


def damaged_offsets(path: Path) -> dict[int, str]:
    """Records whose bytes end before their WARC Content-Length says (a write cut off by a kill),
    found by a first pass over the raw records."""
    bad = {}
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh, no_record_parse=True)
        try:
            for rec in it:
                raw = rec.raw_stream.read()
                declared = int(rec.rec_headers.get_header("Content-Length") or len(raw))
                if len(raw) != declared:
                    bad[it.get_record_offset()] = f"{len(raw)} of {declared} bytes"
        except Exception as e:  # a corrupt gzip member: everything after it is unreadable
            bad[-1] = f"{type(e).__name__}: {e}"
    return bad


def iter_records(archive_dir: str | Path, problems: list | None = None):
    """Every complete response record of every WARC file; damage (a record cut off by a kill, a
    corrupt member) is appended to ``problems`` and the rest of the archive is still read."""
    problems = problems if problems is not None else []
    for path in sorted(Path(archive_dir).glob("*.warc.gz")):
        bad = damaged_offsets(path)
        for offset, what in bad.items():
            where = "after the last readable record" if offset < 0 else f"at offset {offset}"
            problems.append(f"{path.name}: truncated or damaged record {where} ({what}); ignored")
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh)
            try:
                for rec in _records(it, path):
                    if rec["warc_offset"] not in bad:
                        yield rec
            except Exception as e:
                problems.append(f"{path.name}: stopped reading ({type(e).__name__}: {e})")


def _records(it, path):
    for rec in it:
        if rec.rec_type not in ("response", "resource"):  # resource: a local file added by `nianbao ingest`
            continue
        h = rec.rec_headers
        body = rec.content_stream().read()
        url = h.get_header("WARC-Target-URI")
        method, sent = h.get_header("WARC-Nianbao-Method") or "GET", h.get_header("WARC-Nianbao-Request-Body")
        yield {
            "url": url,
            "key": post_key(url, method, sent.encode("latin-1")) if method != "GET" and sent else url,  # as the crawl keys it
            "status": int(rec.http_headers.get_statuscode() or 0) if rec.http_headers else (200 if rec.rec_type == "resource" else None),
            "content_type": (rec.http_headers.get_header("Content-Type") if rec.http_headers
                             else rec.rec_headers.get_header("Content-Type") if rec.rec_type == "resource" else None),
            "disposition": rec.http_headers.get_header("Content-Disposition") if rec.http_headers else None,
            "location": rec.http_headers.get_header("Location") if rec.http_headers else None,
            "body": body,
            "fetched_at": h.get_header("WARC-Date"),
            "warc_file": path.name,
            "warc_offset": it.get_record_offset(),
            "warc_length": it.get_record_length(),
            "role": h.get_header("WARC-Nianbao-Role"),
            "source": h.get_header("WARC-Nianbao-Source"),
            "parent_url": h.get_header("WARC-Nianbao-Parent-Url"),
            "report_url": h.get_header("WARC-Nianbao-Report-Url"),
            "list_title": h.get_header("WARC-Nianbao-List-Title"),
            "list_date": h.get_header("WARC-Nianbao-List-Date"),
            "run_id": h.get_header("WARC-Nianbao-Run"),
            "given": {"agency": h.get_header("WARC-Nianbao-Given-Agency"),  # stated with `nianbao ingest --agency/--year`
                      "year": int(h.get_header("WARC-Nianbao-Given-Year")) if h.get_header("WARC-Nianbao-Given-Year") else None},
        }


def rebuild(db_path: str | Path, archive_dir: str | Path, limits: Limits | None = None) -> dict:
    db = connect(db_path)
    latest: dict[str, dict] = {}
    counts = {"records": 0, "reports": 0, "duplicates": 0, "errors": 0, "limited": 0, "problems": []}
    problems: list[str] = []
    for rec in iter_records(archive_dir, problems):
        counts["records"] += 1
        rec["sha256"] = hashlib.sha256(rec["body"]).hexdigest()
        prev = latest.get(rec["key"])
        rec["fetch_count"] = (prev["fetch_count"] + 1) if prev else 1
        latest[rec["key"]] = rec  # the newest fetch of a URL (and POST body) wins, as in a live crawl
    with db.conn:
        for rec in latest.values():
            db["documents"].upsert({
                "url": rec["key"], "final_url": rec["location"] or rec["url"], "status": rec["status"],
                "content_type": rec["content_type"], "sha256": rec["sha256"], "size": len(rec["body"]),
                "fetched_at": rec["fetched_at"], "warc_file": rec["warc_file"], "warc_offset": rec["warc_offset"],
                "warc_length": rec["warc_length"], "error": None if (rec["status"] or 0) < 400 else f"HTTP {rec['status']}",
                "role": rec["role"], "source": rec["source"], "parent_url": rec["parent_url"],
                "list_title": rec["list_title"], "list_date": rec["list_date"], "run_id": rec["run_id"],
                "fetch_count": rec["fetch_count"],
            }, pk="url")
    attachments: dict[str, list[dict]] = {}
    for rec in latest.values():
        if rec["role"] == "attachment" and rec["report_url"] and rec["status"] == 200:
            attachments.setdefault(rec["report_url"], []).append(rec)
    cands = []
    for rec in latest.values():
        if rec["role"] != "report" or rec["status"] != 200:
            continue
        def doc(r):
            return Doc(url=r["url"], body=r["body"], content_type=r["content_type"], sha256=r["sha256"],
                       fetched_at=r["fetched_at"], archive=f"{r['warc_file']}#{r['warc_offset']}",
                       filename=_filename(r))
        cands.append(Candidate(url=rec["url"], page=doc(rec), attachments=[doc(a) for a in attachments.get(rec["url"], [])],
                               hints={k: v for k, v in {"title": rec["list_title"], "published_date": rec["list_date"]}.items() if v},
                               source=rec["source"], place=_place_for(rec["source"]), given=rec["given"]))
    with ExtractPool(limits or Limits()) as pool, ThreadPoolExecutor(pool.size) as threads:
        def read(cand):
            limited: dict = {}
            return (*choose(cand, pool, limited), limited)

        # read on every worker, store here (this thread owns the connection), in archive order
        for cand, fut in [(c, threads.submit(read, c)) for c in cands]:
            try:
                report, doc, limited = fut.result()
                _, new = store(db, cand, report, doc, limited)
                counts["reports" if new else "duplicates"] += 1
                counts["limited"] += len(limited)
            except Exception as e:  # keep going; the document row says what failed
                counts["errors"] += 1
                with db.conn:
                    db.execute("update documents set error = ? where url = ?", [f"extraction failed: {type(e).__name__}: {e}", cand.url])
    counts["problems"] = problems
    return counts


def _filename(rec: dict) -> str | None:
    from urllib.parse import unquote, urlsplit

    disp = rec.get("disposition") or ""
    if "filename" in disp:
        name = disp.split("filename", 1)[1].lstrip("*=").strip("\"' ")
        if name.lower().startswith("utf-8''"):
            name = name[7:]
        try:
            return unquote(name.encode("latin-1").decode("utf-8"))
        except UnicodeError:
            return name
    return unquote(urlsplit(rec["url"]).path.rsplit("/", 1)[-1])


def _place_for(source_id: str | None) -> dict:
    if not source_id:
        return {}
    from crawler.sources import load_sources

    for s in load_sources():
        if s["id"] == source_id:
            return {k: s.get(k) for k in ("level", "province", "city", "county", "admin_code")}
    return {}
