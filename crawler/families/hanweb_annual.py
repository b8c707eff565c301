"""Hanweb 信息公开 annual-report module: one page per publishing unit and year,
``/module/xxgk/xxgkAnnualReport.jsp?area=UNIT&fbtime=YEAR``.

A unit list links each unit's page (``area=UNIT`` alone shows its latest report); the unit's other
years are reachable only through a ``<select>`` whose ``onchange`` script reloads the page with
``fbtime=YEAR``. So the column is enumerated as units × the years each unit's select offers: the
unit pages are read as lists, and each option becomes a report entry named by the page's own
title with the option's year.

Evidence: real report URLs ``kaihua.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=11330824753996260L&fbtime=2020``
and ``pinghu.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=002562728&fbtime=2024`` (research/portals.md).
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import scrapy

from .. import recognize
from .generic import Entry, note_stated, once
from .hanweb import HanwebMixin

MODULE = "xxgkAnnualReport.jsp"
_YEAR = re.compile(r"^(?:19|20)\d{2}$")


def with_query(url: str, **params) -> str:
    parts = urlsplit(url)
    q = dict(parse_qsl(parts.query, keep_blank_values=True))
    q.update({k: str(v) for k, v in params.items()})
    return urlunsplit(parts._replace(query=urlencode(q), fragment=""))


def page_title(response) -> str:
    for sel in ('meta[name="ArticleTitle"]::attr(content)', "h1::text", "title::text"):
        t = " ".join(x.strip() for x in response.css(sel).getall() if x.strip())
        if t:
            return t.split("_")[0]
    return ""


def _is_unit_page(response) -> bool:
    return MODULE in urlsplit(response.url).path


class HanwebAnnualMixin(HanwebMixin):
    """Unit pages of the module; any other page of a Hanweb site (a datastore column that also links
    the module) is read by the Hanweb rules."""

    family = "hanweb_annual"

    def list_entries(self, response) -> list[Entry]:
        if not _is_unit_page(response):
            return HanwebMixin.list_entries(self, response)
        title = page_title(response)
        shown = recognize.title_year(title)
        years: dict[str, str] = {}  # year -> its page
        for v in (x.strip() for x in response.css("select option::attr(value)").getall()):
            if _YEAR.match(v):  # onchange builds the URL from the value
                years[v] = with_query(response.url, fbtime=v)
            elif MODULE in v:  # or the option's value is the page itself
                fb = dict(parse_qsl(urlsplit(v).query)).get("fbtime", "")
                if _YEAR.match(fb):
                    years[fb] = urljoin(response.url, v)
        if shown and str(shown) not in years:
            years[str(shown)] = with_query(response.url, fbtime=shown)
        note_stated(self, response.meta.get("column") or response.url, len(years), unit="entries",
                    how="xxgkAnnualReport <select> years")
        out = []
        for y, url in sorted(years.items()):
            named = title.replace(str(shown), y, 1) if shown else f"{title}{y}年政府信息公开工作年度报告"
            out.append(Entry(named, url, None))
        return out

    def next_list_pages(self, response):
        if _is_unit_page(response):
            return []
        units = []
        for href in response.css("a::attr(href)").getall():
            if MODULE in href:
                url = urljoin(response.url, href.strip())
                parts = urlsplit(url)
                q = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "fbtime"]
                unit = urlunsplit(parts._replace(query=urlencode(q), fragment=""))  # the unit's page, whatever year a link names
                if dict(q).get("area") and unit not in units:
                    units.append(unit)
        if units and once(self, ("hanweb_annual", response.url)):
            # each unit's page is a column of its own: its years are its entries
            return [scrapy.Request(u, meta={"column": u}) for u in units] + list(HanwebMixin.next_list_pages(self, response))
        return HanwebMixin.next_list_pages(self, response)
