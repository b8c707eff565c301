"""Real grids → rows: HTML ``<table>``, DOCX tables and ruled PDF tables.

Spans are expanded so every row has one entry per column; a position covered by a spanning cell
is marked ``copy`` rather than filled with a blank, so a real blank stays distinguishable from
the shadow of a merged label.
"""
from __future__ import annotations

import re

from .rows import Cell, Row

_WS = re.compile(r"[ \t\r\n\u3000\u00a0]+")


def _span(el, name: str) -> int:
    try:
        return max(1, min(int(el.get(name, "1") or 1), 200))
    except ValueError:
        return 1


def _cell_text(td) -> str:
    # <br> and block children become nothing: a label broken across lines is one label.
    parts = []
    for t in td.itertext():
        parts.append(t)
    return _WS.sub(" ", "".join(parts)).strip()


def html_table_rows(table, index: int = 0) -> list[Row]:
    """Expand one lxml ``<table>`` element into exact rows."""
    grid: dict[tuple[int, int], Cell] = {}
    trs = [tr for tr in table.iter("tr") if _own_row(tr, table)]
    for r, tr in enumerate(trs):
        c = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            rs, cs = _span(td, "rowspan"), _span(td, "colspan")
            text = _cell_text(td)
            for dr in range(rs):
                for dc in range(cs):
                    if r + dr < len(trs):
                        grid[(r + dr, c + dc)] = Cell(text, copy=(dr or dc) != 0)
            c += cs
    width = max((c for _, c in grid), default=-1) + 1
    rows = []
    for r in range(len(trs)):
        cells = [grid.get((r, c), Cell("", copy=True)) for c in range(width)]
        rows.append(Row(cells, exact=True, where=f"html table {index + 1} row {r + 1}", extra={"table": f"html{index}"}))
    return rows


def _own_row(tr, table) -> bool:
    """A ``<tr>`` belongs to ``table`` itself, not to a table nested inside one of its cells."""
    p = tr.getparent()
    while p is not None and p is not table:
        if isinstance(p.tag, str) and p.tag.lower() == "table":
            return False
        p = p.getparent()
    return True


def html_rows(root) -> list[Row]:
    """Rows of every innermost table of an lxml document, in document order."""
    rows: list[Row] = []
    tables = [t for t in root.iter("table") if not any(True for _ in t.iter("table") if _ is not t)]
    for i, t in enumerate(tables):
        rows.extend(html_table_rows(t, i))
    return rows


def docx_rows(document) -> list[Row]:
    """Rows of every table of a python-docx Document; merged cells become copies."""
    rows: list[Row] = []
    for ti, table in enumerate(document.tables):
        above: list = []
        for ri, row in enumerate(table.rows):
            cells, prev_tc = [], None
            tcs = [cell._tc for cell in row.cells]
            for ci, cell in enumerate(row.cells):
                tc = tcs[ci]
                horizontal_copy = tc is prev_tc
                vertical_copy = ci < len(above) and above[ci] is tc
                cells.append(Cell(cell.text.strip(), copy=horizontal_copy or vertical_copy))
                prev_tc = tc
            above = tcs
            rows.append(Row(cells, exact=True, where=f"docx table {ti + 1} row {ri + 1}", extra={"table": f"docx{ti}"}))
    return rows


def pdf_table_rows(table: list[list[str | None]], where: str) -> list[Row]:
    """A pdfplumber table (``None`` marks a position covered by a merged cell)."""
    rows = []
    for ri, r in enumerate(table):
        cells = [Cell("" if t is None else _WS.sub(" ", t).strip(), copy=t is None) for t in r]
        rows.append(Row(cells, exact=True, where=f"{where} row {ri + 1}", extra={"table": where}))
    return rows
