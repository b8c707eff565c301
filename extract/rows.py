"""Rows of cells: the one shape every input layout is turned into before tables are read.

A row from a real grid (HTML, DOCX, a ruled PDF table) is *exact*: its cells sit at their true
columns, blanks are real blanks, and cells covered by another cell's rowspan/colspan are marked as
copies. A row from a text dump is not exact: separators may be lost or doubled, so the table reader
relies on labels and counts instead of positions.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Cell:
    text: str
    copy: bool = False  # covered by a spanning cell: not a cell of its own


@dataclass
class Row:
    cells: list[Cell]
    exact: bool = False
    where: str = ""  # provenance, e.g. "html table 3 row 7" or "line 112"
    extra: dict = field(default_factory=dict)

    @classmethod
    def of(cls, texts, exact=False, where=""):
        return cls([Cell(t or "") for t in texts], exact=exact, where=where)

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    def joined(self) -> str:
        seen, out = set(), []
        for c in self.cells:
            if c.copy or not c.text.strip():
                continue
            out.append(c.text)
            seen.add(c.text)
        return " ".join(out)

    def __repr__(self):  # pragma: no cover - debugging aid
        return f"Row({self.texts!r}, exact={self.exact}, where={self.where!r})"
