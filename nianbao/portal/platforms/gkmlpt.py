"""A Guangdong 集约化 portal with a gkmlpt 政府信息公开目录.

Modelled on (see also ``crawler/families/gkmlpt.py``):
- report pages ``…/gkmlpt/content/2/2589/post_2589294.html`` (fengshun.gov.cn) and
  ``…/content/post_1865610.html`` (xuwen.gov.cn, lg.gov.cn) — research/portals.md;
- the column is a JavaScript shell ``…/gkmlpt/index#CATEGORY`` (shanwei.gov.cn ``swsfgj/gkmlpt/index#475``,
  yangjiang.gov.cn ``yjzjj/gkmlpt/index#721``) whose script names the site id ``SID: '…'``;
- its list comes only from ``…/gkmlpt/api/all/CATEGORY?page=N&sid=SID`` answering
  ``{"total": …, "articles": [{"id", "title", "url", "display_publish_time", "publisher"}]}``
  (public spiders for gd.gov.cn ``api/all/5?page=N&sid=2`` and jr.sz.gov.cn ``api/all/2811?page={}&sid=755031``).
"""
from __future__ import annotations

import datetime as dt
import json
import math

from ..builders import _place
from ..site import Resource
from .common import PlatformSite, add_explainers, add_lookalikes, navigation, panel

COUNTY = "岭南示范县人民政府"
DEPT = "/lnsfx"
SID = "759031"
CATEGORY = "2735"
PER_PAGE = 10


def shell_html(title: str) -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_{COUNTY}</title>
<link rel="stylesheet" href="{DEPT}/gkmlpt/static/css/app.css"></head>
<body><div class="top"><a href="/">首页</a> | <a href="/zwgk/index.html">政务公开</a></div>
<div id="app"><noscript>请开启JavaScript浏览政府信息公开目录</noscript></div>
<script>window.GKML_CONFIG = {{ SID: '{SID}', BASE: '{DEPT}/gkmlpt/', TREE_API: '{DEPT}/gkmlpt/api/tree' }};</script>
<script src="{DEPT}/gkmlpt/static/js/app.js"></script></body></html>"""


def build(failing_pages=()) -> PlatformSite:
    """``failing_pages``: API pages that always answer 500 (a crawl must report the shortfall)."""
    site = PlatformSite(name="gkmlpt", platform="gkmlpt", evidence=__doc__)
    items = panel("岭南示范县", {"main": [COUNTY, "岭南示范县财政局", "岭南示范县教育局", "岭南示范县卫生健康局",
                                          "岭南示范县城关镇人民政府", "岭南示范县河西街道办事处"]}, [2021, 2022, 2023, 2024])
    report_paths = [f"{DEPT}/gkmlpt/content/2/{(2589000 + i) // 1000}/post_{2589000 + i}.html" for i in range(len(items))]
    columns = _place(site, items, lambda i, it: report_paths[i],
                     lambda i, ext, name: (f"{DEPT}/attachment/0/88/{88000 + i}/{2589000 + i}.{ext}", {}),
                     lambda j: f"{DEPT}/gkmlpt/content/2/2588/post_{2588900 + j}.html")
    add_explainers(site, items, report_paths, lambda i: f"{DEPT}/gkmlpt/content/2/2590/post_{2590000 + i}.html", columns)
    add_lookalikes(site, "岭南示范县", 2024, lambda j: f"{DEPT}/gkmlpt/content/2/2588/post_{2588950 + j}.html", columns)
    entries = columns["main"]

    def article(k, e):
        url, title, date = e
        stamp = int(dt.datetime.fromisoformat(date + "T09:30:00+08:00").timestamp())
        return {"id": 2600000 + k, "title": title, "url": url,
                "display_publish_time": stamp, "publisher": COUNTY, "document_number": ""}

    def api(method, query, form):
        if query.get("sid") != SID:
            return Resource(b'{"error":"sid required"}', "application/json", status=400)
        page = int(query.get("page") or 1)
        if page in failing_pages:
            return Resource(b'{"error":"internal"}', "application/json", status=500)
        chunk = entries[(page - 1) * PER_PAGE: page * PER_PAGE] if page >= 1 else []
        body = {"total": len(entries), "page": page, "articles": [article((page - 1) * PER_PAGE + k, e) for k, e in enumerate(chunk)]}
        return Resource(json.dumps(body, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    site.add(f"{DEPT}/gkmlpt/api/all/{CATEGORY}", Resource(handler=api))
    site.html(f"{DEPT}/gkmlpt/index", shell_html("政府信息公开目录"))
    column = f"{DEPT}/gkmlpt/index#{CATEGORY}"
    site.column_paths = [column]
    site.stated_total = len(entries)
    site.pages = math.ceil(len(entries) / PER_PAGE)
    navigation(site, "岭南示范县", [
        ("/", f"{COUNTY}门户网站", [("/zwgk/index.html", "政务公开")]),
        ("/zwgk/index.html", "政务公开", [("/zwgk/zfxxgk/index.html", "政府信息公开"), ("/zwgk/zcjd/index.html", "政策解读")]),
        ("/zwgk/zfxxgk/index.html", "政府信息公开", [("/zwgk/zfxxgk/zn.html", "政府信息公开指南"),
                                                    ("/zwgk/zfxxgk/zd.html", "政府信息公开制度"),
                                                    (column, "政府信息公开年报")]),
    ])
    for p, t in (("/zwgk/zcjd/index.html", "政策解读"), ("/zwgk/zfxxgk/zn.html", "政府信息公开指南"), ("/zwgk/zfxxgk/zd.html", "政府信息公开制度")):
        site.html(p, f"<html><head><title>{t}</title></head><body><h1>{t}</h1><p>{t}。</p></body></html>")
    return site
