"""Read tables 二, 三 and 四 from a stream of rows.

The reader never guesses a position. A row's key comes from its label; its values are the cells
after the label. When a row has fewer values than the table has columns it is *incomplete*: its
cells are left null, unless the table's identities determine them (then they are filled and
marked *inferred*). Numbers are never shifted into columns they may not belong to.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache

from .cells import BLANK, NUMBER, PLACEHOLDER, TEXT, parse_cell
from .rows import Row
from .spec import RowSpec, tables
from .text import normalize_label

# Cell statuses, kept per cell in the corpus (table ``cells``).
READ = "read"  # a number as printed
BLANK_CELL = "blank"  # printed empty
PLACEHOLDER_CELL = "placeholder"  # "/", "—" …
INFERRED = "inferred"  # not printed legibly; determined by the identities
MISSING = "missing"  # not printed legibly and not determined
OCR = "ocr"  # a number recognised in a picture of the table (extract/ocr/): confidence kept


@dataclass
class CellResult:
    value: int | float | None
    raw: str | None
    status: str
    where: str = ""
    confidence: float | None = None  # the recogniser's, for a cell read from a picture


@dataclass
class Tables:
    format: str = "unknown"
    active_disclosure: dict[str, dict[str, CellResult]] = field(default_factory=dict)
    applications: dict[str, dict[str, CellResult]] = field(default_factory=dict)
    application_columns: list[str] = field(default_factory=list)
    review_litigation: dict[str, dict[str, CellResult]] = field(default_factory=dict)
    found: set[str] = field(default_factory=set)  # which of "二", "三", "四" were located
    flags: list[str] = field(default_factory=list)


def _cell(raw: str | None, where: str) -> CellResult:
    cv = parse_cell(raw)
    confidence = getattr(raw, "confidence", None)  # extract.ocr.cells.OcrText: read from a picture
    if confidence is not None:
        c = _cell(str(raw), where)
        c.confidence = confidence
        if c.status == READ:
            c.status = OCR
        return c
    if cv.kind == NUMBER:
        return CellResult(cv.value, raw, READ, where)
    if cv.kind == BLANK:
        return CellResult(None, raw, BLANK_CELL, where)
    return CellResult(None, raw, PLACEHOLDER_CELL if cv.kind == PLACEHOLDER else MISSING, where)


def _missing(where: str = "") -> CellResult:
    return CellResult(None, None, MISSING, where)


# --------------------------------------------------------------------------------------------
# Splitting a row into its label and its values
# --------------------------------------------------------------------------------------------


@dataclass
class Split:
    labels: list[str]  # label cells, first to last (copies included: they name the row too)
    values: list[str]  # cells after the last label, as the layout allows them to be counted
    positional: bool  # values are at their true columns (blanks included)


def split_row(row: Row) -> Split:
    # a cell read from a picture as no number at all is a value misread, never the row's label
    kinds = [NUMBER if getattr(c.text, "unreadable", False) else parse_cell(c.text).kind for c in row.cells]
    last_label = max((i for i, k in enumerate(kinds) if k == TEXT), default=-1)
    labels = [c.text for c, k in zip(row.cells[: last_label + 1], kinds) if k == TEXT]
    after = row.cells[last_label + 1 :]
    if row.exact:
        return Split(labels, [c.text for c in after if not c.copy], True)
    return Split(labels, [c.text for c in after], False)


def fit_values(split: Split, n: int) -> tuple[list[str] | None, list[str]]:
    """Choose the ``n`` value cells of a row, or return (None, given) when they cannot be placed.

    ``given`` is what was printed (the non-blank values), kept for inference and for the flags.
    """
    vals = list(split.values)
    given = [v for v in vals if parse_cell(v).kind != BLANK]
    if split.positional:
        while len(vals) > n and parse_cell(vals[-1]).kind == BLANK:
            vals.pop()
        while len(vals) > n and parse_cell(vals[0]).kind == BLANK:
            vals.pop(0)
        if len(vals) == n:
            return vals, given
        if len(given) == n:
            return given, given
        return None, given
    # a text dump: separators may be doubled (spacer cells) or lost
    while vals and parse_cell(vals[-1]).kind == BLANK:
        vals.pop()
    if len(given) == n:
        return given, given
    if len(vals) == n:
        return vals, given
    return None, given


# --------------------------------------------------------------------------------------------
# Label matching
# --------------------------------------------------------------------------------------------


# The official labels recur in every report: the answer for a row's labels is remembered (per spec
# tuple, which the spec module makes once), so the fuzzy comparison runs once per new wording.
_MATCHED: dict[tuple, tuple] = {}


def match_label(labels: list[str], specs: tuple[RowSpec, ...], fuzzy: float = 0.72) -> RowSpec | None:
    """The spec a row's labels name: the most specific (last) label first, then all of them."""
    key = (id(specs), tuple(labels), fuzzy)
    hit = _MATCHED.get(key)
    if hit is not None and hit[0] is specs:
        return hit[1]
    if len(_MATCHED) > 100_000:
        _MATCHED.clear()
    found = _match_label(labels, specs, fuzzy)
    _MATCHED[key] = (specs, found)
    return found


def _match_label(labels: list[str], specs: tuple[RowSpec, ...], fuzzy: float) -> RowSpec | None:
    candidates = [normalize_label(l) for l in reversed(labels) if normalize_label(l)]
    if len(candidates) > 1:
        candidates.append("".join(reversed(candidates)))
    for norm in candidates:
        for spec in specs:
            if norm in spec.exact:
                return spec
        for spec in specs:
            if any(k in norm for k in spec.keywords):
                return spec
    # typos and shortenings: the closest official label, if close enough
    for norm in candidates:
        best, best_score = None, 0.0
        for spec in specs:
            score = difflib.SequenceMatcher(None, norm, normalize_label(spec.label.split(" ")[-1])).ratio()
            if score > best_score:
                best, best_score = spec, score
        if best is not None and best_score >= fuzzy and len(norm) >= 4:
            return best
    return None


# --------------------------------------------------------------------------------------------
# Regions: which rows belong to which table
# --------------------------------------------------------------------------------------------

_HEADING_2 = re.compile(r"主动公开政府信息")
_HEADING_3 = re.compile(r"收到和处理政府信息公开申请")
_HEADING_4 = re.compile(r"行政复议.{0,3}行政诉讼|复议.{0,2}诉讼情况")
_HEADING_END = re.compile(r"存在的主要问题|其他需要报告|改进情况")


def _region_marker(row: Row) -> str | None:
    own = [c.text for c in row.cells if not c.copy and c.text.strip()]
    if not own:
        return None
    # numbers never mark a region: only the other cells are normalised (a hot path)
    cells = [normalize_label(t) for t in own if parse_cell(t).kind != NUMBER]
    if not cells:
        return None
    if len(own) == 1 and len(cells[0]) > 40:
        return None  # prose
    joined = "".join(cells)
    if len(own) == 1 and len(joined) <= 30:
        # a heading line
        if _HEADING_END.search(joined) and not _HEADING_3.search(joined):
            return "end"
        if _HEADING_4.search(joined):
            return "四"
        if _HEADING_3.search(joined):
            return "三"
        if _HEADING_2.search(joined):
            return "二"
    short = [c for c in cells if len(c) <= 30]
    if any(c.startswith("第二十条") or c == "信息内容" for c in short):
        return "二"
    if any(k in c for c in cells for k in ("自然人", "申请人情况", "勾稽关系", "本年新收")):
        return "三"
    if any(c in ("行政复议", "行政诉讼") or "复议后起诉" in c or "未经复议" in c or c == "结果维持" for c in short):
        return "四"
    return None


def split_regions(rows: list[Row]) -> dict[str, list[Row]]:
    regions: dict[str, list[Row]] = {"二": [], "三": [], "四": []}
    state = None
    for row in rows:
        marker = _region_marker(row)
        if marker == "end":
            state = None
            continue
        if marker:
            state = marker
        if state:
            regions[state].append(row)
    return regions


def _has_number(row: Row) -> bool:
    return any(parse_cell(c.text).kind == NUMBER for c in row.cells if not c.copy)


def _blank_data_row(row: Row, width: int = 15) -> bool:
    """A real grid's row of nothing but blanks and placeholders (table 四 left empty)."""
    cells = [c for c in row.cells if not c.copy]
    return row.exact and len(cells) >= width and all(parse_cell(c.text).kind in (BLANK, PLACEHOLDER) for c in cells)


def _is_data_row(row: Row, split: Split, min_blank: int = 2) -> bool:
    """A row that carries values: a number or placeholder after its label, or, in a real grid,
    a labelled row of blank cells (an agency that left a whole row empty)."""
    kinds = [parse_cell(v).kind for v in split.values]
    if any(k in (NUMBER, PLACEHOLDER) for k in kinds):
        return True
    return row.exact and bool(split.labels) and len(kinds) >= min_blank


# --------------------------------------------------------------------------------------------
# Table 二
# --------------------------------------------------------------------------------------------


def _active_format(rows: list[Row]) -> str | None:
    spec = tables()
    text = "".join(normalize_label(r.joined()) for r in rows if not _has_number(r))
    votes = {fmt: sum(1 for m in markers if m in text) for fmt, markers in spec.active_markers.items()}
    labels = "".join(normalize_label(r.joined()) for r in rows)
    if "对外管理服务" in labels or "集中采购" in labels:
        votes["2019"] = votes.get("2019", 0) + 2
    best = max(votes, key=votes.get)
    return best if votes[best] > 0 and list(votes.values()).count(votes[best]) == 1 else None


@cache
def _all_active_items() -> tuple[RowSpec, ...]:
    """Table 二's items of both formats: one tuple, made once (match_label remembers by tuple)."""
    spec = tables()
    return spec.active_disclosure["2021"] + spec.active_disclosure["2019"]


def read_active_disclosure(rows: list[Row], fmt: str | None, out: Tables) -> str | None:
    spec = tables()
    fmt = _active_format(rows) or fmt
    matched: dict[str, tuple[Row, Split]] = {}
    all_items = _all_active_items()
    for row in rows:
        split = split_row(row)
        if not _is_data_row(row, split):
            continue
        item = match_label(split.labels, all_items)
        if item is None:
            continue
        if item.key in matched:
            out.flags.append(f"table 二: item {item.key} appears twice ({row.where}); first kept")
            continue
        matched[item.key] = (row, split)
    if not matched:
        return fmt
    if fmt is None:  # decide by the number of values per item
        lic = matched.get("administrative_licensing")
        if lic:
            n = len([v for v in lic[1].values if v.strip()])
            fmt = "2019" if n >= 3 else "2021"
        else:
            fmt = "2019" if "centralized_procurement" in matched or "other_external_services" in matched else "2021"
    out.found.add("二")
    for item in spec.active_disclosure[fmt]:
        measures = item.measures
        if item.key not in matched:
            out.active_disclosure[item.key] = {m.key: _missing() for m in measures}
            out.flags.append(f"table 二: item {item.key} not found")
            continue
        row, split = matched[item.key]
        vals, given = fit_values(split, len(measures))
        if vals is None and len(given) > len(measures) and not split.positional:
            vals = given[: len(measures)]
            out.flags.append(f"table 二: item {item.key} has {len(given)} values for {len(measures)} measures ({row.where}); extra values ignored")
        cells = {}
        if vals is None:
            out.flags.append(f"table 二: item {item.key} incomplete: {len(given)} of {len(measures)} values ({row.where})")
            for m in measures:
                cells[m.key] = _missing(row.where)
        else:
            for m, raw in zip(measures, vals):
                c = _cell(raw, row.where)
                cv = parse_cell(raw)
                if c.status == READ and m.unit == "万元" and cv.unit == "元":
                    c.value = round(cv.value / 10000, 6)
                    out.flags.append(f"table 二: {item.key}.{m.key} printed in 元 ({raw!r}); converted to 万元")
                cells[m.key] = c
        out.active_disclosure[item.key] = cells
    for key in matched:
        if key not in {i.key for i in spec.active_disclosure[fmt]}:
            out.flags.append(f"table 二: item {key} does not belong to format {fmt}; ignored")
    return fmt


# --------------------------------------------------------------------------------------------
# Table 三
# --------------------------------------------------------------------------------------------


def read_applications(rows: list[Row], out: Tables, fallback_fmt: str | None = None) -> str | None:
    spec = tables()
    header_text = "".join(normalize_label(r.joined()) for r in rows if not _has_number(r))
    with_subtotal = any(m in header_text for m in spec.subtotal_markers)
    matched: dict[str, tuple[Row, Split]] = {}
    spill: list[str] = []  # label-only lines since the last row of values (a label broken across lines)
    for row in rows:
        split = split_row(row)
        if not _is_data_row(row, split, min_blank=5):
            if split.labels and not row.exact:
                spill = (spill + ["".join(split.labels)])[-3:]
            continue
        rs = match_label(split.labels, spec.application_rows)
        if rs is None and spill:
            rs = match_label(["".join(spill + split.labels)], spec.application_rows)
        spill = []
        if rs is None:
            if split.labels:
                out.flags.append(f"table 三: unrecognised row {' / '.join(split.labels)!r} ({row.where})")
            else:
                out.flags.append(f"table 三: row of values without a label ({row.where})")
            continue
        if rs.key in matched:
            out.flags.append(f"table 三: row {rs.key} appears twice ({row.where}); first kept")
            continue
        matched[rs.key] = (row, split)
    if not matched:
        return None
    out.found.add("三")
    fmt = None
    if any(k in matched for k in ("other_overdue_correction", "other_overdue_fee", "other_other")):
        fmt = "2021"
    elif "other_handling" in matched:
        fmt = "2019"
    if not with_subtotal:
        # a 小计 column the header did not name: most rows carry 8 values
        counts = [len(fit_values(s, 8)[1]) for _, s in matched.values()]
        with_subtotal = sum(1 for c in counts if c == 8) > len(counts) / 2
    columns = [c.key for c in spec.columns_for(with_subtotal)]
    out.application_columns = columns
    by_header = _header_maps(rows, columns, matched)
    row_specs = spec.application_rows_for(fmt or fallback_fmt or "2021")
    if fmt and fallback_fmt and fmt != fallback_fmt:
        out.flags.append(
            f"table 三 is laid out as format {fmt} (其他处理 rows) while table 二 reads as {fallback_fmt}; rows kept as printed"
        )
    incomplete: dict[str, list[str]] = {}
    for rs in row_specs:
        if rs.key not in matched:
            out.applications[rs.key] = {c: _missing() for c in columns}
            out.flags.append(f"table 三: row {rs.key} not found")
            continue
        row, split = matched[rs.key]
        mapping = by_header.get(row.extra.get("table")) if row.exact else None
        if mapping:
            out.applications[rs.key] = {c: _cell(row.cells[i].text, row.where) for c, i in mapping.items()}
            continue
        vals, given = fit_values(split, len(columns))
        if vals is None:
            incomplete[rs.key] = given
            out.applications[rs.key] = {c: _missing(row.where) for c in columns}
            continue
        out.applications[rs.key] = {c: _cell(v, row.where) for c, v in zip(columns, vals)}
    if incomplete:
        _infer_applications(out, row_specs, columns, incomplete)
    return fmt


# header words of table 三's columns, most specific first ("其他" also sits inside 法人或其他组织)
_COLUMN_WORDS = [("commercial_enterprise", "商业企业"), ("research_institution", "科研"), ("social_welfare_org", "公益"),
                 ("legal_service_org", "法律服务"), ("org_subtotal", "小计"), ("natural_person", "自然人"),
                 ("total", "总计"), ("total", "合计"), ("other_org", "其他")]


def header_columns(rows: list[Row], columns: list[str]) -> dict[str, int] | None:
    """Column positions of table 三 read from its header rows (real grids only): for each grid
    column, the lowest header cell names it. None unless every column is found exactly once."""
    header: list[Row] = []
    for row in rows:
        if not row.exact:
            return None
        if _has_number(row):
            break
        header.append(row)
    if not header:
        return None
    width = max(len(r.cells) for r in header)
    found: dict[str, int] = {}
    for col in range(width):
        text = next((normalize_label(r.cells[col].text) for r in reversed(header)
                     if col < len(r.cells) and r.cells[col].text.strip()), "")
        if not text or len(text) > 12:
            continue  # the corner cell (勾稽关系 …) or a row label
        key = next((k for k, w in _COLUMN_WORDS if w in text), None)
        if key in columns:
            if key in found and key != "total":
                return None
            found.setdefault(key, col)
    return found if set(found) == set(columns) else None


def _header_maps(rows: list[Row], columns: list[str], matched) -> dict:
    """Per physical table (a split table repeats its header), the header's column positions,
    kept only when every data row of that table has a value or a real blank at each of them."""
    groups: dict = {}
    for row in rows:
        if row.exact and row.extra.get("table") is not None:
            groups.setdefault(row.extra["table"], []).append(row)
    maps = {}
    data_rows = [row for row, _ in matched.values()]
    for tid, group in groups.items():
        mapping = header_columns(group, columns)
        if not mapping:
            continue
        mine = [r for r in data_rows if r.extra.get("table") == tid]
        if mine and all(
            len(r.cells) > max(mapping.values())
            and all(not r.cells[i].copy and parse_cell(r.cells[i].text).kind != TEXT for i in mapping.values())
            for r in mine
        ):
            maps[tid] = mapping
    return maps


def _values(table: dict[str, dict[str, CellResult]], row: str, columns) -> list | None:
    cells = table.get(row)
    if not cells:
        return None
    vals = [cells[c].value for c in columns]
    return None if any(v is None for v in vals) else vals


def _is_subsequence(given: list, full: list) -> bool:
    it = iter(full)
    return all(any(g == f for f in it) for g in given)


def _infer_applications(out: Tables, row_specs, columns, incomplete: dict[str, list[str]]):
    """Fill rows whose cells were lost, where the identities leave one possibility."""
    table = out.applications
    results = [r.key for r in row_specs if r.result]
    total = _values(table, "total_handled", columns)
    for key, given_raw in incomplete.items():
        given = [parse_cell(g).value for g in given_raw]
        implied = None
        if key in results and total is not None:
            if all(t == 0 for t in total):
                implied = [0] * len(columns)  # counts are non-negative and sum to zero
            else:
                others = [r for r in results if r != key]
                other_vals = [_values(table, r, columns) for r in others]
                if all(v is not None for v in other_vals):
                    implied = [t - sum(v[i] for v in other_vals) for i, t in enumerate(total)]
        elif key in ("new_received", "carried_over", "carried_forward", "total_handled"):
            a, b, c, d = (_values(table, r, columns) for r in ("new_received", "carried_over", "total_handled", "carried_forward"))
            if key == "new_received" and None not in (b, c, d):
                implied = [c[i] + d[i] - b[i] for i in range(len(columns))]
            elif key == "carried_over" and None not in (a, c, d):
                implied = [c[i] + d[i] - a[i] for i in range(len(columns))]
            elif key == "carried_forward" and None not in (a, b, c):
                implied = [a[i] + b[i] - c[i] for i in range(len(columns))]
        where = next((c.where for c in table[key].values()), "")
        if implied is not None and all(v >= 0 for v in implied) and _is_subsequence(given, implied):
            table[key] = {c: CellResult(v, None, INFERRED, where) for c, v in zip(columns, implied)}
            out.flags.append(
                f"table 三: row {key} printed {len(given_raw)} of {len(columns)} values {given_raw}; "
                f"cells inferred from the identities ({where})"
            )
        else:
            out.flags.append(
                f"table 三: row {key} incomplete: {len(given_raw)} of {len(columns)} values {given_raw}; "
                f"left null, the identities do not determine them ({where})"
            )


# --------------------------------------------------------------------------------------------
# Table 四
# --------------------------------------------------------------------------------------------


def split_run_together(digits: str, groups: int = 3, size: int = 5) -> list[list[int]] | None:
    """Split a run of digits (``21317000001324019``) into groups of ``size`` numbers in which the
    last is the sum of the others. Returns the reading only when exactly one exists."""
    n = groups * size
    solutions: list[list[int]] = []

    def numbers_ok(tok: str) -> bool:
        return tok == "0" or not tok.startswith("0")

    def rec(pos: int, acc: list[int]):
        if len(solutions) > 1:
            return
        k = len(acc)
        if k == n:
            if pos == len(digits):
                solutions.append(list(acc))
            return
        remaining = n - k
        if len(digits) - pos < remaining:
            return
        in_group = k % size
        if in_group == size - 1:  # the total: determined
            t = str(sum(acc[k - size + 1 : k]))
            if digits.startswith(t, pos):
                rec(pos + len(t), acc + [int(t)])
            return
        for ln in range(1, min(7, len(digits) - pos - remaining + 2)):
            tok = digits[pos : pos + ln]
            if numbers_ok(tok):
                rec(pos + ln, acc + [int(tok)])

    rec(0, [])
    if len(solutions) != 1:
        return None
    s = solutions[0]
    return [s[i : i + size] for i in range(0, n, size)]


def read_review_litigation(rows: list[Row], out: Tables) -> None:
    spec = tables()
    procs = [p.key for p in spec.proceedings]
    outcomes = [o.key for o in spec.outcomes]
    value_rows = [r for r in rows if _has_number(r) or _blank_data_row(r)]
    if not value_rows:
        return
    out.found.add("四")
    # layout A: one row per proceeding, labelled
    by_label: dict[str, tuple[Row, Split]] = {}
    for row in value_rows:
        split = split_row(row)
        p = match_label(split.labels, spec.proceedings) if split.labels else None
        if p and p.key not in by_label:
            by_label[p.key] = (row, split)
    if len(by_label) == 3:
        for key in procs:
            row, split = by_label[key]
            vals, given = fit_values(split, 5)
            if vals is None:
                out.review_litigation[key] = {o: _missing(row.where) for o in outcomes}
                out.flags.append(f"table 四: {key} incomplete: {given} ({row.where})")
            else:
                out.review_litigation[key] = {o: _cell(v, row.where) for o, v in zip(outcomes, vals)}
        return
    # layout B: the 15 numbers in one row (or spread over rows), in the official order
    cells: list[tuple[str, str]] = []
    positional = all(r.exact for r in value_rows)
    for row in value_rows:
        split = split_row(row)
        vals = split.values if positional else [v for v in split.values if parse_cell(v).kind != BLANK]
        cells.extend((v, row.where) for v in vals)
    if positional and len(cells) > 15:
        while len(cells) > 15 and parse_cell(cells[-1][0]).kind == BLANK:
            cells.pop()
    if len(cells) == 15:
        for i, key in enumerate(procs):
            out.review_litigation[key] = {o: _cell(*cells[i * 5 + j]) for j, o in enumerate(outcomes)}
        return
    # layout C: the numbers ran together ("21317000001324019")
    digits = "".join(re.sub(r"\s", "", v) for v, _ in cells)
    if len(cells) < 15 and digits.isdigit():
        groups = split_run_together(digits)
        if groups:
            where = cells[0][1]
            for key, g in zip(procs, groups):
                out.review_litigation[key] = {o: CellResult(v, None, INFERRED, where) for o, v in zip(outcomes, g)}
            out.flags.append(f"table 四: numbers ran together ({digits!r}); the identities allow one reading only")
            return
    for key in procs:
        out.review_litigation[key] = {o: _missing() for o in outcomes}
    out.flags.append(f"table 四: expected 15 numbers, found {len(cells)} ({value_rows[0].where})")


# --------------------------------------------------------------------------------------------


def read_tables(rows: list[Row]) -> Tables:
    out = Tables()
    regions = split_regions(rows)
    by_markers = _active_format(regions["二"])
    fmt3 = read_applications(regions["三"], out, by_markers)
    fmt2 = read_active_disclosure(regions["二"], fmt3, out)
    read_review_litigation(regions["四"], out)
    # table 二's measures differ wholly between the formats, so its header decides; table 三's
    # 其他处理 rows decide when table 二 has no header
    out.format = by_markers or fmt3 or fmt2 or "unknown"
    return out
