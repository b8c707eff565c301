"""The OCR thresholds and limits, from ``extract/data/ocr.toml`` (each one's calibration is there)."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path


@cache
def settings() -> dict:
    return tomllib.loads((Path(__file__).parent.parent / "data" / "ocr.toml").read_text(encoding="utf-8"))
