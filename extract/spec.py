"""The table layouts of the official formats, loaded once from ``data/tables.toml``.

Keeping labels and keys in a data file lets a researcher check them against the circulars
without reading code, and keeps the canonical keys (the corpus contract) in one place.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .text import normalize_label

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str | None = None


@dataclass(frozen=True)
class RowSpec:
    """A row (table 三), item (table 二) or proceeding (table 四) and how to recognise its label."""

    key: str
    label: str
    keywords: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()
    formats: tuple[str, ...] = ("2019", "2021")
    result: bool = False
    measures: tuple[Measure, ...] = ()
    article: str | None = None  # table 二: the clause of 第二十条 the official table groups it under

    def matches(self, norm: str) -> bool:
        """True when the normalised label ``norm`` names this row."""
        if norm in self.exact:
            return True
        return any(k in norm for k in self.keywords)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    optional: bool = False


@dataclass(frozen=True)
class TableSpec:
    active_disclosure: dict[str, tuple[RowSpec, ...]]  # format -> items
    active_markers: dict[str, tuple[str, ...]]  # format -> measure header words
    application_columns: tuple[Column, ...]
    application_rows: tuple[RowSpec, ...]
    application_markers: tuple[str, ...]
    subtotal_markers: tuple[str, ...]
    proceedings: tuple[RowSpec, ...]
    outcomes: tuple[Measure, ...]
    review_markers: tuple[str, ...]
    active_region_markers: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    def application_rows_for(self, fmt: str) -> tuple[RowSpec, ...]:
        return tuple(r for r in self.application_rows if fmt in r.formats)

    def columns_for(self, with_subtotal: bool) -> tuple[Column, ...]:
        return tuple(c for c in self.application_columns if with_subtotal or not c.optional)


def _norm_all(words) -> tuple[str, ...]:
    return tuple(normalize_label(w) for w in words)


def _row(d: dict) -> RowSpec:
    return RowSpec(
        key=d["key"],
        label=d["label"],
        keywords=_norm_all(d.get("keywords", ())),
        exact=_norm_all(d.get("exact", ())),
        formats=tuple(d.get("formats", ("2019", "2021"))),
        result=bool(d.get("result", False)),
        measures=tuple(Measure(m["key"], m["label"], m.get("unit")) for m in d.get("measures", ())),
        article=d.get("article"),
    )


@cache
def tables() -> TableSpec:
    raw = tomllib.loads((DATA / "tables.toml").read_text(encoding="utf-8"))
    ad = raw["active_disclosure"]["formats"]
    app = raw["applications"]
    rl = raw["review_litigation"]
    return TableSpec(
        active_disclosure={fmt: tuple(_row(i) for i in v["items"]) for fmt, v in ad.items()},
        active_markers={fmt: _norm_all(v["markers"]) for fmt, v in ad.items()},
        application_columns=tuple(Column(c["key"], c["label"], c.get("optional", False)) for c in app["columns"]),
        application_rows=tuple(_row(r) for r in app["rows"]),
        application_markers=_norm_all(app["markers"]),
        subtotal_markers=_norm_all(app["subtotal_markers"]),
        proceedings=tuple(_row(p) for p in rl["proceedings"]),
        outcomes=tuple(Measure(o["key"], o["label"]) for o in rl["outcomes"]),
        review_markers=_norm_all(rl["markers"]),
        active_region_markers=_norm_all(raw["active_disclosure"].get("region_markers", ())),
    )
