"""One report drawn as the official tables (二, 三, 四), for the report page of the Datasette site.

The layout comes from the same table spec the extractor reads (extract/data/tables.toml): the
report's format picks the rows and items, and the nested row and column headers of the official
tables (``三、本年度办理结果`` over ``（三）不予公开`` over ``1.属于国家秘密``; ``法人或其他组织`` over
``商业企业``) are rebuilt from the numbering and the `` / `` separators of the labels, so a new
format added to the spec is drawn without new code. Every cell carries its provenance (raw text,
status, where it was found) from the ``cells`` table.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from extract.spec import tables

# the statuses a cell can have (extract/tables.py, extract/cells.py) and how the page names them
STATUS_LABELS = {
    "read": "read 读取 — printed and read as a number",
    "blank": "blank 空白 — the cell was printed empty",
    "placeholder": "placeholder 占位 — printed “/”, “—”, “无”…: not a number",
    "inferred": "inferred 推定 — not legible; the only value the identities allow",
    "missing": "missing 缺失 — not legible and not determined",
    "ocr": "ocr — read by optical character recognition from an image",
}
_LEVELS = (re.compile(r"^[一二三四五六七八九十]+、"), re.compile(r"^[（(][一二三四五六七八九十]+[)）]"), re.compile(r"^\d+[.．、]"))


@dataclass
class Span:
    """A header cell: ``text`` covers ``length`` lines (rows of row headers, columns of column
    headers) and ``depth`` levels."""

    text: str
    length: int = 1
    depth: int = 1
    level: int = 0


def _level(token: str) -> int:
    for i, rx in enumerate(_LEVELS):
        if rx.match(token):
            return i
    return len(_LEVELS) - 1


def row_paths(labels: list[str]) -> list[tuple[str, ...]]:
    """The full header path of each row of table 三 from its official label, which names only
    the groups it opens: ``（三）不予公开 1.属于国家秘密`` then ``2.其他法律行政法规禁止公开`` …"""
    context: list[str | None] = [None] * len(_LEVELS)
    out = []
    for label in labels:
        tokens = label.split()
        for tok in tokens:
            lvl = _level(tok)
            context[lvl] = tok
            for deeper in range(lvl + 1, len(context)):
                context[deeper] = None
        last = _level(tokens[-1])
        out.append(tuple(t for t in context[: last + 1] if t is not None))
    return out


def span_grid(paths: list[tuple[str, ...]], leaves_aligned: bool = False) -> list[list[Span]]:
    """For each line (a row, or a column), the header spans that start on it, outermost first.

    Consecutive lines sharing a path prefix share its span. A path shorter than the deepest one is
    stretched over the missing levels: its last part, as table 三 draws 一、本年新收… across the
    row headers; or, with ``leaves_aligned``, the part above the last, so that every leaf sits on
    the innermost level, as table 四 draws 行政复议 over two header rows above its outcomes.
    """
    depth = max((len(p) for p in paths), default=0)
    grid: list[list[Span]] = [[] for _ in paths]
    for i, path in enumerate(paths):
        n = len(path)
        stretched = n - 2 if leaves_aligned and n > 1 else n - 1
        level = 0
        for k in range(n):
            extent = depth - n + 1 if k == stretched else 1
            if not (i > 0 and paths[i - 1][: k + 1] == path[: k + 1]):  # else the span started on an earlier line
                length = 1
                if k < n - 1:
                    while i + length < len(paths) and paths[i + length][: k + 1] == path[: k + 1]:
                        length += 1
                grid[i].append(Span(path[k], length, extent, level))
            level += extent
    return grid


def column_header_rows(paths: list[tuple[str, ...]], leaves_aligned: bool = False) -> list[list[Span]]:
    """Column headers as table rows: level by level, the spans starting at that level."""
    depth = max((len(p) for p in paths), default=0)
    rows: list[list[Span]] = [[] for _ in range(depth)]
    for spans in span_grid(paths, leaves_aligned):  # column by column, so each level keeps the columns' order
        for s in spans:
            rows[s.level].append(s)
    return rows


@dataclass
class Cell:
    display: str
    status: str
    title: str
    value: float | None = None


def _cell(c: dict | None) -> Cell:
    if c is None:
        return Cell("", "absent", "not in the stored table (the row or column was not found)")
    v, raw, status = c["value"], c["raw"], c["status"]
    if v is not None:
        display = str(int(v)) if float(v).is_integer() else f"{v:g}"
    elif status == "placeholder":
        display = raw or ""
    elif status == "missing":
        display = "?"
    else:
        display = ""
    title = f"原文 raw: {raw if raw is not None else '(none)'}\n状态 status: {STATUS_LABELS.get(status, status)}\n位置 where: {c['location'] or '(not recorded)'}"
    return Cell(display, status or "", title, v)


@dataclass
class Page:
    report: dict
    fmt: str | None
    format_note: str = ""
    active_blocks: list[dict] = field(default_factory=list)
    app_corner_depth: int = 0
    app_column_rows: list[list[Span]] = field(default_factory=list)
    app_rows: list[dict] = field(default_factory=list)
    app_n_columns: int = 0
    review_column_rows: list[list[Span]] = field(default_factory=list)
    review_cells: list[Cell] = field(default_factory=list)
    checks: dict = field(default_factory=dict)
    other_cells: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    statuses: dict = field(default_factory=lambda: dict(STATUS_LABELS))


def _rows(conn: sqlite3.Connection, sql: str, params) -> list[dict]:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _format_for(report_format: str | None, cells: dict) -> tuple[str | None, str]:
    """The layout to draw: the report's detected format, else the one whose items its cells fit."""
    spec = tables()
    if report_format in spec.active_disclosure:
        return report_format, ""
    items = {row for (tbl, row, _col) in cells if tbl == "active_disclosure"}
    rows = {row for (tbl, row, _col) in cells if tbl == "applications"}
    if not items and not rows:
        return None, f"format {report_format or 'unknown'}: no fixed statistical tables were found in this report."
    best = max(spec.active_disclosure, key=lambda f: (len(items & {i.key for i in spec.active_disclosure[f]})
                                                      + len(rows & {r.key for r in spec.application_rows_for(f)})))
    return best, f"format {report_format or 'unknown'}: drawn in the {best} layout, the one its stored cells fit best."


def build(conn: sqlite3.Connection, report_id: str) -> Page | None:
    """Everything the report page shows, read from the corpus database."""
    found = _rows(conn, "select * from reports where report_id = ?", [report_id])
    if not found:
        return None
    report = found[0]
    body = report.pop("body_text", None) or ""
    report["body_chars"] = len(body)
    cells = {(c["tbl"], c["row"], c["col"]): c for c in _rows(conn, "select tbl, row, col, value, raw, status, location from cells "
                                                                    "where report_id = ?", [report_id])}
    fmt, note = _format_for(report.get("format"), cells)
    page = Page(report=report, fmt=fmt, format_note=note)
    used: set = set()
    spec = tables()
    if fmt:
        _active(page, spec, fmt, cells, used)
        _applications(page, spec, fmt, cells, used)
        _review(page, spec, cells, used)
    page.other_cells = [dict(c, shown=_cell(c)) for k, c in cells.items() if k not in used]
    checks = _rows(conn, "select [check], expected, actual, ok, description from checks where report_id = ? order by [check]", [report_id])
    for c in checks:  # grouped by identity: table -> kind -> the columns or rows it was evaluated on
        table, kind, *where = c["check"].split(".")
        c["where"] = ".".join(where)
        groups = page.checks.setdefault(table, {})
        g = groups.setdefault(kind, {"kind": kind, "description": c["description"], "passed": [], "failed": []})
        g["passed" if c["ok"] else "failed"].append(c)
    page.checks = {t: list(g.values()) for t, g in page.checks.items()}
    page.sections = _rows(conn, "select section_no, heading, text from sections where report_id = ? order by section_no", [report_id])
    page.documents = _rows(conn, "select url, role, status, content_type, fetched_at, warc_file, error from documents "
                                 "where report_id = ? order by role, url", [report_id])
    return page


def _number(v) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _active(page: Page, spec, fmt: str, cells: dict, used: set) -> None:
    """Table 二: one block per clause of 第二十条 and set of measures, as the official table."""
    for item in spec.active_disclosure[fmt]:
        measures = [m.label for m in item.measures]
        block = page.active_blocks[-1] if page.active_blocks else None
        if block is None or block["article"] != item.article or block["measures"] != measures:
            block = {"article": item.article, "measures": measures, "rows": []}
            page.active_blocks.append(block)
        row_cells = []
        for m in item.measures:
            key = ("active_disclosure", item.key, m.key)
            used.add(key)
            row_cells.append(_cell(cells.get(key)))
        block["rows"].append({"label": item.label, "key": item.key, "cells": row_cells})


def _applications(page: Page, spec, fmt: str, cells: dict, used: set) -> None:
    """Table 三: 申请人情况 columns (小计 only when the report printed it) × the format's rows."""
    with_subtotal = any(k[0] == "applications" and k[2] == "org_subtotal" for k in cells)
    columns = spec.columns_for(with_subtotal)
    rows = spec.application_rows_for(fmt)
    paths = row_paths([r.label for r in rows])
    grid = span_grid(paths)
    page.app_corner_depth = max(len(p) for p in paths)
    page.app_n_columns = len(columns)
    page.app_column_rows = [[Span("申请人情况", len(columns))]] + column_header_rows([tuple(c.label.split(" / ")) for c in columns])
    for r, headers in zip(rows, grid):
        row_cells = []
        for c in columns:
            key = ("applications", r.key, c.key)
            used.add(key)
            row_cells.append(_cell(cells.get(key)))
        page.app_rows.append({"key": r.key, "headers": headers, "cells": row_cells})


def _review(page: Page, spec, cells: dict, used: set) -> None:
    """Table 四: one row of fifteen numbers under 行政复议 / 行政诉讼 (未经复议直接起诉, 复议后起诉)."""
    paths = []
    for p in spec.proceedings:
        for o in spec.outcomes:
            key = ("review_litigation", p.key, o.key)
            used.add(key)
            paths.append(tuple(p.label.split(" / ")) + (o.label,))
            page.review_cells.append(_cell(cells.get(key)))
    page.review_column_rows = column_header_rows(paths, leaves_aligned=True)
