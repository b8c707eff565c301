"""An eportal (``/eportal/ui?pageId=…``) banner portal, modelled on xlgl.gov.cn.

- report pages ``/eportal/ui?articleKey=<32 hex>&columnId=<32 hex>&pageId=<32 hex>``
  (wtlygdj.xlgl.gov.cn; research/portals.md);
- list pages are query strings ``/eportal/ui?pageId=P&currentPage=N&moduleId=M&staticRequest=yes``
  (public crawlers of customs.gov.cn and yndzj.gov.cn); the pager has no href, only
  ``onclick="queryArticleByCondition(this,'…')"`` and ``tagname`` attributes, with the page count in
  ``<input name="article_paging_list_hidden" totalpage="N">`` (a PBC list parser; a generic pager reader);
- the 年报 column's sub-columns are named after units — 旗政府 / 旗直部门 / 苏木镇 — not after reports (issue #15).
"""
from __future__ import annotations

import hashlib
import html as htmllib

from ..builders import _place, list_html
from .common import PlatformSite, add_explainers, add_lookalikes, navigation, panel

COUNTY = "锡林示范旗人民政府"
PER_PAGE = 5


def hx(s: str) -> str:
    return hashlib.md5(s.encode()).hexdigest()


SUBS = {"qzf": "旗政府", "qzbm": "旗直部门", "smz": "苏木镇"}
COLUMN_PAGE = hx("nb")


def page_url(sub: str, n: int) -> str:
    return f"/eportal/ui?pageId={hx(sub)}" if n == 1 else f"/eportal/ui?pageId={hx(sub)}&currentPage={n}&moduleId={hx('m' + sub)}&staticRequest=yes"


def pager(sub: str, pages: int, current: int) -> str:
    links = []
    for n, label in ((1, "首页"), (current - 1, "上一页"), (current + 1, "下一页"), (pages, "尾页")):
        if 1 <= n <= pages and n != current:
            target = f"/eportal/ui?pageId={hx(sub)}&currentPage={n}&moduleId={hx('m' + sub)}&staticRequest=yes"
            t = htmllib.escape(target)
            links.append(f'<a href="javascript:void(0);" tagname="{t}" onclick="queryArticleByCondition(this,\'{t}\')">{label}</a>')
    return (f'<div class="pagination_index_num">共{pages}页 当前第{current}页 {"".join(links)}'
            f'<input type="hidden" name="article_paging_list_hidden" moduleid="{hx("m" + sub)}" totalpage="{pages}"></div>')


def build() -> PlatformSite:
    site = PlatformSite(name="eportal", platform="eportal", evidence=__doc__)
    groups = {"qzf": [COUNTY], "qzbm": ["锡林示范旗财政局", "锡林示范旗教育局", "锡林示范旗卫生健康委员会"],
              "smz": ["锡林示范旗宝力根苏木人民政府", "锡林示范旗巴彦宝拉格苏木人民政府", "锡林示范旗新康镇人民政府"]}
    items = panel("锡林示范旗", groups, [2022, 2023, 2024])

    def page_path(i, it):
        return f"/eportal/ui?pageId={hx(it.column)}&articleKey={hx(f'a{i}')}&columnId={hx('c' + it.column)}"

    report_paths = [page_path(i, it) for i, it in enumerate(items)]
    columns = _place(site, items, page_path, lambda i, ext, name: (f"/attachment/{hx(f'f{i}')}.{ext}", {}),
                     lambda j: f"/eportal/ui?pageId={hx('qzf')}&articleKey={hx(f'l{j}')}&columnId={hx('cqzf')}")
    columns["qzf"] = columns.pop("main", []) + columns.get("qzf", [])
    add_explainers(site, items, report_paths, lambda i: f"/eportal/ui?pageId={hx('jd')}&articleKey={hx(f'e{i}')}&columnId={hx('cjd')}", columns)
    add_lookalikes(site, "锡林示范旗", 2024, lambda j: f"/eportal/ui?pageId={hx('qzf')}&articleKey={hx(f'x{j}')}&columnId={hx('cqzf')}",
                   columns, column="qzf")
    side = [(f"/eportal/ui?pageId={hx(s)}", name) for s, name in SUBS.items()]
    site.pages = {}
    for sub, title in SUBS.items():
        entries = columns.get(sub, [])
        chunks = [entries[k:k + PER_PAGE] for k in range(0, len(entries), PER_PAGE)] or [[]]
        site.pages[sub] = len(chunks)
        for n, chunk in enumerate(chunks, start=1):
            site.html(page_url(sub, n), list_html(title, chunk, extra=pager(sub, len(chunks), n), sub_columns=side))
    # the 年报 column is its side menu of unit-named sub-columns
    site.html(f"/eportal/ui?pageId={COLUMN_PAGE}", list_html("政府信息公开年报", [], extra="<p>请选择：旗政府、旗直部门、苏木镇。</p>",
                                                                  sub_columns=side))
    site.column_paths = [f"/eportal/ui?pageId={COLUMN_PAGE}"]
    hub = f"/eportal/ui?pageId={hx('zfxxgk')}"
    navigation(site, "锡林示范旗", [
        ("/", f"{COUNTY}门户网站", [(f"/eportal/ui?pageId={hx('zwgk')}", "政务公开")]),
        (f"/eportal/ui?pageId={hx('zwgk')}", "政务公开", [(hub, "政府信息公开"), (f"/eportal/ui?pageId={hx('zcjd')}", "政策解读")]),
        (hub, "政府信息公开", [(f"/eportal/ui?pageId={hx('fdzd')}", "法定主动公开内容"), (site.column_paths[0], "政府信息公开年报")]),
    ])
    for key, t in (("zcjd", "政策解读"), ("fdzd", "法定主动公开内容")):
        site.html(f"/eportal/ui?pageId={hx(key)}", list_html(t, []))
    return site
