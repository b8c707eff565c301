"""A Hebei county portal: reports at ``/xxgkcontent-888888NNN-NNNNN.html``.

- report URL shape: lixian.gov.cn ``/xxgkcontent-888888025-26126.html``, quyang.gov.cn
  ``/xxgkcontent-888888702-58416.html`` (research/portals.md); the first number is the publishing
  unit's code (888888NNN), the second the document;
- the province's own 年报 column nests by unit: hebei.gov.cn breadcrumb "首页 > 政府信息公开 >
  政府信息公开年报 > 河北省" (a real page in the pages corpus);
- the list's shape was not seen: it is modelled as query-string pages (``?unitid=…&page=N``) with
  下一页/尾页 links, one of the pagination kinds issue #15 names.
"""
from __future__ import annotations

from ..builders import _place, list_html
from .common import PlatformSite, add_explainers, add_lookalikes, navigation, panel

COUNTY = "冀中示范县人民政府"
CODES = {COUNTY: "888888025", "冀中示范县教育局": "888888031", "冀中示范县民政局": "888888036",
         "冀中示范县大百尺镇人民政府": "888888702", "冀中示范县公安局": "888888040"}
LIST = "/xxgklist.jsp"
PER_PAGE = 4


def list_url(n: int) -> str:
    return f"{LIST}?catid=2730&page={n}"


def build() -> PlatformSite:
    site = PlatformSite(name="hebei", platform="generic", evidence=__doc__)
    items = panel("冀中示范县", {"main": [a for a in CODES if not a.endswith("公安局")]}, [2021, 2022, 2023, 2024])
    report_paths = [f"/xxgkcontent-{CODES[it.report['agency']]}-{26100 + i}.html" for i, it in enumerate(items)]
    columns = _place(site, items, lambda i, it: report_paths[i], lambda i, ext, name: (f"/uploadfile/{26100 + i}.{ext}", {}),
                     lambda j: f"/xxgkcontent-888888025-{26000 + j}.html")
    add_explainers(site, items, report_paths, lambda i: f"/xxgkcontent-888888025-{27000 + i}.html", columns)
    add_lookalikes(site, "冀中示范县", 2024, lambda j: f"/xxgkcontent-888888025-{26050 + j}.html", columns)
    entries = columns["main"]
    chunks = [entries[k:k + PER_PAGE] for k in range(0, len(entries), PER_PAGE)]
    site.pages = len(chunks)
    for n, chunk in enumerate(chunks, start=1):
        links = [f'<a href="{list_url(1)}">首页</a>'] + ([f'<a href="{list_url(n + 1)}">下一页</a>', f'<a href="{list_url(len(chunks))}">尾页</a>']
                                                       if n < len(chunks) else [])
        path = LIST + "?catid=2730" if n == 1 else list_url(n)
        site.html(path, list_html("政府信息公开年报", chunk, extra=f'<div class="fy">共{len(entries)}条记录 第{n}/{len(chunks)}页 {" ".join(links)}</div>'))
    site.html(list_url(1), site.resources[LIST + "?catid=2730"].body.decode())
    site.column_paths = [LIST + "?catid=2730"]
    navigation(site, "冀中示范县", [
        ("/", f"{COUNTY}门户网站", [("/zwgk.jsp", "政务公开")]),
        ("/zwgk.jsp", "政务公开", [("/xxgk.jsp", "政府信息公开"), ("/zcjd.jsp", "政策解读")]),
        ("/xxgk.jsp", "政府信息公开", [("/xxgkzn.jsp", "政府信息公开指南"), ("/fdzdgknr.jsp", "法定主动公开内容"), (site.column_paths[0], "政府信息公开年报")]),
    ])
    for p, t in (("/zcjd.jsp", "政策解读"), ("/xxgkzn.jsp", "政府信息公开指南"), ("/fdzdgknr.jsp", "法定主动公开内容")):
        site.html(p, list_html(t, []))
    return site
