"""What the crawl may ever request: one scheme and host policy for links, redirects and start URLs.

Only ``http``/``https`` are requested: Scrapy would otherwise read ``file://`` URLs from the local
disk and decode ``data:`` URLs into "responses" (its default DOWNLOAD_HANDLERS), so a portal page
could make the crawl archive local files. ``javascript:``, ``vbscript:``, ``tel:``, ``mailto:``
… are not addresses at all (and raise ``ValueError: Missing scheme`` in ``scrapy.Request``).

Only a portal's own hosts are requested: the hosts of its configured start URLs (and any hosts a
source lists under ``hosts`` or the ``NIANBAO_ALLOWED_HOSTS`` setting names) and their
subdomains, where ``www.`` does not count (``www.x.gov.cn`` owns ``x.gov.cn`` and
``files.x.gov.cn``). A link or redirect elsewhere is recorded in ``documents`` with the reason and
not followed (compare Scrapy's OffsiteMiddleware, which drops such requests with a debug line).
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from scrapy.exceptions import IgnoreRequest

SAFE_SCHEMES = ("http", "https")
# WHATWG URL parsing strips leading/trailing C0 controls and spaces and drops tabs and newlines
# anywhere, which is how ``java\tscript:`` and `` JavaScript:`` still run in a browser.
_STRIP = "".join(chr(c) for c in range(0x21))
_TAB_NL = re.compile(r"[\t\n\r]")


class Refused(IgnoreRequest):
    """A request the policy does not allow: recorded with its reason, never sent."""


def clean_href(href: str) -> str:
    return _TAB_NL.sub("", (href or "").strip(_STRIP))


def link_url(base: str, href: str) -> str:
    """The absolute URL a link points to, as a browser would resolve it."""
    return urljoin(base, clean_href(href))


def page_url(url: str, response) -> str:
    """A link's URL as a browser sends it from this page: the query percent-encoded in the page's
    own encoding, the path in UTF-8 (WHATWG URL Standard, "query state": a document's URLs use
    its encoding). A GBK portal's ``view.jsp?title=年报`` is ``title=%C4%EA%B1%A8``; Scrapy's
    ``Request(url)`` would send UTF-8 bytes the server does not recognise."""
    from w3lib.url import safe_url_string

    encoding = getattr(response, "encoding", None) or "utf-8"
    if url.isascii() or scheme_of(url) not in SAFE_SCHEMES:
        return url
    try:
        return safe_url_string(url, encoding=encoding)
    except (LookupError, UnicodeError, ValueError):
        return url


def scheme_of(url: str) -> str:
    m = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", clean_href(url))
    return m.group(1).lower() if m else ""


def site_root(host: str) -> str:
    """The part of a host name that owns its subdomains: ``www.x.gov.cn`` → ``x.gov.cn``."""
    host = (host or "").lower().rstrip(".")
    if host.startswith("www.") and "." in host[4:]:
        host = host[4:]
    return host


class HostPolicy:
    """The portal's hosts (and their subdomains); IP addresses match only themselves."""

    def __init__(self, urls_or_hosts=()):
        self.roots: set[str] = set()
        for u in urls_or_hosts:
            self.add(u)

    def add(self, url_or_host: str) -> None:
        host = urlsplit(url_or_host).hostname if "//" in url_or_host else url_or_host.split(":")[0]
        if host:
            self.roots.add(site_root(host))

    def allows(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        if not host:
            return False
        return any(host == r or (host.endswith("." + r) and not _is_ip(r)) for r in self.roots)


def _is_ip(host: str) -> bool:
    return bool(re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host))


def refusal(url: str, hosts: HostPolicy | None) -> str | None:
    """Why ``url`` must not be requested, or None when it may be."""
    scheme = scheme_of(url)
    if scheme not in SAFE_SCHEMES:
        what = f"{scheme}:" if scheme else "no scheme"
        return f"refused: {what} link (only http and https are ever requested)"
    if hosts is not None and hosts.roots and not hosts.allows(url):
        host = urlsplit(url).hostname or "?"
        return f"off-site: {host} is not one of the portal's hosts ({', '.join(sorted(hosts.roots))}); not followed"
    return None


def hosts_for(spider) -> HostPolicy:
    """The spider's portal hosts: its start URLs, its source's ``hosts``, NIANBAO_ALLOWED_HOSTS."""
    policy = getattr(spider, "nianbao_hosts", None)
    if policy is None:
        urls = list(getattr(spider, "start_urls", []) or [])
        source = getattr(spider, "source", None) or {}
        urls += list(source.get("start_urls", [])) + list(source.get("hosts", []))
        crawler = getattr(spider, "crawler", None)
        if crawler is not None:
            urls += crawler.settings.getlist("NIANBAO_ALLOWED_HOSTS")
        policy = HostPolicy(urls)
        spider.nianbao_hosts = policy
    return policy


class PolicyMiddleware:
    """First downloader middleware: every request (links, redirect hops, retries, resumed
    requests from a JOBDIR) passes here before anything is sent."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        spider = spider or self.crawler.spider
        reason = refusal(request.url, hosts_for(spider))
        if reason is None:
            return None
        from .archive import get_archive, request_meta

        kind = "scheme" if reason.startswith("refused") else "offsite"
        self.crawler.stats.inc_value(f"nianbao/refused/{kind}")
        get_archive(self.crawler).failure(request, reason, request_meta(request))
        raise Refused(reason)


class PolicyMixin:
    """For spiders: a link becomes a request only when the policy allows it; otherwise it is
    recorded in ``documents`` with the reason (a report-titled ``JavaScript:`` link no longer
    raises and takes the rest of its list page with it)."""

    def follow_link(self, url: str, **kwargs):
        import scrapy

        meta = kwargs.get("meta") or {}
        reason = refusal(url, hosts_for(self))
        if reason is None:
            try:
                return scrapy.Request(url, **kwargs)
            except (ValueError, TypeError) as e:
                reason = f"refused: not a requestable address ({e})"
        self.refuse_link(url, meta, reason)
        return None

    def refuse_link(self, url: str, meta: dict, reason: str | None = None) -> None:
        from types import SimpleNamespace

        from .archive import get_archive, request_meta

        reason = reason or refusal(url, hosts_for(self)) or "refused"
        kind = "offsite" if reason.startswith("off-site") else "scheme"
        self.crawler.stats.inc_value(f"nianbao/refused/{kind}")
        stub = SimpleNamespace(url=url, meta=meta)
        get_archive(self.crawler).failure(stub, reason, request_meta(stub))
        if meta.get("role") == "attachment" and meta.get("report_url") and hasattr(self, "report_notes"):
            self.report_notes.setdefault(meta["report_url"], {}).setdefault("failed", []).append((url, reason))
