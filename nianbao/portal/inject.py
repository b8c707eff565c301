"""Faults injected into any mock portal, so every discovery path can be tried against them.

The platform mocks (:mod:`nianbao.portal.platforms`) and the family builders lay reports out as
real portals do; this module breaks chosen resources of such a site in the ways real portals
fail (issue #16): a page that is gone (404), a server that keeps failing (503 after retries), an
answer that never comes in time, a list page or JSON/POST list-API page that fails while the rest
of its pagination answers, an attachment or a table picture that fails. A list-API page is
chosen by its parameters (query string or POST form), since such pages share one path.
"""
from __future__ import annotations

import html
import re

from .site import Resource, Site

FAULTS = ("404", "503", "timeout")


def _failing(fault: str, delay: float) -> Resource:
    if fault == "404":
        return Resource(b"not found", "text/plain; charset=utf-8", status=404)
    if fault == "503":
        return Resource(b"service unavailable", "text/plain; charset=utf-8", status=503)
    if fault == "timeout":
        return Resource(b"too late", "text/plain; charset=utf-8", delay=delay)
    raise ValueError(f"unknown fault {fault!r}; known: {', '.join(FAULTS)}")


def break_resource(site: Site, key: str, fault: str, params: dict | None = None, delay: float = 3.0) -> None:
    """Make ``site.resources[key]`` answer with ``fault`` — every time, or only to requests whose
    query or form carries all of ``params`` (one page of a list API)."""
    original = site.resources.get(key)
    if not params:
        site.add(key, _failing(fault, delay))
        return
    if original is None:
        raise KeyError(key)

    def answer(method, query, form):
        if all({**query, **form}.get(k) == v for k, v in params.items()):
            return _failing(fault, delay)
        if original.handler is not None:
            return original.handler(method, query, form)
        return original

    site.add(key, Resource(handler=answer))


def linked_files(site: Site, page_key: str, pattern: str = r"\.(pdf|docx?|xlsx?|txt)$") -> list[str]:
    """Paths of this site that the page at ``page_key`` links (its attachments)."""
    body = site.resources[page_key].body.decode("utf-8", "replace")
    hrefs = [html.unescape(h) for h in re.findall(r'href="([^"]+)"', body)]
    return [h for h in hrefs if h in site.resources and re.search(pattern, h)]


def tables_as_missing_picture(site: Site, page_key: str, picture: str) -> None:
    """The report page's tables replaced by one picture of them that the site does not serve (a
    county page that pasted its tables as an image, the image since deleted)."""
    res = site.resources[page_key]
    body = re.sub(rb"<table.*?</table>", b"", res.body, flags=re.S)
    img = f'<p style="text-align:center"><img src="{picture}" alt="table"/></p>'.encode()
    res.body = body.replace(b"</h1>", b"</h1>" + img, 1)
    site.resources.pop(picture, None)
