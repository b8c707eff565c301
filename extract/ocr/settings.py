"""The OCR thresholds and limits, from ``extract/data/ocr.toml`` (each one's calibration is there)."""
from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path


@cache
def settings() -> dict:
    return tomllib.loads((Path(__file__).parent.parent / "data" / "ocr.toml").read_text(encoding="utf-8"))


def threads() -> int:
    """onnxruntime's intra-op threads: ``NIANBAO_OCR_THREADS`` (an extraction worker gets its share of
    the cores, extract/limits.py; the benchmark sets 1), else onnxruntime's default (every core)."""
    try:
        return int(os.environ.get("NIANBAO_OCR_THREADS", "-1"))
    except ValueError:
        return -1
