"""A portal behind a JavaScript challenge (加速乐 / 创宇-style WAF).

Every page first answers HTTP 521 with a tiny script that sets a clearance cookie and reloads
(``<script>document.cookie=…;location.href=location.pathname+location.search</script>``, as seen
by a public seebug.org crawler; the cookie ``__jsl_clearance_s``; 412 for 创宇云防御, research/portals.md).
A browser that runs the script gets the page; a crawler without one must say it was blocked.
The cookie is set only by the page's own script: nothing in the crawler may compute or forge it.

Where to read that evidence again (the search tool's public-code index): find_string file ids
22096527546 (seebug.org crawler), 68825414406 (加速乐 request flow notes), 36113010456 (a 521 → cookie
→ retry crawler).
"""
from __future__ import annotations

from ..site import Resource
from . import liaoning
from .common import PlatformSite

COOKIE = "__jsl_clearance_s"
TOKEN = "1718590950.375|0|mockclearance"


def challenge_page() -> bytes:
    return ("<html><head><meta charset=\"utf-8\"></head><body><script>document.cookie=\"" + COOKIE + "=" + TOKEN
            + ";max-age=3600;path=/\";location.href=location.pathname+location.search</script></body></html>").encode()


def guarded(inner: Resource, status: int):
    def handler(method, query, form, headers):
        cookies = headers.get("Cookie") or headers.get("cookie") or ""
        if f"{COOKIE}={TOKEN}" not in cookies:
            return Resource(challenge_page(), "text/html; charset=utf-8", status=status)
        return inner.handler(method, query, form) if inner.handler else inner
    handler.wants_headers = True
    return Resource(handler=handler)


def build(status: int = 521) -> PlatformSite:
    """``status``: 521 as 加速乐 answers, or 412 as 创宇云防御 does."""
    site = liaoning.build()
    site.name, site.platform, site.evidence = "challenge", "generic", __doc__
    for path, res in list(site.resources.items()):
        site.resources[path] = guarded(res, status)
    return site
