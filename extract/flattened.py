"""Tables whose separators were all lost: ``一、本年新收政府信息公开申请数量21710000218二、上年结转…``.

Text extractions of some portals (and naive copy-paste) run labels and numbers together. The
labels are known, so the text is cut at each official label, in order; what lies between one
label and the next is that row's digits. A run of digits is split into numbers only where the
tables' identities leave exactly one reading (a row's 总计 is the sum of its six columns; a
proceeding's 总计 the sum of its four outcomes); otherwise the row is left unread and flagged.
"""
from __future__ import annotations

import re

from .spec import tables
from .tables import INFERRED, CellResult, Tables, _missing, split_run_together
from .script import to_simplified
from .text import nfkc

_LEADING_DIGITS = re.compile(r"^[\s\u3000]*([\d\s\u3000]*\d)")


def _find(text: str, words, start: int) -> tuple[int, int] | None:
    """The first of ``words`` at or after ``start``: (start, end) of the match."""
    best = None
    for w in words:
        i = text.find(w, start)
        if i >= 0 and (best is None or i < best[0]):
            best = (i, i + len(w))
    return best


def _row_words(spec) -> list[str]:
    words = [k for k in spec.keywords] + list(spec.exact)
    label = re.sub(r"\s+", "", nfkc(spec.label.split(" ")[-1]))
    label = re.sub(r"^(?:[（(][一二三四五六七][)）]|\d[.．])", "", label)
    return [label] + words if len(label) >= 2 else words


def _segments(text: str, specs) -> dict[str, str]:
    """Cut ``text`` at the labels of ``specs`` (in order): key -> the text up to the next label."""
    pos = 0
    found: list[tuple[str, int, int]] = []
    for spec in specs:
        words = _row_words(spec)
        if spec.exact and not spec.keywords:
            # short labels ("其他", "总计"): only directly after the numbering the table prints
            words = [w for w in words if len(w) >= 2]
        hit = _find(text, sorted(set(words), key=len, reverse=True), pos)
        if hit is None:
            continue
        # a keyword found inside the label: extend to the end of the label text (up to the digits)
        end = hit[1]
        while end < len(text) and not text[end].isdigit() and text[end] not in "\n" and end - hit[1] < 40:
            end += 1
        found.append((spec.key, hit[0], end))
        pos = end
    out = {}
    for i, (key, _s, end) in enumerate(found):
        nxt = found[i + 1][1] if i + 1 < len(found) else min(len(text), end + 60)
        out[key] = text[end:nxt]
    return out


def _heading(text: str, numeral: str, words: str, start: int = 0) -> int:
    """Where section ``numeral`` starts: its numbered heading, else the words' last mention
    (the first is often the report's own table of contents)."""
    m = re.compile(rf"{numeral}[、.．]\s*(?:政府信息公开)?{words}").search(text, start)
    if m:
        return m.start()
    i = text.rfind(words)
    return i if i >= start else -1


def _numbering(spec) -> str | None:
    """The number a row's label is printed with ("2" for 2.其他法律行政法规禁止公开)."""
    m = re.match(r"^\s*(\d{1,2})\s*[.．、]", nfkc(spec.label.split(" ")[-1]))
    return m.group(1) if m else None


def _digits(segment: str, next_number: str | None = None) -> str | None:
    """The row's digits: the leading run, without the next row's own number glued to its end."""
    seg = segment.rstrip()
    if next_number:
        seg = re.sub(rf"{next_number}\s*[.．、]$", "", seg)
    m = _LEADING_DIGITS.match(seg)
    if not m:
        return None
    return re.sub(r"[\s\u3000]", "", m.group(1))


def read_flattened(text: str) -> Tables:
    """Tables from flattened text, or an empty result when the labels are not there."""
    spec = tables()
    t = Tables()
    flat = nfkc(to_simplified(text)).replace("\r", "")
    flat = re.sub(r"(?<=[^\d\s])[ \u3000]+|[ \u3000]+(?=[^\d\s])", "", flat)  # spaces inside labels
    three = _heading(flat, "三", "收到和处理政府信息公开申请")
    four = _heading(flat, "四", "行政复议", three if three >= 0 else 0)
    if three < 0:
        # a text that ends before table 三: table 二 only where its header is printed (prose that
        # names 行政许可 beside a number is not a table)
        if not any(m in flat for m in spec.active_region_markers):
            return t
        _read_active_flattened(flat, t)
        if not any(c.status == "read" for cells in t.active_disclosure.values() for c in cells.values()):
            return Tables()
        t.format = "2019" if "newly_made" in next(iter(t.active_disclosure.values()), {}) else "2021"
        return t
    region3 = flat[three : four if four > three else len(flat)]
    fmt = "2021" if ("逾期不补正" in region3 or "缴纳费用" in region3) else "2019"
    rows = spec.application_rows_for(fmt)
    segs = _segments(region3, rows)
    if len(segs) < len(rows) // 2:
        return t
    t.found.add("三")
    t.format = fmt
    columns = [c.key for c in spec.columns_for(False)]
    t.application_columns = columns
    present = [r for r in rows if r.key in segs]
    following = {r.key: _numbering(present[i + 1]) if i + 1 < len(present) else None for i, r in enumerate(present)}
    for r in rows:
        digits = _digits(segs.get(r.key, ""), following.get(r.key))
        if not digits:
            t.applications[r.key] = {c: _missing() for c in columns}
            t.flags.append(f"table 三 (flattened): row {r.key} not found")
            continue
        groups = split_run_together(digits, groups=1, size=7)
        if groups is None:
            t.applications[r.key] = {c: _missing() for c in columns}
            t.flags.append(f"table 三 (flattened): row {r.key} digits {digits!r} allow more than one reading (or none); left null")
            continue
        t.applications[r.key] = {c: CellResult(v, None, INFERRED, "flattened text") for c, v in zip(columns, groups[0])}
    t.flags.append("table 三 read from flattened text: each row split where its 总计 identity allows one reading only")
    # table 四: fifteen numbers after the last header word
    if four > three:
        region4 = flat[four:]
        end = region4.find("五、")
        region4 = region4[: end if end > 0 else len(region4)]
        spaced = re.search(r"总计\s*((?:\d+\s+){14}\d+)(?!\s*\d)", region4)
        m = re.search(r"总计(\d{15,40})", region4)
        if spaced:
            # fifteen numbers kept apart by spaces: read as printed
            nums = spaced.group(1).split()
            t.found.add("四")
            for i, key in enumerate(p.key for p in spec.proceedings):
                t.review_litigation[key] = {o.key: CellResult(int(v), v, "read", "flattened text")
                                            for o, v in zip(spec.outcomes, nums[i * 5 : i * 5 + 5])}
        elif m:
            groups = split_run_together(m.group(1))
            if groups:
                t.found.add("四")
                for key, g in zip([p.key for p in spec.proceedings], groups):
                    t.review_litigation[key] = {o.key: CellResult(v, None, INFERRED, "flattened text") for o, v in zip(spec.outcomes, g)}
            else:
                t.flags.append(f"table 四 (flattened): {m.group(1)!r} allows more than one reading; left null")
    _read_active_flattened(flat, t)
    return t


def _read_active_flattened(flat: str, t: Tables) -> None:
    spec = tables()
    two = _heading(flat, "二", "主动公开政府信息情况")
    three = _heading(flat, "三", "收到和处理政府信息公开申请", two if two >= 0 else 0)
    if two < 0:
        return
    region = flat[two : three if three > two else len(flat)]
    fmt = "2019" if any(m in region for m in ("新制作", "对外公开总数", "上一年项目数量")) else "2021"
    items = spec.active_disclosure[fmt]
    t.found.add("二")
    for item in items:
        hit = _find(region, [item.label] + list(item.keywords), 0)
        n = len(item.measures)
        cells = {m.key: _missing() for m in item.measures}
        if hit:
            m = re.match(r"(\d[\d.]*(?:-\d[\d.]*)*)", region[hit[1]:])
            run = m.group(1) if m else ""
            parts = _certain_parts(run, [m.key for m in item.measures])
            for key, raw in parts.items():
                cells[key] = CellResult(float(raw) if "." in raw else int(raw), raw, "read", "flattened text")
            if run and len(parts) < n:
                t.flags.append(f"table 二 (flattened): {item.key} digits {run!r} cannot be split into {n} numbers with certainty; "
                               f"{'only ' + ', '.join(parts) + ' read' if parts else 'left null'}")
        t.active_disclosure[item.key] = cells


def _certain_parts(run: str, measures: list[str]) -> dict[str, str]:
    """The measures a run of digits determines: one measure takes the whole run; n digits for n
    measures are one digit each; a minus sign starts the 本年增/减 (``change``) measure, so what
    precedes it is the measure before, when only one precedes (行政处罚2648-18538: 2648)."""
    n = len(measures)
    if not run:
        return {}
    pieces = re.split(r"(?=-)", run)
    if n == 1 and len(pieces) == 1 and re.fullmatch(r"\d+(?:\.\d+)?", run):
        return {measures[0]: run}
    if len(pieces) == 1 and run.isdigit() and len(run) == n:
        return dict(zip(measures, run))
    if "change" in measures and len(pieces) == 2 and pieces[0].isdigit():
        i = measures.index("change")
        out = {measures[0]: pieces[0]} if i == 1 else {}
        rest = pieces[1]
        if i == n - 1 and re.fullmatch(r"-\d+", rest):
            out[measures[i]] = rest
        elif i == n - 2 and re.fullmatch(r"-\d{2}", rest):
            out[measures[i]], out[measures[i + 1]] = rest[:2], rest[2]  # one digit each
        return out
    return {}
