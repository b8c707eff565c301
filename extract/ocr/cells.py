"""Read each cell of a table picture from its own crop, and turn the grid into exact rows.

Each cell is recognised alone: its ink is cropped tightly, split into text lines, padded and
scaled to the recogniser's line height. A page recognised as a whole loses isolated short
cells (a lone ``0`` is too small for the detector to box); a crop of one cell cannot be missed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from ..cells import TEXT, parse_cell
from ..rows import Cell, Row
from . import engine
from .grid import Page, TableGrid
from .settings import settings


class OcrText(str):
    """A cell's text as recognised, carrying the recogniser's confidence (0–1). A ``str``, so the
    table reader handles it like any printed text; ``extract.tables`` keeps the confidence."""

    confidence: float
    unreadable: bool  # a value cell whose reading is no number: it holds a value's place in its row

    def __new__(cls, text: str, confidence: float, unreadable: bool = False):
        s = super().__new__(cls, text)
        s.confidence = confidence
        s.unreadable = unreadable
        return s

    def __reduce__(self):  # survive pickling (a worker pool hands results back)
        return (OcrText, (str(self), self.confidence, self.unreadable))


# Characters the recogniser confuses with digits in a value cell (letters never stand in a count)
_DIGIT_LIKE = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1", "i": "1",
                             "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "g": "9", "q": "9"})
# a short reading that could be a number or a placeholder (the only cells a second reading is for)
_VALUE_LIKE = re.compile(r"^[0-9OoDQlIi|ZzSsBgq.,，．/\\一—\-_－–~～。：:]{0,10}$")
_DASH_ONLY = re.compile(r"^[一—\-_－–~～]+$")
_VALUE_CHARS = re.compile(r"^[0-9OoDQlIi|ZzSsBgq.,，．]+$")
# a reading repaired by _DIGIT_LIKE is never trusted on its own: below any sensible threshold
REPAIRED_CONFIDENCE = 0.5


def value_text(text: str, confidence: float) -> tuple[str, float]:
    """Normalise a recognised cell: dashes read as 一 are a placeholder; letters inside a number
    are mapped to the digit they resemble, and the reading loses its trust."""
    s = text.strip().replace(" ", "")
    if _DASH_ONLY.match(s):
        return "—", confidence
    if s and _VALUE_CHARS.match(s) and not s.isdigit() and any(ch.isdigit() for ch in s.translate(_DIGIT_LIKE)):
        fixed = s.translate(_DIGIT_LIKE).replace("，", ",").replace("．", ".")
        if fixed != s:
            return fixed, min(confidence, REPAIRED_CONFIDENCE)
    return s, confidence


def _ink_box(ink: np.ndarray) -> tuple[int, int, int, int] | None:
    ys, xs = np.nonzero(ink)
    if len(ys) == 0:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def text_lines(ink: np.ndarray) -> list[tuple[int, int]]:
    """Vertical extents of the text lines in a cell's ink (blank rows between them)."""
    profile = ink.any(axis=1)
    out, start = [], None
    for y, v in enumerate(profile):
        if v and start is None:
            start = y
        elif not v and start is not None:
            out.append((start, y))
            start = None
    if start is not None:
        out.append((start, len(profile)))
    if not out:
        return []
    # fragments of one line (a 一 stroke, the dots of ：) are joined to their neighbour
    tallest = max(b - a for a, b in out)
    merged: list[list[int]] = []
    for a, b in out:
        if merged and (b - a < tallest * 0.45 or merged[-1][1] - merged[-1][0] < tallest * 0.45) and a - merged[-1][1] < tallest * 0.5:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


@dataclass
class CellInk:
    """The text lines of one cell (grey crops, tight to their ink) and, when the cell holds one
    lone glyph (a ``0``, a ``3``, a ``/``), that glyph's normalised shape for clustering."""

    lines: list[np.ndarray]
    glyph: np.ndarray | None = None


def cell_inks(page: Page, table: TableGrid) -> dict[tuple[int, int], CellInk]:
    """For each cell (by its top-left grid position), its ink; a cell without ink has no lines."""
    out: dict[tuple[int, int], CellInk] = {}
    gray = cv2.cvtColor(page.image, cv2.COLOR_BGR2GRAY)
    for cell in table.cells:
        x0, y0, x1, y1 = cell.box
        # the ruling lines themselves are not ink of the cell
        inner = page.ink[y0:y1, x0:x1].copy()
        inner[_ruling(page.lines[y0:y1, x0:x1]) > 0] = 0
        margin = 2
        inner[:margin, :] = 0
        inner[-margin:, :] = 0
        inner[:, :margin] = 0
        inner[:, -margin:] = 0
        # specks (JPEG noise, a seal's remnants) are not text, nor is what touches the cell's edge:
        # the blurred fringe of a ruling line the line mask missed (it would read as 1 or l)
        n, labels, stats, _ = cv2.connectedComponentsWithStats(inner, connectivity=8)
        keep = np.zeros_like(inner)
        ih, iw = inner.shape
        for i in range(1, n):
            x, y, w, h, area = stats[i]
            if area < 3:
                continue
            if (x <= margin or x + w >= iw - margin) and w <= 3 or (y <= margin or y + h >= ih - margin) and h <= 3:
                continue
            keep[labels == i] = 255
        box = _ink_box(keep)
        if box is None:
            out[(cell.row, cell.col)] = CellInk([])
            continue
        bx0, by0, bx1, by1 = box
        lines = []
        spans = text_lines(keep[by0:by1, bx0:bx1])
        for a, b in spans[:MAX_LINES]:
            glyphs = gray[y0 + by0 + a : y0 + by0 + b, x0 + bx0 : x0 + bx1]
            if glyphs.shape[0] >= 3:
                lines.append(glyphs)
        ink = CellInk(lines)
        if len(spans) == 1 and lines and (bx1 - bx0) <= (by1 - by0) * 1.1:
            ink.glyph = _shape(keep[by0:by1, bx0:bx1])
        out[(cell.row, cell.col)] = ink
    return out


def _ruling(lines: np.ndarray, reach: int = 4) -> np.ndarray:
    """The part of a cell's line mask that is ruling: what reaches the cell's edge. A run of ink
    inside the cell that the line finder took for a line is a glyph's stroke: the ``1`` of a 12 pt
    figure at 200 dpi is 30 px tall, longer than the shortest line (hongze_2024.pdf, table 四,
    whose lone ``1`` cells read as blank or ``?`` while the stroke was removed)."""
    if not lines.any():
        return lines
    n, labels, stats, _ = cv2.connectedComponentsWithStats((lines > 0).astype(np.uint8), connectivity=8)
    h, w = lines.shape
    out = np.zeros_like(lines)
    for i in range(1, n):
        x, y, bw, bh, _area = stats[i]
        if x <= reach or y <= reach or x + bw >= w - reach or y + bh >= h - reach:
            out[labels == i] = 255
    return out


def _shape(mask: np.ndarray) -> np.ndarray:
    """A lone glyph's shape at a fixed size, keeping its aspect (a ``1`` stays narrow)."""
    h, w = mask.shape
    side = max(h, w)
    square = np.zeros((side, side), np.uint8)
    square[(side - h) // 2 : (side - h) // 2 + h, (side - w) // 2 : (side - w) // 2 + w] = mask
    v = cv2.resize(square, (GLYPH, GLYPH), interpolation=cv2.INTER_AREA).astype(np.float32).ravel()
    v -= v.mean()
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v


GLYPH = 16
# two lone glyphs are the same character when their shapes correlate at least this much. 0 against
# 8 and 6 against 5 correlate ≤ 0.85 at 96 dpi in the bench; copies of one digit ≥ 0.95 even
# under JPEG (benchmarks/ocr_bench.py)
SAME_GLYPH = 0.93
# a reading below this confidence gets a second one, from the line written three times over
SECOND_OPINION = 0.97


def recognise_cells(inks: dict) -> dict:
    """(text, confidence) of every cell with ink.

    Lone glyphs are grouped by shape and each group is read once, several of its members side by
    side: a lone digit alone gives the recogniser no context (a ``0`` reads as ``O`` or ``。``), a
    row of them does. Other cells are read line by line; an uncertain line is read again written
    three times over, and the two readings must agree.
    """
    height = settings()["read"]["line_height"]
    text_height = settings()["read"]["text_line_height"]
    results: dict = {}
    clusters: list[tuple[np.ndarray, list]] = []
    for key, ink in inks.items():
        if ink.glyph is None:
            continue
        for seed, members in clusters:
            if float(seed @ ink.glyph) >= SAME_GLYPH:
                members.append(key)
                break
        else:
            clusters.append((ink.glyph, [key]))
    composites = []
    for _, members in clusters:
        composites.append(_side_by_side([inks[k].lines[0] for k in members[:5]], height))
    group_reads = engine.recognise(composites)
    # an uncertain group is read again from other members (or the same ones in reverse order)
    unsure = [i for i, (_, c) in enumerate(group_reads) if c < SECOND_OPINION]
    seconds = engine.recognise([_side_by_side([inks[k].lines[0] for k in (clusters[i][1][5:10] or clusters[i][1][:5][::-1])], height)
                                for i in unsure])
    for i, (text2, conf2) in zip(unsure, seconds):
        text1, conf1 = group_reads[i]
        same = bool(text1) and bool(text2) and set(text1) == set(text2) and len(set(text1)) == 1
        group_reads[i] = (text1, max(conf1, conf2)) if same else (text1, min(conf1, conf2))
    alone = []
    for (_, members), (text, conf) in zip(clusters, group_reads):
        n = min(5, len(members))
        if len(text) == n and len(set(text)) == 1:
            for k in members:
                results[k] = value_text(text[0], conf)
        else:
            alone.extend(members)
    line_keys, line_imgs = [], []
    for key, ink in inks.items():
        if key in results or not ink.lines:
            continue
        for line in ink.lines:
            line_keys.append(key)
            line_imgs.append(line_image(line, text_height))
    reads = engine.recognise(line_imgs)
    parts: dict = {}
    for key, r in zip(line_keys, reads):
        parts.setdefault(key, []).append(r)
    # second opinions: single-line cells read with doubt
    doubtful = [k for k, ps in parts.items() if len(ps) == 1 and (ps[0][1] < SECOND_OPINION or k in alone)
                and _VALUE_LIKE.match(ps[0][0].replace(" ", ""))]
    again = engine.recognise([line_image(inks[k].lines[0], height, copies=3) for k in doubtful])
    for k, (text3, conf3) in zip(doubtful, again):
        text1, conf1 = parts[k][0]
        text3 = "".join(text3.split())  # the gaps between the copies may read as (ideographic) spaces
        n = len(text3) // 3
        tripled = n > 0 and len(text3) == 3 * n and text3[:n] == text3[n : 2 * n] == text3[2 * n :]
        if tripled and text3[:n] == text1:
            parts[k] = [(text1, max(conf1, conf3))]
        elif tripled:
            parts[k] = [(text3[:n], min(conf3, max(conf1, 0.5)))]  # the readings differ: trust neither fully
        else:
            parts[k] = [(text1, min(conf1, conf3))]
    for key, ps in parts.items():
        text = "".join(t for t, _ in ps)
        conf = min(c for _, c in ps)
        results[key] = value_text(text, conf)
    return results


def _side_by_side(lines: list[np.ndarray], height: int) -> np.ndarray:
    h = max(line.shape[0] for line in lines)
    parts = []
    for i, line in enumerate(lines):
        if line.shape[0] != h:
            line = cv2.resize(line, (max(1, round(line.shape[1] * h / line.shape[0])), h))
        if i:
            parts.append(np.full((h, max(1, int(h * 0.6))), 255, np.uint8))
        parts.append(line)
    return line_image(np.hstack(parts), height)


# A label is recognised from its first lines and characters only: the official labels differ
# within their first dozen characters, and recognition costs time in proportion to width
MAX_LINES = 2
MAX_CHARS = 14


def line_image(glyphs: np.ndarray, height: int, copies: int = 1) -> np.ndarray:
    """One text line (grey, cropped to its ink) as the recogniser wants it: a thin white margin
    (a wide one makes a lone digit read as 。), ``copies`` times side by side, ``height`` px high."""
    h = glyphs.shape[0]
    if copies > 1:
        gap = np.full((h, max(1, int(h * 0.6))), 255, np.uint8)
        glyphs = np.hstack([part for k in range(copies) for part in ((glyphs, gap) if k < copies - 1 else (glyphs,))])
    v, hpad = max(1, int(round(h * 0.2))), max(1, int(round(h * 0.3)))
    crop = cv2.copyMakeBorder(glyphs, v, v, hpad, hpad, cv2.BORDER_CONSTANT, value=255)
    scale = height / crop.shape[0]
    width = max(1, int(round(crop.shape[1] * scale)))
    crop = cv2.resize(crop, (width, height), interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA)
    if copies == 1 and width > height * MAX_CHARS:
        crop = crop[:, : height * MAX_CHARS]
    return cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)


def _under_seal(page: Page, cell) -> bool:
    if page.red is None:
        return False
    x0, y0, x1, y1 = cell.box
    part = page.red[y0:y1, x0:x1]
    return part.size > 0 and float((part > 0).mean()) > 0.02


def read_tables(page: Page, where: str, table_id: str) -> list[Row]:
    """The exact rows of every table of a page, top to bottom. The lone glyphs of all the page's
    tables are grouped together: a table with two lone ``0`` (table 二) gives the recogniser
    little context, the page's tables together give it dozens of the same glyph."""
    inks: dict = {}
    for k, table in enumerate(page.tables):
        inks.update({(k, *key): ink for key, ink in cell_inks(page, table).items()})
    texts = recognise_cells(inks)
    rows: list[Row] = []
    for k, table in enumerate(page.tables):
        mine = {key[1:]: v for key, v in texts.items() if key[0] == k}
        rows.extend(_table_rows(page, table, {key[1:]: v for key, v in inks.items() if key[0] == k}, mine,
                                f"{where} table {k + 1}", f"{table_id}#{k}"))
    return rows


def read_table(page: Page, table: TableGrid, where: str, table_id: str) -> list[Row]:
    """The exact rows of one table picture; every non-blank cell's text is an :class:`OcrText`."""
    inks = cell_inks(page, table)
    return _table_rows(page, table, inks, recognise_cells(inks), where, table_id)


def _table_rows(page: Page, table: TableGrid, inks: dict, texts: dict, where: str, table_id: str) -> list[Row]:
    # a column whose readings are mostly numbers is a value column: there, a reading that is no
    # number is a value misread (it keeps its place so the row's other values keep their columns),
    # never a label
    numeric: dict[int, list[bool]] = {}
    for cell in table.cells:
        read = texts.get((cell.row, cell.col))
        if read and read[0] and cell.colspan == 1:
            numeric.setdefault(cell.col, []).append(parse_cell(read[0]).kind != TEXT)
    value_cols = {c for c, flags in numeric.items() if sum(flags) > len(flags) / 2}
    grid: list[list[Cell | None]] = [[None] * table.n_cols for _ in range(table.n_rows)]
    for cell in table.cells:
        read = texts.get((cell.row, cell.col))
        text: str = ""  # no ink: a printed blank
        if read is None and cell.col in value_cols and _under_seal(page, cell):
            text = OcrText("?", 0.0, True)  # no ink seen, but a seal covers the cell: not a known blank
        elif read is not None:
            reading, confidence = read if read[0] else ("?", 0.0)  # ink the recogniser made nothing of
            unreadable = parse_cell(reading).kind == TEXT and (cell.col in value_cols or inks[(cell.row, cell.col)].glyph is not None)
            text = OcrText(reading, 0.0 if unreadable else confidence, unreadable)
        for dr in range(cell.rowspan):
            for dc in range(cell.colspan):
                grid[cell.row + dr][cell.col + dc] = Cell(text, copy=bool(dr or dc))
    rows = []
    for r, line in enumerate(grid):
        cells = [c if c is not None else Cell("", copy=True) for c in line]
        rows.append(Row(cells, exact=True, where=f"{where} row {r + 1}", extra={"table": table_id, "ocr": True}))
    return rows
