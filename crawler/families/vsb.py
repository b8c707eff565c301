"""VSB (博达): the column's first page is ``xxgknb.htm``; older pages are ``xxgknb/N.htm`` with N
counting *down* to 1; reports live at ``/info/CCCC/NNNNN.htm``. The pager prints 共N页 and links
to the next and last pages, so every page number can be listed from the first page."""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from .generic import GenericMixin

_PAGES = re.compile(r"共\s*(\d+)\s*页|/(\d+)\s*页")


class VsbMixin(GenericMixin):
    family = "vsb"


    def next_list_pages(self, response) -> list[str]:
        text = response.text
        m = _PAGES.search(text)
        path = urlsplit(response.url).path
        stem = path.rsplit("/", 1)[-1]
        if m and re.fullmatch(r"[^/]+\.htm", stem) and not re.fullmatch(r"\d+\.htm", stem):
            total = int(m.group(1) or m.group(2))
            column = stem[: -len(".htm")]
            # page k (k = 2 … total) of the column is column/(total-k+1).htm
            return [urljoin(response.url, f"{column}/{n}.htm") for n in range(total - 1, 0, -1)]
        return GenericMixin.next_list_pages(self, response)
