"""``nianbao ingest DIR``: add report files a researcher already has (PDF, DOCX, DOC, HTML, text)
to the corpus, archived and extracted exactly as crawled ones.

Each file is written to the WARC archive as a ``resource`` record under its ``file://`` URI (so
``/-/archived?url=…`` serves it and the documents table indexes it), then extracted and stored
through the same path as a crawled report (corpus.ingest). The agency and year are read from the
document, then from the file name (as a list page's title would be), unless given: given values
override both and are marked ``given`` in agency_source / year_source.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".html": "text/html",
    ".htm": "text/html",
    ".shtml": "text/html",
    ".txt": "text/plain",
}


@dataclass
class Outcome:
    stored: list[tuple[str, str]] = field(default_factory=list)  # (file, report_id)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # not a supported kind
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, why)


def files_in(paths: list[str | Path]) -> list[Path]:
    out = []
    for p in map(Path, paths):
        out += sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
    return out


def ingest_files(db_path: str | Path, paths: list[str | Path], archive_dir: str | Path, agency: str | None = None,
                 year: int | None = None) -> Outcome:
    from crawler.archive import Archive

    from .ingest import Candidate, Doc, ingest

    run_id = "ingest-" + uuid.uuid4().hex[:8]
    archive = Archive(db_path, archive_dir, run_id)
    out = Outcome()
    try:
        for f in files_in(paths):
            ctype = CONTENT_TYPES.get(f.suffix.lower())
            if ctype is None:
                out.skipped.append(str(f))
                continue
            uri = f.resolve().as_uri()
            body = f.read_bytes()
            meta = {"role": "report", "source": "ingest", "report_url": uri, "list_title": f.stem,
                    "given_agency": agency, "given_year": year}  # WARC headers: `nianbao extract` applies them again
            row = archive.write_resource(uri, body, ctype, meta)
            doc = Doc(url=uri, body=body, content_type=ctype, sha256=row["sha256"], fetched_at=row["fetched_at"],
                      archive=f"{row['warc_file']}#{row['warc_offset']}", filename=f.name)
            c = Candidate(url=uri, page=doc, hints={"title": f.stem}, source="ingest", given={"agency": agency, "year": year})
            try:
                rid, new = ingest(archive.db, c)
            except Exception as e:  # noqa: BLE001 — recorded, as for a crawled document
                reason = f"extraction failed: {type(e).__name__}: {e}"
                with archive.db.conn:
                    archive.db.execute("update documents set error = ? where url = ?", [reason, uri])
                out.failed.append((str(f), reason))
                continue
            (out.stored if new else out.duplicates).append((str(f), rid))
    finally:
        archive.close()
        archive.db.conn.close()
    return out
