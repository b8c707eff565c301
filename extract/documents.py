"""One document's bytes → a :class:`~extract.report.Report`, whatever its kind.

HTML tables are read from the raw DOM grid (trafilatura pads merged cells with blanks that look
like real blanks); trafilatura gives the prose. PDFs go through pdfplumber (ruled tables first,
then the text lines), DOCX through python-docx. Nothing raises out of :func:`extract_document`:
what could not be read becomes a flag on the report.
"""
from __future__ import annotations

import io
import re
import time
import zipfile

from . import meta
from .checks import evaluate, status
from .layouts import rows_from_text, rows_from_tokens
from .report import Report
from .rows import Row
from .sections import split_sections
from .flattened import read_flattened
from .grids import element_text, html_rows, parse_html, span_volume
from .limits import current as current_limits, limit_flag
from .tables import Tables, read_tables


def sniff(data: bytes, content_type: str | None = None, filename: str | None = None) -> str:
    """The document kind from its bytes first, then its declared type and name."""
    head = data[:2048].lstrip()
    name = (filename or "").lower()
    ct = (content_type or "").lower()
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
            if "word/document.xml" in names:
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
            if "content.xml" in names:
                return "odf"
            if any(n.lower().startswith("doc_") or n.endswith(".ofd") or n == "OFD.xml" for n in names):
                return "ofd"
        except zipfile.BadZipFile:
            return "corrupt-zip"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "wps" if name.endswith(".wps") or "wps" in ct else ("xls" if name.endswith(".xls") or "excel" in ct else "doc")
    if head[:4] in (b"\x89PNG", b"GIF8") or head[:3] == b"\xff\xd8\xff":
        return "image"
    low = head[:2048].lower()
    if b"<html" in low or b"<!doctype" in low or b"<table" in low or b"<body" in low or "html" in ct:
        return "html"
    return "text"


_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes that may lie about their encoding: try the declared charset, then UTF-8, then
    GB18030 (a superset of GBK/GB2312). Returns (text, encoding used)."""
    candidates = []
    if declared:
        candidates.append(declared)
    m = _CHARSET.search(data[:4096])
    if m:
        candidates.append(m.group(1).decode("ascii", "ignore"))
    candidates += ["utf-8", "gb18030"]
    for enc in candidates:
        enc = enc.lower().strip()
        if enc in ("gb2312", "gbk", "x-gbk", "gb_2312-80"):
            enc = "gb18030"
        try:
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("gb18030", errors="replace"), "gb18030+replace"


def extract_document(
    data: bytes,
    *,
    content_type: str | None = None,
    url: str | None = None,
    filename: str | None = None,
    hints: dict | None = None,
    images: dict[str, bytes] | None = None,
    ocr: bool | None = None,
    full_size: int | None = None,
) -> Report:
    """Extract a report from one document. ``hints`` (title, published_date, agency from the list
    page or the crawl's source configuration) fill what the document itself does not say.
    ``images`` are the fetched pictures of an HTML page (address → bytes); ``ocr`` overrides
    ``NIANBAO_OCR`` (tables published as pictures are read unless it is off). ``full_size``: the
    document's size when ``data`` is its beginning only (cut by the caller beyond the HTML/text
    cap, see extract/limits.py)."""
    from .ocr import enabled

    kind = sniff(data, content_type, filename)
    report = Report(kind=kind)
    size = max(len(data), full_size or 0)
    ocr = enabled(ocr)
    try:
        if kind == "html":
            _from_html(data, url, report, images if ocr else None, size)
        elif kind == "pdf":
            _from_pdf(data, report, ocr)
        elif kind == "docx":
            _from_docx(data, report, ocr)
        elif kind == "image" and ocr:
            from .ocr.documents import image_rows

            rows, report.body_text = image_rows(data, report.flags)
            _finish(report, rows)
        elif kind in ("doc", "wps"):
            _from_word97(data, report)
        elif kind == "text":
            text, _ = decode(_clip(data, current_limits().text_bytes, b"\n", "text", report, size))
            report.body_text = text
            _finish(report, rows_from_text(text))
        else:
            what = {"image": "an image (tables published as a picture need OCR)", "corrupt-zip": "a damaged zip container",
                    "xls": "a legacy Excel sheet", "xlsx": "an Excel sheet", "ofd": "an OFD document", "odf": "an OpenDocument file"}.get(kind, repr(kind))
            report.flags.append(f"unsupported document: {what}; bytes archived, nothing extracted")
            _finish(report, [])
    except MemoryError:  # over the worker's memory limit: the pool records it (extract/limits.py)
        raise
    except Exception as e:  # the extractor's promise: flags, never exceptions
        if _out_of_memory(e):  # pdfplumber wraps pdfminer's errors, a MemoryError among them
            raise MemoryError(str(e)) from e
        report.flags.append(f"extraction failed: {type(e).__name__}: {e}")
        try:
            _finish(report, [])
        except Exception:  # pragma: no cover - _finish on empty input cannot fail, but be sure
            pass
    _apply_hints(report, hints or {})
    return report


def _out_of_memory(e: BaseException, depth: int = 0) -> bool:
    if isinstance(e, MemoryError):
        return True
    if depth > 5:
        return False
    inner = [e.__cause__, e.__context__] + [a for a in e.args if isinstance(a, BaseException)]
    return any(x is not None and _out_of_memory(x, depth + 1) for x in inner)


def unread_report(data: bytes, reason: str, *, content_type: str | None = None, filename: str | None = None,
                  hints: dict | None = None) -> Report:
    """The report of a document whose reading was stopped (``reason``: a limit): nothing from its
    bytes but their kind, the hints (list title, date, agency) and the flag."""
    report = Report(kind=sniff(data, content_type, filename), flags=[reason])
    _finish(report, [])
    _apply_hints(report, hints or {})
    return report


def _clip(data: bytes, cap: int, boundary: bytes, what: str, report: Report, size: int = 0) -> bytes:
    """The document cut to ``cap`` bytes at the last ``boundary`` before it (an ASCII byte, never
    inside a UTF-8 or GBK character), flagged; unchanged when under the cap."""
    size = max(size, len(data))
    if size <= cap:
        return data
    cut = data.rfind(boundary, 0, cap)
    report.flags.append(limit_flag(f"{what} of {size / 2**20:.0f} MiB; only the first {cap // 2**20} MiB read"))
    return data[: cut if cut > 0 else cap]


def extract_text(text: str, hints: dict | None = None) -> Report:
    return extract_document(text.encode("utf-8"), content_type="text/plain; charset=utf-8", hints=hints)


# --------------------------------------------------------------------------------------------


def _score(t: Tables) -> tuple[int, int, int]:
    """How much of the tables a reading accounts for: tables found, cells read (a printed blank
    counts: it is a fact about the report), fewer flags. Ties go to the earlier candidate, the
    real grid, so a text reading never wins by shifting numbers into blank cells."""
    cells = [c for tbl in (t.active_disclosure, t.applications, t.review_litigation) for row in tbl.values() for c in row.values()]
    return len(t.found), sum(1 for c in cells if c.status != "missing"), -len(t.flags)


def _finish(report: Report, rows: list[Row], alt_rows: list[Row] | None = None,
            more_text=None) -> None:
    """Tables, sections, checks and metadata from the rows and the body text. ``more_text``: a
    function giving a further text of the same document (an HTML page's own paragraphs), asked
    for only when the readings before fall short, then read the ways the body text is read."""
    tables = read_tables(rows) if rows else Tables()
    candidates = [tables]
    if alt_rows is not None and _score(tables)[:2] < (3, 200):
        candidates.append(read_tables(alt_rows))
    more = more_text() if more_text is not None and _score(max(candidates, key=_score))[:2] < (3, 200) else None
    if more:
        candidates.append(read_tables(rows_from_text(more)))
    texts = [t for t in (report.body_text, more) if t]
    for text in texts:
        if _score(max(candidates, key=_score))[:2] < (3, 150):
            candidates.append(read_tables(rows_from_tokens(text)))
    for text in texts:
        if _score(max(candidates, key=_score))[1] < 150:
            # separators lost altogether: labels and numbers run together
            candidates.append(read_flattened(text))
    tables = max(candidates, key=_score)
    if any(r.extra.get("ocr") for r in rows):
        from .ocr.settle import settle

        settle(tables)  # numbers read from pictures stand only as far as confidence and identities allow
    lines = report.body_text.splitlines()
    if not report.title:
        report.title = meta.find_title(lines)
    agency, _ = meta.parse_title(report.title)
    if agency:
        report.agency, report.agency_source = agency, "title"
    report.year, report.year_source = meta.report_year(report.title, report.body_text)
    if report.agency is None:
        a = meta.agency_from_text(report.body_text)
        if a:
            report.agency, report.agency_source = a, "body"
        else:
            a = meta.signature_agency(lines)
            if a:
                report.agency, report.agency_source = a, "signature"
    if report.published_date is None:
        report.published_date = meta.signature_date(lines)
    if report.year is not None and report.year < 2019 and tables.format == "unknown":
        # a pre-2019 report: its tables (if any) follow no national format; keep them as text
        if tables.found:
            tables.flags.append(f"pre-2019 statistics ({', '.join(sorted(tables.found))}) not in a national format; kept as text only")
        tables = Tables(format="pre2019", flags=tables.flags)
    elif not tables.found:
        if report.year is not None and report.year < 2019:
            tables.format = "pre2019"
        elif report.kind in ("html", "pdf", "docx", "text"):
            tables.flags.append("no statistical table found")
    report.tables = tables
    report.sections = split_sections(report.body_text)
    report.checks = evaluate(tables)
    report.check_status = status(tables, report.checks)


def _apply_hints(report: Report, hints: dict) -> None:
    if hints.get("title") and (not report.title or report.agency in (None, "") or report.agency_source == "page_meta"
                               or report.year is None):
        agency, year = meta.parse_title(hints["title"])
        if agency and (report.agency is None or report.agency_source == "page_meta"):
            report.agency, report.agency_source = agency, "list_title"
        if report.year is None and year:
            report.year, report.year_source = year, "list_title"
        if not report.title:
            report.title = hints["title"]
    if report.agency is None and hints.get("agency"):
        report.agency, report.agency_source = hints["agency"], "source"
    if hints.get("published_date") and not report.published_date:
        report.published_date = meta.parse_date(hints["published_date"])


# --------------------------------------------------------------------------------------------
# HTML


_META_TITLE = ("ArticleTitle", "articletitle", "title", "Title", "og:title")
_META_DATE = ("PubDate", "pubdate", "publishdate", "PublishDate", "firstpublishedtime", "article:published_time")
_META_AGENCY = ("ContentSource", "contentsource", "Source", "source", "author", "Author")
_PAGE_AGENCY = re.compile(r"(?:来源|发布机构|发文机关|信息来源)\s*[:：]\s*([\u4e00-\u9fff（）()]{3,40}?)(?:\s|$|[|｜]|发布|日期|时间|浏览)")
_PAGE_DATE = re.compile(r"(?:发布日期|发布时间|发文日期|成文日期|日期)\s*[:：]?\s*((?:19|20)\d{2}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2})")


def _from_html(data: bytes, url: str | None, report: Report, images: dict[str, bytes] | None = None, size: int = 0) -> None:
    text, _enc = decode(_clip(data, current_limits().html_bytes, b"<", "HTML", report, size))
    root = parse_html(text)
    metas = {}
    for m in root.iter("meta"):
        k = m.get("name") or m.get("property") or m.get("http-equiv")
        if k and m.get("content"):
            metas.setdefault(k, m.get("content").strip())
    title = next((metas[k] for k in _META_TITLE if metas.get(k)), None)
    if not title:
        t = root.find(".//title")
        title = element_text(t).strip() if t is not None else ""
    report.title = _clean_page_title(title or "")
    date = next((metas[k] for k in _META_DATE if metas.get(k)), None)
    page_text = element_text(root)
    if not date:
        m = _PAGE_DATE.search(page_text)
        date = m.group(1) if m else None
    report.published_date = meta.parse_date(date)
    report.body_text = _html_body_text(text, root, url)
    if not report.title or "报告" not in report.title:
        h = next((element_text(e).strip() for tag in ("h1", "h2", "h3") for e in root.iter(tag) if "报告" in element_text(e)), None)
        if h:
            report.title = h
    rows = html_rows(root, report.flags)
    if images:
        from .ocr.documents import html_rows as picture_rows

        probe = read_tables(rows) if rows else Tables()
        if len(probe.found) < 3:  # tables missing from the HTML: read them from the page's pictures
            rows = rows + picture_rows(root, url, images, report.flags)
    # trafilatura's text drops repeated short paragraphs (a Word page with one <p> per cell and no
    # <table> printed 规范性文件 89 | 89 | 89 as one 89, most zero cells vanished): the page's own
    # paragraphs, every one kept, are a further reading when neither the grid nor that text suffices
    _finish(report, rows, alt_rows=rows_from_text(report.body_text), more_text=lambda: _paragraph_text(root))
    if report.agency is None:
        # least trusted: what the page's metadata or its 来源 line names (often the portal, not the agency)
        page_agency = next((metas[k] for k in _META_AGENCY if metas.get(k)), None)
        if not page_agency:
            m = _PAGE_AGENCY.search(page_text)
            page_agency = m.group(1) if m else None
        page_agency = meta.clean_agency(page_agency)
        if page_agency and re.search("[\u4e00-\u9fff]", page_agency):
            report.agency, report.agency_source = page_agency, "page_meta"
    pictures = [i for i in root.iter("img") if not re.search(r"logo|icon|banner|ewm|qrcode|share", (i.get("src") or "") + (i.get("class") or ""), re.I)]
    if len(report.tables.found) < 3 and pictures and not images:
        report.flags.append(f"{len(pictures)} image(s) in the page: tables published as pictures need OCR")
    if not data.strip():
        report.flags.append("empty document")


def _clean_page_title(title: str) -> str:
    # "XX2023年政府信息公开工作年度报告_XX市人民政府" → the part that names the report
    parts = re.split(r"\s*[_|｜—–-]{1,2}\s*", title.strip())
    for p in parts:
        if "报告" in p:
            return p.strip()
    return parts[0].strip() if parts else ""


_SPAN_ATTR = re.compile(r"""\s(?:row|col)span\s*=\s*["']?\s*\d*\s*["']?""", re.I)


def _html_body_text(html: str, root, url: str | None) -> str:
    """Prose via trafilatura; tables flattened to tab rows so sections keep their place.
    trafilatura expands spans itself, without a cap: spans claiming more positions than the
    grid cap are dropped from what it reads (the grids were read, capped, by html_rows)."""
    if span_volume(root) > current_limits().doc_grid_cells:
        html = _SPAN_ATTR.sub("", html)
    try:
        import trafilatura

        body = trafilatura.extract(html, url=url, include_tables=True, include_comments=False, favor_recall=True, deduplicate=False)
    except Exception as e:
        if _out_of_memory(e):
            raise MemoryError(str(e)) from e
        body = None
    if body and len(body) > 200:
        return body
    return _plain_text(root)


def _paragraph_text(root) -> str | None:
    """The page's paragraphs one per line, every one kept, outside its grids (read by html_rows)."""
    if root.find(".//p") is None:
        return None
    return _plain_text(root, with_tables=False)


def _plain_text(root, with_tables: bool = True) -> str:
    lines = []
    in_grid = set() if with_tables else {e for t in root.iter("table") for e in t.iter()}
    for el in root.iter("p", "div", "h1", "h2", "h3", "h4", "tr", "li", "pre"):
        if el in in_grid:
            continue
        if el.tag == "tr":
            lines.append("\t".join(element_text(td).strip() for td in el if isinstance(td.tag, str)))
        elif not any(c.tag in ("p", "div", "table", "tr", "pre") for c in el.iterchildren() if isinstance(c.tag, str)):
            t = element_text(el).strip()
            if t:
                lines.append(t)
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# PDF and DOCX


def _from_pdf(data: bytes, report: Report, ocr: bool = False) -> None:
    import pdfplumber

    from .grids import pdf_table_rows
    from .guards import pdf_page_problem

    texts, table_rows, chars, pictured = [], [], [], []
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:
        if _out_of_memory(e):
            raise MemoryError(str(e)) from e
        name = type(e).__name__
        if "Password" in name or "Encrypt" in name:
            report.flags.append("PDF is encrypted (password protected); text not readable")
        else:
            report.flags.append(f"PDF not readable ({name}: {e or 'damaged or truncated file'})")
        _finish(report, [])
        return
    lim = current_limits()
    with pdf:
        if not pdf.pages:
            report.flags.append("PDF not readable (no pages: a damaged or truncated file)")
        if len(pdf.pages) > lim.pdf_pages:
            report.flags.append(limit_flag(f"PDF has {len(pdf.pages)} pages; only the first {lim.pdf_pages} read"))
        if len(pdf.pages) > lim.pdf_table_pages:
            report.flags.append(limit_flag(f"ruled tables read on the first {lim.pdf_table_pages} pages only"))
        started = time.monotonic()
        for i, page in enumerate(pdf.pages[: lim.pdf_pages]):
            if time.monotonic() - started > lim.soft_seconds:
                report.flags.append(limit_flag(f"PDF read for {lim.soft_seconds:g} s (half the time limit); "
                                               f"pages {i + 1}–{min(len(pdf.pages), lim.pdf_pages)} not read"))
                break
            problem = pdf_page_problem(page.page_obj, lim)
            if problem:
                report.flags.append(limit_flag(f"PDF page {i + 1} skipped: {problem}"))
                continue
            texts.append(page.extract_text() or "")
            chars.append(len(page.chars))
            area = float(page.width * page.height) or 1.0
            if any(abs((im["x1"] - im["x0"]) * (im["bottom"] - im["top"])) > 0.2 * area for im in page.images):
                pictured.append(i)
            if i < lim.pdf_table_pages:
                for j, t in enumerate(page.extract_tables()):
                    table_rows.extend(pdf_table_rows(t, f"pdf page {i + 1} table {j + 1}"))
            page.close()  # its layout objects: 200 pages kept cost GBs
    from .ocr.documents import pdf_rows, scanned_pages

    scanned = scanned_pages(chars)
    if ocr and not scanned and pictured and len(read_tables(table_rows).found if table_rows else ()) < 3:
        scanned = pictured  # a text PDF whose tables were pasted in as pictures
    if scanned and ocr:
        table_rows.extend(pdf_rows(data, scanned, report.flags, texts))
    report.body_text = "\n".join(texts)
    if not (scanned and ocr) and not report.body_text.strip() and texts:
        report.flags.append("PDF has no text layer (scanned or image-only); tables not readable without OCR")
    _finish(report, table_rows, alt_rows=rows_from_text(report.body_text))


def _from_word97(data: bytes, report: Report) -> None:
    from .worddoc import NotWordDocument, doc_text

    try:
        cut: list = []
        report.body_text = doc_text(data, max_chars=current_limits().text_bytes, cut=cut)
        if cut:
            report.flags.append(limit_flag(f"Word 97 piece table claims {cut[0]:,} characters; "
                                           f"only the first {current_limits().text_bytes:,} assembled"))
    except (NotWordDocument, OSError, ValueError) as e:  # olefile raises OSError on a broken container
        report.flags.append(f"legacy Word/WPS file not readable: {e}")
        _finish(report, [])
        return
    _finish(report, rows_from_tokens(report.body_text))


def _from_docx(data: bytes, report: Report, ocr: bool = False) -> None:
    import docx

    from .guards import zip_problem

    problem = zip_problem(data, current_limits())
    if problem:
        report.flags.append(problem)
        _finish(report, [])
        return
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from .grids import docx_rows, docx_table_fits

    document = docx.Document(io.BytesIO(data))
    lines = []
    tables = 0
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            tables += 1
            if not docx_table_fits(block, tables - 1, report.flags):
                continue
            for row in Table(block, document).rows:
                cells, prev = [], None
                for c in row.cells:
                    if c._tc is not prev:
                        cells.append(c.text.strip())
                    prev = c._tc
                lines.append("\t".join(cells))
    report.body_text = "\n".join(lines)
    rows = docx_rows(document, report.flags)
    if ocr and len((read_tables(rows) if rows else Tables()).found) < 3:
        from .ocr.documents import docx_rows as picture_rows

        rows = rows + picture_rows(document, report.flags)  # tables pasted as pictures
    _finish(report, rows, alt_rows=rows_from_text(report.body_text))
