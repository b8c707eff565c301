"""eportal (``/eportal/ui?pageId=…``): list pages are query strings
``/eportal/ui?pageId=P&currentPage=N&moduleId=M&staticRequest=yes``; the pager's links carry no
href, only ``onclick="queryArticleByCondition(this,'…currentPage=N…')"`` and a ``tagname``
attribute, with the page count in a hidden input (``totalpage="17"``). Reports are
``/eportal/ui?pageId=…&articleKey=…&columnId=…``.

Evidence: crawlers of customs.gov.cn and yndzj.gov.cn (``eportal/ui?pageId=…&currentPage=N&moduleId=…&staticRequest=yes``),
a PBC list parser matching ``queryArticleByCondition(this,'…')>下一页``, a generic pager reader
(``<a tagname="…" onclick="queryArticleByCondition(…)">`` with ``<input name="article_paging_list_hidden" totalpage="17">``),
and the xlgl.gov.cn report URL ``/eportal/ui?articleKey=…&columnId=…&pageId=…`` (research/portals.md).

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
MAX_PAGES = 2000


def pager_urls(response) -> list[str]:
    out = []
    for el in response.css("[onclick], [tagname]"):
        for raw in (el.attrib.get("tagname", ""), *(_ONCLICK.findall(el.attrib.get("onclick", "")))):
            if "currentPage=" in raw:
                url = urljoin(response.url, raw.strip())
                if url not in out:
                    out.append(url)
    return out


def _set_page(url: str, n: int) -> str:
    parts = urlsplit(url)
    q = [(k, str(n) if k == "currentPage" else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(q)))


class EportalMixin(GenericMixin):
    family = "eportal"

    def next_list_pages(self, response) -> list[str]:
        found = pager_urls(response)
        if not found:
            return GenericMixin.next_list_pages(self, response)
        total = _TOTAL.search(response.text)
        if not total:
            return found
        pages = min(int(total.group(1)), MAX_PAGES)
        q = dict(parse_qsl(urlsplit(found[0]).query))
        column = response.meta.get("column") or response.url
        note_stated(self, column, pages, unit="pages", how="eportal totalpage")
        if not once(self, ("eportal", q.get("pageId"), q.get("moduleId"), pages)):
            return []
        current = int(dict(parse_qsl(urlsplit(response.url).query)).get("currentPage") or 1)
        return [_set_page(found[0], n) for n in range(1, pages + 1) if n != current]
