"""Every response into WARC files, every fetch (and every failure) into the ``documents`` table.

The WARC records keep the bytes exactly as received (compressed bodies stay compressed, warcio
decodes them on reading) plus a request record for POSTs. Custom ``WARC-Nianbao-*`` headers say
what the crawl knew about the fetch (role, source, parent page, list title), so
``nianbao extract`` can rebuild the whole database from the archive alone.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import zlib
from datetime import datetime, timezone
from http import HTTPStatus
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpus.schema import connect

from .antibot import challenge_reason

MAX_WARC_BYTES = 1 << 30  # start a new file after 1 GiB
META_KEYS = ("role", "source", "parent_url", "list_title", "list_date", "report_url")


RETRYING = "retrying: "  # prefix of the error of an answer whose request was sent again


def utcnow() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def decoded_body(body: bytes, encoding: str | None) -> bytes:
    """The payload without its Content-Encoding (for hashing and extraction)."""
    enc = (encoding or "").lower()
    try:
        if enc in ("gzip", "x-gzip"):
            return gzip.decompress(body)
        if enc == "deflate":
            try:
                return zlib.decompress(body)
            except zlib.error:
                return zlib.decompress(body, -zlib.MAX_WBITS)
        if enc == "br":
            import brotli  # optional; Scrapy asks for it only when servers send br

            return brotli.decompress(body)
    except Exception:
        return body
    return body


class Archive:
    """One crawl run's WARC writer and the documents index of the corpus database."""

    def __init__(self, db_path: str | Path, archive_dir: str | Path, run_id: str):
        self.db = connect(db_path)
        self.dir = Path(archive_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.run_id = run_id
        self._fh = None
        self._writer = None
        self._n = 0

    # -- WARC ---------------------------------------------------------------------------------

    def _open(self):
        if self._fh is not None and self._fh.tell() < MAX_WARC_BYTES:
            return
        if self._fh is not None:
            self._fh.close()
        self._n += 1
        path = self.dir / f"{self.run_id}-{self._n:03d}.warc.gz"
        self._fh = open(path, "ab")
        self._writer = WARCWriter(self._fh, gzip=True)
        info = self._writer.create_warcinfo_record(path.name, {"software": "nianbao", "format": "WARC File Format 1.0"})
        self._writer.write_record(info)
        self._fh.flush()

    @property
    def current_file(self) -> str:
        return Path(self._fh.name).name if self._fh else ""

    def write(self, request, response, meta: dict) -> dict:
        """Append the response (and the request, for a POST); index it; return its documents row."""
        self._open()
        status = int(response.status)
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "Unknown"
        headers = []
        for k, vs in response.headers.items():
            key = k.decode("latin-1")
            if key.lower() in ("transfer-encoding",):
                continue  # Twisted has already de-chunked the body
            for v in vs:
                headers.append((key, v.decode("latin-1")))
        protocol = getattr(response, "protocol", None) or "HTTP/1.1"
        http_headers = StatusAndHeaders(f"{status} {reason}", headers, protocol=protocol)
        warc_headers = {f"WARC-Nianbao-{k.replace('_', '-').title()}": str(v) for k, v in meta.items() if v not in (None, "")}
        warc_headers["WARC-Nianbao-Run"] = self.run_id
        warc_headers["WARC-Nianbao-Method"] = request.method
        if request.method != "GET" and request.body:
            warc_headers["WARC-Nianbao-Request-Body"] = request.body.decode("latin-1")
        record = self._writer.create_warc_record(request.url, "response", payload=io.BytesIO(response.body),
                                                 http_headers=http_headers, warc_headers_dict=warc_headers)
        offset = self._fh.tell()
        self._writer.write_record(record)
        length = self._fh.tell() - offset
        self._fh.flush()
        payload = decoded_body(response.body, _header(response, b"Content-Encoding"))
        row = {
            "url": document_key(request),
            "final_url": _redirect_target(request, response),
            "status": status,
            "content_type": _header(response, b"Content-Type"),
            "sha256": hashlib.sha256(payload).hexdigest(),
            "size": len(payload),
            "fetched_at": utcnow(),
            "warc_file": self.current_file,
            "warc_offset": offset,
            "warc_length": length,
            "error": _error(status, payload, request.meta.get("rendered")),
            "run_id": self.run_id,
            **{k: meta.get(k) for k in ("role", "source", "parent_url", "list_title", "list_date")},
        }
        self._index(row)
        return row

    def write_resource(self, url: str, body: bytes, content_type: str, meta: dict) -> dict:
        """Append a file that was not fetched over HTTP (``nianbao ingest``) as a WARC ``resource``
        record (WARC 1.0 §6.4: a resource without protocol headers); index it; return its row."""
        self._open()
        warc_headers = {f"WARC-Nianbao-{k.replace('_', '-').title()}": str(v) for k, v in meta.items() if v not in (None, "")}
        warc_headers["WARC-Nianbao-Run"] = self.run_id
        record = self._writer.create_warc_record(url, "resource", payload=io.BytesIO(body), warc_content_type=content_type,
                                                 warc_headers_dict=warc_headers)
        offset = self._fh.tell()
        self._writer.write_record(record)
        length = self._fh.tell() - offset
        self._fh.flush()
        row = {"url": url, "final_url": None, "status": 200, "content_type": content_type,
               "sha256": hashlib.sha256(body).hexdigest(), "size": len(body), "fetched_at": utcnow(),
               "warc_file": self.current_file, "warc_offset": offset, "warc_length": length, "error": None,
               "run_id": self.run_id, **{k: meta.get(k) for k in ("role", "source", "parent_url", "list_title", "list_date")}}
        self._index(row)
        return row

    # -- documents ----------------------------------------------------------------------------

    def retrying(self, request) -> None:
        """The answer just archived for ``request`` will be retried: mark its error, which the
        retry's answer replaces (``nianbao merge`` and a shared crawl's summary read the mark)."""
        with self.db.conn:
            self.db.execute(f"update documents set error = '{RETRYING}' || error where url = ? and run_id = ? "
                            f"and error is not null and error not like '{RETRYING}%'", [document_key(request), self.run_id])

    def failure(self, request, reason: str, meta: dict, hop: bool = False) -> None:
        """A fetch that produced no response (timeout, reset, robots.txt, size cap …). ``hop``: the
        URL is a hop of a redirect chain that failed further on (a meta-refresh page answered 200
        and still led nowhere)."""
        key = document_key(request)
        row = self.db.execute("select status, run_id, warc_file from documents where url = ?", [key]).fetchone()
        if row and row[1] == self.run_id and hop:
            with self.db.conn:  # a hop fetched in this run: keep what it answered, add where the chain failed
                self.db.execute("update documents set error = ? where url = ?", [reason, key])
            return
        if row and row[0] == 200 and row[1] == self.run_id:
            return  # an earlier attempt of this run succeeded
        if row and row[0] == 200 and row[2]:
            # an earlier run archived it: keep the pointer to those bytes, note the failed re-fetch
            with self.db.conn:
                self.db.execute("update documents set error = ? where url = ?", [f"re-fetch in run {self.run_id} failed: {reason}", key])
            return
        if row and row[1] == self.run_id and row[0] is not None:
            with self.db.conn:  # keep what was fetched (e.g. a redirect hop), add why it failed
                self.db.execute("update documents set error = ? where url = ?", [reason, key])
            return
        self._index({
            "url": key, "final_url": None, "status": None, "content_type": None, "sha256": None, "size": None,
            "fetched_at": utcnow(), "warc_file": None, "warc_offset": None, "warc_length": None, "error": reason,
            "run_id": self.run_id, **{k: meta.get(k) for k in ("role", "source", "parent_url", "list_title", "list_date")},
        })

    def _index(self, row: dict) -> None:
        prev = self.db.execute("select fetch_count from documents where url = ?", [row["url"]]).fetchone()
        row["fetch_count"] = (prev[0] or 0) + 1 if prev else 1
        with self.db.conn:
            self.db["documents"].upsert(row, pk="url")

    def known_report(self, url: str) -> bool:
        """Already archived as a report (or its attachment) and stored: a re-crawl need not fetch it."""
        r = self.db.execute(
            "select 1 from documents d where d.url = ? and d.status = 200 and d.report_id is not null", [url]
        ).fetchone()
        return r is not None

    def record_run(self, row: dict) -> None:
        with self.db.conn:
            self.db["crawl_runs"].upsert(row, pk="run_id")

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


POST_KEY_LIMIT = 4096


def document_key(request) -> str:
    """The ``documents.url`` of a fetch: its URL, and for a request with a body (a POST to a list
    API: every page of TRS 动静结合's ``/fjdzapp/search`` or Hanweb's ``dataproxy.jsp`` has one URL)
    the method and body appended as the IIPC guideline "CDX for non-GET requests" does
    (``?__wb_method=post&<form>``; pywb and jwarc key such records the same way). Otherwise
    the pages of one list API shared one row, and a page that failed was overwritten by the
    next page that answered, or skipped as "an earlier attempt of this run succeeded"."""
    method = (getattr(request, "method", None) or "GET").upper()
    body = getattr(request, "body", None) or b""
    if method == "GET" or not body:
        return request.url
    return post_key(request.url, method, body)


def post_key(url: str, method: str, body: bytes) -> str:
    import base64
    from urllib.parse import urldefrag

    url = urldefrag(url)[0]
    try:
        text = body.decode("ascii")
        form = "=" in text and not any(c in text for c in " {}\n")
    except UnicodeDecodeError:
        form = False
    data = text if form else "__wb_post_data=" + base64.b64encode(body).decode()
    return f"{url}{'&' if '?' in url else '?'}__wb_method={method.lower()}&{data[:POST_KEY_LIMIT]}"


def _error(status: int, payload: bytes, rendered: bool) -> str | None:
    """Why a response is not the document. A page a browser rendered (``--render``) keeps the
    status of its first answer (a challenge's 521) but shows what the reloaded page showed."""
    if rendered:
        return challenge_reason(200, payload)
    return challenge_reason(status, payload) or (None if status < 400 else f"HTTP {status}")


def _header(response, name: bytes) -> str | None:
    v = response.headers.get(name)
    return v.decode("latin-1") if v else None


def _redirect_target(request, response) -> str | None:
    loc = response.headers.get(b"Location")
    if loc and 300 <= response.status < 400:
        from urllib.parse import urljoin

        return urljoin(request.url, loc.decode("latin-1"))
    return request.url


def get_archive(crawler) -> Archive:
    """The run's archive, created on first use and shared by middleware, spider and pipeline."""
    archive = getattr(crawler, "nianbao_archive", None)
    if archive is None:
        s = crawler.settings
        db = s.get("NIANBAO_DB", "corpus.db")
        archive_dir = s.get("NIANBAO_ARCHIVE_DIR") or str(Path(db).with_suffix("")) + "-archive"
        run_id = s.get("NIANBAO_RUN_ID") or datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        archive = Archive(db, archive_dir, f"{run_id}-{crawler.spidercls.name}")
        crawler.nianbao_archive = archive
    return archive


def request_meta(request) -> dict:
    return {k: request.meta.get(k) for k in META_KEYS}


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str)
