"""Pictures of a report page worth fetching: its tables, when they were published as images.

County and township portals often paste the statistics tables (or every page of a scanned report)
into the article as ``<img>``, or link the picture files. They are fetched and archived like
attachments only when the page's own HTML lacks the tables (no cell names the table 三 rows), so
report pages with real tables cost no extra requests. Decoration (logos, QR codes, share icons) is
recognised by the words in ``extract/data/ocr.toml``.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

from extract.ocr.settings import settings

# words of table 三's cells: present in every report page whose tables are HTML
_TABLE_WORDS = ("本年新收", "自然人", "予以公开")
_PICTURE_FILE = re.compile(r"\.(png|jpe?g|gif|bmp)(?:[?#]|$)", re.I)


def picture_links(response, limit: int | None = None) -> list[str]:
    """Addresses of the pictures of a report page whose tables are not HTML, in page order."""
    cells = " ".join(response.css("td ::text, th ::text").getall())
    if any(w in cells for w in _TABLE_WORDS):
        return []
    deco = re.compile(settings()["detect"]["decoration"], re.I)
    limit = limit or settings()["limits"]["max_images"]
    out: list[str] = []
    for img in response.css("img"):
        src = (img.attrib.get("src") or img.attrib.get("data-src") or "").strip()
        where = " ".join((src, img.attrib.get("class", ""), img.attrib.get("id", "")))
        if src and not src.startswith("data:") and not deco.search(where):
            out.append(urljoin(response.url, src))
    for a in response.css("a[href]"):
        href = a.attrib["href"].strip()
        if _PICTURE_FILE.search(href) and not deco.search(href):
            out.append(urljoin(response.url, href))
    seen: list[str] = []
    for u in out:
        if u not in seen and u != response.url:
            seen.append(u)
    return seen[:limit]
