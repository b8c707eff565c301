"""Who reported, for which year, published when: read from the title, the text and the page.

Trust order for the agency: the title, then the body's first paragraphs, then the signature
block at the end. The report year is the year reported on, never the publication year.
"""
from __future__ import annotations

import re
from collections import Counter

from .layouts import strip_markdown
from .script import to_simplified
from .text import clean_line, nfkc

# every real wording: …年度报告, …工作报告, …年报, 关于…工作情况的报告 (issue #15)
_REPORT_WORDS = r"(?:政府)?信息公开(?:工作)?(?:年度)?(?:工作)?(?:情况的?)?(?:报告|年报)"
_TITLE_AGENCY_FIRST = re.compile(rf"^(?P<agency>.*?)[(]?(?P<year>(?:19|20)\d{{2}})年度?[)]?{_REPORT_WORDS}")
_TITLE_YEAR_FIRST = re.compile(rf"^(?P<year>(?:19|20)\d{{2}})年度?(?P<agency>.*?){_REPORT_WORDS}")
_TITLE_YEAR_LAST = re.compile(rf"^(?P<agency>.*?){_REPORT_WORDS}[(](?P<year>(?:19|20)\d{{2}})年度?[)]$")
_CN_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=年)")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0"}
_TITLE_PAREN_AGENCY = re.compile(rf"{_REPORT_WORDS}[(](?P<agency>[^()]{{2,30}})[)]$")
_YEAR_IN_TEXT = [
    re.compile(r"(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?:的)?\s*(?:政府信息公开|政务公开)"),
    re.compile(r"现将[^。，,]{0,30}?(?P<year>(?:19|20)\d{2})\s*年"),
    # the year opening the 总体情况 section: "一、总体情况 2023年，在区委…", "2022年以来，…"
    re.compile(r"总体情况[^0-9]{0,25}?(?:1[.、．][^0-9]{0,25}?)?(?P<year>(?:19|20)\d{2})\s*年"),
    re.compile(r"统计期限(?:为|是)?(?:自)?\s*(?P<year>(?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日"),
    re.compile(r"截[至止]\s*(?P<year>(?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日"),
    # "2019年度，我乡…", "2020年度我街办…": the year the agency reports its own work in
    re.compile(r"(?P<year>(?:19|20)\d{2})\s*年(?:度\s*[,，]?|\s*[,，])\s*(?:我|本)(?:乡|镇|局|委|街|办|区|县|市|单位|机关|部门|中心|院|厅|所|站)"),
]
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[年./-]\s*(?P<m>\d{1,2})\s*[月./-]\s*(?P<d>\d{1,2})\s*日?")
_AGENCY_SUFFIX = (
    "人民政府办公室|人民政府办公厅|人民政府|管理委员会|委员会办公室|居民委员会|村民委员会|委员会|办事处|"
    "管理办公室|办公室|办公厅|管理局|局|厅|社区|街道|镇|乡|中心|院|署"
)
_AGENCY_END = re.compile(rf"(?:{_AGENCY_SUFFIX})$")
_BOUNDARY = re.compile(r"(?:^|[，。：；、\s\n])")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{4,30}")
_STRIP_TITLE = re.compile(r"^[#\s]+|[\s#]+$")
_TITLE_LABEL = re.compile(r"^(?:标题|题目|文章标题|title)\s*[:：]\s*", re.I)


def find_title(lines: list[str]) -> str:
    """The first heading-like line(s); a title broken across two lines is joined."""
    nonempty = [clean_line(_TITLE_LABEL.sub("", _STRIP_TITLE.sub("", strip_markdown(l)))) for l in lines[:12]]
    nonempty = [l for l in nonempty if l]
    if not nonempty:
        return ""
    first = nonempty[0]
    if "报告" not in first and len(nonempty) > 1 and "报告" in nonempty[1] and len(first) + len(nonempty[1]) < 60:
        return first + nonempty[1]
    return first


def parse_title(title: str) -> tuple[str | None, int | None]:
    """(agency, year) from a title such as 官塘社区2023年政府信息公开工作年度报告."""
    t = re.sub(r"\s+", "", arabic_years(nfkc(to_simplified(title))))
    t = _CN_YEAR.sub(lambda m: "".join(_CN_DIGIT[c] for c in m.group(0)), t)  # 二〇二三年 → 2023年
    for pat in (_TITLE_AGENCY_FIRST, _TITLE_YEAR_FIRST, _TITLE_YEAR_LAST):
        m = pat.search(t)
        if m:
            agency = clean_agency(m.group("agency"))
            if not agency:
                m2 = _TITLE_PAREN_AGENCY.search(t)
                agency = clean_agency(m2.group("agency")) if m2 else None
            return agency or None, int(m.group("year"))
    return None, None


def clean_agency(s: str | None) -> str | None:
    if not s:
        return None
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"^(?:关于)?", "", s)
    s = re.sub(r"关于$", "", s)  # XX关于2023年度政府信息公开工作情况的报告
    s = re.sub(r"[（(]?(?:19|20)\d{2}年度?[）)]?", "", s)
    s = s.strip("，,。：:、-—_ 《》“”\"")
    return s or None


_CN_DIGITS = {"〇": "0", "○": "0", "零": "0", "Ｏ": "0", "O": "0", "o": "0", "一": "1", "二": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_CN_YEAR = re.compile(r"([一二][〇○零Ｏ九OoＯ][〇○零Ｏ一二三四五六七八九Oo]{2})(?=\s*年)")
# the statistics period: "统计期限为2024年1月1日至2024年12月31日", "自2024年1月1日起至12月31日止"
_PERIOD = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起)?\s*(?:至|到|—|－|-|~|～)\s*"
    r"(?:(?P<year2>(?:19|20)\d{2})\s*年\s*)?12\s*月\s*31\s*日"
)


def arabic_years(s: str) -> str:
    """``二〇二一年度`` → ``2021年度`` (a copy for finding the year; titles keep their wording)."""
    return _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(1)), s)


def statistics_year(text: str) -> int | None:
    """The year of the statistics period the report states — the strongest evidence of the year
    reported on (titles and dates may name the publication year)."""
    head = arabic_years(nfkc(to_simplified(text[:6000])))
    for m in _PERIOD.finditer(head):
        if m.group("year2") is None or m.group("year2") == m.group("year"):
            return int(m.group("year"))
    return None


def year_from_text(text: str) -> int | None:
    head = arabic_years(nfkc(to_simplified(text[:3000])))
    for pat in _YEAR_IN_TEXT:
        m = pat.search(head)
        if m:
            return int(m.group("year"))
    return None


def report_year(title: str, text: str) -> tuple[int | None, str | None]:
    """(year reported on, where it was read): the statistics period, then the title, then the body."""
    y = statistics_year(text)
    if y:
        return y, "body"  # the body's statistics period
    _agency, y = parse_title(title)
    if y:
        return y, "title"
    y = year_from_text(text)
    return (y, "body") if y else (None, None)


def agency_from_text(text: str) -> str | None:
    """The organisation named most often in the opening paragraphs (ties: the longer name)."""
    head = text[:4000]
    counts: Counter[str] = Counter()
    for b in _BOUNDARY.finditer(head):
        run = _CJK_RUN.match(head, b.end())
        if not run:
            continue
        word = run.group(0)
        for end in range(4, len(word) + 1):
            name = word[:end]
            if not _AGENCY_END.search(name) or name.startswith(("我", "本", "各", "全", "该", "区政府", "市政府", "县政府", "根据", "按照", "现将")):
                continue
            counts[name] = head.count(name)
    if not counts:
        return None
    best = max(counts.items(), key=lambda kv: (kv[1], len(kv[0])))
    return best[0] if best[1] >= 2 else None


def signature_agency(lines: list[str]) -> str | None:
    """The signing agency in the last lines (a name on its own line before or after the date)."""
    tail = [clean_line(l) for l in lines[-8:] if clean_line(l)]
    for l in reversed(tail):
        if _DATE.fullmatch(nfkc(l)):
            continue
        if re.fullmatch(rf"[\u4e00-\u9fff（）()]{{3,30}}(?:{_AGENCY_SUFFIX})", l):
            return l
    return None


def signature_date(lines: list[str]) -> str | None:
    """An ISO date standing on its own in the last lines (the signature block)."""
    for l in reversed([clean_line(x) for x in lines[-8:] if clean_line(x)]):
        m = _DATE.fullmatch(nfkc(l))
        if m:
            return iso_date(m)
    return None


def iso_date(m: re.Match) -> str | None:
    y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def parse_date(s: str | None) -> str | None:
    if not s:
        return None
    m = _DATE.search(nfkc(s))
    return iso_date(m) if m else None
