"""A Hanweb jpaas (大汉 "jpaas-publish-server") portal: a column page whose list comes from a JSON
endpoint its script names, ``/api-gateway/jpaas-publish-server/front/page/build/unit``.

Real evidence (public code, search tool's code corpus; find_string ids in brackets):

- the column page carries ``<script url="/api-gateway/jpaas-publish-server/front/page/build/unit"
  queryData="{'parseType':'bulidstatic','pageId':'…'}">`` (a public crawler's test reading mohurd.gov.cn's
  script [66841645642]); "栏目页 HTML 内 queryData 固化参数" (miit.gov.cn crawler [71595435488]);
- the endpoint answers JSON ``{"success": true, "data": {"html": "<li><a href title>…</a><span>date</span></li>…"}}``
  (miit, samr, mohurd, mofcom crawlers [71595435488], [5682458992], [35406686046], [51769999093]);
- pages by ``paramJson={"pageNo":N,"pageSize":M}`` (samr [5682458992]; hhtz.gov.cn ``/col/col1487002/index.html``
  [69098091952], whose crawler reads the reported total with ``count[^0-9]+(\\d+)`` and the page with
  ``pageNo[^0-9]+(\\d+)``);
- documents ``/col/colNNN/art/YYYY/…/art_NNN_NNN.html`` or ``/art/YYYY/M/D/art_NNN_NNN.html``
  (hhtz article regex [69098091952]; jgswj.zj.gov.cn ``/art/2025/8/13/art_1543701_58937063.html``, pages corpus).

Used by 国务院部门 (samr, miit, mohurd, mofcom) and Zhejiang/Shandong 集约化 sites. Modelled: the 年报
column's page holds no entry; the endpoint's first answer has 10 entries, ``count`` the total.
"""
from __future__ import annotations

import html as htmllib
import json
import math

from ..builders import _place, list_html
from ..site import Resource
from .common import PlatformSite, add_explainers, add_lookalikes, navigation, panel

COUNTY = "浙东示范县人民政府"
PAGE_ID = "1487002"
COLUMN = f"/col/col{PAGE_ID}/"
API = "/api-gateway/jpaas-publish-server/front/page/build/unit"
QUERY = {"parseType": "bulidstatic", "webId": "2945", "tplSetId": "quSyqDUrFfjv1nGRQhEEH", "pageType": "column",
         "tagId": "分页列表", "editType": "null", "pageId": PAGE_ID}
PAGE_SIZE = 10


def shell() -> str:
    query = "{" + ",".join(f"'{k}':'{v}'" for k, v in QUERY.items()) + "}"
    return (f'<div id="分页列表" class="page-content"></div>'
            f'<script type="text/javascript" src="/module/jpaas/unitbuild.js" url="{API}" queryData="{query}"></script>')


def fragment(chunk, page: int, count: int) -> str:
    lis = "".join(f'<li><a class="news" href="{u}" title="{htmllib.escape(t)}" target="_blank">{htmllib.escape(t)}</a>'
                  f'<span class="time">{d}</span></li>' for u, t, d in chunk)
    return f'<ul class="page-content">{lis}</ul>'


def build(failing_pages=()) -> PlatformSite:
    site = PlatformSite(name="jpaas", platform="generic", evidence=__doc__)
    items = panel("浙东示范县", {"main": [COUNTY, "浙东示范县发展和改革局", "浙东示范县财政局", "浙东示范县民政局",
                                          "浙东示范县横河镇人民政府"]}, [2021, 2022, 2023, 2024])

    def page_path(i, it):
        y, m, d = it.published.split("-")
        return f"{COLUMN}art/{y}/{int(m)}/{int(d)}/art_{PAGE_ID}_{58937000 + i}.html"

    report_paths = [page_path(i, it) for i, it in enumerate(items)]
    columns = _place(site, items, page_path, lambda i, ext, name: (f"/module/download/downfile/{58937000 + i}.{ext}", {}),
                     lambda j: f"{COLUMN}art/2023/12/1/art_{PAGE_ID}_{58936900 + j}.html")
    add_explainers(site, items, report_paths, lambda i: f"/art/2025/3/20/art_1229000_{59000000 + i}.html", columns)
    add_lookalikes(site, "浙东示范县", 2024, lambda j: f"{COLUMN}art/2024/12/1/art_{PAGE_ID}_{58936950 + j}.html", columns)
    entries = sorted(columns["main"], key=lambda e: e[2], reverse=True)

    def unit(method, query, form):
        if query.get("pageId") != PAGE_ID:
            return Resource(b'{"success":false,"data":null}', "application/json; charset=utf-8")
        try:
            params = json.loads(query.get("paramJson") or "{}")
        except ValueError:
            params = {}
        page, size = int(params.get("pageNo") or 1), int(params.get("pageSize") or PAGE_SIZE)
        if page in failing_pages:
            return Resource(b'{"success":false}', "application/json", status=500)
        chunk = entries[(page - 1) * size: page * size]
        body = {"success": True, "data": {"html": fragment(chunk, page, len(entries)), "count": len(entries),
                                          "pageNo": page, "pageSize": size, "pageCount": math.ceil(len(entries) / size)}}
        return Resource(json.dumps(body, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    site.add(API, Resource(handler=unit))
    side = [("/col/col1229001/index.html", "政府信息公开指南"), ("/col/col1229002/index.html", "法定主动公开内容"),
            (f"{COLUMN}index.html", "政府信息公开年报")]
    site.html(f"{COLUMN}index.html", list_html("政府信息公开年报", [], extra=shell(), sub_columns=side))
    site.html("/module/jpaas/unitbuild.js", "/* renders the unit's list from the endpoint */")
    site.column_paths = [f"{COLUMN}index.html"]
    site.stated_total = len(entries)
    navigation(site, "浙东示范县", [
        ("/", f"{COUNTY}门户网站", [("/col/col1229000/index.html", "政务公开")]),
        ("/col/col1229000/index.html", "政务公开", [("/col/col1229003/index.html", "政府信息公开"), ("/col/col1229004/index.html", "政策解读")]),
        ("/col/col1229003/index.html", "政府信息公开", side),
    ])
    for p, t in (("/col/col1229004/index.html", "政策解读"), (side[0][0], "政府信息公开指南"), (side[1][0], "法定主动公开内容")):
        site.html(p, list_html(t, []))
    return site
