"""Datasette plugin: every row links to its source URL and to the archived copy of that URL.

``/-/archived?url=…`` serves the bytes the crawler fetched for a URL, read straight from the
WARC record the ``documents`` table points at (the newest successful fetch), so a citation
survives the portal's next redesign. The archive folder is ``<database>-archive`` beside the
database file, or ``NIANBAO_ARCHIVE_DIR``.

The database says which file to open, and a database is only data: a row naming
``../../etc/passwd`` or a folder elsewhere (``archive_dir``, written by ``nianbao merge``) must
not make the server read it. Only regular ``*.warc.gz``/``*.warc`` files whose resolved path is
inside an allowed archive folder are opened: the database's own, ``NIANBAO_ARCHIVE_DIR``,
``*-archive`` folders beside the database (where ``nianbao merge`` finds workers' archives when
their databases sit together), and folders listed in ``NIANBAO_ARCHIVE_DIRS`` (``os.pathsep``
separated). Every failure is a 404 naming no server path. Responses carry
``X-Content-Type-Options: nosniff`` (a browser must not guess HTML in a "text/plain" body);
archived HTML is sandboxed by a Content-Security-Policy (no scripts, no same origin, no
plugins or forms), and anything else is offered as a download.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

URL_COLUMNS = {"url", "attachment_url", "final_url"}


WARC_SUFFIXES = (".warc.gz", ".warc")
HTML_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"
SAFE_INLINE = ("text/html", "application/xhtml+xml", "text/plain", "application/pdf", "image/png", "image/jpeg", "image/gif")


def archive_dir(db_path: str | None) -> Path | None:
    if os.environ.get("NIANBAO_ARCHIVE_DIR"):
        return Path(os.environ["NIANBAO_ARCHIVE_DIR"])
    if not db_path:
        return None
    p = Path(db_path)
    return p.with_name(p.stem + "-archive")


class NotServable(Exception):
    """The row names no WARC file inside an allowed archive folder (the message is for the log)."""


def allowed_folders(db_path: str | None) -> list[Path]:
    roots = []
    if os.environ.get("NIANBAO_ARCHIVE_DIR"):
        roots.append(Path(os.environ["NIANBAO_ARCHIVE_DIR"]))
    for extra in (os.environ.get("NIANBAO_ARCHIVE_DIRS") or "").split(os.pathsep):
        if extra.strip():
            roots.append(Path(extra.strip()))
    if db_path:
        own = Path(db_path).with_name(Path(db_path).stem + "-archive")
        roots.append(own)
        roots.extend(p for p in Path(db_path).resolve().parent.glob("*-archive") if p.is_dir())
    out = []
    for r in roots:
        try:
            out.append(r.resolve(strict=True))
        except (OSError, RuntimeError):
            continue
    return out


def warc_path(db_path: str | None, folder: str | None, warc_file: str | None) -> Path:
    """The WARC file a documents row names, if it is a regular WARC file inside an allowed
    folder (symbolic links resolved first); :class:`NotServable` otherwise."""
    if not warc_file or not str(warc_file).endswith(WARC_SUFFIXES):
        raise NotServable(f"not a WARC file name: {warc_file!r}")
    base = Path(folder) if folder else archive_dir(db_path)
    if base is None:
        raise NotServable("no archive folder for this database")
    try:
        path = (base / warc_file).resolve(strict=True)
    except (OSError, RuntimeError, ValueError) as e:
        raise NotServable(f"missing: {e}")
    if not any(root in path.parents for root in allowed_folders(db_path)):
        raise NotServable(f"outside every archive folder: {path}")
    if not path.is_file():
        raise NotServable(f"not a regular file: {path}")
    return path


def read_record(path: Path, offset: int) -> tuple[bytes, str | None]:
    """The payload and content type of the WARC record at ``offset`` (content-encoding undone):
    a ``response`` from the crawl, or a ``resource`` that ``nianbao ingest`` wrote for a local file.
    Any other kind (request, metadata, revisit) holds no document and is refused."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as fh:
        fh.seek(int(offset or 0))
        record = next(iter(ArchiveIterator(fh)))
        if record.rec_type not in ("response", "resource"):
            raise NotServable(f"record at {offset} is a {record.rec_type} record")
        ctype = record.http_headers.get_header("Content-Type") if record.http_headers else None
        if record.rec_type == "resource":  # a local file added by `nianbao ingest`: no HTTP headers
            ctype = record.rec_headers.get_header("Content-Type")
        return record.content_stream().read(), ctype


def _not_found(message: str) -> Response:
    return Response.text(message, status=404, headers={"X-Content-Type-Options": "nosniff"})


async def archived(request, datasette):
    url = request.args.get("url")
    if not url:
        return Response.text("pass ?url= (a URL in the documents table)", status=400, headers={"X-Content-Type-Options": "nosniff"})
    for name, db in datasette.databases.items():
        if name.startswith("_") or not await db.table_exists("documents"):
            continue
        row = (await db.execute(
            "select warc_file, warc_offset, content_type, fetched_at, archive_dir from documents "
            "where (url = :u or final_url = :u) and warc_file is not null and status between 200 and 299 "
            "order by fetched_at desc limit 1", {"u": url})).first()
        if row is None:
            continue
        try:
            path = warc_path(db.path, row["archive_dir"], row["warc_file"])
            body, ctype = read_record(path, row["warc_offset"])
        except Exception as e:  # noqa: BLE001 - whatever the row or the file says: not found, no paths shown
            logging.getLogger(__name__).warning("archived copy of %s not served: %s: %s", url, type(e).__name__, e)
            return _not_found("archived copy unreadable or not in the archive")
        return Response(body, status=200, content_type=ctype or row["content_type"] or "application/octet-stream",
                        headers=_headers(ctype or row["content_type"], url, row["fetched_at"]))
    return _not_found("no archived copy of this URL")


def _headers(ctype: str | None, url: str, fetched_at: str | None) -> dict:
    mime = (ctype or "").split(";", 1)[0].strip().lower()
    headers = {"X-Content-Type-Options": "nosniff", "X-Nianbao-Fetched-At": fetched_at or "",
               "X-Nianbao-Original-Url": quote(url, safe=":/?&=#%"), "Referrer-Policy": "no-referrer"}
    if mime in ("text/html", "application/xhtml+xml"):
        headers["Content-Security-Policy"] = HTML_CSP
    else:
        headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    if mime not in SAFE_INLINE:
        headers["Content-Disposition"] = "attachment"
    return headers


@hookimpl
def register_routes():
    return [(r"^/-/archived$", archived)]


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if column not in URL_COLUMNS or not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return None
    if table == "documents" and column == "url" and "warc_file" in row.keys() and not row["warc_file"]:
        return Markup(f'<a href="{escape(value)}">{escape(value)}</a> <em>(not archived: fetch failed)</em>')
    archived_link = datasette.urls.path(f"/-/archived?url={quote(value, safe='')}")
    return Markup(f'<a href="{escape(value)}">{escape(value)}</a> · <a href="{escape(archived_link)}">archived copy</a>')
