"""A Fujian 集约化 (TRS "动静结合") portal, modelled on pingtan.gov.cn.

- report pages ``/zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm`` (pingtan.gov.cn, via the public
  archive github changwu/pingtan-gov-zwgk-archive, whose crawler enumerates the site through
  ``POST /fjdzapp/search`` with ``channelid=200210``);
- the 年报 column's first page is static HTML with 10 items; its script (``list2.trsapi``,
  ``maxStaticIndex: 1``, ``listArgs: {channelid, classsql: "chnlid=1813", sortfield}``,
  ``pagebar: {prepage: 10, recordCount: 'N'}``) loads the rest from ``/fjdzapp/search``
  (issue #15; public Fujian crawlers posting ``channelid``/``sortfield``/``classsql=chnlid=N``/
  ``classcol``/``page``/``prepage`` and reading ``data[].doctitle``/``chnldocurl``/``docreltime``);
- the side menu's 政府信息公开年报 link goes to ``nlist.htm``, a list, not a report (issue #15); modelled as
  a plain page of the older reports (its template was not seen).
"""
from __future__ import annotations

import json
import math

from ..builders import _place, list_html
from ..site import Resource
from .common import PlatformSite, add_explainers, add_lookalikes, listed, navigation, panel

COUNTY = "闽海示范县人民政府"
COLUMN = "/zwgk/zfxxgk/zfxxgknb/"
CHANNEL, CLASSSQL, PREPAGE = "200210", "chnlid=1813", 10


def script(total: int) -> str:
    """The column's script in the shape of pingtan.gov.cn's own (tests/fixtures/platforms/trs_dynamic/pingtan_zfxxgknb_index.html):
    the channel named through ``SiteInfo.searchId``, ``classsql`` as ``"" || "chnlid=…"``."""
    return f"""<div class="page_base" ms-controller="list_pagebar" ms-include-src="pgTemp" ms-if="pageCount>0"></div>
<script>var SiteInfo = {{ itpSiteId: 21, searchId: {CHANNEL}, defaultPgTemp: "pgBar_pt.html" }};</script>
<script src="/images/model.min.js"></script>
<script>
require(["list2.trsapi", "tools"], function(listModel, tools) {{
  listModel({{
    quickMode: "动静结合",
    maxStaticIndex: 1,
    listArgs: {{ channelid: SiteInfo.searchId, classsql: "" || "{CLASSSQL}", sortfield: "-docorderpri,-docreltime" }},
    pagebar: {{ prepage: {PREPAGE}, recordCount: '{total}', pgTemp: "pgBar_xxgk.html", pgCountMode: "recordCount", displayNum: 2 }},
    callToPage: function(p) {{ $("html,body").animate({{ scrollTop: $(".content_bg_02").offset().top }}, 800); }}
  }});
}});
</script>"""


def build(failing_pages=()) -> PlatformSite:
    """``failing_pages``: search-API pages that always answer 500 (a crawl must report the shortfall)."""
    site = PlatformSite(name="trs_dynamic", platform="trs_dynamic", evidence=__doc__)
    items = panel("闽海示范县", {"main": [COUNTY, "闽海示范县发展和改革局", "闽海示范县财政局", "闽海示范县民政局",
                                          "闽海示范县潭城镇人民政府", "闽海示范县苏澳镇人民政府"]}, [2021, 2022, 2023, 2024])
    items += [listed(COUNTY, year, 30 + year, column="old") for year in (2019, 2020)]

    def page_path(i, it):
        y, m, d = it.published.split("-")
        return f"{COLUMN}{y}{m}/t{y}{m}{d}_{97700 + i}.htm"

    report_paths = [page_path(i, it) for i, it in enumerate(items)]
    columns = _place(site, items, page_path, lambda i, ext, name: (f"{COLUMN}P0{97700 + i}.{ext}", {}),
                     lambda j: f"{COLUMN}202312/t20231201_{97600 + j}.htm")
    add_explainers(site, items, report_paths, lambda i: f"{COLUMN}tj/t_{97800 + i}.htm", columns)
    add_lookalikes(site, "闽海示范县", 2024, lambda j: f"{COLUMN}202412/t20241201_{97650 + j}.htm", columns)
    entries = sorted(columns["main"], key=lambda e: e[2], reverse=True)  # newest first, as the search API sorts
    side = [(f"{COLUMN}nlist.htm", "政府信息公开年报"), ("/zwgk/zfxxgk/zfxxgkzn/", "政府信息公开指南"),
            ("/zwgk/zfxxgk/fdzdgknr/", "法定主动公开内容")]
    site.html(f"{COLUMN}index.htm", list_html("政府信息公开年报", entries[:PREPAGE], extra=script(len(entries)), sub_columns=side))
    # the side menu's 政府信息公开年报: a plain list (of the older reports), not a report
    site.html(f"{COLUMN}nlist.htm", list_html("政府信息公开年报", columns["old"], sub_columns=side))

    def search(method, query, form):
        args = {**query, **form}
        if args.get("channelid") != CHANNEL or args.get("classsql") != CLASSSQL:
            return Resource(b'{"data":[],"pageCount":0,"total":0}', "application/json; charset=utf-8")
        page, prepage = int(args.get("page") or 1), int(args.get("prepage") or PREPAGE)
        if page in failing_pages:
            return Resource(b'{"error":"internal"}', "application/json", status=500)
        chunk = entries[(page - 1) * prepage: page * prepage]
        data = [{"doctitle": t, "chnldocurl": u, "docpuburl": u, "docreltime": f"{d} 09:30:00"} for u, t, d in chunk]
        body = {"data": data, "page": page, "pageCount": math.ceil(len(entries) / prepage), "total": len(entries)}
        return Resource(json.dumps(body, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    site.add("/fjdzapp/search", Resource(handler=search))
    site.column_paths = [f"{COLUMN}index.htm"]
    site.stated_total = len(entries)
    navigation(site, "闽海示范县", [
        ("/", f"{COUNTY}门户网站", [("/zwgk/", "政务公开")]),
        ("/zwgk/", "政务公开", [("/zwgk/zfxxgk/", "政府信息公开"), ("/zwgk/zcjd/", "政策解读")]),
        ("/zwgk/zfxxgk/", "政府信息公开", side[1:] + [(f"{COLUMN}index.htm", "政府信息公开年报")]),
    ])
    for p, t in (("/zwgk/zcjd/", "政策解读"), ("/zwgk/zfxxgk/zfxxgkzn/", "政府信息公开指南"), ("/zwgk/zfxxgk/fdzdgknr/", "法定主动公开内容")):
        site.html(p + "index.html", list_html(t, []))
    return site
