"""Tell report titles from look-alike notices and navigation (patterns in ``data/recognize.toml``)."""
from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

REPORT, LOOKALIKE, EXPLAINER, COLUMN, OTHER = "report", "lookalike", "explainer", "column", "other"
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CN_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=\s*年)")
_AGENCY_BEFORE = re.compile(r"(?:局|委员会|办公室|厅|署|院|中心|人民政府|办事处)(?:政府)?(?:信息公开|政务公开)")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0"}


@cache
def _patterns():
    raw = tomllib.loads((Path(__file__).parent / "data" / "recognize.toml").read_text(encoding="utf-8"))
    return {k: [re.compile(p) for p in v] for k, v in raw.items()}


def _squash(title: str) -> str:
    """Spaces out, and a year in Chinese numerals (二〇二三年) in digits."""
    t = re.sub(r"[\s\u3000\u00a0]+", "", title or "")
    return _CN_YEAR.sub(lambda m: "".join(_CN_DIGIT[c] for c in m.group(0)), t)


def classify(title: str) -> str:
    """``report``; ``explainer`` (图解/解读 of a report); ``lookalike`` (a notice about reports, another
    annual report); ``column`` (a report column's name, e.g. the side-menu link 政府信息公开年报); or ``other``."""
    t = _squash(title)
    p = _patterns()
    if not any(r.search(t) for r in p["report"]):
        return OTHER
    if any(r.search(t) for r in p["explainer"]):
        return EXPLAINER
    if any(r.search(t) for r in p["lookalike"]):
        return LOOKALIKE
    if is_column_link(t) and not _AGENCY_BEFORE.search(t):
        return COLUMN  # a column's name; an agency's report without a year in its title stays a report
    return REPORT


def is_explainer(text: str) -> bool:
    """A link (on a report page) to a page explaining the report: a report title with 图解/解读
    words, or a bare 图解 / 一图读懂 link. A menu's 政策解读 column is not one."""
    t = _squash(text)
    return bool(t) and (classify(t) == EXPLAINER or any(r.fullmatch(t) for r in _patterns()["explainer_link"]))


def title_year(title: str) -> int | None:
    """The report year a title names (the first four-digit year before 年, digits or 二〇二三)."""
    m = _YEAR.search(_squash(title))
    return int(m.group(1)) if m else None


def is_column_link(text: str) -> bool:
    t = _squash(text)
    return bool(t) and len(t) <= 24 and not _YEAR.search(t) and any(r.search(t) for r in _patterns()["column"])


def is_hub_link(text: str) -> bool:
    t = _squash(text)
    return bool(t) and len(t) <= 16 and any(r.search(t) for r in _patterns()["hub"])
