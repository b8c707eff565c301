"""Tables published as pictures: scanned PDF pages, images in a report page, pictures in a DOCX.

The entry points are plain functions of bytes (no state but the lazily loaded recogniser), so
they run unchanged inside a worker process that enforces the crawl's time and memory limits.
OCR is on unless ``NIANBAO_OCR=0`` (``--no-ocr``) or the caller passes ``ocr=False``.

OpenCV and NumPy are imported inside the functions, not here: every extraction asks
:func:`enabled`, and a worker under a small address-space limit (extract/limits.py) must not
map OpenCV's libraries for a document that has no picture in it.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ..rows import Row
from .settings import settings, threads

if TYPE_CHECKING:
    import numpy as np


def enabled(ocr: bool | None = None) -> bool:
    if ocr is not None:
        return ocr
    return os.environ.get("NIANBAO_OCR", "1").strip().lower() not in ("0", "false", "no", "off")


def room() -> str | None:
    """Why OCR cannot run in this process, or None when it can.

    Under an address-space limit (the extraction worker's ``RLIMIT_AS``, ``--extract-memory``),
    loading OpenCV and the models and reading one page need about ``address_space_mb`` more than
    the process already maps (``address_space_per_thread_mb`` more per extra recogniser thread):
    measured by benchmarks/ocr_bench.py ``--memory``. With less, onnxruntime fails to map its
    library or dies with a segmentation fault, which would lose the whole document; skipping the
    pictures keeps the rest of it (text, agency, year, HTML tables), flagged."""
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or soft <= 0:
        return None
    lim = settings()["limits"]
    n = threads() if threads() > 0 else (os.cpu_count() or 1)
    need = (lim["address_space_mb"] + lim["address_space_per_thread_mb"] * (n - 1)) << 20
    used = _mapped()
    if used + need <= soft:
        return None
    return (f"OCR not run: reading pictures needs about {need >> 20} MiB of address space and the worker has "
            f"{max(0, soft - used) >> 20} MiB left of its {soft >> 20} MiB memory limit (--extract-memory)")


def _mapped() -> int:
    """Bytes of address space this process maps now (VmSize)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) << 10
    except OSError:
        pass
    return 0


def decode_image(data: bytes) -> np.ndarray | None:
    """BGR pixels of a PNG/JPEG/GIF/BMP (None if not an image), scaled down past ``max_pixels``."""
    import cv2
    import numpy as np

    buf = np.frombuffer(data, np.uint8)
    img = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    if img is None:
        try:  # GIF and other formats OpenCV does not read
            import io

            from PIL import Image

            img = cv2.cvtColor(np.asarray(Image.open(io.BytesIO(data)).convert("RGB")), cv2.COLOR_RGB2BGR)
        except Exception:
            return None
    return _limit(img)


def _limit(img: np.ndarray) -> np.ndarray:
    import cv2

    h, w = img.shape[:2]
    cap = settings()["limits"]["max_pixels"]
    if h * w > cap:
        s = (cap / (h * w)) ** 0.5
        img = cv2.resize(img, (int(w * s), int(h * s)), interpolation=cv2.INTER_AREA)
    return img


def picture_rows(image: np.ndarray, where: str) -> list[Row]:
    """The rows of every ruled table in one picture, top to bottom (empty if it holds none)."""
    return read_picture(image, where)[0]


def read_picture(image: np.ndarray, where: str, prose: bool = False) -> tuple[list[Row], str]:
    """The rows of every ruled table in one picture and, with ``prose``, the text around them
    (title, headings, paragraphs: where a scan's agency and year are read from)."""
    from .cells import read_tables
    from .grid import prepare

    page = prepare(image)
    rows = read_tables(page, where, where)
    return rows, (page_text(page) if prose else "")


def page_text(page) -> str:
    """The text lines outside the tables, top to bottom: PP-OCR detection on a reduced copy (prose
    is printed larger than table cells), tables painted out."""
    import cv2

    from . import engine

    img = page.image.copy()
    for t in page.tables:
        x0, y0, x1, y1 = t.box
        img[max(0, y0 - 3) : y1 + 4, max(0, x0 - 3) : x1 + 4] = 255
    side = settings()["limits"]["prose_side"]
    scale = min(1.0, side / max(img.shape[:2]))
    if scale < 1.0:
        img = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    found = engine.detect_and_read(img)
    lines = sorted(((min(p[1] for p in box), min(p[0] for p in box)), text) for box, text, score in found
                   if score >= settings()["read"]["min_confidence"])
    return "\n".join(text for _, text in lines)


def image_rows(data: bytes, where: str) -> list[Row]:
    """:func:`picture_rows` of an image file's bytes."""
    img = decode_image(data)
    return picture_rows(img, where) if img is not None else []


def render_pdf_pages(data: bytes, pages: list[int], dpi: int | None = None) -> list[np.ndarray]:
    """Pages of a PDF as BGR pictures (pdfium, the renderer pdfplumber already depends on)."""
    return list(iter_pdf_pages(data, pages, dpi))


def iter_pdf_pages(data: bytes, pages: list[int], dpi: int | None = None):
    """:func:`render_pdf_pages` one page at a time: a worker holds one rendered page (~12 MB at
    200 dpi), not the whole scan."""
    import cv2
    import numpy as np
    import pypdfium2 as pdfium

    dpi = dpi or settings()["limits"]["render_dpi"]
    doc = pdfium.PdfDocument(data)
    try:
        for i in pages:
            bitmap = doc[i].render(scale=dpi / 72)  # pdfium's default layout: BGR(A/X) or grey
            px = bitmap.to_numpy()
            if px.ndim == 2:
                px = cv2.cvtColor(px, cv2.COLOR_GRAY2BGR)
            elif px.shape[2] == 4:
                px = np.ascontiguousarray(px[:, :, :3])
            yield _limit(px.copy())
    finally:
        doc.close()
