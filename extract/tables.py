"""Read tables 二, 三 and 四 from a stream of rows.

The reader never guesses a position. A row's key comes from its label; its values are the cells
after the label. When a row has fewer values than the table has columns it is *incomplete*: its
cells are left null, unless the table's identities determine them (then they are filled and
marked *inferred*). Numbers are never shifted into columns they may not belong to.

Real documents (issue #17) lose labels and positions: a row that printed no label is placed by the
table's fixed row order only where one place is left for it, and in table 三 kept only when the
identities confirm it (extract/order.py); rows whose layout shows positions (grids, pipe rows, one
cell per line) keep their blank cells, and a row cut short keeps the cells it shows.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache

from .cells import BLANK, NUMBER, PLACEHOLDER, TEXT, parse_cell
from .rows import Row
from .order import place_by_order
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


def _flag_cut(out: "Tables", table: str, key: str, vals: list | None, row: Row) -> None:
    if vals and None in vals:
        shown = len(vals) - vals.count(None)
        out.flags.append(f"{table}: row {key} cut short after {shown} of {len(vals)} cells ({row.where}); the rest left null")


def _cell_or_missing(raw: str | None, where: str) -> CellResult:
    """A cell fitted at its place, or missing where the row did not reach (``None``)."""
    return _missing(where) if raw is None else _cell(raw, where)


# --------------------------------------------------------------------------------------------
# Splitting a row into its label and its values
# --------------------------------------------------------------------------------------------


@dataclass
class Split:
    labels: list[str]  # label cells, first to last (copies included: they name the row too)
    values: list[str]  # cells after the last label, as the layout allows them to be counted
    positional: bool  # values are at their true columns (blanks included)
    cut: bool = False  # the row may end early (end of the text, a row of a grid left short)
    exact_grid: bool = False  # a real grid's row (spans marked): spare blanks are spacer columns
    left_aligned: bool = False  # values start right after the label (every "|" closes one cell)


def split_row(row: Row) -> Split:
    """A row's labels and values (remembered on the row: each table reader asks more than once)."""
    done = row.extra.get("_split")
    if done is not None:
        return done
    cells = row.cells
    # a cell read from a picture as no number at all is a value misread, never the row's label
    kinds = [NUMBER if getattr(c.text, "unreadable", False) else parse_cell(c.text).kind for c in cells]
    last_label = len(kinds) - 1
    while last_label >= 0 and kinds[last_label] != TEXT:
        last_label -= 1
    labels = [c.text for c, k in zip(cells[: last_label + 1], kinds) if k == TEXT]
    after = cells[last_label + 1 :]
    if row.exact:
        split = Split(labels, [c.text for c in after if not c.copy], True, bool(row.extra.get("cut")), True)
    else:
        positional = bool(row.extra.get("positional"))
        split = Split(labels, [c.text for c in after], positional, positional and bool(row.extra.get("cut")),
                      False, bool(row.extra.get("left_aligned")))
    row.extra["_split"] = split
    return split


def _trim(vals: list[str], n: int, from_end: bool) -> list[str]:
    vals = list(vals)
    ends = (-1, 0) if from_end else (0, -1)
    for end in ends:
        while len(vals) > n and parse_cell(vals[end]).kind == BLANK:
            vals.pop(end)
    return vals


def fit_values(split: Split, n: int) -> tuple[list[str] | None, list[str]]:
    """Choose the ``n`` value cells of a row, or return (None, given) when they cannot be placed.

    ``given`` is what was printed (the non-blank values), kept for inference and for the flags.
    """
    vals = list(split.values)
    given = [v for v in vals if parse_cell(v).kind != BLANK]
    if split.positional:
        if len(vals) > n and not split.exact_grid and not split.left_aligned:
            # a text row with spare blank cells: at its start they may be a merged label rendered as
            # empty cells, at its end spacer cells; kept only when both trims read the same
            first, second = _trim(vals, n, from_end=True), _trim(vals, n, from_end=False)
            if first != second:
                return (given, given) if len(given) == n else (None, given)
        while len(vals) > n and parse_cell(vals[-1]).kind == BLANK:
            vals.pop()
        while len(vals) > n and parse_cell(vals[0]).kind == BLANK:
            vals.pop(0)
        if len(vals) == n:
            return vals, given
        if len(given) == n:
            return given, given
        if split.cut and 0 < len(vals) < n:
            # cut short: the cells it shows are at their places, the rest were not printed
            return vals + [None] * (n - len(vals)), given
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


_NOTE = re.compile(r"\([^()]*\)")

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
    # a label with a note in brackets is matched without it: 规章(设区的市、自治州人民政府应提供相关数据);
    # 其他对外管理服务事项(指行政许可证以外的…) must not match 行政许可 through its note
    if specs is not tables().proceedings:  # table 四's notes name the proceeding: 行政诉讼（未经复议直接起诉）
        candidates = [_NOTE.sub("", c) or c for c in candidates]
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
    if any(c.startswith("第二十条") for c in short) or (
            len(cells) == len(own) and short and _active_header_words().search("|".join(short))):  # header rows carry no numbers
        return "二"
    if any(k in c for c in cells for k in ("自然人", "申请人情况", "勾稽关系", "本年新收")):
        return "三"
    if any(c in ("行政复议", "行政诉讼") or "复议后起诉" in c or "未经复议" in c or c == "结果维持" for c in short):
        return "四"
    return None


def _starts_applications(row: Row) -> bool:
    """A labelled row of six or more numbers that names a row of table 三."""
    split = split_row(row)
    if not split.labels or sum(1 for v in split.values if parse_cell(v).kind == NUMBER) < 6:
        return False
    return match_label(split.labels, tables().application_rows) is not None


@cache
def _active_header_words() -> re.Pattern:
    """Table 二's header words (data/tables.toml) as one pattern: one search per row."""
    return re.compile("|".join(re.escape(m) for m in sorted(tables().active_region_markers, key=len, reverse=True)))


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
        elif state is None and _starts_applications(row):
            state = "三"  # the text starts inside table 三 (a page of a split PDF, an excerpt)
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
    return (row.exact or split.positional) and bool(split.labels) and len(kinds) >= min_blank


def _blank_item_row(row: Row, split: Split, items) -> bool:
    """A real grid's table-二 item whose one value cell was left empty (行政许可 | ``<td></td>``, as in
    the official Word template): a printed blank at its place, not a heading."""
    return (row.exact and len(split.values) == 1 and parse_cell(split.values[0]).kind == BLANK
            and bool(split.labels) and match_label(split.labels, items) is not None)


# --------------------------------------------------------------------------------------------
# Table 二
# --------------------------------------------------------------------------------------------


def _active_format(rows: list[Row]) -> str | None:
    spec = tables()
    # header words: rows without numbers, and the short text cells of rows with them (a dump
    # read as tokens fuses the header and the first item into one row)
    text = "".join(normalize_label(r.joined()) if not _has_number(r) else
                   "".join(normalize_label(c.text) for c in r.cells if len(c.text) <= 30 and parse_cell(c.text).kind == TEXT)
                   for r in rows)
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


def _is_active_header(label: str) -> bool:
    """A header cell of table 二 (信息内容, a measure, 第二十条第…项): a row whose last label is
    one printed no label of its own (a token dump fuses the header with the first item)."""
    spec = tables()
    norm = normalize_label(label)
    return (norm.startswith("第二十条") or any(m in norm for m in spec.active_region_markers)
            or any(m in norm for ms in spec.active_markers.values() for m in ms))


def read_active_disclosure(rows: list[Row], fmt: str | None, out: Tables, by_markers: str | None = "") -> str | None:
    spec = tables()
    fmt = (_active_format(rows) if by_markers == "" else by_markers) or fmt
    matched: dict[str, tuple[Row, Split]] = {}
    all_items = _all_active_items()
    seq: list[tuple[Row, Split, RowSpec | None]] = []
    for row in rows:
        split = split_row(row)
        if not _is_data_row(row, split) and not _blank_item_row(row, split, all_items):
            continue
        item = match_label(split.labels, all_items) if split.labels else None
        if item is None and split.labels and not _is_active_header(split.labels[-1]) and not any(
                _resembles(split.labels[-1], i) for i in all_items):
            continue  # a row of some other label (其他主动公开文件), a footnote
        seq.append((row, split, item))
        if item is not None and item.key not in matched:
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
    keys = [i.key for i in spec.active_disclosure[fmt]]
    # an item's label alone on its line, its values on the next (行政规范性文件 ↵ 5 | 1 | 25 |)
    matched, _ = _place_rows(seq, keys, None, out, "table 二")
    for item in spec.active_disclosure[fmt]:
        measures = item.measures
        if item.key not in matched:
            out.active_disclosure[item.key] = {m.key: _missing() for m in measures}
            out.flags.append(f"table 二: item {item.key} not found")
            continue
        row, split = matched[item.key]
        vals, given = fit_values(split, len(measures))
        if vals is None and len(given) > len(measures):
            # extra cells: only trailing placeholders (a 2019 fee row's third column "/") are let go
            extra = given[len(measures):]
            if all(parse_cell(v).kind == PLACEHOLDER for v in extra):
                vals = given[: len(measures)]
                out.flags.append(f"table 二: item {item.key} has {len(given)} values for {len(measures)} measures ({row.where}); trailing placeholders ignored")
            else:
                out.flags.append(f"table 二: item {item.key} has {len(given)} numbers for {len(measures)} measures ({row.where}); which are extra is not certain")
        cells = {}
        _flag_cut(out, "table 二", item.key, vals, row)
        if vals is None:
            out.flags.append(f"table 二: item {item.key} incomplete: {len(given)} of {len(measures)} values ({row.where})")
            for m in measures:
                cells[m.key] = _missing(row.where)
        else:
            for m, raw in zip(measures, vals):
                c = _cell_or_missing(raw, row.where)
                cv = parse_cell(raw)
                if c.status == READ and m.unit == "万元" and cv.unit == "元":
                    c.value = round(cv.value / 10000, 6)
                    out.flags.append(f"table 二: {item.key}.{m.key} printed in 元 ({raw!r}); converted to 万元")
                cells[m.key] = c
        out.active_disclosure[item.key] = cells
    for _, _, item in seq:
        if item is not None and item.key not in keys:
            out.flags.append(f"table 二: item {item.key} does not belong to format {fmt}; ignored")
    return fmt


# --------------------------------------------------------------------------------------------
# Table 三
# --------------------------------------------------------------------------------------------


def read_applications(rows: list[Row], out: Tables, fallback_fmt: str | None = None) -> str | None:
    spec = tables()
    header_text = "".join(normalize_label(r.joined()) for r in rows if not _has_number(r))
    with_subtotal = any(m in header_text for m in spec.subtotal_markers)
    seq: list[tuple[Row, Split, RowSpec | None]] = []  # value rows in order, with the row their own label names
    spill: list[str] = []  # label-only lines since the last row of values (a label broken across lines)
    for row in rows:
        split = split_row(row)
        if not _is_data_row(row, split, min_blank=5):
            if split.labels and not row.exact:
                spill = (spill + ["".join(split.labels)])[-3:]
            continue
        rs = match_label(split.labels, spec.application_rows) if split.labels else None
        if rs is None and spill and split.labels:
            # the row's own label fragment ends a label broken across lines
            rs = match_label(["".join(spill + split.labels)], spec.application_rows)
        spill = []
        if rs is None:
            if split.labels:
                out.flags.append(f"table 三: unrecognised row {' / '.join(split.labels)!r} ({row.where})")
            else:
                out.flags.append(f"table 三: row of values without a label ({row.where})")
        seq.append((row, split, rs))
    labelled = [(row, split, rs) for row, split, rs in seq if rs is not None]
    if not labelled:
        return None
    matched: dict[str, tuple[Row, Split]] = {}
    for row, split, rs in labelled:
        matched.setdefault(rs.key, (row, split))
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
    row_specs = spec.application_rows_for(fmt or fallback_fmt or "2021")
    matched, by_order = _place_rows(seq, [r.key for r in row_specs], len(columns), out, "table 三")
    by_header = _header_maps(rows, columns, matched)
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
        if vals is None and len(given) > len(columns):
            vals = _drop_extra(given, columns)
            if vals is not None:
                out.flags.append(f"table 三: row {rs.key} printed {len(given)} numbers for {len(columns)} columns {given}; "
                                 f"the row total allows one reading only ({row.where})")
        if vals is None:
            incomplete[rs.key] = given
            out.applications[rs.key] = {c: _missing(row.where) for c in columns}
            continue
        _flag_cut(out, "table 三", rs.key, vals, row)
        out.applications[rs.key] = {c: _cell_or_missing(v, row.where) for c, v in zip(columns, vals)}
    if incomplete:
        _infer_applications(out, row_specs, columns, incomplete)
    if by_order:
        _confirm_by_identities(out, by_order, columns)
    return fmt


@cache
def _specs_by_key() -> dict[str, RowSpec]:
    return {r.key: r for r in tables().application_rows + _all_active_items()}


def _resembles(label: str, spec: RowSpec, at_least: float = 0.5) -> bool:
    """A garbled or cut label (政许可, 第三方合法权) that still resembles a row's official label."""
    norm = _NOTE.sub("", normalize_label(label)) or normalize_label(label)
    official = normalize_label(spec.label.split(" ")[-1])
    return bool(norm) and difflib.SequenceMatcher(None, norm, official).ratio() >= at_least


def _drop_extra(given: list[str], columns: list[str]) -> list[str] | None:
    """A row with one or two numbers too many (a row number, a footnote digit): the readings that
    drop them from the ends and satisfy the row's total; None unless they all agree."""
    n, extra = len(columns), len(given) - len(columns)
    if extra > 2:
        return None
    nums = [parse_cell(g) for g in given]
    if any(c.kind != NUMBER for c in nums):
        return None
    readings = []
    for lead in range(extra + 1):
        cut = given[lead : lead + n]
        vals = dict(zip(columns, (parse_cell(v).value for v in cut)))
        parts = ["natural_person", "org_subtotal"] if "org_subtotal" in vals else [c for c in columns if c != "total"]
        if vals["total"] == sum(vals[c] for c in parts):
            readings.append(cut)
    if readings and all(r == readings[0] for r in readings):
        return readings[0]
    return None


def _place_rows(seq, order: list[str], width: int | None, out: Tables, table: str):
    """Rows by key: labelled rows in the fixed order, and unlabelled ones where the order leaves
    one place for them (extract/order.py). ``width``: the values a row must carry to be placed
    (None: rows differ; any row with a value). Returns (rows by key, keys placed by order)."""
    keys = [rs.key if rs is not None and rs.key in order else (None if rs is None else "?") for _, _, rs in seq]
    # a row printed twice: the first copy when the copies agree, neither when they differ
    firsts: dict[str, int] = {}
    for pos, key in enumerate(keys):
        if key in (None, "?"):
            continue
        if key not in firsts:
            firsts[key] = pos
            continue
        first = firsts[key]
        printed = [[v for v in seq[p][1].values if parse_cell(v).kind != BLANK] for p in (first, pos)]
        keys[pos] = "?"
        if printed[0] == printed[1]:
            out.flags.append(f"{table}: row {key} printed twice alike ({seq[pos][0].where}); one kept")
        else:
            keys[first] = "?"
            out.flags.append(f"{table}: row {key} printed twice with different values ({seq[first][0].where}, "
                             f"{seq[pos][0].where}); left null")
    if None not in keys:
        usable = [False] * len(keys)  # every row named by its label: nothing to place
    elif width is None:
        usable = [any(parse_cell(v).kind != BLANK for v in split.values) for _, split, _ in seq]
    else:
        usable = [(v := fit_values(split, width)[0]) is not None and None not in v for _, split, _ in seq]
    specs = _specs_by_key()

    def fits(pos: int, key: str) -> bool:
        labels = seq[pos][1].labels
        if labels and table == "table 二" and _is_active_header(labels[-1]):
            return True  # header words fused with the row: it printed no label of its own
        return not labels or _resembles(labels[-1], specs[key]) or (
            len(labels) > 1 and _resembles("".join(labels[-2:]), specs[key]))

    placed = place_by_order(keys, usable, order, fits)
    matched: dict[str, tuple[Row, Split]] = {}
    for pos, (row, split, rs) in enumerate(seq):
        key = placed.by_order.get(pos) or (keys[pos] if keys[pos] not in (None, "?") else None)
        if key is None:
            continue
        if pos in placed.out_of_order:
            if table == "table 二" and _exact_label(split.labels, specs[key]):
                # table 二 is printed as separate blocks (第二十条第（一）项 …), which a conversion may
                # reorder; a row whose whole official label is printed is kept where it stands
                out.flags.append(f"{table}: row {key} ({row.where}) is out of the table's order; kept: its label is exact")
                matched[key] = (row, split)
                continue
            out.flags.append(f"{table}: row {key} ({row.where}) is out of the table's order; left unread")
            continue
        matched[key] = (row, split)
    for pos, key in placed.by_order.items():
        out.flags.append(f"{table}: row {key} printed without its label ({seq[pos][0].where}); placed by the row order")
    for pos in placed.stray:
        out.flags.append(f"{table}: a short row of values ({seq[pos][0].where}) between rows placed by order; not read")
    return matched, set(placed.by_order.values())


def _exact_label(labels: list[str], spec: RowSpec) -> bool:
    """The row prints the whole of one of its official labels (not a fragment, keyword or near miss)."""
    if not labels:
        return False
    norm = _NOTE.sub("", normalize_label(labels[-1])) or normalize_label(labels[-1])
    return norm == normalize_label(spec.label.split(" ")[-1]) or norm in spec.exact or norm in spec.keywords


def _confirm_by_identities(out: Tables, placed: set[str], columns: list[str]) -> None:
    """Rows placed by order stay only when an identity that involves them holds and none fails."""
    from .checks import evaluate

    balance = {"new_received", "carried_over", "total_handled", "carried_forward"}
    results = {r.key for r in tables().application_rows if r.result} | {"total_handled"}
    held: set[str] = set()
    failed = False
    for c in evaluate(out):
        name = c.check
        if not name.startswith("applications."):
            continue
        kind, _, what = name[len("applications."):].partition(".")
        involved = {what} & placed if kind in ("row_total", "org_subtotal") else (
            placed & balance if kind == "balance" else placed & results)
        if not involved:
            continue
        if c.ok:
            held |= involved
        else:
            failed = True
    if failed or held != placed:
        for key in placed:
            where = next((c.where for c in out.applications[key].values()), "")
            out.applications[key] = {c: _missing(where) for c in columns}
        out.flags.append(f"table 三: rows {sorted(placed)} placed by order left null: the identities do not confirm them")


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
                _flag_cut(out, "table 四", key, vals, row)
                out.review_litigation[key] = {o: _cell_or_missing(v, row.where) for o, v in zip(outcomes, vals)}
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
    # 16–18 numbers: digits of the header (a year, a column number) printed among them; the
    # fifteen are the window whose three totals hold, if every such window reads the same
    if 15 < len(cells) <= 18 and all(parse_cell(v).kind == NUMBER for v, _ in cells):
        nums = [parse_cell(v).value for v, _ in cells]
        windows = [i for i in range(len(cells) - 14)
                   if all(nums[i + g * 5 + 4] == sum(nums[i + g * 5 : i + g * 5 + 4]) for g in range(3))]
        if windows and all(nums[w : w + 15] == nums[windows[0] : windows[0] + 15] for w in windows):
            w = windows[0]
            for i, key in enumerate(procs):
                out.review_litigation[key] = {o: _cell(*cells[w + i * 5 + j]) for j, o in enumerate(outcomes)}
            out.flags.append(f"table 四: {len(cells)} numbers for 15 cells; the fifteen whose totals hold read "
                             f"(numbers {w + 1}–{w + 15})")
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
    fmt2 = read_active_disclosure(regions["二"], fmt3, out, by_markers)
    read_review_litigation(regions["四"], out)
    # table 二's measures differ wholly between the formats, so its header decides; table 三's
    # 其他处理 rows decide when table 二 has no header
    out.format = by_markers or fmt3 or fmt2 or "unknown"
    return out
