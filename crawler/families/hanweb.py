"""Hanweb (大汉): records sit in a ``<script type="text/xml">`` datastore on ``/col/colN/index.html``;
later records come only from a POST to ``/module/web/jpage/dataproxy.jsp`` with the column's form
fields (taken from the datastore's ``<nextgroup>`` link) and ``startrecord``/``endrecord``/``perpage``."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from parsel import Selector

from .generic import Entry, GenericMixin, entries_from_anchors

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.S)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*[=:]\s*['\"]?(\d+)", re.I)
_PERPAGE = re.compile(r"perpage\s*[=:]\s*['\"]?(\d+)", re.I)
FORM_FIELDS = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname", "permissiontype")
RECORDS_PER_REQUEST = 45  # three pages of 15, as the portals' own jpage.js asks


def records(text: str, base_url: str) -> list[Entry]:
    html = "".join(_RECORD.findall(text))
    return entries_from_anchors(Selector(text=f"<div>{html}</div>").css("a[href]"), base_url) if html else []


def proxy_form(text: str, base_url: str) -> tuple[str, dict] | None:
    """The dataproxy URL and form fields named by the datastore's <nextgroup> link."""
    m = _NEXTGROUP.search(text)
    if not m:
        return None
    href = Selector(text=m.group(1)).css("a::attr(href)").get()
    if not href:
        return None
    url = urljoin(base_url, href)
    params = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    form = {k: params[k] for k in FORM_FIELDS if k in params}
    form.setdefault("col", "1")
    form.setdefault("sourceContentType", "1")
    return url.split("?", 1)[0], form


class HanwebMixin(GenericMixin):
    family = "hanweb"


    def list_entries(self, response) -> list[Entry]:
        found = records(response.text, response.url)
        return found or GenericMixin.list_entries(self, response)

    def next_list_pages(self, response):
        """POST requests for the records after the ones this page carries."""
        import scrapy

        if "dataproxy.jsp" in response.url:
            return _next_group(response)  # the first page asked for every group, unless it knew no total
        form = proxy_form(response.text, response.url)
        if not form:
            return GenericMixin.next_list_pages(self, response)
        total = _TOTAL.search(response.text)
        shown = len(_RECORD.findall(response.text))
        per = _PERPAGE.search(response.text)
        perpage = per.group(1) if per else "15"
        proxy, fields = form
        if not total:
            # the column's size is not on the page (dingxi.gov.cn's datastore, tests/fixtures/platforms/hanweb):
            # ask group after group while each comes back full
            return [_group_request(proxy, fields, shown + 1, perpage)] if shown else []
        total_n = int(total.group(1) or total.group(2))
        out = []
        for start in range(shown + 1, total_n + 1, RECORDS_PER_REQUEST):
            end = min(start + RECORDS_PER_REQUEST - 1, total_n)
            out.append(scrapy.FormRequest(f"{proxy}?startrecord={start}&endrecord={end}&perpage={perpage}", formdata=fields))
        return out


def _group_request(proxy: str, fields: dict, start: int, perpage: str):
    import scrapy

    end = start + RECORDS_PER_REQUEST - 1
    return scrapy.FormRequest(f"{proxy}?startrecord={start}&endrecord={end}&perpage={perpage}", formdata=fields,
                              meta={"hanweb_group": (proxy, fields, perpage)})


def _next_group(response) -> list:
    """The group after a full one, when groups are walked (the column's total unknown)."""
    walk = response.meta.get("hanweb_group")
    if not walk:
        return []
    q = dict(parse_qsl(urlsplit(response.url).query))
    try:
        start, end = int(q["startrecord"]), int(q["endrecord"])
    except (KeyError, ValueError):
        return []
    if len(_RECORD.findall(response.text)) < end - start + 1:
        return []
    proxy, fields, perpage = walk
    return [_group_request(proxy, fields, end + 1, perpage)]
