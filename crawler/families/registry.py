"""The platform registry: every CMS platform the crawler knows, in one table.

A platform is a name, a mixin (its hooks), a priority and fingerprints, all read from
``crawler/data/platforms.toml``. ``detect()``, the CLI's ``--family`` choices, the check of
``sources.toml`` and the mock portals (``nianbao/portal/platforms``) all read this registry,
so a new platform is one TOML entry, one mixin module and one mock.

The hooks a mixin defines (``self`` is the spider, which calls them as plain functions):

- ``list_entries(response) -> list[Entry]``: the entries a list page (or a list API's answer) carries;
- ``next_list_pages(response) -> list[str | scrapy.Request]``: the column's further pages, or the
  requests that fetch its list (a JSON API behind a JavaScript shell, a POST to a search API);
  a Request's own meta (e.g. ``column``, the list it belongs to) is kept.

A platform's fingerprints, priority and evidence are data (``platforms.toml``); its per-site
parameters (a gkmlpt category, a TRS ``classsql``) are read from the pages themselves.
"""
from __future__ import annotations

import importlib
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "platforms.toml"
BODY_BYTES = 256 * 1024


@dataclass(frozen=True)
class Platform:
    name: str
    mixin_path: str
    priority: int
    fingerprints: tuple = ()  # alternatives; each a tuple of compiled patterns that must all match
    summary: str = ""
    evidence: str = ""

    @property
    def mixin(self) -> type:
        module, cls = self.mixin_path.split(":")
        return getattr(importlib.import_module(module), cls)

    @property
    def is_fallback(self) -> bool:
        return not self.fingerprints

    def matches(self, url: str, body: bytes) -> bool:
        if self.is_fallback:
            return True
        hay = url.encode("utf-8", "replace") + b"\n" + body[:BODY_BYTES]
        return any(all(p.search(hay) for p in alt) for alt in self.fingerprints)


def _compile(alt) -> tuple:
    pats = [alt] if isinstance(alt, str) else list(alt)
    return tuple(re.compile(p.encode("utf-8")) for p in pats)


@cache
def platforms() -> tuple[Platform, ...]:
    """Every platform, in the order ``detect`` asks them (priority, then name)."""
    raw = tomllib.loads(DATA.read_text(encoding="utf-8"))
    out = [Platform(name=name, mixin_path=row["mixin"], priority=int(row["priority"]),
                    fingerprints=tuple(_compile(a) for a in row.get("fingerprints", [])),
                    summary=row.get("summary", ""), evidence=row.get("evidence", ""))
           for name, row in raw.items()]
    return tuple(sorted(out, key=lambda p: (p.priority, p.name)))


def names() -> list[str]:
    return [p.name for p in platforms()]


def get(name: str) -> Platform:
    for p in platforms():
        if p.name == name:
            return p
    raise KeyError(f"unknown platform {name!r}; known: {', '.join(names())}")


def detect_platform(url: str, body: bytes) -> str:
    """The first platform (by priority) whose fingerprints the page carries."""
    for p in platforms():
        if p.matches(url, body):
            return p.name
    return "generic"


def table() -> str:
    """The README's table of supported platforms (tests check that the README shows this one)."""
    rows = ["| platform | what the crawler reads |", "|---|---|"]
    rows += [f"| `{p.name}` | {p.summary} |" for p in platforms()]
    return "\n".join(rows)
