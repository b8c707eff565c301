"""TRS WCM (拓尔思): list pages ``index.html``, ``index_1.html`` … that paginate only in JavaScript,
through ``createPageHTML(total, current, "index", "html")`` (or with a leading element id)."""
from __future__ import annotations

import re
from urllib.parse import urljoin

from .generic import GenericMixin

_CALL = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_ARG = re.compile(r"""\s*(?:(['"])(.*?)\1|(\d+))\s*""")
_COUNT_VAR = re.compile(r"var\s+(?:countPage|pageCount|totalPage)\s*=\s*(\d+)")
_CURRENT_VAR = re.compile(r"var\s+(?:currentPage|curPage)\s*=\s*(\d+)")


def page_args(text: str) -> tuple[int, int, str, str] | None:
    """(total pages, current page, file stem, extension) from the page's script: the first
    ``createPageHTML`` call with numbers (pages may define the function inline before calling it,
    ``function createPageHTML(_nPageCount, _nCurrIndex, …)``: yzq.gov.cn, tests/fixtures/platforms/trs)."""
    for m in _CALL.finditer(text):
        strings, ints = [], []
        for a in m.group(1).split(","):
            am = _ARG.fullmatch(a)
            if not am:
                continue
            if am.group(3) is not None:
                ints.append(int(am.group(3)))
            else:
                strings.append(am.group(2))
        if len(ints) >= 2:
            stem, ext = (strings[-2], strings[-1]) if len(strings) >= 2 else ("index", "html")
            return ints[0], ints[1], stem, ext
    c = _COUNT_VAR.search(text)
    if c:
        cur = _CURRENT_VAR.search(text)
        return int(c.group(1)), int(cur.group(1)) if cur else 0, "index", "html"
    return None


class TrsMixin(GenericMixin):
    family = "trs"


    def next_list_pages(self, response) -> list[str]:
        """Every page of the column, from the first of its pages this crawl reads.

        Each page's script names the page count, so each could list them all; listing them once
        per column and count keeps a crawl linear (it was quadratic in list pages: 500 pages ×
        500 requests for the dupefilter to drop at 10k reports). A count that changes mid-crawl
        lists the pages again.
        """
        args = page_args(response.text)
        if not args:
            return GenericMixin.next_list_pages(self, response)
        total, _current, stem, ext = args
        total = min(total, 5000)
        column = (urljoin(response.url, stem), total)
        if column in self.columns_paged:  # self is the spider
            return []
        self.columns_paged.add(column)
        pages = [f"{stem}.{ext}"] + [f"{stem}_{i}.{ext}" for i in range(1, total)]
        return [urljoin(response.url, p) for p in pages]
