"""Text dumps → rows. Reports reach us as text in several layouts:

* tab rows: one table row per line, cells separated by tabs (PDF/Word to text);
* cell per line: each cell on its own line starting with a tab, rows separated by blank lines, a
  line without the leading tab continuing the previous cell (Word table dumps);
* pipe rows: ``| a | b |`` (markdown, OCR);
* space rows: ``label 3001 53 0 0 61 4 3119`` (pdftotext without layout);
* anything else: one cell per line (prose).

The layout is chosen per document (tab rows vs cells per line) and per line for the rest.
"""
from __future__ import annotations

import re

from .cells import is_value_like
from .rows import Cell, Row
from .text import clean_line

_PAGE_MARK = re.compile(r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*[/／共]\s*\d+\s*页?)?|\d{1,3}\s*/\s*\d{1,3})\s*$")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_SPACE_SPLIT = re.compile(r"[ \u3000\u00a0]+")


def is_page_mark(line: str) -> bool:
    """Page numbers and running footers that PDF conversion leaves inside tables."""
    return bool(_PAGE_MARK.match(line))


def strip_markdown(line: str) -> str:
    return _MD_HEADING.sub("", line)


def _is_cell_line(line: str) -> bool:
    return line.startswith("\t") and line.count("\t") == 1


def _cell_per_line_mode(lines: list[str]) -> bool:
    cell_lines = sum(1 for l in lines if _is_cell_line(l))
    tab_rows = sum(1 for l in lines if l.count("\t") >= 2 or (not l.startswith("\t") and "\t" in l))
    return cell_lines >= 10 and cell_lines > 2 * tab_rows


_PROSE_MARK = re.compile(r"[。，,；;：:、！？]")


def _space_row(line: str) -> list[str] | None:
    """``label n n n`` → [label, n, n, n] when the line ends in two or more value tokens, or in
    one value after a short label that is not prose (``行政处罚 3985758``: table 二's one-measure
    items, pdfplumber text of hongze/huaian PDFs)."""
    tokens = [t for t in _SPACE_SPLIT.split(line.strip()) if t]
    values = []
    while tokens and is_value_like(tokens[-1]):
        values.insert(0, tokens.pop())
    label = "".join(tokens)
    if len(values) < 2 and not (values and 2 <= len(label) <= 20 and not _PROSE_MARK.search(label)):
        return None
    return ([label] if label else []) + values


def _pipe_cells(line: str) -> list[str] | None:
    """``| a | b | |`` → its cells, blanks kept at their positions (a pipe row shows them)."""
    if line.count("|") < 2 or _PIPE_SEPARATOR.match(line):
        return None
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    return [c.strip() for c in inner.split("|")]


def line_to_cells(line: str) -> list[str]:
    """One line of a dump → its cells, by the separator it uses."""
    line = strip_markdown(line.rstrip("\r\n"))
    if "\t" in line:
        return [c.strip(" \u3000\u00a0") for c in line.split("\t")]
    piped = _pipe_cells(line)
    if piped is not None:
        return piped
    spaced = _space_row(line)
    if spaced:
        return spaced
    return [clean_line(line)]


def rows_from_tokens(text: str) -> list[Row]:
    """Dumps with one cell per line and no row delimiters (cells separated by blank lines or lone
    ``|`` lines, OCR output, vertical header characters): a row is a run of label cells followed
    by a run of value cells; the next label starts the next row."""
    rows: list[Row] = []
    labels: list[str] = []
    values: list[str] = []
    start = 0
    for i, line in enumerate(text.replace("\r", "").split("\n"), 1):
        line = clean_line(strip_markdown(line))
        # a cell per line closed by pipes ("325 | ||": the cell and two empty ones)
        toks = [t.strip() for t in line.split("|")] if "|" in line else [line]
        for tok in toks:
            if not tok or is_page_mark(tok):
                continue
            if is_value_like(tok):
                values.append(tok)
                continue
            if values:
                rows.append(Row.of(labels + values, where=f"line {start}"))
                labels, values = [], []
            if not labels:
                start = i
            labels.append(tok)
    if labels or values:
        rows.append(Row.of(labels + values, where=f"line {start}"))
    return rows


_PIPE_CELLS_LINE = re.compile(r"^[^|]*\|[\s|]*$")  # "x |", "|", "||", "325 | ||"


def _pipe_terminated_mode(lines: list[str]) -> bool:
    """A dump with one cell per line, each closed by a pipe, and a lone ``|`` for an empty cell
    (web pages rendered to text cell by cell; the pages corpus's report pages)."""
    piped = [l.strip() for l in lines if "|" in l]
    if len(piped) < 8:
        return False
    single = sum(1 for l in piped if _PIPE_CELLS_LINE.match(l))
    lone = sum(1 for l in piped if set(l) <= {"|", " "})
    return single >= 0.8 * len(piped) and lone >= 3


def _rows_pipe_terminated(lines: list[str]) -> list[Row]:
    """Every ``|`` closes one cell, so empty cells keep their places. A row is a run of label
    cells then a run of value cells (blanks included); the next label starts the next row."""
    rows: list[Row] = []
    labels: list[str] = []
    values: list[str] = []
    start = 0

    def flush():
        nonlocal labels, values
        if labels or any(v for v in values):
            rows.append(Row.of(labels + values, where=f"line {start}"))
            rows[-1].extra.update(positional=True, left_aligned=True)  # the label is one cell
        labels, values = [], []

    for i, line in enumerate(lines, 1):
        line = clean_line(strip_markdown(line))
        if not line or is_page_mark(line) or _PIPE_SEPARATOR.match(line):
            continue
        cells = [c.strip() for c in line.split("|")]
        if "|" in line:
            cells = cells[:-1]  # after the last pipe: nothing
        for cell in cells:
            if cell and not is_value_like(cell):
                if values:
                    flush()
                if not labels:
                    start = i
                labels.append(cell)
            elif labels or cell:
                values.append(cell)
    flush()
    if rows:
        rows[-1].extra["cut"] = True
    return rows


def rows_from_text(text: str) -> list[Row]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if _cell_per_line_mode(lines):
        return _rows_cell_per_line(lines)
    if _pipe_terminated_mode(lines):
        return _rows_pipe_terminated(lines)
    rows = []
    for i, line in enumerate(lines, 1):
        if not clean_line(line) or is_page_mark(line) or _PIPE_SEPARATOR.match(line):
            continue
        row = Row.of(line_to_cells(line), where=f"line {i}")
        if "\t" not in line and _pipe_cells(strip_markdown(line)) is not None:
            row.extra["positional"] = True  # a pipe row keeps its blank cells at their places
        rows.append(row)
    if rows:
        rows[-1].extra["cut"] = True  # the text ends here: the last row may be cut short
    return rows


def _rows_cell_per_line(lines: list[str]) -> list[Row]:
    rows: list[Row] = []
    cells: list[Cell] = []
    start = 0

    def flush():
        nonlocal cells
        if cells:
            # a lone tab is an empty cell at its place: the row shows positions
            rows.append(Row(cells, where=f"line {start}", extra={"positional": True}))
        cells = []

    for i, line in enumerate(lines, 1):
        if not line.strip(" \r\u3000"):  # a lone tab is an empty cell; only an empty line ends a row
            flush()
            continue
        if is_page_mark(line):
            continue
        if _is_cell_line(line):
            if not cells:
                start = i
            cells.append(Cell(clean_line(line)))
        elif cells and not is_value_like(cells[-1].text) and len(clean_line(line)) <= 40:
            cells[-1].text += clean_line(line)  # a label broken across lines: 商业\n企业
        else:
            flush()
            rows.append(Row.of([clean_line(strip_markdown(line))], where=f"line {i}"))
    flush()
    return rows
