"""eportal (``/eportal/ui?pageId=…``): list pages are query strings
``/eportal/ui?pageId=P&currentPage=N&moduleId=M&staticRequest=yes``; the pager's links carry no
href, only ``onclick="queryArticleByCondition(this,'…currentPage=N…')"`` and a ``tagname``
attribute, with the page count in a hidden input (``totalpage="17"``). Reports are
``/eportal/ui?pageId=…&articleKey=…&columnId=…``.

Evidence: crawlers of customs.gov.cn and yndzj.gov.cn (``eportal/ui?pageId=…&currentPage=N&moduleId=…&staticRequest=yes``),
a PBC list parser matching ``queryArticleByCondition(this,'…')>下一页``, a generic pager reader
(``<a tagname="…" onclick="queryArticleByCondition(…)">`` with ``<input name="article_paging_list_hidden" totalpage="17">``),
and the xlgl.gov.cn report URL ``/eportal/ui?articleKey=…&columnId=…&pageId=…`` (research/portals.md).
The same pager on static easysite pages names ``…/21892-2.html`` (PBC 条法司: "page N>1 is a plain GET of
``{section}/{prefix}-{N}.html``; the prefix must be read from the tagnames, never rebuilt from moduleid").

Where to read that evidence again (the search tool's public-code index): find_string file ids
42894615691 (customs.gov.cn), 23428808773 (yndzj.gov.cn), 71132366135 (PBC list parser), 58508113972
(tagname/totalpage pager reader).
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from .generic import GenericMixin, note_stated, once

_ONCLICK = re.compile(r"""queryArticleByCondition\(\s*this\s*,\s*['"]([^'"]+)['"]""")
_TOTAL = re.compile(r"""totalpage\s*=\s*['"]?(\d+)""", re.I)
_PATH_PAGE = re.compile(r"^(.*/[\w]+)-(\d+)(\.\w+)$")
MAX_PAGES = 2000


def pager_urls(response) -> list[str]:
    """The pages the pager's ``tagname`` attributes and ``onclick`` calls name."""
    out = []
    for el in response.css("[onclick], [tagname]"):
        for raw in (el.attrib.get("tagname", ""), *(_ONCLICK.findall(el.attrib.get("onclick", "")))):
            raw = raw.strip()
            if raw and not raw.startswith(("javascript:", "#")):
                url = urljoin(response.url, raw)
                if url not in out and url != response.url:
                    out.append(url)
    return out


def page_url(template: str, n: int) -> str | None:
    """Page ``n`` of the list a pager URL belongs to: ``…currentPage=N…`` (eportal) or
    ``…/PREFIX-N.html`` (easysite static pages, PBC), the prefix read from the URL, never rebuilt."""
    parts = urlsplit(template)
    q = parse_qsl(parts.query, keep_blank_values=True)
    if any(k == "currentPage" for k, _ in q):
        return urlunsplit(parts._replace(query=urlencode([(k, str(n) if k == "currentPage" else v) for k, v in q])))
    m = _PATH_PAGE.match(parts.path)
    if m:
        return urlunsplit(parts._replace(path=f"{m.group(1)}-{n}{m.group(3)}"))
    return None


def _current(url: str) -> int:
    parts = urlsplit(url)
    cur = dict(parse_qsl(parts.query)).get("currentPage")
    if cur and cur.isdigit():
        return int(cur)
    m = _PATH_PAGE.match(parts.path)
    return int(m.group(2)) if m else 1


class EportalMixin(GenericMixin):
    family = "eportal"

    def next_list_pages(self, response) -> list[str]:
        found = pager_urls(response)
        if not found:
            return GenericMixin.next_list_pages(self, response)
        total = _TOTAL.search(response.text)
        template = next((u for u in found if page_url(u, 1)), None)
        if not total or not template:
            return found
        pages = min(int(total.group(1)), MAX_PAGES)
        column = response.meta.get("column") or response.url
        note_stated(self, column, pages, unit="pages", how="eportal totalpage")
        if not once(self, ("eportal", page_url(template, 0), pages)):
            return []
        current = _current(response.url)
        static = _PATH_PAGE.match(urlsplit(template).path) and "currentPage" not in template
        first = 2 if static else 1  # a static list's page 1 is the column's own page, not PREFIX-1.html
        return [page_url(template, n) for n in range(first, pages + 1) if n != current]
