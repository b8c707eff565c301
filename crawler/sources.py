"""The configured sources: real report columns of real portals (``data/sources.toml``)."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from .families import FAMILIES

SOURCES_FILE = Path(__file__).parent / "data" / "sources.toml"
REQUIRED = ("id", "agency", "start_urls", "family")


@cache
def load_sources(path: str | None = None) -> tuple[dict, ...]:
    raw = tomllib.loads(Path(path or SOURCES_FILE).read_text(encoding="utf-8"))
    out = []
    for src in raw.get("source", []):
        missing = [k for k in REQUIRED if k not in src]
        if missing:
            raise ValueError(f"source {src.get('id', '?')} lacks {', '.join(missing)} in {path or SOURCES_FILE}")
        if src["family"] not in FAMILIES:
            raise ValueError(f"source {src['id']}: unknown family {src['family']!r}")
        out.append(src)
    ids = [s["id"] for s in out]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate source ids in sources.toml")
    return tuple(out)


def get_source(source_id: str) -> dict:
    for s in load_sources():
        if s["id"] == source_id:
            return s
    known = ", ".join(s["id"] for s in load_sources()[:8])
    raise KeyError(f"unknown source {source_id!r} (see `nianbao sources`; e.g. {known} …)")
