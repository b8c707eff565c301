"""The recogniser: PP-OCR models shipped inside ``rapidocr-onnxruntime`` 1.4.x, run offline on a CPU.

Only the recognition model is used on table cells (their boxes come from the ruling lines, so
detection, the slow half of PP-OCR, is not needed for them); detection reads the prose around
the tables. The engine is loaded once per process, lazily: a process pool that extracts
documents loads it in each worker that meets a picture, never in one that does not.
"""
from __future__ import annotations

import threading
import unicodedata
from functools import cache

import cv2
import numpy as np

from .settings import threads

_LOCK = threading.Lock()


@cache
def _engine():
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as e:  # pragma: no cover - a dependency of the package
        raise OcrUnavailable(f"rapidocr-onnxruntime is not installed ({e})") from e
    n = threads()
    return RapidOCR(intra_op_num_threads=n, inter_op_num_threads=1 if n > 0 else -1, print_verbose=False)


class OcrUnavailable(RuntimeError):
    pass


def recognise(lines: list[np.ndarray]) -> list[tuple[str, float]]:
    """Text and confidence (0–1) of each image of one text line (BGR; its height is the one the
    recogniser sees: 48 px as trained, 32 px reads printed Chinese as well at two thirds the cost).

    The recogniser is called directly, one line at a time, rather than through RapidOCR's
    batching, which pads every line to at least 320 px with mid-grey (a lone ``0`` then reads as
    ``。``, and a short cell costs as much as a long label) and, on one core, is slower per line
    than single calls (benchmarks/RESULTS.md, OCR).
    """
    if not lines:
        return []
    rec = _engine().text_rec
    out: list[tuple[str, float]] = []
    for img in lines:
        h, w = img.shape[:2]
        if w < MIN_WIDTH:  # the recogniser reduces the width eightfold: a lone digit needs a few steps
            img = cv2.copyMakeBorder(img, 0, 0, 0, MIN_WIDTH - w, cv2.BORDER_CONSTANT, value=(255, 255, 255))
        tensor = (img.astype(np.float32).transpose(2, 0, 1) / 127.5 - 1.0)[np.newaxis]
        with _LOCK:  # one onnxruntime session per process; calls from threads take turns
            preds = rec.session(tensor)[0]
        _fold(preds)
        text, score = rec.postprocess_op(preds)[0]
        out.append((text, float(score)))
    return out


MIN_WIDTH = 32


def _fold(preds: np.ndarray) -> None:
    """Pool the probability of characters that are one character after NFKC (``0`` and ``０``,
    ``,`` and ``，``): the recogniser splits its belief between such twins, which halves the
    confidence of a reading that is certain for every purpose here."""
    for first, members in _twins():
        preds[:, :, first] = preds[:, :, members].sum(axis=-1)
        preds[:, :, members[1:]] = 0.0


@cache
def _twins() -> list[tuple[int, np.ndarray]]:
    chars = _engine().text_rec.postprocess_op.character
    groups: dict[str, list[int]] = {}
    for i, ch in enumerate(chars):
        if i:  # 0 is CTC's blank
            groups.setdefault(unicodedata.normalize("NFKC", ch), []).append(i)
    return [(g[0], np.array(g)) for g in groups.values() if len(g) > 1]


def detect_and_read(image: np.ndarray) -> list[tuple[list, str, float]]:
    """Boxes, text and confidence of every text line PP-OCR finds in an image (prose, titles)."""
    engine = _engine()
    with _LOCK:
        result, _ = engine(image, use_cls=False)
    return [(box, text, float(score)) for box, text, score in (result or [])]
