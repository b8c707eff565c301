"""Datasette plugin: every row links to its source URL and to the archived copy of that URL.

``/-/archived?url=…`` serves the bytes the crawler fetched for a URL, read straight from the
WARC record the ``documents`` table points at (the newest successful fetch), so a citation
survives the portal's next redesign. The archive folder is ``<database>-archive`` beside the
database file, or ``NIANBAO_ARCHIVE_DIR``. Archived pages are served sandboxed (no scripts).
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

URL_COLUMNS = {"url", "attachment_url", "final_url"}


def archive_dir(db_path: str | None) -> Path | None:
    if os.environ.get("NIANBAO_ARCHIVE_DIR"):
        return Path(os.environ["NIANBAO_ARCHIVE_DIR"])
    if not db_path:
        return None
    p = Path(db_path)
    return p.with_name(p.stem + "-archive")


def read_record(folder: Path, warc_file: str, offset: int) -> tuple[bytes, str | None]:
    """The payload and content type of the WARC record at ``offset`` (content-encoding undone)."""
    from warcio.archiveiterator import ArchiveIterator

    path = (folder / warc_file).resolve()
    if folder.resolve() not in path.parents:
        raise FileNotFoundError(warc_file)
    with open(path, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        ctype = record.http_headers.get_header("Content-Type") if record.http_headers else None
        if record.rec_type == "resource":  # a local file added by `nianbao ingest`: no HTTP headers
            ctype = record.rec_headers.get_header("Content-Type")
        return record.content_stream().read(), ctype


async def archived(request, datasette):
    url = request.args.get("url")
    if not url:
        return Response.text("pass ?url= (a URL in the documents table)", status=400)
    for name, db in datasette.databases.items():
        if name.startswith("_") or not await db.table_exists("documents"):
            continue
        row = (await db.execute(
            "select warc_file, warc_offset, content_type, fetched_at, archive_dir from documents "
            "where (url = :u or final_url = :u) and warc_file is not null and status between 200 and 299 "
            "order by fetched_at desc limit 1", {"u": url})).first()
        if row is None:
            continue
        folder = Path(row["archive_dir"]) if row["archive_dir"] else archive_dir(db.path)
        try:
            body, ctype = read_record(folder, row["warc_file"], row["warc_offset"])
        except (OSError, StopIteration) as e:
            return Response.text(f"archived record {row['warc_file']}#{row['warc_offset']} unreadable in {folder}: {e}", status=404)
        return Response(body, status=200, content_type=ctype or row["content_type"] or "application/octet-stream",
                        headers={"Content-Security-Policy": "sandbox", "X-Nianbao-Fetched-At": row["fetched_at"] or "",
                                 "X-Nianbao-Original-Url": quote(url, safe=":/?&=#%")})
    return Response.text(f"no archived copy of {url}", status=404)


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
