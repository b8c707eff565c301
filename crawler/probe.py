"""``nianbao probe URL``: what a researcher adding a portal needs to know, before crawling it.

The probe reads the portal as a crawl would (robots.txt obeyed, the same navigation, pagination
and completeness accounting) but fetches no report: it reads list pages only, counts the reports
each column lists per year, and prints robots.txt's answer, the column(s) found and how, the
pagination mechanism, each list's stated size against what was reached, what was blocked, and a
ready ``[[source]]`` entry for ``crawler/data/sources.toml``.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from scrapy.http import HtmlResponse

from . import recognize
from .spiders.base import ReportSpider


class ProbeSpider(ReportSpider):
    name = "probe"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.listed: dict[str, dict[str, int | None]] = defaultdict(dict)  # column -> report url -> year
        self.titles: dict[str, str] = {}  # page url -> its <title>

    def report_request(self, entry, response, column):
        self.listed[column][entry.url] = recognize.title_year(entry.title)
        return None  # a probe reads lists only

    def parse_list(self, response):
        if isinstance(response, HtmlResponse):
            self.titles.setdefault(response.url, (response.css("title::text").get() or "").strip())
        yield from super().parse_list(response)

    def parse_home(self, response, depth_left=None):
        if isinstance(response, HtmlResponse):
            self.titles.setdefault(response.url, (response.css("title::text").get() or "").strip())
        yield from super().parse_home(response, depth_left)


@dataclass
class ProbeResult:
    url: str
    robots: str = "not read"
    robots_skipped: list[str] = field(default_factory=list)
    columns: list = field(default_factory=list)  # Column objects, top-level first
    sub_columns: list = field(default_factory=list)
    per_year: dict = field(default_factory=dict)  # column url -> Counter(year)
    blocked: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    agency: str | None = None

    @property
    def ok(self) -> bool:
        return bool(self.columns) and not self.blocked


def gather(spider: ProbeSpider, db, start_url: str) -> ProbeResult:
    res = ProbeResult(start_url)
    host = urlsplit(start_url).netloc
    row = db.execute("select status, error from documents where url like ?", [f"%://{host}/robots.txt"]).fetchone()
    if row:
        res.robots = f"HTTP {row[0]}" + (" (no robots.txt: everything allowed)" if row[0] == 404 else "") if row[0] else f"failed: {row[1]}"
    res.robots_skipped = [r[0] for r in db.execute("select url from documents where error like '%robots.txt disallows%'")]
    cols = list(spider.ledger.columns.values())

    def has_children(c):  # a column whose entries are units or sub-columns (旗政府 / 旗直部门 / 苏木镇 …)
        return any(o is not c and o.how_found and o.how_found.startswith(c.how_found + " → ") for o in cols)

    top = [c for c in cols if c.how_found and "→ unit" not in c.how_found and "→ sub-column" not in c.how_found
           and (spider.listed.get(c.url) or c.stated_entries or c.stated_pages or c.entries or has_children(c))]
    res.columns = top
    res.sub_columns = [c for c in cols if c not in top and (spider.listed.get(c.url) or c.entries)]
    for c in cols:
        res.per_year[c.url] = Counter(y for y in spider.listed.get(c.url, {}).values())
    res.blocked = dict(spider.blocked)
    res.notes = list(spider.notes)
    res.agency = _agency(spider.titles.get(start_url) or next(iter(spider.titles.values()), ""))
    return res


def _agency(title: str) -> str | None:
    parts = [p.strip() for p in re.split(r"[_|\-—–｜]", title or "") if p.strip()]
    for p in parts:
        if re.search(r"(?:人民政府|政府|局|委员会|办公室|街道办事处)$", p):
            return p
    for p in reversed(parts):
        if re.search(r"(?:人民政府|政府)", p):
            return re.sub(r"(?:门户网站|网站|官网).*$", "", p)
    return None


def source_entry(res: ProbeResult) -> str:
    """A ``[[source]]`` block for crawler/data/sources.toml (fields as crawler/sources.py reads them)."""
    host = (urlsplit(res.url).hostname or "portal").removeprefix("www.")
    ident = re.sub(r"[^a-z0-9]+", "_", re.sub(r"\.gov\.cn$", "", host).lower()).strip("_") or "portal"
    start = [c.url for c in res.columns] or [res.url]
    family = res.columns[0].family if res.columns and res.columns[0].family else "generic"
    mode = "list" if res.columns else "discover"
    found = res.columns[0].how_found if res.columns else "no column found"

    def q(s):
        return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["[[source]]", f"id = {q(ident)}", f"agency = {q(res.agency or 'FILL IN: the publishing agency')}",
             f"family = {q(family)}", "start_urls = [" + ", ".join(q(u) for u in start) + "]",
             f"mode = {q(mode)}", "verified = false", f"notes = {q('probe: ' + found)}"]
    return "\n".join(lines)


def report(res: ProbeResult) -> str:
    out = [f"probe {res.url}", f"robots.txt: {res.robots}" + (f"; {len(res.robots_skipped)} link(s) disallowed, not followed" if res.robots_skipped else "")]
    if not res.columns:
        out.append("columns: none found (no 年报 column reachable through the site's navigation from this page)")
    for c in res.columns:
        years = res.per_year.get(c.url, Counter())
        total = sum(years.values())
        out.append(f"column: {c.url}")
        out.append(f"  found: {c.how_found}")
        out.append(f"  platform: {c.family or 'generic'}; pagination: {c.mechanism or 'a single page'}; list pages read: {len(c.pages)}")
        if c.stated_entries is not None or c.stated_pages is not None:
            stated = f"{c.stated_entries} entries" if c.stated_entries is not None else f"{c.stated_pages} pages"
            reached = len(c.entries) if c.stated_entries is not None else len(c.pages)
            verdict = f"SHORTFALL of {c.shortfall}" if c.shortfall else "complete"
            out.append(f"  stated size: {stated} ({c.size_how}); reached {reached}: {verdict}")
        else:
            out.append(f"  stated size: none printed; entries reached {len(c.entries)}")
        out.append(f"  reports listed: {total}" + (" (" + ", ".join(f"{y or 'no year'}: {n}" for y, n in sorted(years.items(), key=lambda kv: kv[0] or 0)) + ")" if total else ""))
    if res.sub_columns:
        n = sum(sum(res.per_year.get(c.url, Counter()).values()) for c in res.sub_columns)
        short = [c for c in res.sub_columns if c.shortfall]
        out.append(f"sub-columns and units: {len(res.sub_columns)}, {n} reports listed"
                   + (f"; {len(short)} with a shortfall" if short else ""))
        years = Counter()
        for c in res.sub_columns:
            years.update(res.per_year.get(c.url, Counter()))
        if years:
            out.append("  per year: " + ", ".join(f"{y or 'no year'}: {k}" for y, k in sorted(years.items(), key=lambda kv: kv[0] or 0)))
    out.append("blocked: " + ("; ".join(f"anti-bot challenge at {h} ({n} pages)" for h, n in res.blocked.items()) if res.blocked else "nothing"))
    out.extend(f"note: {n}" for n in res.notes)
    out.append("")
    out.append("# add to crawler/data/sources.toml:")
    out.append(source_entry(res))
    return "\n".join(out)
