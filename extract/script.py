"""Traditional-script copies of reports (mirror sites re-publish them in 繁體: 結轉, 屬於國家秘密).

Labels are matched through a simplified copy made by zhconv (MediaWiki's conversion tables, a
maintained package); the cells themselves stay as printed. Most text has no traditional character
at all, so a set test decides first and the conversion runs only where it can change something.
"""
from __future__ import annotations

from functools import cache

import zhconv


@cache
def _traditional_chars() -> frozenset[str]:
    """The characters zhconv's traditional→simplified table changes on their own (a phrase entry
    of that table always holds at least one of them)."""
    from zhconv import zhconv as impl

    impl.convert("", "zh-hans")  # loads the tables
    return frozenset(k for k, v in impl.zhcdicts["zh2Hans"].items() if len(k) == 1 and v != k)


def to_simplified(s: str) -> str:
    """``s`` in simplified script (unchanged, and cheap, when it has no traditional character)."""
    if _traditional_chars().isdisjoint(s):
        return s
    return zhconv.convert(s, "zh-hans")


def is_traditional(s: str, min_chars: int = 3) -> bool:
    """A text written in traditional script: at least ``min_chars`` of its characters convert."""
    trad = _traditional_chars()
    return sum(1 for ch in s if ch in trad) >= min_chars and to_simplified(s) != s
