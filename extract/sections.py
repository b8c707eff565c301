"""Split a report's text into its six sections, whatever their numbering style.

Sub-headings inside a section reuse numerals ("一、加强组织领导" inside 一、总体情况) and
keywords ("（二）2023年存在的主要问题"), so a heading must carry the right numeral *and* a
keyword, be short, and come after the previous section's heading.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from .layouts import strip_markdown
from .spec import DATA
from .script import to_simplified
from .text import clean_line, nfkc


@dataclass
class Section:
    no: int
    heading: str
    text: str


@cache
def _specs():
    return tomllib.loads((DATA / "sections.toml").read_text(encoding="utf-8"))["sections"]


_LEAD = re.compile(r"^(?:第?(?P<num>[一二三四五六])(?:部分)?[、.．,，:：\s]|(?P<paren>[（(][一二三四五六][）)]))")


def heading_no(line: str, expected: int) -> int | None:
    """The section number ``line`` opens, if it is the heading of section ``expected`` or later."""
    s = clean_line(strip_markdown(line))
    squashed = re.sub(r"\s+", "", nfkc(to_simplified(s)))
    if not squashed or len(squashed) > 36 or squashed.endswith(("。", "；", ";")):
        return None
    m = _LEAD.match(squashed)
    for spec in _specs():
        if spec["no"] < expected:
            continue
        if not any(k in squashed for k in spec["keywords"]):
            continue
        if m and m.group("num"):
            if m.group("num") != spec["numeral"]:
                continue
        elif m and m.group("paren"):
            continue  # "（二）…" is a sub-heading
        elif spec["no"] != expected or line.startswith("\t"):
            continue  # an unnumbered heading only in sequence, and never a table cell
        return spec["no"]
    return None


def split_sections(text: str) -> list[Section]:
    lines = text.splitlines()
    found: list[tuple[int, int, str]] = []  # (section no, line index, heading)
    expected = 1
    for i, line in enumerate(lines):
        if "\t" in line.strip("\t") or line.count("|") >= 2:
            continue  # a table row
        no = heading_no(line, expected)
        if no is not None:
            found.append((no, i, clean_line(strip_markdown(line))))
            expected = no + 1
            if expected > 6:
                break
    sections = []
    for k, (no, i, heading) in enumerate(found):
        end = found[k + 1][1] if k + 1 < len(found) else len(lines)
        body = "\n".join(l.rstrip() for l in lines[i + 1 : end]).strip("\n")
        sections.append(Section(no, heading, body))
    return sections
