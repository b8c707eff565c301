"""TRS "动静结合" lists (Fujian's 集约化 portals, e.g. pingtan.gov.cn): the column's first
``maxStaticIndex`` pages are static HTML; a ``list2.trsapi`` script loads the rest from the
site's search API (``/fjdzapp/search``), posting the script's ``listArgs`` (``channelid``,
``classsql: "chnlid=N"``, ``sortfield`` …) with ``page`` and ``prepage``. ``pagebar.recordCount``
states the column's size.

Evidence: the pingtan.gov.cn archive (github changwu/pingtan-gov-zwgk-archive: "数据以主站列表接口
/fjdzapp/search 完整枚举", channelid=200210); public Fujian crawlers that read ``recordCount: 'N'``
from the list page and POST ``channelid``/``sortfield``/``classsql=chnlid=N``/``page``/``prepage``
to ``/fjdzapp/search``, reading ``data[].doctitle``/``chnldocurl``/``docpuburl``/``docreltime``;
a test fixture of ``require(['list2.trsapi']); listModel({maxStaticIndex:7, pagebar:{prepage:10,
recordCount:'213'}})``; and pingtan.gov.cn's real 年报 list page (tests/fixtures/platforms/), where
``channelid: SiteInfo.searchId`` is defined in another script and ``classsql`` is ``"" || "chnlid=1813"``.

Where to read that evidence again (the search tool's public-code index): find_string file ids
25255462330 (yjj.scjgj.fujian.gov.cn), 68698487497 (scjgj.fujian.gov.cn), 69278794898 (listModel
fixture), 67187361393 (pingtan archive README), 58296461890 (stats_fj notes).
"""
from __future__ import annotations

import json
import math
import re
from urllib.parse import urljoin, urlsplit

import scrapy

from .generic import Entry, GenericMixin, note_stated, once

_API_PATH = re.compile(r"/fjdzapp/search\b")
_BLOCK = {name: re.compile(name + r"\s*:\s*\{([^{}]*)\}", re.S) for name in ("listArgs", "pagebar")}
_TERM = r"""(?:'[^']*'|"[^"]*"|[\w.$-]+)"""
_PAIR = re.compile(rf"(\w+)\s*:\s*({_TERM}(?:\s*\|\|\s*{_TERM})*)", re.S)
_STATIC = re.compile(r"maxStaticIndex\s*:\s*['\"]?(\d+)")
_URL = re.compile(r"""\burl\s*:\s*['"]([^'"]*fjdzapp/search[^'"]*)['"]""")
MAX_PAGES = 500


def _value(expr: str, text: str) -> str:
    """A script value as JavaScript reads it: the first truthy of ``a || b``; a name such as
    ``SiteInfo.searchId`` looked up where the page defines it (``searchId: 200210``)."""
    for term in re.findall(_TERM, expr):
        if term[0] in "'\"":
            v = term[1:-1]
        elif re.fullmatch(r"-?\d+", term):
            v = term
        else:
            name = re.escape(term.rsplit(".", 1)[-1])
            m = re.search(rf"""\b{name}\s*[:=]\s*(?:'([^']*)'|"([^"]*)"|(-?\d+))""", text)
            v = next((g for g in m.groups() if g is not None), "") if m else ""
        if v and v != "0":
            return v
    return ""


def _pairs(block: str, text: str) -> dict:
    return {m.group(1): _value(m.group(2), text) for m in _PAIR.finditer(block)}


def script_args(text: str) -> dict | None:
    """listArgs, pagebar, maxStaticIndex and the API URL from a 动静结合 list page."""
    if "list2.trsapi" not in text:
        return None
    blocks = {k: r.search(text) for k, r in _BLOCK.items()}
    if not blocks["listArgs"] or not blocks["pagebar"]:
        return None
    static = _STATIC.search(text)
    url = _URL.search(text)
    return {"listArgs": _pairs(blocks["listArgs"].group(1), text), "pagebar": _pairs(blocks["pagebar"].group(1), text),
            "maxStaticIndex": int(static.group(1)) if static else 1, "url": url.group(1) if url else "/fjdzapp/search"}


class TrsDynamicMixin(GenericMixin):
    family = "trs_dynamic"

    def list_entries(self, response) -> list[Entry]:
        if not _API_PATH.search(urlsplit(response.url).path):
            return GenericMixin.list_entries(self, response)
        try:
            data = json.loads(response.text)
        except ValueError:
            return []
        rows = (data.get("data") or data.get("docs") or []) if isinstance(data, dict) else []
        out = []
        for d in rows:
            url = d.get("chnldocurl") or d.get("docpuburl") or d.get("url")
            title = (d.get("doctitle") or d.get("title") or "").strip()
            if url and title:
                date = str(d.get("docreltime") or "")[:10] or None
                out.append(Entry(title, urljoin(response.url, url), date))
        return out

    def next_list_pages(self, response):
        if _API_PATH.search(urlsplit(response.url).path):
            return []
        args = script_args(response.text)
        if not args:
            return GenericMixin.next_list_pages(self, response)
        bar = args["pagebar"]
        prepage = int(bar.get("prepage") or args["listArgs"].get("prepage") or 10)
        try:
            records = int(bar.get("recordCount") or 0)
        except ValueError:
            records = 0
        column = response.meta.get("column") or response.url
        note_stated(self, column, records, unit="entries", how="list2.trsapi pagebar.recordCount")
        api = urljoin(response.url, args["url"])
        form = {k: str(v) for k, v in args["listArgs"].items()}
        # one list however many pages show it (pingtan's nlist.htm repeats the column's script)
        if not records or not once(self, ("trs_dynamic", api, tuple(sorted(form.items())), records)):
            return []
        pages = min(math.ceil(records / prepage), MAX_PAGES)
        static = max(1, args["maxStaticIndex"])
        out: list = []
        path = urlsplit(response.url).path
        stem, _, ext = path.rsplit("/", 1)[-1].partition(".")
        for i in range(1, min(static, pages)):  # further static pages: index_1.htm …
            out.append(scrapy.Request(urljoin(response.url, f"{stem or 'index'}_{i}.{ext or 'htm'}"), meta={"column": column}))
        for page in range(static + 1, pages + 1):
            out.append(scrapy.FormRequest(api, formdata={**form, "page": str(page), "prepage": str(prepage)},
                                          meta={"column": column}))
        return out
