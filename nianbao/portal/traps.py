"""Traps an adversarial portal can set for a crawler, each modelled on what servers really do.

``trap_site`` is one 年报 column whose links lead into them; ``endless_list_site`` pages without
end, every page under a new session id and timestamp; ``crowded_list_site`` links thousands of
report-titled pages; ``odd_robots_site`` serves a robots.txt in the syntax variants RFC 9309
allows. ``site.expected_outcomes`` maps what each trap must end as (see tests/test_traps.py).
"""
from __future__ import annotations

import itertools
import time

from .builders import list_html, page_html
from .faults import _page, _report, _title
from .site import Resource, Site

from .. import render


def _meta_refresh(target: str) -> bytes:
    return (f'<html><head><meta http-equiv="refresh" content="0; url={target}"><title>跳转中</title></head>'
            f"<body><p>页面跳转中……</p></body></html>").encode()


def trap_site(elsewhere: str) -> Site:
    """``elsewhere`` is the base URL of another (loopback) host."""
    site = Site(name="traps")
    entries: list[tuple[str, str, str]] = []
    outcomes: dict[str, str] = {}

    def link(href: str, agency: str, outcome: str, res: Resource | None = None, key: str | None = None):
        entries.append((href, _title(agency), "2024-01-20"))
        outcomes[href] = outcome
        if res is not None:
            site.add(key or href.split("#")[0], res)

    # one report under many addresses: a query a CMS ignores, a fragment, dot segments, a doubled
    # slash; one directory page as /dir, /dir/ and /dir/index.html
    one = Resource(_page("戊县人民政府"))
    site.add("/tp/one.html", one)
    for href in ("/tp/one.html", "/tp/one.html?a=1", "/tp/one.html#content", "/tp/x/../one.html", "/tp/./one.html"):
        link(href, "戊县人民政府", "one report")
    site.add("/tp/one.html?a=1", one)
    site.add("/tp/dir/index.html", Resource(_page("戊县教育局")))
    site.add("/tp/dir", Resource(redirect_to="/tp/dir/"))
    for href in ("/tp/dir", "/tp/dir/", "/tp/dir/index.html"):
        link(href, "戊县教育局", "one report")
    # a report page that redirects twice, the second time to another host
    link("/tp/hop1.html", "戊县跳转局", "refused", Resource(redirect_to="/tp/hop2.html"))
    site.add("/tp/hop2.html", Resource(redirect_to=elsewhere + "/nb/away.html"))
    # a 年报 link whose target is a huge binary, announced (Content-Length) or not (read until cut)
    link("/tp/nb-announced.pdf", "戊县巨档局", "failed",
         Resource(content_type="application/octet-stream", stream_bytes=80 * 1024 * 1024))
    link("/tp/nb-streamed.pdf", "戊县巨流局", "failed",
         Resource(content_type="application/octet-stream", stream_bytes=80 * 1024 * 1024, unannounced=True))
    # slow-loris: the headers at once, then the body one byte every 0.2 s
    link("/tp/slow.html", "戊县缓慢局", "failed", Resource(_page("戊县缓慢局"), trickle=0.2))
    # headers that contradict themselves
    link("/tp/two-types.html", "戊县双型局", "stored",
         Resource(_page("戊县双型局"), content_type="text/html; charset=utf-8", raw_headers=[("Content-Type", "application/pdf")]))
    body = _page("戊县长度局")
    link("/tp/two-lengths.html", "戊县长度局", "stored or failed",
         Resource(body, raw_headers=[("Content-Length", str(len(body))), ("Content-Length", str(len(body) + 7))]))
    link("/tp/bad-length.html", "戊县坏长局", "stored or failed", Resource(_page("戊县坏长局"), raw_headers=[("Content-Length", "abc")]))
    # addresses in GBK (IIS portals: file names and query values percent-encoded from GBK bytes)
    link("/tp/%C4%EA%B1%A8.html", "戊县编码局", "stored", Resource(_page("戊县编码局")))
    link("/tp/view.jsp?title=%C4%EA%B1%A8&id=7", "戊县查询局", "stored", Resource(_page("戊县查询局")))
    # the column page is GBK: links with raw Chinese in the query are sent GBK-encoded, as browsers do
    link("/tp/view.jsp?title=年报&id=9", "戊县原码局", "stored", Resource(_gbk_page("戊县原码局", "/tp/down.jsp?name=年报.pdf"), "text/html; charset=gbk"),
         key="/tp/view.jsp?title=%C4%EA%B1%A8&id=9")
    site.add("/tp/down.jsp?name=%C4%EA%B1%A8.pdf", Resource(render.pdf_bytes(_report("戊县原码局")), "application/pdf"))
    # meta refresh: a loop, and a refresh to another host
    link("/tp/meta-a.html", "戊县刷新局", "failed", Resource(_meta_refresh("/tp/meta-b.html")))
    site.add("/tp/meta-b.html", Resource(_meta_refresh("/tp/meta-a.html")))
    link("/tp/meta-away.html", "戊县外刷局", "refused", Resource(_meta_refresh(elsewhere + "/nb/report.html")))
    # a report page that reloads itself every 60 s (a browser shows it, then reloads)
    self_refresh = _page("戊县自刷局").replace(b"<head>", b'<head><meta http-equiv="refresh" content="60">', 1)
    link("/tp/reload.html", "戊县自刷局", "stored", Resource(self_refresh))
    # an ordinary report after all of them
    link("/tp/last.html", "戊县司法局", "stored", Resource(_page("戊县司法局")))
    site.html("/tp/index.html", list_html("政府信息公开年报", entries, encoding="gbk"), encoding="gbk")
    site.expected_outcomes = outcomes
    return site


def _gbk_page(agency: str, attachment: str) -> bytes:
    """A GBK report page whose tables are only in an attachment linked with raw Chinese in its query."""
    title = _title(agency)
    return page_html(title, "2024-01-20", "<p>详见附件。</p>", attachments=[(attachment, title + ".pdf")], encoding="gbk").encode("gbk")


def endless_list_site(per_page: int = 2) -> Site:
    """A list whose every page links a "next" page under a new session id and timestamp (the
    ``jsessionid``/``t=`` query strings of Java and ASP.NET portals), and lists its reports
    under that session id too: without a page budget it never ends."""
    site = Site(name="endless-query")
    counter = itertools.count()
    report = _page("己县人民政府")
    site.add("/eq/report.html", Resource(report))

    def page(method, query, form):
        n = int(query.get("page") or 1)
        sid = f"{next(counter):08x}{int(time.time() * 1000) % 100000:05d}"
        items = [(f"/eq/report.html?sid={sid}&k={k}", _title("己县人民政府"), "2024-01-20") for k in range(per_page)]
        pager = f'<div class="page"><a href="/eq/list.jsp?page={n + 1}&sid={sid}&t={sid[-5:]}">下一页</a></div>'
        return Resource(list_html("政府信息公开年报", items, extra=pager).encode())

    site.add("/eq/list.jsp", Resource(handler=page))
    return site


def crowded_list_site(n: int = 2000) -> Site:
    """One list page linking ``n`` report-titled pages that do not exist."""
    site = Site(name="crowded")
    entries = [(f"/cr/{k}.html", _title(f"庚县第{k}局"), "2024-01-20") for k in range(n)]
    site.html("/cr/index.html", list_html("政府信息公开年报", entries))
    return site


def odd_robots_site() -> Site:
    """robots.txt with a byte-order mark and CRLF line ends, an Allow inside a Disallow (the
    longer rule wins, RFC 9309 §2.2.2), an Allow and a Disallow of equal length (Allow wins),
    and wildcards ``*`` and ``$`` (§2.2.3)."""
    site = Site(name="odd-robots")
    robots = ("\ufeffUser-agent: *\r\nDisallow: /rb/closed/\r\nAllow: /rb/closed/open/\r\n"
              "Disallow: /rb/tie.html\r\nAllow: /rb/tie.html\r\nDisallow: /*.pdf$\r\nDisallow: /*?print=\r\n")
    site.add("/robots.txt", Resource(robots.encode("utf-8"), "text/plain"))
    outcomes = {"/rb/closed/a.html": "robots", "/rb/closed/open/b.html": "stored", "/rb/tie.html": "stored",
                "/rb/report.pdf": "robots", "/rb/report.pdf?v=2": "stored", "/rb/page.html?print=1": "robots",
                "/rb/page.html": "stored"}
    entries = []
    for k, (path, _) in enumerate(outcomes.items()):
        agency = f"辛县第{k}局"
        if ".pdf" in path:
            site.add(path, Resource(render.pdf_bytes(_report(agency)), "application/pdf"))
        else:
            site.add(path, Resource(_page(agency)))
        entries.append((path, _title(agency), "2024-01-20"))
    site.html("/rb/index.html", list_html("政府信息公开年报", entries))
    site.expected_outcomes = outcomes
    return site
