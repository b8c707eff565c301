"""Text normalisation shared by every layout: labels as printed vary in width, spacing and quotes."""
from __future__ import annotations

import re
from functools import lru_cache
import unicodedata

from .script import to_simplified

# Characters that carry no meaning inside a label: all whitespace (incl. U+3000 and NBSP), quotes,
# and the decorative punctuation that differs between reports.
_DROP = re.compile(r"[\s\u3000\u00a0\u200b\ufeff\"'“”‘’「」『』《》〈〉<>]+")
# Leading numbering: "三、", "（一）", "(七)", "1.", "2．", "第三", repeated ("三、（一）").
_NUMBERING = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、.．](?!\d))+")
_DASHES = re.compile(r"[‐‑‒–—―－﹣−]")


def nfkc(s: str) -> str:
    """Full-width ASCII to half-width, compatibility forms folded (（ → (, ０ → 0)."""
    return unicodedata.normalize("NFKC", s)


# pinyin readings that some mirror sites print after characters: 規(guī)章, 數(shù)據(jù)
_PINYIN = re.compile(r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}\)")


def squash(s: str) -> str:
    """NFKC and drop whitespace, quotes and pinyin readings: the form in which two printings of a
    label compare equal."""
    s = nfkc(s)
    if "(" in s:
        s = _PINYIN.sub("", s)
    return _DASHES.sub("-", _DROP.sub("", s))


@lru_cache(maxsize=1 << 15)
def normalize_label(s: str) -> str:
    """A label's comparable core: squashed, in simplified script, without its leading numbering.
    (Cached: pure, and the same labels recur in every report.)"""
    s = squash(to_simplified(s))
    prev = None
    while prev != s:
        prev = s
        s = _NUMBERING.sub("", s)
    return s


def clean_line(s: str) -> str:
    """Strip a line's outer whitespace, including full-width and no-break spaces."""
    return s.strip(" \t\r\n\u3000\u00a0\ufeff\u200b")
