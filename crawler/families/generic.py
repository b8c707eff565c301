"""The fallback family: entries are the page's links; pagination is ordinary links (下一页, 尾页, 2, 3 …)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from scrapy.http import HtmlResponse, TextResponse

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
_NEXT_TEXT = re.compile(r"^(?:下一?页|后一?页|尾页|末页|>|>>|›|»|\d{1,4})$")


@dataclass
class Entry:
    title: str
    url: str
    date: str | None = None


def entries_from_anchors(anchors, base_url: str) -> list[Entry]:
    """Links with a title, and the date printed beside them (the list item's text)."""
    out, seen = [], set()
    for a in anchors:
        href = (a.attrib.get("href") or "").strip()
        if not href or href.startswith("#"):  # other schemes meet the policy (crawler/policy.py) and are recorded
            continue
        title = (a.attrib.get("title") or "").strip() or " ".join(t.strip() for t in a.css("::text").getall() if t.strip())
        if not title:
            continue
        url = urljoin(base_url, href)
        if url in seen:
            continue
        seen.add(url)
        around = " ".join(a.xpath("./ancestor::*[self::li or self::tr or self::div or self::p][1]//text()").getall())
        m = _DATE.search(around)
        date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else None
        out.append(Entry(title, url, date))
    return out


class GenericMixin:
    family = "generic"


    def list_entries(self, response) -> list[Entry]:
        if not isinstance(response, TextResponse):
            return []
        return entries_from_anchors(response.css("a[href]"), response.url)

    def next_list_pages(self, response) -> list[str]:
        """Pagination links that stay inside the column (same host, same directory)."""
        if not isinstance(response, HtmlResponse):
            return []
        base = urlsplit(response.url)
        column_dir = base.path.rsplit("/", 1)[0] + "/"
        out = []
        for a in response.css("a[href]"):
            text = "".join(a.css("::text").getall()).strip()
            if not _NEXT_TEXT.match(text):
                continue
            url = urljoin(response.url, a.attrib["href"])
            u = urlsplit(url)
            if u.netloc == base.netloc and u.path.startswith(column_dir) and url != response.url:
                out.append(url)
        return out


def note_stated(spider, column: str, n: int, unit: str, how: str) -> None:
    """Tell the spider's completeness accounting what size a list states (a no-op where it has none)."""
    hook = getattr(spider, "note_stated", None)
    if hook is not None and n is not None:
        hook(column, int(n), unit=unit, how=how)


def once(spider, key) -> bool:
    """True the first time a column's pages are listed in this crawl (keeps a crawl linear)."""
    seen = spider.__dict__.setdefault("columns_paged", set())
    if key in seen:
        return False
    seen.add(key)
    return True
