"""The report spider: list pages → report pages → attachments, every step archived.

A list page's entries are kept when their title reads as an annual disclosure report (and, with
``year``, names that year); its pagination and its sub-columns (部门年报, 乡镇街道年报 …) are
followed by the CMS family's rules. A report page's attachments are fetched one after another
and handed to the pipeline together with the page.
"""
from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse

from .. import recognize
from ..antibot import challenge_reason
from ..archive import get_archive, request_meta
from ..attachments import AttachmentChainMixin
from ..families import FAMILIES, detect
from ..middlewares import AlreadyArchived, HostDeferred, RedirectLoop
from ..policy import PolicyMixin, Refused, link_url, scheme_of
from ..resume import in_flight_requests

ATTACHMENT = re.compile(r"\.(pdf|docx?|wps|xlsx?|ofd|txt|rtf)(?:[?#]|$)|downfile\.jsp|download\.jsp|/download/|attachment", re.I)
_DISPOSITION_NAME = re.compile(r"""filename\*?=(?:UTF-8'')?["']?([^"';]+)""", re.I)


class ReportSpider(AttachmentChainMixin, PolicyMixin, scrapy.Spider):
    name = None  # abstract: the concrete spiders (reports, discover, one per source) name themselves
    family: str | None = None  # a CMS family name; detected per page when None
    source: dict | None = None  # the configured source this spider crawls, if any
    start_urls: list[str] = []
    custom_settings: dict = {}

    def __init__(self, start_url=None, year=None, family=None, max_pages=None, **kwargs):
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
        self.columns_paged: set = set()  # columns whose every page was requested (families that can)
        self.nianbao_args = {"start_url": self.start_urls, "year": self.year, "family": self.family}

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
            req = self.within_budget(scrapy.Request(url, callback=self.parse_list, errback=self.on_error, meta=self._meta("list")))
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
            self.crawler.stats.inc_value("nianbao/list_pages_over_budget")
            return None
        self.list_requested.add(key)
        return request

    def on_error(self, failure):
        request = failure.request
        reason = f"{failure.type.__name__}: {failure.getErrorMessage()}".strip(": ")
        if failure.check(AlreadyArchived):
            return self._continue_chain(request)
        if failure.check(Refused, HostDeferred, RedirectLoop):
            reason = failure.getErrorMessage()  # recorded by the middleware that refused it
        elif failure.check(IgnoreRequest):
            if "robots" in reason.lower():
                reason = "skipped: robots.txt disallows this URL"
            else:
                reason = f"gave up: {failure.getErrorMessage()}"
        response = getattr(failure.value, "response", None)
        if response is not None and not failure.check(HostDeferred):
            reason = f"HTTP {response.status}"
        archive = get_archive(self.crawler)
        if response is None:
            archive.failure(request, reason, request_meta(request))
        for url in request.meta.get("redirect_urls", []):  # the link that led here fails with it
            archive.failure(request.replace(url=url), reason, request_meta(request))
        self.crawler.stats.inc_value(f"nianbao/error/{request.meta.get('role', 'other')}")
        return self._continue_chain(request, reason)

    # -- list pages ---------------------------------------------------------------------------

    def family_rules(self, response):
        name = self.family or (self.source or {}).get("family") or detect(response)
        return FAMILIES[name]

    def parse_list(self, response):
        if not isinstance(response, TextResponse):
            return
        self.list_pages += 1
        rules = self.family_rules(response)
        for entry in rules.list_entries(self, response):
            kind = recognize.classify(entry.title)
            if kind != recognize.REPORT:
                if kind == recognize.LOOKALIKE:
                    self.crawler.stats.inc_value("nianbao/lookalikes_skipped")
                continue
            year = recognize.title_year(entry.title)
            if self.year and year and year != self.year:
                self.crawler.stats.inc_value("nianbao/other_years_skipped")
                continue
            meta = self._meta("report", parent_url=response.url, list_title=entry.title, list_date=entry.date)
            req = self.follow_link(entry.url, callback=self.parse_report, errback=self.on_error, meta=meta)
            if req:
                yield req
        for nxt in rules.next_list_pages(self, response):
            meta = self._meta("list", parent_url=response.url)
            if isinstance(nxt, str):
                nxt = self.follow_link(nxt, meta=meta)
            nxt = nxt and self.within_budget(nxt.replace(callback=self.parse_list, errback=self.on_error, meta={**meta, **nxt.meta}))
            if nxt:
                yield nxt
        for url in self.sub_columns(response):
            req = self.follow_link(url, callback=self.parse_list, errback=self.on_error, meta=self._meta("list", parent_url=response.url))
            if req and self.within_budget(req):
                yield req

    def sub_columns(self, response) -> list[str]:
        """Links to further report columns of the same portal (部门年报, 乡镇街道年报 …)."""
        host = urlsplit(response.url).netloc
        out = []
        for a in response.css("a[href]"):
            text = (a.attrib.get("title") or "".join(a.css("::text").getall())).strip()
            if recognize.is_column_link(text):
                url = link_url(response.url, a.attrib["href"])
                if urlsplit(url).netloc == host and url != response.url:
                    out.append(url)
        return out

    # -- report pages and attachments ---------------------------------------------------------

    def parse_report(self, response):
        reason = challenge_reason(response.status, response.body)
        if reason:
            self.crawler.stats.inc_value("nianbao/challenges")
            return  # recorded by the archive; not a report
        page = self._doc(response)
        self.note_redirects(response)
        attachments = self._attachment_links(response)
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
        yield from self._next_attachment(item, attachments)

    def _attachment_links(self, response) -> list[str]:
        if not isinstance(response, TextResponse):
            return []
        out = []
        for a in response.css("a[href]"):
            href = a.attrib["href"].strip()
            if href.startswith("#") or not ATTACHMENT.search(href):
                continue
            url = link_url(response.url, href)
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
