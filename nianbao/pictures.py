"""A report's tables as pictures, the way county and township portals publish them: the project's
own PDF rendering (nianbao.render) rasterised at a resolution, then degraded as a scan is (JPEG
artefacts, a slight skew, a red seal over part of a table), and packed as a page picture, a
scanned (image-only) PDF, an HTML page of pictures, or a DOCX of pictures.

Used by the OCR tests, the OCR benchmark and the demo portal; the gold is the rendered report.
Rendering Chinese needs a CJK font on the system (Debian: fonts-wqy-microhei, see tests/setup.sh).
"""
from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

import cv2
import numpy as np

from . import render


@dataclass(frozen=True)
class Degradation:
    dpi: int = 150
    jpeg: int | None = None  # JPEG quality, None for lossless
    skew: float = 0.0  # degrees, counter-clockwise
    seal: bool = False  # a red seal stamped over part of the page's first table
    name: str = ""

    def label(self) -> str:
        return self.name or f"{self.dpi}dpi" + (f" jpeg{self.jpeg}" if self.jpeg else "") + \
            (f" skew{self.skew:g}" if self.skew else "") + (" seal" if self.seal else "")


def page_pictures(report: dict, dpi: int = 150) -> list[np.ndarray]:
    """The pages of ``render.pdf_bytes(report)`` as BGR pictures."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(render.pdf_bytes(report))
    try:
        out = []
        for page in doc:
            px = page.render(scale=dpi / 72).to_numpy()
            out.append(np.ascontiguousarray(px[:, :, :3]) if px.ndim == 3 else cv2.cvtColor(px, cv2.COLOR_GRAY2BGR))
        return out
    finally:
        doc.close()


def has_cjk_font() -> bool:
    """Whether pdfium can draw the tables' Chinese labels here (else they come out blank)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(render.pdf_bytes({"agency": "测试", "year": 2023, "format": "2021"}))
    try:
        px = doc[0].render(scale=1).to_numpy()
        return bool((px[:120, :, :3] < 128).any())  # the title line is ink only if a font drew it
    finally:
        doc.close()


def stamp_seal(img: np.ndarray, centre: tuple[int, int], radius: int) -> np.ndarray:
    """A red seal (ring, star, arc of strokes) over the picture. Stamp ink is a filter: it
    multiplies what is under it, so white paper turns red and black print stays black."""
    overlay = np.full_like(img, 255)
    red = (60, 50, 225)
    thick = max(2, radius // 18)
    cv2.circle(overlay, centre, radius, red, thick, cv2.LINE_AA)
    cx, cy = centre
    star = []
    for k in range(10):
        r = radius * (0.32 if k % 2 == 0 else 0.13)
        a = -math.pi / 2 + k * math.pi / 5
        star.append((int(cx + r * math.cos(a)), int(cy + r * math.sin(a))))
    cv2.fillPoly(overlay, [np.array(star, np.int32)], red, cv2.LINE_AA)
    for k in range(12):  # the agency's name around the ring, as strokes
        a = math.pi * (0.8 + 1.4 * k / 11)
        x, y = int(cx + radius * 0.72 * math.cos(a)), int(cy + radius * 0.72 * math.sin(a))
        cv2.rectangle(overlay, (x - thick * 2, y - thick * 2), (x + thick * 2, y + thick * 2), red, -1)
    return (img.astype(np.uint16) * overlay // 255).astype(np.uint8)


def degrade(img: np.ndarray, d: Degradation, seed: int = 0) -> np.ndarray:
    out = img
    if d.seal:
        rng = random.Random(seed)
        h, w = out.shape[:2]
        dark = np.nonzero((cv2.cvtColor(out, cv2.COLOR_BGR2GRAY) < 128).any(axis=1))[0]
        top = int(dark[len(dark) // 3]) if len(dark) else h // 3
        out = stamp_seal(out, (int(w * rng.uniform(0.45, 0.7)), top), int(min(h, w) * 0.11))
    if d.skew:
        h, w = out.shape[:2]
        m = cv2.getRotationMatrix2D((w / 2, h / 2), d.skew, 1.0)
        out = cv2.warpAffine(out, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    if d.jpeg:
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, d.jpeg])
        out = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    return out


def encode(img: np.ndarray, d: Degradation | None = None) -> tuple[bytes, str]:
    """File bytes and content type: JPEG when the degradation has a quality, else PNG."""
    if d is not None and d.jpeg:
        return cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, d.jpeg])[1].tobytes(), "image/jpeg"
    return cv2.imencode(".png", img)[1].tobytes(), "image/png"


def scanned_pdf(pictures: list[np.ndarray], dpi: int) -> bytes:
    """An image-only PDF of the pictures (no text layer at all), as a scanner writes one."""
    from PIL import Image

    pages = [Image.fromarray(cv2.cvtColor(p, cv2.COLOR_BGR2RGB)) for p in pictures]
    buf = io.BytesIO()
    pages[0].save(buf, format="PDF", save_all=True, append_images=pages[1:], resolution=float(dpi))
    return buf.getvalue()


def pictures_docx(report: dict, pictures: list[bytes]) -> bytes:
    """A DOCX with the report's title and prose and its pages pasted in as pictures."""
    import docx
    from docx.shared import Cm

    d = docx.Document()
    d.add_heading(render.title_of(report), level=1)
    d.add_paragraph(render.prose(report, 1))
    for p in pictures:
        d.add_picture(io.BytesIO(p), width=Cm(16))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def pictures_html(report: dict, sources: list[str]) -> str:
    """The body of a report page whose statistics are pictures (the article's prose, then <img>)."""
    parts = [f"<p>{render.prose(report, 1)}</p>", "<p>（报告全文及统计表见下图）</p>"]
    parts += [f'<p style="text-align:center"><img src="{s}" alt="" style="max-width:100%"></p>' for s in sources]
    return "\n".join(parts)
