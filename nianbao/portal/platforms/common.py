"""What every platform mock shares: report items in every real title wording, 图解/解读 pages tied
to the report they explain, look-alike notices, and the navigation a person follows from the
home page (首页 → 政务公开 → 政府信息公开 → … → 年报).

Title wordings are real ones seen on portals: ``…关于2023年度政府信息公开工作情况的报告``,
``…政府信息公开工作年报``, ``二〇二三年…``, the year before or after the agency (issue #15; e.g.
"平潭综合实验区2024年度政府信息公开工作年度报告", pingtan.gov.cn; "舒兰市市场监督管理局2016年政务信息公开年度报告",
122.137.242.24/pub/slsxxgkw/…). Each mock records ``expected_reports`` (path → agency, year) for
the tests, like :mod:`nianbao.portal.builders`.
"""
from __future__ import annotations

import html as htmllib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ...synthetic import synthetic_report
from ..builders import Listed, list_html, page_html
from ..site import Resource, Site

CN_DIGITS = "〇一二三四五六七八九"

WORDINGS = (
    "{agency}{year}年政府信息公开工作年度报告",
    "{agency}关于{year}年度政府信息公开工作情况的报告",
    "{agency}{year}年度政府信息公开工作年报",
    "{cn_year}年{agency}政府信息公开工作年度报告",
    "{year}年度{agency}政府信息公开工作年度报告",
    "{agency}政府信息公开工作年度报告（{year}年度）",
    "{agency}{year}年政府信息公开年报",
)

EXPLAINERS = (
    "图解：{title}",
    "一图读懂{agency}{year}年政府信息公开工作年度报告",
    "《{title}》解读",
)

EXTRA_LOOKALIKES = (
    "{county}{y}年法治政府建设年度报告",
    "{county}关于印发{y}年政务公开工作要点的通知",
    "关于做好{y}年度政府信息公开工作年度报告编制工作的通知",
)

ROBOTS = "User-agent: *\nDisallow: /private/\nDisallow: /search/\n"
FORBIDDEN = "/private/"


def cn_year(year: int) -> str:
    return "".join(CN_DIGITS[int(d)] for d in str(year))


@dataclass
class PlatformSite(Site):
    """A mock portal of one platform: where a person starts, which column URLs a source names,
    and what a perfect crawl stores."""

    platform: str = ""
    home_path: str = "/"
    column_paths: list[str] = field(default_factory=list)
    forbidden_prefix: str = FORBIDDEN
    explainer_paths: dict[str, str] = field(default_factory=dict)  # explainer path -> report path it explains
    evidence: str = ""

    def start_args(self, server, mode: str) -> list[str]:
        """``nianbao crawl`` arguments for the three ways a user starts on this portal: ``column``
        (the column URLs a source names), ``home`` (the home page without ``--discover``: the crawl
        must find it is not a column and discover from it) and ``discover``."""
        if mode == "column":
            return ["--start-url", " ".join(server.url(p) for p in self.column_paths)]
        if mode == "home":
            return ["--start-url", server.url(self.home_path)]
        return ["--discover", "--start-url", server.url(self.home_path)]


def local(url: str) -> str:
    """A mock portal's URL without scheme and host (ports differ per run): path and query."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def titled(agency: str, year: int, n: int) -> str:
    return WORDINGS[n % len(WORDINGS)].format(agency=agency, year=year, cn_year=cn_year(year))


def listed(agency: str, year: int, n: int, column: str = "main", layout: str = "html", **kw) -> Listed:
    """One report with the n-th real wording of its title, published in the spring after its year."""
    rep = synthetic_report(agency, year, "2021" if year >= 2021 else "2019", scale=20)
    rep["title"] = titled(agency, year, n)
    return Listed(rep, layout=layout, published=f"{year + 1}-{1 + n % 3:02d}-{10 + n % 18:02d}", column=column, **kw)


def add_explainers(site: PlatformSite, items: list[Listed], report_paths: list[str], explainer_path_for,
                   columns: dict, every: int = 3) -> None:
    """For every ``every``-th HTML report, an explainer page (图解/一图读懂/解读) that the report page
    links and the column lists, as real 年报 columns do."""
    for i, (item, path) in enumerate(zip(items, report_paths)):
        if i % every or item.layout != "html" or path not in site.resources:
            continue
        r = item.report
        title = EXPLAINERS[(i // every) % len(EXPLAINERS)].format(title=item.title, agency=r["agency"], year=r["year"])
        epath = explainer_path_for(i)
        body = (f"<p>{htmllib.escape(r['agency'])}{r['year']}年政府信息公开工作情况一图读懂。</p>"
                f'<p><img src="/images/tj_{i}.png" alt="{htmllib.escape(title)}"></p>'
                f'<p>原文链接：<a href="{path}">{htmllib.escape(item.title)}</a></p>')
        site.add(epath, Resource(page_html(title, item.published, body, column="政策解读").encode()))
        res = site.resources[path]
        link = f'<div class="xgjd">相关解读：<a href="{epath}" target="_blank">{htmllib.escape(title)}</a></div>'
        res.body = res.body.replace(b'<div class="footer">', link.encode() + b'<div class="footer">', 1)
        # the site menu's 政策解读 column sits on every page: it explains no report
        res.body = res.body.replace(b'<a href="/hdjl/">', b'<a href="/zcjd/index.html">\xe6\x94\xbf\xe7\xad\x96\xe8\xa7\xa3\xe8\xaf\xbb</a> | <a href="/hdjl/">', 1)
        site.explainer_paths[epath] = path
        columns.setdefault(item.column, []).append((epath, title, item.published))


def add_lookalikes(site: PlatformSite, county: str, year: int, path_for, columns: dict, column: str = "main") -> None:
    for j, tmpl in enumerate(EXTRA_LOOKALIKES):
        t = tmpl.format(county=county, y=year)
        path = path_for(j)
        site.add(path, Resource(page_html(t, f"{year}-12-0{j + 1}", f"<p>{t}。</p>").encode()))
        columns.setdefault(column, []).insert(j + 1, (path, t, f"{year}-12-0{j + 1}"))


def nav_page(title: str, links: list[tuple[str, str]], extra: str = "") -> str:
    """A hub page: its links in a side menu, as 政务公开/政府信息公开 pages show them."""
    return list_html(title, [], extra=extra, sub_columns=links)


def navigation(site: PlatformSite, county: str, chain: list[tuple[str, str, list[tuple[str, str]]]]) -> None:
    """The home page and the hubs under it. ``chain`` is [(path, title, links)] from the home page
    down; each level's links include the next level and a few that lead elsewhere."""
    noise = [("/xwzx/index.html", "新闻中心"), ("/bsfw/index.html", "政务服务"), ("/hdjl/index.html", "互动交流"),
             ("/xwzx/2024/gzbg.html", f"{county}2024年政府工作报告"), ("/search/index.html", "站内搜索")]
    for path, title, links in chain:
        site.html(path, nav_page(title, links + (noise if path == site.home_path else noise[:2])))
    site.html("/xwzx/index.html", list_html("新闻中心", [("/xwzx/2024/gzbg.html", f"{county}2024年政府工作报告", "2024-01-20")]))
    site.html("/xwzx/2024/gzbg.html", page_html(f"{county}2024年政府工作报告", "2024-01-20", "<p>政府工作报告全文。</p>"))
    site.html("/bsfw/index.html", list_html("政务服务", []))
    site.html("/hdjl/index.html", list_html("互动交流", []))
    site.robots = ROBOTS


def panel(county: str, units: dict[str, list[str]], years: list[int]) -> list[Listed]:
    """Reports of the county government and its units for ``years``, in every title wording;
    ``units`` maps a column key to the agencies published there. One report (a PDF) sits under
    a path robots.txt disallows, one is a PDF attachment (DOCX and the other layouts are the
    family mocks' concern: tests/test_crawl_families.py)."""
    items, n = [], 0
    for column, agencies in units.items():
        for agency in agencies:
            for year in years:
                layout = "pdf" if n == 4 else "html"
                items.append(listed(agency, year, n, column=column, layout=layout))
                n += 1
    items.append(listed(f"{county}公安局", years[-1], n, column=next(iter(units)), disallowed=True))
    return items
