"""``--render``: load a page in a real browser, as a visitor's browser loads it.

Opt-in, and only for the pages that need it: a list page whose entries appear only after its
JavaScript runs, or an anti-bot challenge page (a script that sets a cookie and reloads; the
browser runs it as it would for any visitor — the crawler never computes or forges the cookie).
scrapy-playwright drives the system Chromium (Debian's ``chromium``; Playwright's own browser
download does not work everywhere), through Scrapy's downloader, so the page request itself
keeps the crawl's rate limits, robots.txt check and archive. What the browser then requests on
its own is filtered here: images, fonts and media are not fetched, a request the crawl's scheme
and host policy refuses (crawler/policy.py: http(s) only, the portal's hosts) is aborted, and so is
a document or XHR request to a host whose robots.txt disallows it.
"""
from __future__ import annotations

import os
import shutil

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
_SKIPPED_RESOURCES = {"image", "media", "font"}
_crawler = None  # the crawl whose robots.txt parsers the browser's own requests are checked against


def chromium_path() -> str | None:
    env = os.environ.get("NIANBAO_CHROMIUM")
    if env:
        return env
    for c in CHROMIUM_CANDIDATES:
        if os.path.exists(c):
            return c
    return shutil.which("chromium")


def settings(user_agent: str) -> dict:
    """Scrapy settings that route requests marked ``playwright`` through Chromium."""
    try:
        import scrapy_playwright  # noqa: F401
    except ImportError as e:
        raise RuntimeError("--render needs scrapy-playwright: pip install 'nianbao[render]'") from e
    exe = chromium_path()
    if not exe:
        raise RuntimeError("--render needs Chromium: apt-get install chromium (or set NIANBAO_CHROMIUM)")
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": exe, "headless": True,
                                      "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]},
        "PLAYWRIGHT_CONTEXTS": {"default": {"user_agent": user_agent, "java_script_enabled": True}},
        "PLAYWRIGHT_ABORT_REQUEST": "crawler.render.abort_request",
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 2,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": 30000,
    }


def request_meta() -> dict:
    """Meta for a request to be loaded in the browser: wait until the page's own requests settle."""
    from scrapy_playwright.page import PageMethod

    return {"playwright": True, "rendered": True, "handle_httpstatus_all": True,
            "playwright_page_methods": [PageMethod("wait_for_load_state", "networkidle")]}


def needs_javascript(response) -> bool:
    """A page that lists nothing but carries scripts may list its entries from them."""
    return b"<script" in response.body.lower()


def register(crawler) -> None:
    global _crawler
    _crawler = crawler


def _robots_parsers() -> dict:
    if _crawler is None or _crawler.engine is None:
        return {}
    from .middlewares import RobotsTxtMiddleware

    for mw in _crawler.engine.downloader.middleware.middlewares:
        if isinstance(mw, RobotsTxtMiddleware):
            return mw._parsers
    return {}


def abort_request(request) -> bool:
    """Whether the browser must not make one of its own requests (PLAYWRIGHT_ABORT_REQUEST)."""
    from urllib.parse import urlsplit

    if request.resource_type in _SKIPPED_RESOURCES:
        return True
    parts = urlsplit(request.url)
    if parts.scheme in ("data", "blob", "about"):
        return False  # the page's own inline content, nothing is fetched
    if _crawler is not None and _crawler.spider is not None:
        from .policy import hosts_for, refusal

        if refusal(request.url, hosts_for(_crawler.spider)):  # the crawl's scheme and host policy holds here too
            _crawler.stats.inc_value("nianbao/render_refused")
            return True
    if parts.scheme not in ("http", "https"):
        return True
    parser = _robots_parsers().get(parts.netloc)
    if parser is None or not hasattr(parser, "allowed"):
        # robots.txt of that host not read by the crawl: documents and data requests wait for it
        return request.resource_type in ("document", "xhr", "fetch") and not request.is_navigation_request()
    ua = _crawler.settings.get("USER_AGENT", "") if _crawler else ""
    if not parser.allowed(request.url, ua):
        if _crawler is not None:
            _crawler.stats.inc_value("nianbao/render_robots_blocked")
        return True
    return False
