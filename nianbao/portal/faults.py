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
