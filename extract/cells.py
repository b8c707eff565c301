"""Read one table cell: keep its raw text, and its value only where it is a number.

Blank, "/" and 0 are different facts about a report (not filled in, not applicable, none), so the
kind of every cell is kept alongside its value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .text import clean_line, nfkc

BLANK = "blank"  # nothing printed
PLACEHOLDER = "placeholder"  # "/", "—", "无" …: printed, but not a number
NUMBER = "number"
TEXT = "text"  # anything else (a label, a sentence)

_PLACEHOLDERS = {"/", "\\", "-", "--", "---", "—", "——", "–", "－", "－－", "~", "×", "x", "X", "*", "无", "空", "N/A", "n/a", "NA", "不适用", "—/—"}
# 1,113  +21  -7  124件  80618元  18651.06万元  (3)  21.5%
_NUMBER = re.compile(
    r"^(?P<sign>[+-])?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*(?P<unit>万元|元|件|条|个|项|次|人|家|宗|份|篇|万)?$"
)
_WORD_CHANGE = re.compile(r"^(?P<dir>增加?|减少?|新增|增长|下降)\s*(?P<num>\d+(?:\.\d+)?)\s*(?:件|个|项)?$")
_NO_CHANGE = {"未增未减", "无增减", "不变", "持平", "无变化", "0增0减"}


@dataclass(frozen=True)
class CellValue:
    raw: str
    value: float | int | None
    kind: str
    unit: str | None = None


def parse_cell(raw: str | None) -> CellValue:
    """Classify a cell's text and read its number.

    >>> parse_cell(" 1,113 ").value
    1113
    >>> parse_cell("减4").value
    -4
    >>> parse_cell("/").kind
    'placeholder'
    """
    return _parse("" if raw is None else raw)


@lru_cache(maxsize=1 << 16)
def _parse(raw: str) -> CellValue:
    # cached: a report's cells are classified several times while its rows are matched, and
    # most cell texts (0, blanks, small numbers) repeat across reports
    s = clean_line(nfkc(raw)).replace(" ", "")
    if not s:
        return CellValue(raw, None, BLANK)
    if s in _PLACEHOLDERS or re.fullmatch(r"[/\\\-—–－_]+", s):
        return CellValue(raw, None, PLACEHOLDER)
    if s in _NO_CHANGE:
        return CellValue(raw, 0, NUMBER)
    m = _NUMBER.match(s)
    if m:
        num = m.group("num").replace(",", "")
        value: int | float = float(num) if "." in num else int(num)
        if m.group("sign") == "-":
            value = -value
        return CellValue(raw, value, NUMBER, m.group("unit"))
    m = _WORD_CHANGE.match(s)
    if m:
        num = m.group("num")
        value = float(num) if "." in num else int(num)
        if m.group("dir").startswith(("减", "下降")):
            value = -value
        return CellValue(raw, value, NUMBER)
    if s.strip("?\ufffd") != s and s.strip("?\ufffd"):
        # a no-break space that a lossy re-encoding printed as "?" (mirror copies: "? 0")
        inner = _parse(s.strip("?\ufffd"))
        if inner.kind == NUMBER:
            return CellValue(raw, inner.value, NUMBER, inner.unit)
    return CellValue(raw, None, TEXT)


def is_value_like(raw: str | None) -> bool:
    """A cell that belongs to a table's value area rather than its labels."""
    return parse_cell(raw).kind in (NUMBER, PLACEHOLDER)
