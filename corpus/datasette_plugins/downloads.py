"""Datasette plugin: download the corpus and its release.

``/-/download/<database>.db`` serves a consistent copy of a served database. Datasette's own
download (``allow_download``) refuses a mutable database, and the corpus is mutable: a crawl may
be writing it. The copy is made with ``VACUUM INTO`` (a transaction-consistent, compacted
snapshot), kept beside the database as ``<name>.snapshot-<stamp>.db`` and reused until the
database changes. ``/-/release`` lists the release folder written by ``nianbao release`` beside
the database (``<name>-release/``, or ``NIANBAO_RELEASE_DIR``) and serves its files.
"""
from __future__ import annotations

import asyncio
import os
from pathlib import Path

from datasette import hookimpl
from datasette.utils.asgi import AsgiFileDownload, Response
from markupsafe import escape


def _stamp(path: Path) -> str:
    parts = [path] + [path.with_name(path.name + s) for s in ("-wal",)]
    return "-".join(str(p.stat().st_mtime_ns) for p in parts if p.exists())


def snapshot(path: Path) -> Path:
    """A consistent copy of the database at ``path``, made once per state of the file."""
    import sqlite3

    target = path.with_name(f"{path.stem}.snapshot-{_stamp(path)}.db")
    if not target.exists():
        tmp = target.with_suffix(".partial")
        tmp.unlink(missing_ok=True)
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            conn.execute("vacuum into ?", [str(tmp)])
        finally:
            conn.close()
        tmp.rename(target)
        for old in path.parent.glob(f"{path.stem}.snapshot-*.db"):
            if old != target:
                old.unlink(missing_ok=True)
    return target


def release_dir(db_path: str | None) -> Path | None:
    if os.environ.get("NIANBAO_RELEASE_DIR"):
        return Path(os.environ["NIANBAO_RELEASE_DIR"])
    if not db_path:
        return None
    p = Path(db_path)
    return p.with_name(p.stem + "-release")


async def download(request, datasette):
    name = request.url_vars["name"]
    db = datasette.databases.get(name)
    if db is None or db.is_memory or not db.path:
        return Response.text(f"no database {name}", status=404)
    path = await asyncio.get_running_loop().run_in_executor(None, snapshot, Path(db.path))
    return AsgiFileDownload(path, filename=f"{name}.db", content_type="application/octet-stream")


async def release(request, datasette):
    from corpus.web import corpus_database

    name, db = await corpus_database(datasette)
    folder = release_dir(db.path if db else None)
    sub = request.url_vars.get("path") or ""
    if folder is None or not folder.is_dir():
        return Response.html(f"<p>No release folder beside the database ({escape(str(folder))}). Write one with "
                             f"<code>nianbao release {escape(str(folder))} --db {escape(str(db.path if db else 'corpus.db'))}</code>; "
                             f"the database alone: <a href=\"/-/download/{escape(name or 'corpus')}.db\">download</a>.</p>", status=404)
    target = (folder / sub).resolve()
    if folder.resolve() != target and folder.resolve() not in target.parents:
        return Response.text("outside the release", status=404)
    if target.is_file():
        return AsgiFileDownload(target, filename=target.name)
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    items = "".join(f'<li><a href="/-/release/{escape(f)}">{escape(f)}</a> ({(folder / f).stat().st_size:,} bytes)</li>' for f in files)
    return Response.html(f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>nianbao release</title></head><body>"
                         f"<h1>Release</h1><p>Start with README.md; cite CITATION.cff.</p><ul>{items}</ul></body></html>")


@hookimpl
def register_routes():
    return [(r"^/-/download/(?P<name>[^/]+)\.db$", download), (r"^/-/release/?$", release),
            (r"^/-/release/(?P<path>.+)$", release)]
