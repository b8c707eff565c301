"""A 国务院部门-style portal (modelled on mohurd.gov.cn): the 年报 column's page is a shell whose script
POSTs a form to a document-search service and renders the JSON records it answers.

Real evidence (public code, search tool's code corpus):

- ``POST https://www.mohurd.gov.cn/dynamic/document/search`` with the form ``oc=7, bt=2, lt=1,
  pageSize=30, currentPageNum=N``, answer ``{"data": {"total": N, "list": [...]}}`` (the public script
  destiny-zxj/dumpInfo ``src/main.py``, which pages by ``currentPageNum``);
- 国务院部门 columns whose lists come only from a script's request (miit, samr, mohurd crawlers reading
  ``/api-gateway/jpaas-publish-server/front/page/build/unit``; see :mod:`.jpaas`).

The records' field names (``title``, ``url``, ``publishDate``) are modelled (the script prints the
records without naming their fields); the list is newest first, 10 a page.
"""
from __future__ import annotations

import json

from ..builders import _place, list_html
from ..site import Resource
from .common import PlatformSite, add_explainers, add_lookalikes, navigation, panel

AGENCY = "示范部"
COLUMN = "/zwgk/xxgknb/"
SERVICE = "/dynamic/document/search"
PAGE_SIZE = 10
FORM = {"oc": "7", "bt": "2", "lt": "1"}


def script() -> str:
    return (f'<div id="docList"></div><script src="/js/jquery.min.js"></script><script>\n'
            f"function load(n) {{ $.ajax({{ url: '{SERVICE}', type: 'post', dataType: 'json',\n"
            f"  data: {{oc: 7, bt: 2, lt: 1, pageSize: {PAGE_SIZE}, currentPageNum: 1}},\n"
            f"  success: function (res) {{ render(res.data.list, res.data.total); }} }}); }}\nload(1);</script>")


def build() -> PlatformSite:
    site = PlatformSite(name="ministry", platform="generic", evidence=__doc__)
    items = panel("示范部", {"main": [AGENCY, "示范部科技发展促进中心", "示范部信息中心"]}, [2019, 2020, 2021, 2022, 2023, 2024])

    def page_path(i, it):
        y, m, d = it.published.split("-")
        return f"{COLUMN}{y}{m}/{y}{m}{d}_{778000 + i}.html"

    report_paths = [page_path(i, it) for i, it in enumerate(items)]
    columns = _place(site, items, page_path, lambda i, ext, name: (f"/file/{778000 + i}.{ext}", {}),
                     lambda j: f"{COLUMN}202312/20231201_{777900 + j}.html")
    add_explainers(site, items, report_paths, lambda i: f"/zcjd/2025/{779000 + i}.html", columns)
    add_lookalikes(site, "示范部", 2024, lambda j: f"{COLUMN}202412/20241201_{777950 + j}.html", columns)
    entries = sorted(columns["main"], key=lambda e: e[2], reverse=True)

    def search(method, query, form):
        if method != "POST" or any(form.get(k) != v for k, v in FORM.items()):
            return Resource(b'{"code":1,"message":"bad request"}', "application/json; charset=utf-8")
        page, size = int(form.get("currentPageNum") or 1), int(form.get("pageSize") or PAGE_SIZE)
        chunk = entries[(page - 1) * size: page * size]
        data = [{"title": t, "url": u, "publishDate": f"{d} 10:00:00"} for u, t, d in chunk]
        body = {"code": 0, "data": {"total": len(entries), "list": data}}
        return Resource(json.dumps(body, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    site.add(SERVICE, Resource(handler=search))
    site.html("/js/jquery.min.js", "/* jQuery */")
    side = [("/zwgk/xxgkzn/index.html", "政府信息公开指南"), ("/zwgk/fdzdgknr/index.html", "法定主动公开内容"),
            (f"{COLUMN}index.html", "政府信息公开年报")]
    site.html(f"{COLUMN}index.html", list_html("政府信息公开年报", [], extra=script(), sub_columns=side))
    site.column_paths = [f"{COLUMN}index.html"]
    site.stated_total = len(entries)
    navigation(site, "示范部", [
        ("/", f"中华人民共和国{AGENCY}", [("/zwgk/index.html", "政务公开")]),
        ("/zwgk/index.html", "政务公开", [("/zwgk/zfxxgk/index.html", "政府信息公开"), ("/zcjd/index.html", "政策解读")]),
        ("/zwgk/zfxxgk/index.html", "政府信息公开", side),
    ])
    for p, t in (("/zcjd/index.html", "政策解读"), (side[0][0], "政府信息公开指南"), (side[1][0], "法定主动公开内容")):
        site.html(p, list_html(t, []))
    return site
