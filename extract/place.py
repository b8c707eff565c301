"""Where a report comes from and at which tier of government: level, region and GB/T 2260 code.

Evidence, in order of trust: the agency name (安丘市官庄镇人民政府 names its county and its tier),
the configured source (a person wrote it down), the portal's host name (anqiu.gov.cn is the
pinyin of 安丘), and last the opening of the report's text. Each inference says where it came
from, so a researcher can filter out the guesses. Division names and pinyin: ``data/divisions.csv``
(see ``data/build_divisions.py``). Townships are not GB/T 2260 divisions: they get their county's code.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .text import nfkc

MUNICIPALITIES = {"11", "12", "31", "50"}
# the government itself; its 办公室/办公厅 publishes a report of its own, as a department
_GOVERNMENT = re.compile(r"^(?:人民政府|政府|行政公署|管理委员会|管委会)$")
_COMMUNITY = re.compile(r"(?:社区|村|嘎查)(?:居民委员会|村民委员会|居委会|村委会|管理办公室|党群服务中心|党委|委员会)?$|(?:居民委员会|村民委员会)$")
_TOWNSHIP = re.compile(r"(?:镇|乡|苏木|街道)(?:人民政府|政府|办事处|党委|党工委)?$|街道办事处$|街道办$")
_STATE_COUNCIL = re.compile(r"^(?:国务院|国家|中华人民共和国|中国(?!共产党))|(?:部|总署|总局)$")
_HOST_NOISE = {"www", "gov", "cn", "zwgk", "xxgk", "zfxxgk", "com", "org", "net", "http", "https", "js", "wap", "m"}
_OWN_TIER = re.compile(r"(省|自治区|县|区|旗)(?:人民)?政府$")
_LEADING_TIER = re.compile(r"^[\u4e00-\u9fff]{1,5}?(省|自治区|县|旗)(?!政府|人民政府)")
_FUNCTION_CHARS = set("由在于为是对及和与将向据全本我系即共")  # may stand before a place name in prose
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DEPARTMENT = re.compile(r"(?:局|委员会|委|办公室|办|厅|中心|院|所|处|队|站|署)$")
LEVEL_BY_TIER = {"province": "省级", "city": "市级", "county": "县级"}


@dataclass
class Division:
    code: str
    name: str
    short: str
    pinyin: str
    short_pinyin: str
    initials: str

    @property
    def tier(self) -> str:
        if self.code[2:] == "0000":
            return "province"
        if self.code[4:] == "00" and self.code[:2] not in MUNICIPALITIES:
            return "city"
        return "county"


@dataclass
class Place:
    level: str | None = None
    agency_type: str | None = None  # 政府 or 部门 (the government itself, or one of its departments)
    province: str | None = None
    city: str | None = None
    county: str | None = None
    admin_code: str | None = None
    level_source: str | None = None
    source: str | None = None  # how the region was inferred: agency, source, host, text
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("level", "agency_type", "province", "city", "county", "admin_code",
                                               "level_source", "source")}


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    with resources.files("extract").joinpath("data/divisions.csv").open(encoding="utf-8") as f:
        return {r["code"]: Division(**r) for r in csv.DictReader(f)}


def _index_by(keys_of) -> dict[str, list[Division]]:
    """Divisions grouped under each key ``keys_of(division)`` gives (names and pinyin repeat)."""
    out: dict[str, list[Division]] = {}
    for d in divisions().values():
        for key in keys_of(d):
            out.setdefault(key, []).append(d)
    return out


@lru_cache(maxsize=1)
def _by_name() -> dict[str, list[Division]]:
    return _index_by(lambda d: [d.name])


@lru_cache(maxsize=1)
def _name_pattern() -> re.Pattern:
    names = sorted(_by_name(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


@lru_cache(maxsize=1)
def _by_pinyin() -> dict[str, list[Division]]:
    return _index_by(lambda d: [k for k in {d.pinyin, d.short_pinyin} if len(k) >= 4])


@lru_cache(maxsize=1)
def _by_initials() -> dict[str, list[Division]]:
    return _index_by(lambda d: [d.initials])


def chain(code: str) -> dict:
    """Province, city and county names of a code (a municipality is its own city)."""
    divs = divisions()
    prov = divs.get(code[:2] + "0000")
    city = divs.get(code[:4] + "00") if code[:2] not in MUNICIPALITIES else prov
    d = divs.get(code)
    return {
        "province": prov.name if prov else None,
        "city": city.name if city and (city.tier == "city" or code[:2] in MUNICIPALITIES) else None,
        "county": d.name if d and d.tier == "county" else None,
    }


def _consistent(code: str, context: str | None) -> bool:
    """Whether a division lies inside the context prefix, or contains it."""
    return not context or code.startswith(context) or context.startswith(_prefix(code))


def _prefix(code: str) -> str:
    """The code's significant prefix: 37 for a province, 3707 for a city, 370784 for a county."""
    d = divisions().get(code)
    if d is None:
        return code
    return {"province": code[:2], "city": code[:4]}.get(d.tier, code)


def resolve_in(text: str, context: str | None = None, anchored: bool = False) -> tuple[Division | None, int]:
    """The most specific division named in ``text`` consistent with the others named and with ``context``.

    ``anchored``: the names must follow one another from the start (an agency name).
    Returns the division and where its name ends in the text (0 if none).
    """
    matches = [(m, _by_name()[m.group(0)]) for m in _name_pattern().finditer(text)]
    if not matches:
        return None, 0
    ctx = context
    best: tuple[Division, int] | None = None
    for m, cands in matches:
        if anchored and m.start() != (best[1] if best else 0):
            break  # an agency name begins with its divisions: 示范县 does not name 范县
        if (not anchored and m.start() > 0 and _CJK.match(text[m.start() - 1])
                and text[m.start() - 1] not in _FUNCTION_CHARS and m.start() != (best[1] if best else -1)):
            continue  # inside a longer word: 示范县 does not name 范县
        if ctx:
            cands = [d for d in cands if _consistent(d.code, ctx)]
        if len(cands) != 1:
            continue  # ambiguous (朝阳区 in Beijing and in Changchun) or inconsistent: skip
        d = cands[0]
        if best is None or len(_prefix(d.code)) >= len(_prefix(best[0].code)):
            best = (d, m.end())
            ctx = _prefix(d.code)
    return best if best else (None, 0)


def from_host(host: str | None, context: str | None = None) -> Division | None:
    """A division from the host's labels, read right to left: yynanhu.yueyang.gov.cn → 岳阳市."""
    if not host or re.fullmatch(r"[\d.]+|localhost", host):
        return None
    labels = [l for l in host.lower().split(".") if l not in _HOST_NOISE and not l.isdigit()]
    ctx, found = context, None
    for label in reversed(labels):
        hit = _host_label(label, ctx)
        if hit:
            found, ctx = hit, _prefix(hit.code)
    return found


def _host_label(label: str, ctx: str | None) -> Division | None:
    by_py = _by_pinyin()
    options = [label]
    # a province or city abbreviation before the name: hbdaye (湖北 大冶), gzhezhang, cqjlp
    options += [label[i:] for i in (2, 3, 4) if len(label) - i >= 4]
    for opt in options:
        cands = [d for d in by_py.get(opt, []) if _consistent(d.code, ctx)]
        if opt != label and cands:
            prefix = label[: len(label) - len(opt)]
            narrowed = [d for d in cands if _initials_of_parents(d.code).startswith(prefix) or prefix in _initials_of_parents(d.code)]
            cands = narrowed or cands
        if len({d.code for d in cands}) > 1:
            # 岳阳市 and 岳阳县 share a pinyin: the higher tier is what a host names
            top = min(cands, key=lambda d: len(_prefix(d.code)))
            if sum(1 for d in cands if len(_prefix(d.code)) == len(_prefix(top.code))) == 1:
                cands = [top]
        if len({d.code for d in cands}) == 1:
            return cands[0]
    if len(label) >= 3:
        # initials of a prefecture or province: hld (葫芦岛)
        cands = [d for d in _by_initials().get(label, []) if d.tier != "county" and _consistent(d.code, ctx)]
        if len(cands) == 1:
            return cands[0]
    return None


def _initials_of_parents(code: str) -> str:
    divs = divisions()
    prov = divs.get(code[:2] + "0000")
    city = divs.get(code[:4] + "00")
    return "".join(x.initials for x in (prov, city) if x)


def classify(agency: str | None, division: Division | None, end: int) -> tuple[str | None, str | None]:
    """(level, agency_type) from the agency name and the division it names."""
    if not agency:
        return None, None
    name = re.sub(r"\s+", "", nfkc(agency))
    rest = name[end:] if division else name
    if _COMMUNITY.search(rest) and not rest.endswith(("委员会办公室", "指导委员会")):
        return "村居/社区", "政府"
    if _TOWNSHIP.search(rest) and len(rest) > 2 and "乡村" not in rest[-4:]:
        return "乡镇街道", "政府"
    if division is None:
        if _STATE_COUNCIL.search(name):
            return "国务院部门", "部门"
        tier = _OWN_TIER.search(name)
        if tier:  # 示范县人民政府: a government whose division is not in the table
            return ("省级" if tier.group(1) in ("省", "自治区") else "县级"), "政府"
        kind = "部门" if _DEPARTMENT.search(name) else None
        lead = _LEADING_TIER.match(name)
        if lead and kind:  # 示范县财政局: a department of a county-tier division
            return ("省级" if lead.group(1) in ("省", "自治区") else "县级"), kind
        return None, kind
    kind = "政府" if _GOVERNMENT.match(rest) or rest == "" else "部门"
    return LEVEL_BY_TIER[division.tier], kind


def infer_place(agency: str | None, host: str | None = None, hints: dict | None = None, text: str | None = None) -> Place:
    """Level, region and code of a report's agency, each with the evidence it came from."""
    hints = {k: v for k, v in (hints or {}).items() if v}
    place = Place()
    configured = context = _hint_code(hints)
    host_div = from_host(host, context)
    if context is None and host_div is not None:
        context = _prefix(host_div.code)
    name = re.sub(r"\s+", "", nfkc(agency or ""))
    # the name may be more specific than the portal, but lies in the same province
    div, end = resolve_in(name, context[:2] if context else None, anchored=True) if name else (None, 0)
    if div is not None:
        place.source = "agency"
    if div is None and configured:
        div, place.source = divisions().get(context.ljust(6, "0")), "source"
    if div is None and host_div is not None:
        div, place.source = host_div, "host"
    if div is None and text:
        div, _ = resolve_in(nfkc(text[:1500]))
        place.source = "text" if div else None
    level, kind = classify(agency, div if place.source == "agency" else None, end)
    place.level_source = "agency" if level else None
    if level is None and hints.get("level"):
        level, place.level_source = hints["level"], "source"
    if level is None and div is not None:
        # the name gives no tier of its own (区交通运输局): an agency of the division it was found under
        level, place.level_source = LEVEL_BY_TIER[div.tier], place.source
    place.level, place.agency_type = level, kind
    if div is not None:
        place.admin_code = div.code
        place.__dict__.update(chain(div.code))
    elif hints:
        place.province, place.city, place.county = hints.get("province"), hints.get("city"), hints.get("county")
        place.source = "source" if any((place.province, place.city, place.county)) else None
    return place


def _hint_code(hints: dict) -> str | None:
    """The code a source configuration names: its admin_code, or its most specific place name."""
    if hints.get("admin_code"):
        return _prefix(str(hints["admin_code"])[:6])
    ctx = None
    for key in ("province", "city", "county"):
        if hints.get(key):
            d, _ = resolve_in(nfkc(hints[key]), ctx)
            if d:
                ctx = d.code if key == "county" else _prefix(d.code)
    return ctx
