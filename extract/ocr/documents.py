"""Where a document's tables are pictures, and their rows: the OCR side of extract/documents.py.

A PDF page is scanned when it has (next to) no text layer: a stamp or a page number leaves a few
characters. A report page's tables are pictures when its ``<img>`` show what its HTML does not;
a DOCX's when it embeds pictures instead of tables. Each function returns rows for the shared
table reader, and flags that say what was read, skipped or capped.
"""
from __future__ import annotations

import re
import time
from urllib.parse import urljoin

from ..limits import current as current_limits
from ..limits import limit_flag, time_enforced
from ..rows import Row
from . import decode_image, iter_pdf_pages, picture_rows, read_picture, room
from .settings import settings


def _decoration():
    return re.compile(settings()["detect"]["decoration"], re.I)


def scanned_pages(chars_per_page: list[int]) -> list[int]:
    """Indexes of the pages without a text layer of their own."""
    floor = settings()["detect"]["min_text_chars"]
    return [i for i, n in enumerate(chars_per_page) if n < floor]


def pdf_rows(data: bytes, pages: list[int], flags: list[str], texts: list[str] | None = None) -> list[Row]:
    """Rows of the scanned ``pages``; with ``texts`` (the text layer per page), the prose of the
    first scanned pages is read into it too."""
    if _no_room(flags):
        return []
    cap = settings()["limits"]["max_pages"]
    if len(pages) > cap:
        flags.append(f"OCR: {len(pages)} scanned pages; only the first {cap} read")
        pages = pages[:cap]
    rows: list[Row] = []
    prose = settings()["limits"]["prose_pages"] if texts is not None else 0
    # in a worker, pages stop at half the time limit so what was read is kept (a kill loses it all)
    soft = current_limits().soft_seconds if time_enforced() else None
    started, done = time.monotonic(), []
    for n, (i, image) in enumerate(zip(pages, iter_pdf_pages(data, pages))):
        if soft is not None and done and time.monotonic() - started > soft:  # as the text-layer reader does: what was read stays
            flags.append(limit_flag(f"OCR stopped after {soft:g} s (half the time limit): {len(done)} of "
                                    f"{len(pages)} scanned pages read"))
            break
        got, text = read_picture(image, f"ocr pdf page {i + 1}", prose=n < prose)
        rows.extend(got)
        done.append(i)
        if text and texts is not None and i < len(texts) and not texts[i].strip():
            texts[i] = text
    flags.append(f"OCR: {len(done)} scanned page(s) read ({', '.join(str(i + 1) for i in done)})")
    return rows


def picture_sources(root, url: str | None) -> list[str]:
    """Addresses of the pictures in a report page, in page order, decoration left out."""
    deco = _decoration()
    out = []
    for img in root.iter("img"):
        src = (img.get("src") or img.get("data-src") or "").strip()
        if not src or src.startswith("data:") or deco.search(src + " " + (img.get("class") or "") + " " + (img.get("id") or "")):
            continue
        full = urljoin(url or "", src)
        if full not in out:
            out.append(full)
    for a in root.iter("a"):  # pictures linked rather than shown
        href = (a.get("href") or "").strip()
        if re.search(r"\.(png|jpe?g|gif|bmp)(?:[?#]|$)", href, re.I) and not deco.search(href):
            full = urljoin(url or "", href)
            if full not in out:
                out.append(full)
    return out


def html_rows(root, url: str | None, images: dict[str, bytes], flags: list[str]) -> list[Row]:
    """Rows of the tables in a page's pictures (``images``: address → bytes, as fetched)."""
    sources = [s for s in picture_sources(root, url) if s in images]
    return _pictures([(s, images[s]) for s in sources], "ocr image", flags)


def docx_pictures(document) -> list[bytes]:
    """The pictures a DOCX shows, in document order (each embedded image once)."""
    out, seen = [], set()
    body = document.element.body
    for blip in body.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"):
        rid = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
        if not rid or rid in seen:
            continue
        seen.add(rid)
        part = document.part.related_parts.get(rid)
        if part is not None and getattr(part, "blob", None):
            out.append(part.blob)
    return out


def docx_rows(document, flags: list[str]) -> list[Row]:
    pictures = docx_pictures(document)
    return _pictures([(f"picture {i + 1}", b) for i, b in enumerate(pictures)], "ocr docx", flags)


def image_rows(data: bytes, flags: list[str]) -> tuple[list[Row], str]:
    """Rows and prose of a document that is one picture (a PNG/JPEG served or given on its own)."""
    flags.append("OCR: the document is a picture")
    if _no_room(flags):
        return [], ""
    img = decode_image(data)
    if img is None:
        flags.append("OCR: not a readable picture")
        return [], ""
    return read_picture(img, "ocr image", prose=True)


def _no_room(flags: list[str]) -> bool:
    why = room()
    if why:
        flags.append(limit_flag(why))
    return bool(why)


def _pictures(named: list[tuple[str, bytes]], where: str, flags: list[str]) -> list[Row]:
    if named and _no_room(flags):
        return []
    cap = settings()["limits"]["max_images"]
    if len(named) > cap:
        flags.append(f"OCR: {len(named)} pictures; only the first {cap} read")
        named = named[:cap]
    rows: list[Row] = []
    read = 0
    for k, (name, data) in enumerate(named):
        img = decode_image(data)
        if img is None:
            flags.append(f"OCR: {name} is not a readable picture")
            continue
        got = picture_rows(img, f"{where} {k + 1}")
        read += bool(got)
        rows.extend(got)
    if named:
        flags.append(f"OCR: {read} of {len(named)} picture(s) held a ruled table")
    return rows
