"""The structured report: what one document yields, and its canonical JSON (the gold shape)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .checks import Check
from .sections import Section
from .tables import Tables


@dataclass
class Report:
    kind: str  # html, pdf, docx, text, or the unsupported kind (doc, wps, image…)
    title: str = ""
    agency: str | None = None
    agency_source: str | None = None  # title, body, signature, page_meta, list_title
    year: int | None = None
    year_source: str | None = None
    published_date: str | None = None
    body_text: str = ""
    sections: list[Section] = field(default_factory=list)
    tables: Tables = field(default_factory=Tables)
    checks: list[Check] = field(default_factory=list)
    check_status: str = "incomplete"
    flags: list[str] = field(default_factory=list)

    @property
    def format(self) -> str:
        return self.tables.format

    def to_json(self, name: str | None = None, full: bool = False) -> dict:
        """The canonical JSON: the shape of the spec's gold files (``full`` adds the rest)."""
        t = self.tables
        d = {
            "seed": name,
            "agency": self.agency,
            "year": self.year,
            "format": self.format,
            "active_disclosure": {item: {m: c.value for m, c in ms.items()} for item, ms in t.active_disclosure.items()},
            "applications": {row: [cells[c].value for c in t.application_columns] for row, cells in t.applications.items()},
            "review_litigation": {p: [c.value for c in cells.values()] for p, cells in t.review_litigation.items()},
            "notes": "; ".join(self.flags + t.flags),
        }
        if full:
            d.update(
                kind=self.kind,
                title=self.title,
                agency_source=self.agency_source,
                year_source=self.year_source,
                published_date=self.published_date,
                application_columns=t.application_columns,
                check_status=self.check_status,
                checks=[c.__dict__ for c in self.checks],
                sections=[s.__dict__ for s in self.sections],
                flags=self.flags + t.flags,
                cells=cell_rows(t),
            )
        return d


def cell_rows(t: Tables) -> list[dict]:
    """Every cell of the three tables with its raw text and status (provenance for researchers)."""
    out = []
    for table, data in (("active_disclosure", t.active_disclosure), ("applications", t.applications), ("review_litigation", t.review_litigation)):
        for row, cells in data.items():
            for col, c in cells.items():
                out.append({"table": table, "row": row, "col": col, "value": c.value, "raw": c.raw, "status": c.status, "where": c.where,
                            "confidence": c.confidence})
    return out
