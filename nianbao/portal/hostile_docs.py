"""Documents built to exhaust a reader, generated on demand (never stored), and a portal serving them.

Each reproduces a case of issue #16 ("Stalls today"): a PDF of ~200 KB whose one page stream
inflates to 200 MB; a DOCX whose ``word/document.xml`` inflates to ~190 MiB while its zip headers
declare 1 MiB; a 14 KB table of ``rowspan×colspan`` cells (16 million grid positions); 200 pages
of ruled tables; and HTML or text far larger than any report. The zip-bomb technique (one highly
repetitive member, sizes in the central directory and local header rewritten) is the one
described by David Fifield, "A better zip bomb" (https://www.bamsoftware.com/hacks/zipbomb/);
the PDF variant is a FlateDecode content stream of repeated operators.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

from .. import render
from ..synthetic import synthetic_report
from .builders import Listed, generic_site
from .site import Resource, Site

MiB = 1 << 20


def _deflate_repeated(unit: bytes, total: int, level: int = 9) -> tuple[bytes, int]:
    """zlib-compress ``unit`` repeated to ``total`` bytes without holding them; (compressed, size)."""
    c = zlib.compressobj(level)
    block = unit * max(1, MiB // len(unit))
    out, n = [], 0
    while n + len(block) <= total:
        out.append(c.compress(block))
        n += len(block)
    out.append(c.flush())
    return b"".join(out), n


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered objects (1 = catalog), with a correct xref table."""
    buf = io.BytesIO()
    buf.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(buf.tell())
        buf.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = buf.tell()
    buf.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        buf.write(b"%010d 00000 n \n" % off)
    buf.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return buf.getvalue()


def pdf_stream_bomb(inflated: int = 200 * MiB) -> bytes:
    """A one-page PDF whose content stream (FlateDecode) inflates to ``inflated`` bytes of drawing
    operators (~200 KB for 200 MB)."""
    data, _ = _deflate_repeated(b"0 0 m 1 1 l S\n", inflated)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        stream,
    ])


def docx_xml_bomb(inflated: int = 190 * MiB, declared: int = 1 * MiB) -> bytes:
    """A DOCX whose word/document.xml inflates to ~``inflated`` bytes of paragraphs while the zip's
    local header and central directory both declare ``declared`` bytes."""
    base = render.docx_bytes(synthetic_report("示范县审计局", 2023))
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
    tail = b"<w:sectPr/></w:body></w:document>"
    para = b"<w:p><w:r><w:t>\xe6\x95\xb0</w:t></w:r></w:p>"
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = para * (MiB // len(para))
    parts, n, crc = [c.compress(head)], len(head), zlib.crc32(head)
    while n + len(block) + len(tail) <= inflated:
        parts.append(c.compress(block))
        n += len(block)
        crc = zlib.crc32(block, crc)
    parts += [c.compress(tail), c.flush()]
    n += len(tail)
    crc = zlib.crc32(tail, crc)
    xml = b"".join(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info))
        # a placeholder member of the right compressed size, patched below
        zi = zipfile.ZipInfo("word/document.xml", date_time=(2024, 1, 20, 9, 30, 0))
        zi.compress_type = zipfile.ZIP_STORED
        dst.writestr(zi, b"\0" * len(xml))
    data = bytearray(out.getvalue())
    _patch_member(data, "word/document.xml", xml, crc, declared)
    return bytes(data)


def _patch_member(data: bytearray, name: str, compressed: bytes, crc: int, declared: int) -> None:
    """Put deflated bytes into a stored placeholder member and make both headers declare ``declared``."""
    enc = name.encode()
    local = data.find(b"PK\x03\x04")  # the first local header
    while local >= 0:
        n_len, x_len = struct.unpack_from("<HH", data, local + 26)
        if bytes(data[local + 30 : local + 30 + n_len]) == enc:
            break
        local = data.find(b"PK\x03\x04", local + 4)
    start = local + 30 + n_len + x_len
    data[start : start + len(compressed)] = compressed
    struct.pack_into("<HH", data, local + 8, 8, 0)  # method deflate
    struct.pack_into("<III", data, local + 14, crc, len(compressed), declared)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        n_len = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + n_len]) == enc:
            break
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<H", data, central + 10, 8)
    struct.pack_into("<III", data, central + 16, crc, len(compressed), declared)


def span_bomb_html(cells: int = 400, span: int = 200, title: str = "示范县统计局2023年政府信息公开工作年度报告") -> bytes:
    """~14 KB: ``cells`` cells of rowspan=colspan=``span`` over 20 rows — 16 million positions."""
    per_row = cells // 20
    rows = "".join("<tr>" + f'<td rowspan="{span}" colspan="{span}">0</td>' * per_row + "</tr>" for _ in range(20))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><h1>{title}</h1><table>{rows}</table></body></html>").encode()


def docx_span_bomb(rows: int = 20, cells: int = 20, span: int = 5000) -> bytes:
    """A small DOCX whose one table's cells each claim ``span`` grid columns (gridSpan): python-docx
    would expand it to rows × cells × span positions (2 million by default)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    d.add_paragraph("示范县统计局2023年政府信息公开工作年度报告")
    table = d.add_table(rows=rows, cols=cells)
    for tr in table._tbl.tr_lst:
        for tc in tr.tc_lst:
            span_el = OxmlElement("w:gridSpan")
            span_el.set(qn("w:val"), str(span))
            tc.get_or_add_tcPr().append(span_el)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def ruled_pdf(pages: int = 200, rows: int = 30, cols: int = 8) -> bytes:
    """``pages`` pages each holding one ruled table of numbers (pdfplumber finds a table on each)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Table, TableStyle

    buf = io.BytesIO()
    story = []
    for p in range(pages):
        t = Table([[str((p * 7 + r * cols + c) % 997) for c in range(cols)] for r in range(rows)])
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
        story += [t, PageBreak()]
    SimpleDocTemplate(buf, pagesize=A4).build(story)
    return buf.getvalue()


def rect_pdf(rects: int = 40_000) -> bytes:
    """One page of ``rects`` small rectangles (~125 KB): pdfplumber's layout and table finder take
    ~30 s on it."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    k = int(rects ** 0.5)
    for i in range(k):
        for j in range(k):
            c.rect(20 + i * 550 / k, 20 + j * 800 / k, 550 / k, 800 / k)
    c.drawString(40, 820, "2023")
    c.showPage()
    c.save()
    return buf.getvalue()


def big_html(size: int) -> bytes:
    """An HTML page of ``size`` bytes: a report heading, then paragraphs."""
    head = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title></head><body>'
            "<h1>示范县档案馆2023年政府信息公开工作年度报告</h1>").encode()
    unit = "<p>一、总体情况。本机关依法做好政府信息公开工作。</p>\n".encode()
    return head + unit * ((size - len(head)) // len(unit)) + b"</body></html>"


def big_text(size: int) -> bytes:
    unit = "本机关依法做好政府信息公开工作，主动公开政府信息。\n".encode()
    return "示范县档案局2023年政府信息公开工作年度报告\n".encode() + unit * (size // len(unit))


# -- the portal ---------------------------------------------------------------------------------

HOSTILE = {
    # name: (layout of the Listed item whose bytes are replaced, generator of them from its title)
    "pdf_stream_bomb": ("pdf", lambda title: pdf_stream_bomb()),
    "docx_xml_bomb": ("docx", lambda title: docx_xml_bomb()),
    "span_bomb": ("html", lambda title: span_bomb_html(title=title)),
    "ruled_pdf_200": ("pdf", lambda title: ruled_pdf()),
    "big_text": ("text", lambda title: big_text(40 * MiB)),
    # a report page of 200 MB, streamed: the crawl's download cap must stop it (no reader sees it)
    "huge_html_page": ("html", None),
}


def hostile_site(names=None, normal: int = 3) -> tuple[Site, dict[str, str]]:
    """A generic portal listing the hostile documents first (as attachments or pages), then
    ``normal`` ordinary reports. Returns the site and {name: path of the hostile document};
    ``site.expected_reports`` holds the reports a crawl must store (every one but the 200 MB
    page, which ``site.expected_outcomes`` expects to fail)."""
    names = list(names or HOSTILE)
    agencies = ["示范县审计局", "示范县统计局", "示范县林业局", "示范县档案局", "示范县气象局", "示范县粮食局", "示范县人防办"]
    items = [Listed(synthetic_report(agencies[k % len(agencies)] + ("" if k < len(agencies) else str(k)), 2023), HOSTILE[n][0],
                    published=f"2024-02-{20 - k:02d}") for k, n in enumerate(names)]
    ordinary = ["示范县人民政府", "示范县教育局", "示范县财政局", "示范县民政局", "示范县交通运输局"]
    items += [Listed(synthetic_report(ordinary[k], 2023), "html" if k % 2 == 0 else "pdf", published=f"2024-01-{20 - k:02d}")
              for k in range(normal)]
    site = generic_site(items)
    paths = {}
    ext = {"pdf": "pdf", "docx": "docx", "text": "txt"}
    for k, n in enumerate(names):
        layout, make = HOSTILE[n]
        path = f"/gknb/content_{5000 + k}.html" if layout == "html" else f"/files/{5000 + k}.{ext[layout]}"
        res: Resource = site.resources[path]
        paths[n] = path
        if make is None:
            res.body, res.stream_bytes = b"", 200 * MiB
            del site.expected_reports[path]
            site.expected_outcomes[path] = "failed"
        else:
            res.body = make(items[k].title)
    return site, paths
