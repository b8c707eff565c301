"""VSB (博达): the column's first page is ``xxgknb.htm``; older pages are ``xxgknb/N.htm`` with N
counting *down* to 1; reports live at ``/info/CCCC/NNNNN.htm``. The pager prints the page count
(共N页, or ``<span class="p_t">1/11</span>`` beside ``共52条``) and links to the next and last pages,
so every page number can be listed from the first page.

Evidence: research/portals.md (ccxi.gov.cn ``/info/1308/25208.htm``); a real VSB column page
(lntdxy.com 招标公告, tests/fixtures/platforms/vsb) whose pager reads ``共52条 … 1/11`` with links
``zbgg/10.htm`` (page 2) … ``zbgg/1.htm`` (page 11); whu.edu.cn ``index/tzgg.htm`` → ``tzgg/77.htm``
(find_string file id 62632493202)."""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from .generic import GenericMixin, note_stated

_PAGES = re.compile(r"共\s*(\d+)\s*页|/(\d+)\s*页|class=\"p_t\">\s*\d+\s*/\s*(\d+)\s*<")


class VsbMixin(GenericMixin):
    family = "vsb"

    def next_list_pages(self, response) -> list[str]:
        text = response.text
        m = _PAGES.search(text)
        path = urlsplit(response.url).path
        stem = path.rsplit("/", 1)[-1]
        if m and re.fullmatch(r"[^/]+\.htm", stem) and not re.fullmatch(r"\d+\.htm", stem):
            total = int(next(g for g in m.groups() if g))
            note_stated(self, response.meta.get("column") or response.url, total, unit="pages", how="VSB pager")
            column = stem[: -len(".htm")]
            # page k (k = 2 … total) of the column is column/(total-k+1).htm
            return [urljoin(response.url, f"{column}/{n}.htm") for n in range(total - 1, 0, -1)]
        return GenericMixin.next_list_pages(self, response)
