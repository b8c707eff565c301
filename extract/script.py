"""Traditional-script copies of reports (mirror sites re-publish them in 繁體: 結轉, 屬於國家秘密).

Labels are matched through a simplified copy; the cells themselves stay as printed. The copy is
made by OpenCC's ``tw2sp`` conversion (opencc-python-reimplemented, OpenCC's own dictionaries):
mirror sites convert with Taiwan phrasing as well as script, so a 规范性文件 is printed 規範性檔案
and 信息 may be 資訊, which a character-only table (zhconv) leaves as 档案 / 资讯. Most text has no
traditional character at all, so a set test decides first and the (slow) conversion runs only where
it can change something.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def _converter():
    from opencc import OpenCC

    return OpenCC("tw2sp")


@cache
def _traditional_chars() -> frozenset[str]:
    """Every character OpenCC's traditional→simplified table changes."""
    import opencc

    chars: set[str] = set()
    folder = Path(opencc.__file__).parent / "dictionary"
    for name in ("TSCharacters.txt",):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            if len(key) == 1 and values.split(" ")[0] != key:
                chars.add(key)
    return frozenset(chars)


def to_simplified(s: str) -> str:
    """``s`` in simplified script and mainland phrasing (unchanged, and cheap, when it has no
    traditional character). A long simplified text with a stray traditional character is left
    alone: Taiwan phrasing applied to it would turn its 文件 into 文档."""
    trad = _traditional_chars()
    if trad.isdisjoint(s):
        return s
    if len(s) > 40 and sum(1 for ch in s if ch in trad) * 50 < len(s):
        return s
    return _converter().convert(s)
