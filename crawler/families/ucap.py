"""开普云 / UCAP-style 集约化 lists: ``xxgk_list.shtml`` is page 1, ``xxgk_list_2.shtml`` page 2 …,
written by ``createPageHTML('page_div', pages, current, 'xxgk_list', 'shtml', records)`` — the
container id first, pages counted from 1, and the record count last (TRS's
``createPageHTML(total, current, "index", "html")`` counts ``index_1`` as the second page).
Reports live at ``…/YYYYMM/<32 hex>.shtml``.

Evidence: csrc.gov.cn ``createPageHTML('page_div', 5, 1, 'fg', 'shtml', 89)`` = 5 pages / 89 records;
kjj.suqian.gov.cn ``xxgk_list.shtml`` → ``xxgk_list_2.shtml``; gfex.com.cn ``list_yw_%d.shtml``;
kunshan ``common_list.shtml`` / ``common_list_${page}.shtml`` from ``createPageHTML('page_div',22,1,'common_list','shtml',325)``;
report URLs huichang.gov.cn/…/202101/157a95c3e64f41039bb3beb14dbc7638.shtml (research/portals.md).

Where to read that evidence again (the search tool's public-code index): find_string file ids
52713388662 (csrc.gov.cn), 60951099971 (kjj.suqian.gov.cn), 13801098715 (gfex), 62616605458
(kunshan).
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

from .generic import GenericMixin, note_stated, once

_CALL = re.compile(r"""createPageHTML\(\s*['"]([\w-]+)['"]\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*['"]([\w.-]+)['"]\s*,\s*['"](\w+)['"]\s*(?:,\s*(\d+))?\s*\)""")
MAX_PAGES = 2000


def page_call(text: str) -> tuple[int, int, str, str, int | None] | None:
    """(pages, current, stem, extension, records) from the page's createPageHTML call."""
    m = _CALL.search(text)
    if not m:
        return None
    return int(m.group(2)), int(m.group(3)), m.group(4), m.group(5), int(m.group(6)) if m.group(6) else None


class UcapMixin(GenericMixin):
    family = "ucap"

    def next_list_pages(self, response) -> list[str]:
        call = page_call(response.text)
        if not call:
            return GenericMixin.next_list_pages(self, response)
        pages, _current, stem, ext, records = call
        first = urljoin(response.url, f"{stem}.{ext}")
        column = response.meta.get("column") or first
        if records is not None:
            note_stated(self, column, records, unit="entries", how="createPageHTML record count")
        else:
            note_stated(self, column, pages, unit="pages", how="createPageHTML page count")
        if not once(self, ("ucap", first, pages)):
            return []
        pages = min(pages, MAX_PAGES)
        return [first] + [urljoin(response.url, f"{stem}_{n}.{ext}") for n in range(2, pages + 1)]
