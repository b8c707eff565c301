"""The report spider: list pages → report pages → attachments, every step archived.

A list page's entries are kept when their title reads as an annual disclosure report (and, with
``year``, names that year); its pagination is followed by the CMS family's rules and, whatever
the family, by the page's own pager (:mod:`crawler.pagination`); its sub-columns (部门年报,
乡镇街道年报 …) and unit entries (部门, 乡镇 names leading to their own columns) are followed
(:mod:`crawler.navigation`). A start page that is not a report column (a home page) is
discovered from instead of being read as a list. Every column's stated size is compared with
what was reached (:mod:`crawler.completeness`); anti-bot challenges are recorded per host
(``blocked: anti-bot challenge``) and, with ``render``, loaded in a real browser instead.
A report page's attachments are fetched one after another and handed to the pipeline together
with the page.
"""
from __future__ import annotations

import re
from collections import Counter
from urllib.parse import unquote, urljoin, urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, TextResponse

from .. import navigation, pagination, recognize
from .. import render as rendering
from ..antibot import challenge_reason
from ..completeness import Ledger
from ..archive import get_archive, request_meta
from ..related import explainer_links
from ..attachments import AttachmentChainMixin
from ..families import FAMILIES, detect
from ..middlewares import AlreadyArchived, HostDeferred, RedirectLoop, exception_reason
from ..policy import PolicyMixin, Refused, link_url, page_url, scheme_of
from ..resume import in_flight_requests
from ..pictures import picture_links

ATTACHMENT = re.compile(r"\.(pdf|docx?|wps|xlsx?|ofd|txt|rtf)(?:[?#]|$)|downfile\.jsp|download\.jsp|/download/|attachment", re.I)
_DISPOSITION_NAME = re.compile(r"""filename\*?=(?:UTF-8'')?["']?([^"';]+)""", re.I)


class ReportSpider(AttachmentChainMixin, PolicyMixin, scrapy.Spider):
    name = None  # abstract: the concrete spiders (reports, discover, one per source) name themselves
    family: str | None = None  # a CMS family name; detected per page when None
    source: dict | None = None  # the configured source this spider crawls, if any
    start_urls: list[str] = []
    custom_settings: dict = {}

    def __init__(self, start_url=None, year=None, family=None, max_pages=None, render=None, **kwargs):
        super().__init__(**kwargs)
        if start_url:
            self.start_urls = [u for u in re.split(r"[\s,]+", start_url) if u]
        self.year = int(year) if year else None
        if family:
            if family not in FAMILIES:
                raise ValueError(f"unknown CMS family {family!r}; known: {', '.join(FAMILIES)}")
            self.family = family
        self.max_pages = int(max_pages) if max_pages else 2000
        self.list_pages = 0
        self.list_requested: set = set()  # list requests issued, counted against max_pages
        self.over_budget: set = set()  # list requests refused by max_pages (each recorded once)
        self.columns_paged: set = set()  # columns whose every page was requested (families that can)
        self.pages_requested: set = set()  # list pages asked for from a pager (each once per crawl)
        self.fragment_urls: set = set()  # list URLs whose #fragment matters, requested once each
        self.render = str(render).lower() in ("1", "true", "yes") if render is not None else False
        self.ledger = Ledger()  # per column: stated size vs entries reached
        self.blocked: Counter = Counter()  # host -> pages answered by an anti-bot challenge
        self.hub_pages: Counter = Counter()  # host -> hub pages opened while discovering
        self.notes: list[str] = []  # what the summary line must say (e.g. a start page was a home page)
        self.js_pending: dict[str, str] = {}  # script-built list page -> its column, read through its endpoints
        self.nianbao_args = {"start_url": self.start_urls, "year": self.year, "family": self.family, "render": self.render}

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.render:
            rendering.register(crawler)  # the browser's own requests obey this crawl's robots.txt
        return spider

    # -- requests ---------------------------------------------------------------------------

    def _meta(self, role, **kw):
        meta = {"role": role, "source": (self.source or {}).get("id")}
        meta.update(kw)
        return meta

    async def start(self):
        for req in in_flight_requests(self):  # a resumed job: what was in flight when it stopped
            yield req
        for req in self.start_requests():
            yield req

    def start_requests(self):
        for url in self.start_urls:
            req = self.within_budget(scrapy.Request(url, callback=self.parse_list, errback=self.on_error,
                                                    meta=self._meta("list", start=True, column=url, how_found="start URL")))
            if req:
                yield req

    def within_budget(self, request):
        """The request, unless it is a list page beyond ``max_pages`` (counted once per URL and
        form body, whichever path asks for it: pagination, sub-columns, page counts that change)."""
        key = (request.method, request.url, request.body)
        if key in self.list_requested:
            return request  # the dupefilter drops it; it does not count twice
        if len(self.list_requested) >= self.max_pages:
            if not self.crawler.stats.get_value("nianbao/list_pages_over_budget"):
                self.logger.warning("--max-pages %d reached: further list pages are not requested", self.max_pages)
            if key not in self.over_budget:  # a page not read may list reports: recorded, and the crawl exits 1
                self.over_budget.add(key)
                self.crawler.stats.inc_value("nianbao/list_pages_over_budget")
                get_archive(self.crawler).failure(request, f"not requested: the list-page budget (--max-pages {self.max_pages}) "
                                                  "was reached", request_meta(request))
            return None
        self.list_requested.add(key)
        return request

    def list_request(self, url_or_request, callback=None, **meta):
        """A list (or navigation) page request under the crawl's policy and page budget, or None."""
        callback = callback or self.parse_list
        if isinstance(url_or_request, str):
            req = self.follow_link(url_or_request, callback=callback, errback=self.on_error, meta=meta)
        else:
            req = url_or_request.replace(callback=callback, errback=self.on_error, meta={**meta, **url_or_request.meta})
        return req and self.within_budget(req)

    def on_error(self, failure):
        request = failure.request
        reason = exception_reason(failure.value, request, self.settings)
        if failure.check(AlreadyArchived):
            yield from self._continue_chain(request)
            return
        if failure.check(Refused, HostDeferred, RedirectLoop):
            reason = failure.getErrorMessage()  # recorded by the middleware that refused it
        elif failure.check(IgnoreRequest):
            if "robots" in reason.lower():
                reason = "skipped: robots.txt disallows this URL"
            else:
                reason = f"gave up: {failure.getErrorMessage()}"
        response = getattr(failure.value, "response", None)
        if response is not None and self._is_challenge(response):
            retried = list(self._challenged(response))
            yield from retried
            if not retried:  # blocked: the report's remaining attachments are still fetched
                yield from self._continue_chain(request, f"blocked: anti-bot challenge (HTTP {response.status})")
            return
        if response is not None and not failure.check(HostDeferred):
            reason = f"HTTP {response.status}"
        archive = get_archive(self.crawler)
        if response is None:
            archive.failure(request, reason, request_meta(request))
        for url in request.meta.get("redirect_urls", []):  # the link that led here fails with it
            archive.failure(request.replace(url=url), reason, request_meta(request), hop=True)
        self.crawler.stats.inc_value(f"nianbao/error/{request.meta.get('role', 'other')}")
        yield from self._continue_chain(request, reason)

    # -- list pages ---------------------------------------------------------------------------

    def family_rules(self, response):
        name = self.family or (self.source or {}).get("family") or detect(response)
        return FAMILIES[name]

    def parse_list(self, response):
        yield from self._dedupe_fragments(self._parse_list(response))

    def parse_home(self, response, depth_left=None):
        """Discovery: take the page's column links, follow its best hub links (breadth-limited)."""
        yield from self._dedupe_fragments(self._parse_home(response, depth_left))

    def _dedupe_fragments(self, results):
        for r in results:
            if isinstance(r, scrapy.Request) and r.meta.get("role") in ("list", "home"):
                r = self._fragment_aware(r)
                if r is None:
                    continue
            yield r

    def _parse_list(self, response):
        if not isinstance(response, TextResponse):
            return
        if self._is_challenge(response):
            yield from self._challenged(response)
            return
        self.list_pages += 1
        meta = response.meta if response.request is not None else {}
        column = meta.get("column") or response.url
        rules = self.family_rules(response)
        entries = rules.list_entries(self, response)
        pager = pagination.find_pager(response.text, response.url,
                                      response.selector if isinstance(response, HtmlResponse) else None)
        nav = navigation.links(response) if isinstance(response, HtmlResponse) else []
        n_reports = sum(1 for e in entries if recognize.classify(e.title) == recognize.REPORT)
        depth = meta.get("unit_depth", 0)
        units = (navigation.unit_links(response) if isinstance(response, HtmlResponse)
                 and depth < navigation.rules()["unit"]["max_depth"] else [])
        family_pages = list(rules.next_list_pages(self, response))
        if meta.get("start"):
            # a platform fast path that pages the list (a JS shell fed by an API) knows it is a column
            # so does a page whose script names the endpoint its list comes from (Requests, not links)
            paged = bool(pager.pages) or (rules.family != "generic" and bool(family_pages)) or any(
                isinstance(p, scrapy.Request) for p in family_pages)
            if not navigation.is_report_column(response.url, n_reports, paged, bool(units), nav):
                # a home page given as a column would silently yield a fraction: discover from it
                if self.name != "discover":
                    self.notes.append(f"{response.url} is not a report column: its columns were discovered from it")
                self.crawler.stats.inc_value("nianbao/start_pages_discovered")
                yield from self._parse_home(response)
                return
        listed, reports, columns_in_list = set(), 0, []
        for entry in entries:
            kind = recognize.classify(entry.title)
            is_column = kind == recognize.COLUMN  # 政府信息公开年报 in a side menu: a list, not a report
            if (kind != recognize.OTHER and not is_column) or entry.date:
                listed.add(entry.url)
            if is_column:
                columns_in_list.append(entry.url)  # 政府信息公开年报 in a side menu: a list, not a report
                continue
            if kind != recognize.REPORT:
                if kind == recognize.LOOKALIKE:
                    self.crawler.stats.inc_value("nianbao/lookalikes_skipped")
                continue
            reports += 1
            year = recognize.title_year(entry.title)
            if self.year and year and year != self.year:
                self.crawler.stats.inc_value("nianbao/other_years_skipped")
                continue
            req = self.report_request(entry, response, column)
            if req is not None:
                yield req
        self.ledger.page(column, response.url, listed, reports)
        self.ledger.stated(column, pager.stated_entries, pager.stated_pages, pager.size_how)
        col = self.ledger.column(column)
        col.how_found = col.how_found or meta.get("how_found")
        col.family = col.family or rules.family
        # list endpoints the page's script names (crawler/pagination.py) may or may not bring its entries
        endpoint_only = bool(family_pages) and all(isinstance(p, scrapy.Request) and p.meta.get("endpoint") for p in family_pages)
        if (not listed and (not family_pages or endpoint_only) and not meta.get("rendered") and not meta.get("unit")
                and rendering.needs_javascript(response)):
            if self.render:
                yield self._rendered(response)  # the list is built by JavaScript: load it as a browser does
                if not endpoint_only:
                    return
            elif endpoint_only:
                self.js_pending[response.url] = column  # said at the end if its endpoints brought nothing
            else:
                self.notes.append(f"{response.url} lists nothing without JavaScript; --render loads it in a browser")
        list_meta = self._meta("list", parent_url=response.url, column=column)
        for nxt in family_pages:
            req = self.list_request(nxt, **list_meta)
            if req is not None:
                if req.method == "GET":
                    self.pages_requested.add(req.url)
                yield req
        if family_pages:
            col.mechanism = col.mechanism or pager.mechanism or f"{rules.family} family"
        if pager.pages:  # whatever the family, the page's own pager: pages it did not ask for
            col.mechanism = col.mechanism or pager.mechanism
            for url in pager.pages:
                if url != response.url and url not in self.pages_requested:
                    self.pages_requested.add(url)
                    req = self.list_request(url, **list_meta)
                    if req is not None:
                        yield req
        trail = meta.get("how_found") or "start URL"
        for url in dict.fromkeys(self.sub_columns(response) + columns_in_list):
            req = self.list_request(url, **self._meta("list", parent_url=response.url, column=url, how_found=f"{trail} → sub-column"))
            if req is not None:
                yield req
        if depth == 0:  # 乡镇信息公开 in a column's side menu: a page listing the towns, each with its own column
            for link in nav:
                if link.role == "unit_hub":
                    req = self._unit_hub_request(link, response, trail)
                    if req is not None:
                        yield req
        for link in units:
            req = self.list_request(link.url, **self._meta("list", parent_url=response.url, column=link.url, unit=True,
                                                           unit_depth=depth + 1, how_found=f"{trail} → unit {link.text}"))
            if req is not None:
                yield req
        if meta.get("unit") and not listed and not units and not self.sub_columns(response):
            # a unit's own 信息公开 page: find its 年报 column there, one step deep
            yield from self._parse_home(response, depth_left=1)

    def report_request(self, entry, response, column: str):
        """The request for a report listed in ``column`` (``probe`` counts it instead)."""
        rmeta = self._meta("report", parent_url=response.url, list_title=entry.title, list_date=entry.date)
        return self.follow_link(page_url(entry.url, response), callback=self.parse_report, errback=self.on_error, meta=rmeta)

    def _parse_home(self, response, depth_left=None):
        if not isinstance(response, HtmlResponse):
            return
        if self._is_challenge(response):
            yield from self._challenged(response)
            return
        r = navigation.rules()["hub"]
        meta = response.meta if response.request is not None else {}
        depth = meta.get("depth_left", r["max_depth"]) if depth_left is None else depth_left
        trail = meta.get("how_found") or "home page"
        host = urlsplit(response.url).netloc
        hubs = 0
        for link in navigation.links(response):
            req = None
            if link.role == "column":
                self.crawler.stats.inc_value("nianbao/columns_found")
                req = self.list_request(link.url, **self._meta("list", parent_url=response.url, column=link.url,
                                                               how_found=f"{trail} → {link.text}"))
            elif link.role == "unit_hub":
                req = self._unit_hub_request(link, response, trail)
            elif depth > 0 and hubs < r["max_per_page"] and self.hub_pages[host] < r["max_hub_pages"]:
                hubs += 1
                self.hub_pages[host] += 1
                req = self.list_request(link.url, callback=self.parse_home,
                                        **self._meta("home", parent_url=response.url, depth_left=depth - 1,
                                                     how_found=f"{trail} → {link.text}"))
            if req is not None:
                yield req

    def _fragment_aware(self, request):
        """Scrapy's dupefilter ignores #fragments, so two catalogue categories (``index#2735``,
        ``index#2736``) would be one request: such URLs are deduplicated here instead."""
        if "#" not in request.url:
            return request
        if request.url in self.fragment_urls:
            return None
        self.fragment_urls.add(request.url)
        return request.replace(dont_filter=True)

    def _unit_hub_request(self, link, response, trail):
        return self.list_request(link.url, **self._meta("list", parent_url=response.url, column=link.url, unit_hub=True,
                                                        how_found=f"{trail} → {link.text}"))

    def sub_columns(self, response) -> list[str]:
        """Links to further report columns of the same portal (部门年报, 乡镇街道年报 …)."""
        if not isinstance(response, HtmlResponse):
            return []  # a JSON or XML list answer links no columns
        host = urlsplit(response.url).netloc
        out = []
        for a in response.css("a[href]"):
            text = (a.attrib.get("title") or "".join(a.css("::text").getall())).strip()
            if recognize.is_column_link(text):
                url = navigation.link_url(response.url, a.attrib["href"])
                if urlsplit(url).netloc == host and url != response.url:
                    out.append(url)
        return out

    # -- anti-bot challenges and rendering ------------------------------------------------------

    @staticmethod
    def _is_challenge(response) -> bool:
        """A challenge page; a page the browser rendered is judged by what it shows, not by the
        status of its first answer (the challenge's 521 before the script reloaded it)."""
        rendered = response.request is not None and response.meta.get("rendered")
        return bool(challenge_reason(200 if rendered else response.status, response.body))

    def _challenged(self, response):
        """A page whose script sets a cookie and reloads: with ``render`` a real browser loads it
        as a visitor's would (once); otherwise, or if it is still a challenge, the host is blocked."""
        if self.render and not (response.request is not None and response.meta.get("rendered")):
            yield self._rendered(response)
            return
        host = urlsplit(response.url).netloc
        self.blocked[host] += 1
        self.crawler.stats.inc_value("nianbao/challenges")
        get_archive(self.crawler).failure(response.request, f"blocked: anti-bot challenge at {host} (HTTP {response.status})",
                                          request_meta(response.request))

    def _rendered(self, response):
        self.crawler.stats.inc_value("nianbao/rendered")
        req = response.request
        return req.replace(dont_filter=True, meta={**req.meta, **rendering.request_meta()},
                           callback=req.callback or self.parse_list, errback=self.on_error)

    def note_stated(self, column: str, n: int, unit: str = "entries", how: str | None = None) -> None:
        """A family's hook: the size a list states (a JSON API's total, a trsapi recordCount …)."""
        if unit == "pages":
            self.ledger.stated(column, pages=n, how=how)
        else:
            self.ledger.stated(column, entries=n, how=how)

    def nianbao_run_extras(self, archive) -> dict:
        """Written with the run's ``crawl_runs`` row: per-column completeness, blocked hosts."""
        for url, column in self.js_pending.items():
            if not self.ledger.column(column).entries:
                self.notes.append(f"{url} lists nothing without JavaScript; --render loads it in a browser")
        rows = [c.row(archive.run_id) for c in self.ledger.columns.values()]
        if rows:
            with archive.db.conn:
                archive.db["crawl_columns"].upsert_all(rows, pk=("run_id", "column_url"))
        short = self.ledger.summary()
        blocked = "; ".join(f"{h} ({n} pages)" for h, n in self.blocked.items())
        stats = self.crawler.stats
        stats.set_value("nianbao/shortfall", sum(c.shortfall for c in self.ledger.shortfalls()))
        if short:
            stats.set_value("nianbao/shortfall_summary", short)
        if blocked:
            stats.set_value("nianbao/blocked_hosts", blocked)
        if self.notes:
            stats.set_value("nianbao/notes", " | ".join(self.notes))
        return {"shortfall": stats.get_value("nianbao/shortfall"), "shortfall_summary": short, "blocked": blocked or None}

    # -- report pages and attachments ---------------------------------------------------------

    def parse_report(self, response):
        reason = self._is_challenge(response)
        if reason:
            yield from self._challenged(response)
            return  # recorded by the archive; not a report
        page = self._doc(response)
        self.note_redirects(response)
        attachments = self._attachment_links(response)
        if isinstance(response, TextResponse) and self.settings.getbool("NIANBAO_OCR", True):
            # tables published as pictures: fetched and archived like attachments (crawler/pictures.py)
            attachments += [u for u in picture_links(response) if u not in attachments]
        item = {
            "url": response.url,
            "page": page,
            "attachments": [],
            "title": response.meta.get("list_title"),
            "published_date": response.meta.get("list_date"),
            "source": (self.source or {}).get("id"),
            "agency": (self.source or {}).get("agency"),
            "place": {k: (self.source or {}).get(k) for k in ("level", "province", "city", "county", "admin_code")},
        }
        related = [u for u in explainer_links(response) if u not in attachments] if isinstance(response, TextResponse) else []  # 图解/解读: documents of this report
        item["related"] = []
        yield from self._next_attachment(item, attachments + [(u, "related") for u in related])

    def _attachment_links(self, response) -> list[str]:
        if not isinstance(response, TextResponse):
            return []
        out = []
        for a in response.css("a[href]"):
            href = a.attrib["href"].strip()
            if href.startswith("#") or not ATTACHMENT.search(href):
                continue
            url = page_url(link_url(response.url, href), response)
            if scheme_of(url) not in ("http", "https"):
                self.refuse_link(url, self._meta("attachment", parent_url=response.url, report_url=response.url))
                continue
            if url not in out and url != response.url:
                out.append(url)
        return out[:10]

    def _doc(self, response) -> dict:
        d = response.meta.get("nianbao_document") or {}
        ct = response.headers.get(b"Content-Type")
        disp = response.headers.get(b"Content-Disposition")
        filename = None
        if disp:
            m = _DISPOSITION_NAME.search(disp.decode("latin-1"))
            if m:
                raw = m.group(1)
                try:
                    filename = unquote(raw.encode("latin-1").decode("utf-8"))
                except UnicodeDecodeError:
                    filename = raw.encode("latin-1").decode("gb18030", "replace")
        if not filename:
            filename = unquote(urlsplit(response.url).path.rsplit("/", 1)[-1])
        return {
            "url": response.url,
            "body": response.body,
            "content_type": ct.decode("latin-1") if ct else None,
            "sha256": d.get("sha256"),
            "fetched_at": d.get("fetched_at"),
            "archive": f"{d['warc_file']}#{d['warc_offset']}" if d.get("warc_file") else None,
            "filename": filename,
        }
