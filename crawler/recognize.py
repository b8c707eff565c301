"""Tell report titles from look-alike notices and navigation (patterns in ``data/recognize.toml``)."""
from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

REPORT, LOOKALIKE, OTHER = "report", "lookalike", "other"
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


@cache
def _patterns():
    raw = tomllib.loads((Path(__file__).parent / "data" / "recognize.toml").read_text(encoding="utf-8"))
    return {k: [re.compile(p) for p in v] for k, v in raw.items()}


def _squash(title: str) -> str:
    return re.sub(r"[\s\u3000\u00a0]+", "", title or "")


def classify(title: str) -> str:
    t = _squash(title)
    p = _patterns()
    if not any(r.search(t) for r in p["report"]):
        return OTHER
    if any(r.search(t) for r in p["lookalike"]):
        return LOOKALIKE
    return REPORT


def title_year(title: str) -> int | None:
    """The report year a title names (the first four-digit year before 年)."""
    m = _YEAR.search(_squash(title))
    return int(m.group(1)) if m else None


def is_column_link(text: str) -> bool:
    t = _squash(text)
    return bool(t) and len(t) <= 24 and not _YEAR.search(t) and any(r.search(t) for r in _patterns()["column"])


def is_hub_link(text: str) -> bool:
    t = _squash(text)
    return bool(t) and len(t) <= 16 and any(r.search(t) for r in _patterns()["hub"])
