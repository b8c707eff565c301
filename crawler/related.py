"""Pages related to a report: the 图解 / 一图读懂 / 解读 pages a report page links.

They explain the report they are linked from; the crawl stores each as a document with role
``related`` and that report's id, never as a second report (issue #15).
"""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from . import recognize

MAX_RELATED = 5


def explainer_links(response) -> list[str]:
    """Same-host links whose text (or title) names an explanation of a report."""
    host = urlsplit(response.url).netloc
    out = []
    for a in response.css("a[href]"):
        href = a.attrib["href"].strip()
        if href.startswith(("javascript:", "mailto:", "#")):
            continue
        text = (a.attrib.get("title") or "".join(a.css("::text").getall())).strip()
        if not recognize.is_explainer(text):
            continue
        url = urljoin(response.url, href)
        if urlsplit(url).netloc == host and url != response.url and url not in out:
            out.append(url)
    return out[:MAX_RELATED]
