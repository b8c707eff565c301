"""Did the crawl reach every entry a list says it holds?

Lists state their size in many ways (a ``createPageHTML`` record total or page count,
``recordCount``, 共N条 / 共N页, a JSON API's ``total``; :func:`crawler.pagination.stated_size`).
Per column (the list's first page and every page reached from it), the crawl counts the distinct
entries it actually saw and the list pages it actually read; a stated size above what was reached
is a *shortfall*, written to the crawl summary and to ``crawl_columns`` / ``crawl_runs.shortfall``
so a user can tell a complete crawl from a partial one.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Column:
    url: str
    how_found: str | None = None
    mechanism: str | None = None  # how its pages were reached
    family: str | None = None  # the CMS family (platform) its first page was read with
    stated_entries: int | None = None
    stated_pages: int | None = None
    size_how: str | None = None
    entries: set = field(default_factory=set)
    pages: set = field(default_factory=set)
    reports: int = 0

    @property
    def shortfall(self) -> int:
        """Entries (or, when only a page count is stated, pages) stated but not reached."""
        if self.stated_entries is not None:
            return max(0, self.stated_entries - len(self.entries))
        if self.stated_pages is not None:
            return max(0, self.stated_pages - len(self.pages))
        return 0

    @property
    def unit(self) -> str:
        return "entries" if self.stated_entries is not None else "pages"

    def row(self, run_id: str) -> dict:
        return {"run_id": run_id, "column_url": self.url, "how_found": self.how_found, "mechanism": self.mechanism,
                "stated_entries": self.stated_entries, "stated_pages": self.stated_pages, "size_how": self.size_how,
                "entries_reached": len(self.entries), "pages_reached": len(self.pages), "reports_listed": self.reports,
                "shortfall": self.shortfall, "shortfall_unit": self.unit if self.shortfall else None}


class Ledger:
    """The columns of one crawl, keyed by their first page's URL."""

    def __init__(self):
        self.columns: dict[str, Column] = {}

    def column(self, url: str) -> Column:
        col = self.columns.get(url)
        if col is None:
            col = self.columns[url] = Column(url)
        return col

    def page(self, column: str, page_url: str, entry_urls, reports: int = 0) -> None:
        col = self.column(column)
        col.pages.add(page_url)
        col.entries.update(entry_urls)
        col.reports += reports

    def stated(self, column: str, entries: int | None = None, pages: int | None = None, how: str | None = None) -> None:
        """A list's own statement of its size (the largest seen wins: pages of one list agree,
        and a later page may state it where the first did not)."""
        col = self.column(column)
        if entries is not None and (col.stated_entries is None or entries > col.stated_entries):
            col.stated_entries, col.size_how = entries, how or col.size_how
        if pages is not None and (col.stated_pages is None or pages > col.stated_pages):
            col.stated_pages = pages
            col.size_how = col.size_how or how

    def shortfalls(self) -> list[Column]:
        return [c for c in self.columns.values() if c.shortfall > 0]

    def summary(self) -> str | None:
        """One line for the crawl summary, or None when every stated size was reached."""
        short = self.shortfalls()
        if not short:
            return None
        parts = [f"{c.url} states {c.stated_entries if c.unit == 'entries' else c.stated_pages} {c.unit}, "
                 f"reached {len(c.entries) if c.unit == 'entries' else len(c.pages)}" for c in short[:5]]
        more = f" (and {len(short) - 5} more)" if len(short) > 5 else ""
        return f"shortfall: {sum(c.shortfall for c in short)} listed entries not reached in {len(short)} column(s): " + "; ".join(parts) + more
