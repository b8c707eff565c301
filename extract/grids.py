"""Real grids → rows: HTML ``<table>``, DOCX tables and ruled PDF tables.

Spans are expanded so every row has one entry per column; a position covered by a spanning cell
is marked ``copy`` rather than filled with a blank, so a real blank stays distinguishable from
the shadow of a merged label.
"""
from __future__ import annotations

import re

from lxml import etree

from .limits import current as current_limits, limit_flag
from .rows import Cell, Row

_WS = re.compile(r"[ \t\r\n\u3000\u00a0]+")


def _span(el, name: str) -> int:
    v = el.get(name)
    if v is None:
        return 1
    try:
        return max(1, min(int(v or 1), 200))
    except ValueError:
        return 1


def span_volume(root) -> int:
    """Grid positions the spans of a document's cells claim together (what a reader that expands
    spans, such as trafilatura's table handler, would allocate)."""
    return sum(_span(td, "rowspan") * _span(td, "colspan") for td in root.iter("td", "th")
               if td.get("rowspan") is not None or td.get("colspan") is not None)


def parse_html(text: str):
    """An lxml tree of a page, with lxml's plain elements: ``lxml.html``'s element classes are
    looked up in Python for every element touched, which cost a fifth of reading the grids."""
    parser = etree.HTMLParser()
    try:
        root = etree.fromstring(text, parser)
    except ValueError:  # a unicode string with an XML encoding declaration
        root = etree.fromstring(text.encode("utf-8", "replace"), parser)
    return root if root is not None else etree.fromstring("<html><body></body></html>", parser)


def element_text(el) -> str:
    """All text inside an element, tail excluded: lxml's text serialiser, about three times as fast
    as an XPath ``string()`` and six times as fast as joining ``itertext()``. <br> and block
    children become nothing, so a label broken across lines is one label."""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


def html_table_rows(table, index: int = 0, cap: int | None = None, flags: list | None = None) -> list[Row]:
    """Expand one lxml ``<table>`` element into exact rows.

    Hot path of HTML extraction (benchmarks/extract_bench.py): the grid is a list of rows, each
    a list with ``None`` for positions not yet filled, and only td/th children are visited.

    Spans multiply: 400 cells of ``rowspan=200 colspan=200`` (14 KB) would be 16 million
    positions. The positions are counted as they are filled and padded; past ``cap`` (default
    ``grid_cells`` of :mod:`extract.limits`) the table keeps only its rows read so far, flagged.
    """
    cap = current_limits().grid_cells if cap is None else cap
    trs = [tr for tr in table.iter("tr") if _own_row(tr, table)]
    n = len(trs)
    grid: list[list[Cell | None]] = [[] for _ in range(n)]
    filled = 0  # positions allocated in grid so far (spans included)
    width = 0
    for r, tr in enumerate(trs):
        line = grid[r]
        c = 0
        if filled > cap or r * width > cap:
            return _cut(grid, r, index, cap, flags)
        for td in tr.iterchildren("td", "th"):
            while c < len(line) and line[c] is not None:
                c += 1
            text = " ".join(element_text(td).split())  # str.split(): every Unicode space, full-width ones too
            if td.get("rowspan") is None and td.get("colspan") is None:
                if c < len(line):
                    line[c] = Cell(text)
                else:
                    line.extend([None] * (c - len(line)))
                    line.append(Cell(text))
                c += 1
                filled += 1
                continue
            rs, cs = _span(td, "rowspan"), _span(td, "colspan")
            filled += min(rs, n - r) * cs
            if filled > cap:
                return _cut(grid, r, index, cap, flags)
            for dr in range(min(rs, n - r)):
                target = grid[r + dr]
                if len(target) < c + cs:
                    target.extend([None] * (c + cs - len(target)))
                for dc in range(cs):
                    target[c + dc] = Cell(text, copy=(dr or dc) != 0)
            c += cs
        width = max(width, len(line))
    if n * width > cap:
        return _cut(grid, n, index, cap, flags)
    return _rows(grid, index)


def _cut(grid: list, keep: int, index: int, cap: int, flags: list | None) -> list[Row]:
    width = max((len(line) for line in grid[:keep]), default=0)
    if keep * width > cap:  # the rows kept are padded to the widest: that counts too
        keep = cap // width
    if flags is not None:
        flags.append(limit_flag(f"html table {index + 1}: its spans expand beyond {cap:,} cells; "
                                f"only its first {keep} of {len(grid)} rows read"))
    return _rows(grid[:keep], index)


def _rows(grid: list, index: int) -> list[Row]:
    width = max((len(line) for line in grid), default=0)
    rows = []
    where = f"html table {index + 1} row "
    extra = f"html{index}"
    for r, line in enumerate(grid):
        cells = [x if x is not None else Cell("", copy=True) for x in line]
        short = len(line) < width
        cells.extend(Cell("", copy=True) for _ in range(width - len(line)))
        # a row with fewer cells than the grid is wide ends early: its cells keep their places
        rows.append(Row(cells, exact=True, where=where + str(r + 1), extra={"table": extra, "cut": True} if short else {"table": extra}))
    return rows


def _own_row(tr, table) -> bool:
    """A ``<tr>`` belongs to ``table`` itself, not to a table nested inside one of its cells."""
    for p in tr.iterancestors("table"):
        return p is table
    return False


def html_rows(root, flags: list | None = None) -> list[Row]:
    """Rows of every innermost table of an lxml document, in document order; the document's
    tables together stay within ``doc_grid_cells`` positions (the tables past it are skipped, flagged)."""
    lim = current_limits()
    rows: list[Row] = []
    budget = lim.doc_grid_cells
    tables = [t for t in root.iter("table") if not any(True for _ in t.iter("table") if _ is not t)]
    for i, t in enumerate(tables):
        if budget <= 0:
            if flags is not None:
                flags.append(limit_flag(f"html tables {i + 1}–{len(tables)} skipped: the document's tables "
                                        f"expand beyond {lim.doc_grid_cells:,} cells"))
            break
        got = html_table_rows(t, i, cap=min(lim.grid_cells, budget), flags=flags)
        budget -= sum(len(r.cells) for r in got)
        rows.extend(got)
    return rows


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_positions(tbl) -> int:
    """Grid positions a DOCX ``<w:tbl>`` claims (cells × their gridSpan, gridBefore/After), read
    from its XML: what python-docx would expand the table to."""
    n = 0
    for tr in tbl.iterchildren(_W + "tr"):
        for el in tr.iter(_W + "gridSpan", _W + "gridBefore", _W + "gridAfter"):
            v = el.get(_W + "val") or ""
            n += int(v) - (1 if el.tag == _W + "gridSpan" else 0) if v.isdigit() else 0
        n += sum(1 for _ in tr.iterchildren(_W + "tc"))
    return n


def docx_table_fits(tbl, index: int, flags: list | None = None) -> bool:
    """Whether a DOCX table is within the ``grid_cells`` cap; if not, flagged once."""
    cap = current_limits().grid_cells
    n = docx_positions(tbl)
    if n <= cap:
        return True
    if flags is not None:
        flag = limit_flag(f"docx table {index + 1}: its cells claim {n:,} grid positions, over {cap:,}; not read")
        if flag not in flags:
            flags.append(flag)
    return False


def docx_rows(document, flags: list | None = None) -> list[Row]:
    """Rows of every table of a python-docx Document; merged cells become copies. A table whose
    spans claim more than ``grid_cells`` positions is skipped (flagged)."""
    rows: list[Row] = []
    for ti, table in enumerate(document.tables):
        if not docx_table_fits(table._tbl, ti, flags):
            continue
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
