"""A Liaoning 集约化 county portal: reports at ``/html/XXX/YYYYMM/<16 digits>.html``.

- report URL shape: haicheng.gov.cn ``/html/HCS/202601/0176947114070778.html``, kazuo.gov.cn
  ``/html/KZXZF/202601/0176855559295024.html`` (research/portals.md): a site code, the month, and a
  16-digit id beginning with a millisecond timestamp;
- the list's shape was not seen: modelled as ``index.html`` → ``index_2.html`` … with numbered page links,
  下一页 and 尾页 and a 共N页 count (ordinary links, the generic pagination).
"""
from __future__ import annotations

from ..builders import _place, list_html
from .common import PlatformSite, add_explainers, add_lookalikes, navigation, panel

COUNTY = "辽南示范市人民政府"
SITE_CODE = "LNSFS"
COLUMN = f"/html/{SITE_CODE}/zfxxgknb/"
PER_PAGE = 5


def build() -> PlatformSite:
    site = PlatformSite(name="liaoning", platform="generic", evidence=__doc__)
    items = panel("辽南示范市", {"main": [COUNTY, "辽南示范市农业农村局", "辽南示范市应急管理局", "辽南示范市牛庄镇人民政府",
                                          "辽南示范市兴海管理区"]}, [2022, 2023, 2024])

    def page_path(i, it):
        y, m, _ = it.published.split("-")
        return f"/html/{SITE_CODE}/{y}{m}/{1769471140707 + i * 7919:013d}{778 + i:03d}.html"

    report_paths = [page_path(i, it) for i, it in enumerate(items)]
    columns = _place(site, items, page_path, lambda i, ext, name: (f"/uploadfiles/{SITE_CODE}/{i:04d}.{ext}", {}),
                     lambda j: f"/html/{SITE_CODE}/202312/{1701400000000 + j:013d}001.html")
    add_explainers(site, items, report_paths, lambda i: f"/html/{SITE_CODE}/202404/{1712000000000 + i:013d}002.html", columns)
    add_lookalikes(site, "辽南示范市", 2024, lambda j: f"/html/{SITE_CODE}/202412/{1733000000000 + j:013d}003.html", columns)
    entries = columns["main"]
    chunks = [entries[k:k + PER_PAGE] for k in range(0, len(entries), PER_PAGE)]
    site.pages = len(chunks)

    def name(k):
        return "index.html" if k == 1 else f"index_{k}.html"

    for n, chunk in enumerate(chunks, start=1):
        nums = " ".join(f'<a href="{name(k)}">{k}</a>' if k != n else f"<span>{k}</span>" for k in range(1, min(len(chunks), 5) + 1))
        tail = f'<a href="{name(n + 1)}">下一页</a> <a href="{name(len(chunks))}">尾页</a>' if n < len(chunks) else ""
        site.html(COLUMN + name(n), list_html("政府信息公开年报", chunk, extra=f'<div class="pages">共{len(chunks)}页 {nums} {tail}</div>'))
    site.column_paths = [COLUMN + "index.html"]
    navigation(site, "辽南示范市", [
        ("/", f"{COUNTY}门户网站", [(f"/html/{SITE_CODE}/zwgk/index.html", "政务公开")]),
        (f"/html/{SITE_CODE}/zwgk/index.html", "政务公开", [(f"/html/{SITE_CODE}/zfxxgk/index.html", "政府信息公开")]),
        (f"/html/{SITE_CODE}/zfxxgk/index.html", "政府信息公开", [(f"/html/{SITE_CODE}/fdzdgknr/index.html", "法定主动公开内容"),
                                                                 (site.column_paths[0], "政府信息公开年报")]),
    ])
    site.html(f"/html/{SITE_CODE}/fdzdgknr/index.html", list_html("法定主动公开内容", []))
    return site
