"""Find a portal's 年报 column(s) by its own navigation, the way a person would.

From a home page a person opens 政务公开, then 政府信息公开, then 法定主动公开内容 or a side menu,
then 政府信息公开年报. Every link is scored by its anchor text and the words in its URL path
(``data/navigation.toml``); columns are taken, the best hubs are followed breadth-limited.
Inside a column, entries that are *units* (部门, 乡镇, 街道, 旗直部门, 苏木镇 …), listed side by
side, lead to each unit's own column and are followed as sub-columns.

Nothing here knows a CMS family: the families stay fast paths for list pages.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from . import recognize
from .policy import link_url as resolve

_YEAR = re.compile(r"(?:19|20)\d{2}|[〇零一二][〇零一二三四五六七八九]{3}")
_ROOT = re.compile(r"^/?(?:index\.(?:s?html?|jsp|php|aspx?))?$")
_HOME_PATH = _ROOT  # a portal's front page; a sub-site's front page is told by what it lists


@dataclass
class Link:
    url: str
    text: str
    role: str  # column, hub, unit_hub (a page listing units), unit
    score: int


@cache
def rules() -> dict:
    raw = tomllib.loads((Path(__file__).parent / "data" / "navigation.toml").read_text(encoding="utf-8"))
    for part in ("column", "hub"):
        raw[part]["text"] = [(re.compile(p), s) for p, s in raw[part]["text"]]
        raw[part]["url"] = [(re.compile(p, re.I), s) for p, s in raw[part]["url"]]
    raw["unit"]["text"] = [re.compile(p) for p in raw["unit"]["text"]]
    raw["unit_hub"]["text"] = [re.compile(p) for p in raw["unit_hub"]["text"]]
    raw["unit"]["skip"] = [re.compile(p) for p in raw["unit"]["skip"]]
    raw["year_tab"]["text"] = [re.compile(p) for p in raw["year_tab"]["text"]]
    return raw


def squash(text: str) -> str:
    return re.sub(r"[\s\u3000\u00a0>»]+", "", text or "")


def anchor_text(a) -> str:
    return squash(a.attrib.get("title") or "".join(a.css("::text").getall())) or squash("".join(a.css("::text").getall()))


def link_url(base: str, href: str) -> str:
    """The absolute URL of a link, without its #fragment unless the fragment is all digits: a
    JavaScript catalogue's category (gkmlpt ``index#2735``) is part of what the link names."""
    url = resolve(base, href)  # as a browser resolves it (crawler/policy.py)
    head, _, frag = url.partition("#")
    return url if frag.isdigit() else head


def same_site(url: str, other: str) -> bool:
    """Same host, or a sibling host of the same portal (www.x.gov.cn and zwgk.x.gov.cn)."""
    a, b = urlsplit(url), urlsplit(other)
    if a.netloc == b.netloc:
        return True
    ha, hb = (a.hostname or "").removeprefix("www."), (b.hostname or "").removeprefix("www.")
    if not ha or not hb or ha.replace(".", "").isdigit() or hb.replace(".", "").isdigit():
        return False
    return ha.endswith("." + hb) or hb.endswith("." + ha) or ha.split(".", 1)[-1] == hb.split(".", 1)[-1] and ha.count(".") >= 3


def _score(part: dict, text: str, path: str) -> int:
    t = max((s for rx, s in part["text"] if rx.search(text)), default=0)
    u = max((s for rx, s in part["url"] if rx.search(path)), default=0)
    return t + u if t else (u if u >= part.get("threshold", 0) else 0)


def classify_link(text: str, url: str) -> tuple[str, int] | None:
    """(role, score) of a navigation link, or None. Report titles (with a year) are not navigation."""
    t = squash(text)
    if not t or len(t) > 24 or _YEAR.search(t):
        return None
    path = urlsplit(url).path + ("?" + urlsplit(url).query if urlsplit(url).query else "")
    r = rules()
    col = _score(r["column"], t, path)
    if col >= r["column"]["threshold"] or recognize.is_column_link(t):
        return "column", max(col, r["column"]["threshold"])
    if any(rx.search(t) for rx in r["unit_hub"]["text"]):
        return "unit_hub", 60
    hub = _score(r["hub"], t, path)
    if hub >= r["hub"]["threshold"]:
        return "hub", hub
    return None


_OPTION_URL = re.compile(r"^(?:https?://|/|\.{1,2}/|\?)|\.(?:s?html?|jsp|php|aspx?|do|action)(?:[?#]|$)|/", re.I)


def anchors(response):
    """(element, href, text) of a page's links: its ``<a href>``, and the options of a ``<select>``
    that navigates (a year or unit chooser: ``onchange="location.href=this.value"``), whose values
    are addresses (the Hanweb annual module's year select; the Anhui platform's unit select)."""
    for a in response.css("a[href]"):
        href = a.attrib["href"].strip()
        if href and not href.lower().startswith(("javascript", "mailto:", "#")):
            yield a, href, anchor_text(a)
    for opt in response.css("select option[value]"):
        value = opt.attrib["value"].strip()
        if value and _OPTION_URL.search(value) and not value.lower().startswith(("javascript", "mailto:", "#")):
            yield opt, value, squash("".join(opt.css("::text").getall()))


def links(response) -> list[Link]:
    """Column and hub links of a page, best first, on the same site, each URL once."""
    out: dict[str, Link] = {}
    for a, href, text in anchors(response):
        url = link_url(response.url, href)
        if url == response.url or not same_site(response.url, url):
            continue
        got = classify_link(text, url)
        if got and (url not in out or out[url].score < got[1]):
            out[url] = Link(url, text, got[0], got[1])
    return sorted(out.values(), key=lambda l: (l.role != "column", -l.score))


def is_unit_name(text: str) -> bool:
    t = squash(text)
    r = rules()["unit"]
    if not t or len(t) > 20 or _YEAR.search(t) or any(rx.search(t) for rx in r["skip"]):
        return False
    if recognize.classify(t) != recognize.OTHER:
        return False
    return any(rx.search(t) for rx in r["text"])


def is_year_name(text: str) -> bool:
    """A tab or option that names a year and nothing else (2024年度, 2023年, 二〇二二年): one year's
    part of a 年报 column split by year (research/portals.md: …/zfxxgknb/2022/…, …/xxgknb/2021n/…)."""
    t = squash(text)
    return bool(t) and any(rx.fullmatch(t) for rx in rules()["year_tab"]["text"])


def unit_links(response) -> list[Link]:
    """Links named after units, listed side by side (at least ``min_siblings`` in one container):
    a 年报 column whose entries are its 部门 and 乡镇, each leading to that unit's own column; and,
    the same way, its year tabs (2024年度 …) leading to each year's part of the column. Options
    of a navigating ``<select>`` count as links."""
    groups: dict[object, list[Link]] = {}
    for a, href, text in anchors(response):
        if not is_unit_name(text) and not is_year_name(text):
            continue
        url = link_url(response.url, href)
        if url == response.url or not same_site(response.url, url) or _ROOT.match(urlsplit(url).path) and not urlsplit(url).query:
            continue
        container = a.xpath("ancestor::*[self::ul or self::ol or self::table or self::div or self::dl or self::select][1]")
        key = container[0].root if container else None
        groups.setdefault(key, []).append(Link(url, text, "unit", 50))
    need = rules()["unit"]["min_siblings"]
    out, seen = [], set()
    for group in groups.values():
        if len({l.url for l in group}) >= need:
            for l in group:
                if l.url not in seen:
                    seen.add(l.url)
                    out.append(l)
    return out


def looks_like_home(url: str) -> bool:
    """A portal's front page: ``/``, ``/index.html``."""
    parts = urlsplit(url)
    return not parts.query and bool(_HOME_PATH.match(parts.path or "/")) and not rules_column_path(parts.path)


def rules_column_path(path: str) -> bool:
    return any(rx.search(path) for rx, _ in rules()["column"]["url"])


def is_report_column(url: str, n_reports: int, paged: bool, has_units: bool, nav: list[Link]) -> bool:
    """Whether a start page is a report column (its reports, pages or units are listed on it)
    rather than a page to discover one from. A home page is never a column, even with a report
    in its news box; a page listing no report but linking to hubs or columns is a hub."""
    if looks_like_home(url) and any(l.role in ("column", "hub", "unit_hub") for l in nav):
        return False
    if n_reports or paged or has_units or rules_column_path(urlsplit(url).path):
        return True
    return not nav
