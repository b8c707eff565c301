"""/-/archived serves archived copies and nothing else (issue #16, "Unsafe today").

The database only names a file (``documents.warc_file``, ``documents.archive_dir``); a crafted
row must not make the server read outside its archive folders (path traversal, CWE-22:
https://cwe.mitre.org/data/definitions/22.html). Error pages name no server path (CWE-209).
``X-Content-Type-Options: nosniff`` keeps a browser from rendering a text/plain body as HTML
(https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Content-Type-Options), and
archived pages run sandboxed (CSP ``sandbox``,
https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy/sandbox).
"""
import asyncio
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpus.schema import connect

PLUGINS = Path(__file__).resolve().parent.parent / "corpus" / "datasette_plugins"
PAGE = "http://127.0.0.1:9/zwgk/report.html"


def write_warc(path: Path, url: str, body: bytes, ctype: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "ab") as fh:
        writer = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        offset = fh.tell()
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return offset


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    monkeypatch.delenv("NIANBAO_ARCHIVE_DIR", raising=False)
    monkeypatch.delenv("NIANBAO_ARCHIVE_DIRS", raising=False)
    db_path = tmp_path / "site" / "corpus.db"
    db_path.parent.mkdir()
    db = connect(db_path)
    archive = tmp_path / "site" / "corpus-archive"
    rows = []

    def add(url, warc_file, offset=0, archive_dir=None, ctype="text/html; charset=utf-8"):
        rows.append({"url": url, "final_url": url, "status": 200, "content_type": ctype, "warc_file": warc_file,
                     "warc_offset": offset, "archive_dir": archive_dir, "fetched_at": "2024-01-01T00:00:00+00:00"})
        with db.conn:
            db["documents"].upsert(rows[-1], pk="url")

    off = write_warc(archive / "run-001.warc.gz", PAGE, "<html><body>年度报告</body></html>".encode(), "text/html; charset=utf-8")
    add(PAGE, "run-001.warc.gz", off)
    return db_path, archive, add, tmp_path


def get(db_path, path):
    from datasette.app import Datasette

    ds = Datasette([str(db_path)], plugins_dir=str(PLUGINS))
    return asyncio.run(ds.client.get(path))


def archived(db_path, url):
    from urllib.parse import quote

    return get(db_path, "/-/archived?url=" + quote(url, safe=""))


def test_an_archived_page_is_served_with_nosniff_and_a_sandbox(corpus):
    db_path, *_ = corpus
    r = archived(db_path, PAGE)
    assert r.status_code == 200
    assert "年度报告" in r.text
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-security-policy"].startswith("sandbox")


def test_a_warc_outside_the_archive_folder_named_by_archive_dir_is_not_served(corpus):
    db_path, archive, add, tmp = corpus
    elsewhere = tmp / "private"
    off = write_warc(elsewhere / "evil.warc.gz", "http://127.0.0.1:9/evil", b"SECRET-BYTES", "text/plain")
    add("http://127.0.0.1:9/evil", "evil.warc.gz", off, archive_dir=str(elsewhere))
    r = archived(db_path, "http://127.0.0.1:9/evil")
    assert r.status_code == 404
    assert "SECRET" not in r.text


def test_a_warc_file_name_climbing_out_of_the_folder_is_not_served(corpus):
    db_path, archive, add, tmp = corpus
    off = write_warc(tmp / "evil.warc.gz", "http://127.0.0.1:9/up", b"SECRET-BYTES", "text/plain")
    add("http://127.0.0.1:9/up", "../../evil.warc.gz", off)
    r = archived(db_path, "http://127.0.0.1:9/up")
    assert r.status_code == 404 and "SECRET" not in r.text


def test_a_symbolic_link_inside_the_folder_pointing_out_is_not_served(corpus):
    db_path, archive, add, tmp = corpus
    off = write_warc(tmp / "outside.warc.gz", "http://127.0.0.1:9/link", b"SECRET-BYTES", "text/plain")
    (archive / "link.warc.gz").symlink_to(tmp / "outside.warc.gz")
    add("http://127.0.0.1:9/link", "link.warc.gz", off)
    r = archived(db_path, "http://127.0.0.1:9/link")
    assert r.status_code == 404 and "SECRET" not in r.text


def test_a_file_that_is_not_a_warc_is_not_opened(corpus):
    db_path, archive, add, tmp = corpus
    (archive / "notes.txt").write_text("SECRET-BYTES")
    add("http://127.0.0.1:9/notes", "notes.txt")
    r = archived(db_path, "http://127.0.0.1:9/notes")
    assert r.status_code == 404 and "SECRET" not in r.text


@pytest.mark.parametrize("warc_file,archive_dir", [("/", None), (".warc.gz", "/"), ("missing.warc.gz", None), ("run-001.warc.gz", "/")])
def test_a_root_or_missing_path_is_a_404_that_names_no_server_path(corpus, warc_file, archive_dir):
    db_path, archive, add, tmp = corpus
    add("http://127.0.0.1:9/odd", warc_file, 0, archive_dir=archive_dir)
    r = archived(db_path, "http://127.0.0.1:9/odd")
    assert r.status_code == 404
    assert str(tmp) not in r.text and "/" not in r.text.replace("http://", "")
    assert r.headers["x-content-type-options"] == "nosniff"


def test_a_damaged_record_offset_is_a_404_not_a_500(corpus):
    db_path, archive, add, tmp = corpus
    add("http://127.0.0.1:9/bad-offset", "run-001.warc.gz", 7)
    r = archived(db_path, "http://127.0.0.1:9/bad-offset")
    assert r.status_code == 404 and str(tmp) not in r.text


def test_an_unknown_url_is_a_404_without_paths(corpus):
    db_path, *_ = corpus
    r = archived(db_path, "http://127.0.0.1:9/")
    assert r.status_code == 404 and "/" not in r.text.replace("http://", "")


def test_a_binary_archived_copy_is_offered_as_a_download(corpus):
    db_path, archive, add, tmp = corpus
    url = "http://127.0.0.1:9/files/report.bin"
    off = write_warc(archive / "run-002.warc.gz", url, b"\x00\x01binary", "application/octet-stream")
    add(url, "run-002.warc.gz", off, ctype="application/octet-stream")
    r = archived(db_path, url)
    assert r.status_code == 200
    assert r.headers["content-disposition"] == "attachment"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_a_workers_archive_beside_the_database_is_served_after_a_merge(corpus):
    db_path, archive, add, tmp = corpus
    worker = db_path.parent / "worker-a-archive"
    url = "http://127.0.0.1:9/worker.html"
    off = write_warc(worker / "w-001.warc.gz", url, "<p>工作者</p>".encode(), "text/html; charset=utf-8")
    add(url, "w-001.warc.gz", off, archive_dir=str(worker))
    r = archived(db_path, url)
    assert r.status_code == 200 and "工作者" in r.text
