"""A portal where every link fails in its own way: the faults real gov.cn portals show.

``site.expected_outcomes`` maps each linked path to what a careful crawl must record for it:
``fetched`` (a report stored), ``failed`` (a documents row with the reason), or ``robots``.
"""
from __future__ import annotations

import gzip
import io
import zipfile

from .. import render
from ..synthetic import synthetic_report
from .builders import list_html, page_html
from .site import Resource, Site

CHALLENGE = (b'<html><head><script>var _0x1=["__jsl_clearance","cookie"];document.cookie=_0x1[0]+"=1699999999.1|0|abc";'
             b"location.href=location.pathname+location.search</script></head><body></body></html>")


def _report(agency: str, year: int = 2023) -> dict:
    return synthetic_report(agency, year, "2021", scale=20)


def _page(agency: str, layout_body: str | None = None, year: int = 2023) -> bytes:
    r = _report(agency, year)
    return page_html(render.title_of(r), f"{year + 1}-01-20", layout_body or render.html_body(r)).encode()


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document>" + b"0" * (300 * 1024 * 1024) + b"</w:document>")
    return buf.getvalue()


def fault_site() -> Site:
    site = Site(name="faults")
    entries: list[tuple[str, str, str]] = []
    outcomes: dict[str, str] = {}

    def link(path: str, agency: str, outcome: str, res: Resource | None = None, year: int = 2023):
        title = f"{agency}{year}年政府信息公开工作年度报告"
        entries.append((path, title, f"{year + 1}-01-20"))
        outcomes[path] = outcome
        if res is not None:
            site.add(path, res)

    # network faults
    link("/nb/timeout.html", "甲县超时局", "failed", Resource(_page("甲县超时局"), delay=4.0))
    link("/nb/reset.html", "甲县重置局", "failed", Resource(reset=True))
    link("/nb/gone.html", "甲县缺失局", "failed")  # 404
    link("/nb/forbidden.html", "甲县禁止局", "failed", Resource(b"forbidden", status=403))
    link("/nb/always500.html", "甲县故障局", "failed", Resource(b"error", status=503))
    link("/nb/flaky.html", "甲县波动局", "fetched", Resource(_page("甲县波动局"), fail_first=2))
    link("/nb/loop-a.html", "甲县循环局", "failed", Resource(redirect_to="/nb/loop-b.html"))
    site.add("/nb/loop-b.html", Resource(redirect_to="/nb/loop-a.html"))
    link("/nb/waf412.html", "甲县防护局", "failed", Resource(CHALLENGE, status=412))
    link("/nb/waf200.html", "甲县挑战局", "failed", Resource(CHALLENGE))
    link("/nb/truncated.html", "甲县截断局", "failed", Resource(_page("甲县截断局"), truncate_to=300))
    link("/nb/huge.html", "甲县巨大局", "failed", Resource(content_type="text/html; charset=utf-8", stream_bytes=12 * 1024 * 1024))
    link("/private/secret.html", "甲县机密局", "robots", Resource(_page("甲县机密局")))
    # answers that lie about themselves, but are readable
    r = _report("甲县类型局")
    link("/nb/wrongtype.html", "甲县类型局", "fetched", Resource(render.pdf_bytes(r), "text/html; charset=utf-8"))
    r2 = _report("甲县无类型局")
    link("/nb/notype", "甲县无类型局", "fetched", Resource(render.docx_bytes(r2), content_type=""))
    gz = _page("甲县压缩局")
    link("/nb/gzip.html", "甲县压缩局", "fetched", Resource(gzip.compress(gz), headers={"Content-Encoding": "gzip"}))
    lying = page_html("甲县编码局2023年政府信息公开工作年度报告", "2024-01-20",
                      render.html_body(_report("甲县编码局")), encoding="utf-8").encode("gbk", "replace")
    link("/nb/lying.html", "甲县编码局", "fetched", Resource(lying, "text/html; charset=utf-8"))
    # bad documents: archived, stored with flags that say what could not be read
    link("/nb/empty.html", "甲县空白局", "fetched", Resource(b"", "text/html; charset=utf-8"))
    link("/nb/malformed.html", "甲县残缺局", "fetched", Resource(_page("甲县残缺局")[:-4000] + "<table><tr><td>规章<td>1<tr><td>".encode()))
    img = page_html("甲县图片局2023年政府信息公开工作年度报告", "2024-01-20",
                    "<p>一、总体情况</p><p>见下图。</p><p><img src='/nb/t2.png'/></p><p><img src='/nb/t3.png'/></p>").encode()
    link("/nb/images.html", "甲县图片局", "fetched", Resource(img))
    for name, blob, ctype in (
        ("corrupt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF", "application/pdf"),
        ("truncpdf", render.pdf_bytes(_report("甲县半截局"))[:2000], "application/pdf"),
        ("fakedocx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("bomb", _zip_bomb(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ):
        agency = {"corrupt": "甲县损坏局", "truncpdf": "甲县半截局", "fakedocx": "甲县伪装局", "bomb": "甲县炸弹局"}[name]
        ext = "docx" if "docx" in ctype else "pdf"
        att = f"/nb/files/{name}.{ext}"
        site.add(att, Resource(blob, ctype))
        title = f"{agency}2023年政府信息公开工作年度报告"
        body = f"<p>详见附件。</p>"
        link(f"/nb/{name}.html", agency, "fetched", Resource(page_html(title, "2024-01-20", body, attachments=[(att, f"{title}.{ext}")]).encode()))
    site.html("/nb/index.html", list_html("政府信息公开年报", entries))
    site.robots = "User-agent: *\nDisallow: /private/\n"
    site.expected_outcomes = outcomes
    return site


# --------------------------------------------------------------------------------------------
# Hostile portals: the cases of issue #16, each reproduced on loopback.


def _title(agency: str, year: int = 2023) -> str:
    return f"{agency}{year}年政府信息公开工作年度报告"


def hostile_site(elsewhere: str, local_file: str) -> Site:
    """A list page an adversarial portal could serve.

    ``elsewhere`` is the base URL of another (loopback) host, ``local_file`` a path on the
    crawling machine. ``site.expected_outcomes`` maps each URL taken for a report (paths on this
    site, full URLs otherwise) to ``stored``, ``refused`` (a documents row saying why it was not
    requested) or ``failed``; ``site.shared_attachment_pages`` are the report pages that all link
    one attachment; ``site.flagged`` maps report pages to the attachment their flag must name.
    """
    site = Site(name="hostile")
    entries: list[tuple[str, str, str]] = []
    outcomes: dict[str, str] = {}

    def link(href: str, agency: str, outcome: str, res: Resource | None = None):
        entries.append((href, _title(agency), "2024-01-20"))
        outcomes[href] = outcome
        if res is not None:
            site.add(href, res)

    # odd schemes first: each used to raise ValueError and drop the rest of the list page
    local = "file://" + local_file
    link("JavaScript:openReport(1)", "乙县脚本局", "refused")
    link("vbscript:msgbox(1)", "乙县旧脚本局", "refused")
    link("tel:025-12345678", "乙县电话局", "refused")
    link("mailto:gk@example.gov.cn", "乙县邮件局", "refused")
    link(local, "乙县本地局", "refused")
    data_page = page_html(_title("乙县数据局"), "2024-01-20", render.html_body(_report("乙县数据局")))
    link("data:text/html;charset=utf-8," + data_page.replace("#", "%23").replace('"', "'").replace("\n", " "), "乙县数据局", "refused")
    # off-site: a report-titled link to another host, and a report that redirects there
    link(elsewhere + "/nb/report.html", "乙县外站局", "refused")
    link("/hx/away.html", "乙县跳转局", "failed", Resource(redirect_to=elsewhere + "/nb/away.html"))
    # ordinary reports after them: must all be stored
    for n, agency in enumerate(("乙县人民政府", "乙县教育局")):
        link(f"/hx/report-{n}.html", agency, "stored", Resource(_page(agency)))
    # several pages linking the same attachment (pages with no tables of their own)
    shared = "/hx/files/shared.pdf"
    site.add(shared, Resource(render.pdf_bytes(_report("乙县合订局")), "application/pdf"))
    site.shared_attachment_pages = []
    for n, agency in enumerate(("乙县合订局", "乙县合订一局", "乙县合订二局")):
        path = f"/hx/shared-{n}.html"
        body = page_html(_title(agency), "2024-01-20", "<p>详见附件。</p>", attachments=[(shared, "年度报告.pdf")])
        link(path, agency, "stored", Resource(body.encode()))
        site.shared_attachment_pages.append(path)
    # attachments that fail: the report is stored from its page, flagged
    site.flagged = {}
    loop_page = page_html(_title("乙县环路局"), "2024-01-20", render.html_body(_report("乙县环路局")),
                          attachments=[("/hx/files/loop-1.pdf", "附件.pdf")])
    link("/hx/attloop.html", "乙县环路局", "stored", Resource(loop_page.encode()))
    site.add("/hx/files/loop-1.pdf", Resource(redirect_to="/hx/files/loop-2.pdf"))
    site.add("/hx/files/loop-2.pdf", Resource(redirect_to="/hx/files/loop-1.pdf"))
    site.flagged["/hx/attloop.html"] = "/hx/files/loop-1.pdf"
    gone_page = page_html(_title("乙县丢失局"), "2024-01-20", "<p>详见附件。</p>", attachments=[("/hx/files/missing.pdf", "附件.pdf")])
    link("/hx/att404.html", "乙县丢失局", "stored", Resource(gone_page.encode()))
    site.flagged["/hx/att404.html"] = "/hx/files/missing.pdf"
    local_att = page_html(_title("乙县附件局"), "2024-01-20", render.html_body(_report("乙县附件局")),
                          attachments=[(local + ".pdf", "附件.pdf"), (elsewhere + "/files/x.pdf", "附件2.pdf")])
    link("/hx/localatt.html", "乙县附件局", "stored", Resource(local_att.encode()))
    site.html("/hx/index.html", list_html("政府信息公开年报", entries))
    site.expected_outcomes = outcomes
    return site


def elsewhere_site() -> Site:
    """Another host: whatever the crawl asks of it is logged (it should ask nothing)."""
    site = Site(name="elsewhere")
    for path in ("/nb/report.html", "/nb/away.html"):
        site.add(path, Resource(_page("外站")))
    site.add("/files/x.pdf", Resource(render.pdf_bytes(_report("外站")), "application/pdf"))
    return site


def retry_after_site(first_wait: str, agency: str = "丙县限流局", status: int = 429) -> Site:
    """A report page that answers ``status`` with ``Retry-After: first_wait`` once, then the page."""
    site = Site(name="retry-after")
    path = "/ra/report.html"
    hits = {"n": 0}
    page = _page(agency)

    def answer(method, query, form):
        hits["n"] += 1
        if hits["n"] == 1:
            return Resource(b"slow down", "text/plain", status=status, headers={"Retry-After": first_wait})
        return Resource(page)

    site.add(path, Resource(handler=answer))
    site.add("/ra/other.html", Resource(_page("丙县其他局")))
    site.html("/ra/index.html", list_html("政府信息公开年报", [(path, _title(agency), "2024-01-20"),
                                                              ("/ra/other.html", _title("丙县其他局"), "2024-01-20")]))
    return site


def robots_fault_site(status: int) -> Site:
    """A column whose robots.txt answers ``status`` (and would disallow nothing if read as a body)."""
    site = Site(name=f"robots-{status}")
    site.add("/robots.txt", Resource(b"User-agent: *\nDisallow:\n", "text/plain", status=status))
    entries = []
    for n, agency in enumerate(("丁县人民政府", "丁县教育局")):
        path = f"/rb/report-{n}.html"
        site.add(path, Resource(_page(agency)))
        entries.append((path, _title(agency), "2024-01-20"))
    site.html("/rb/index.html", list_html("政府信息公开年报", entries))
    return site


def endless_columns_site(sub_columns: int = 30, pages_per_column: int = 50, growing_pages: int = 400) -> Site:
    """List pages without end, two ways (TRS pagination through ``createPageHTML``):
    ``/many/`` links ``sub_columns`` sub-columns (部门年报 1 …) of ``pages_per_column`` pages each;
    ``/grow/`` is a column whose page count grows by one on every page read."""
    site = Site(name="endless")

    def trs_page(title, n, total, subs=()):
        script = f'<script type="text/javascript">createPageHTML({total}, {n}, "index", "html");</script>'
        return list_html(title, [], extra=script, sub_columns=subs)

    subs = [(f"/many/c{k}/index.html", f"部门年报{k}") for k in range(sub_columns)]
    site.html("/many/index.html", trs_page("政府信息公开年报", 0, 1, subs))
    for k in range(sub_columns):
        for n in range(pages_per_column):
            name = "index.html" if n == 0 else f"index_{n}.html"
            site.html(f"/many/c{k}/{name}", trs_page(f"部门年报{k}", n, pages_per_column))
    for n in range(growing_pages):
        name = "index.html" if n == 0 else f"index_{n}.html"
        site.html(f"/grow/{name}", trs_page("政府信息公开年报", n, n + 10))
    return site
