"""Render a report's tables in the layouts real reports come in: the inverse of extraction.

The demo portal, the crawl tests and the round-trip property tests build their documents here.
Tables are laid out as the official formats lay them out (merged header cells, the rowspan of
三、本年度办理结果 …) in a small spanning-grid model, then written as HTML, DOCX, PDF or text.
Values may be numbers, strings as printed ("/", "1,113", "124件") or None (a blank cell).
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from extract.spec import tables

Value = int | float | str | None


@dataclass
class Span:
    text: str
    rowspan: int = 1
    colspan: int = 1


Grid = list[list[Span]]  # rows of the cells that start in them (covered positions are omitted)


def fmt(v: Value) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


# --------------------------------------------------------------------------------------------
# The official layouts as grids


def active_grid(data: dict, fmt_: str) -> Grid:
    spec = tables().active_disclosure[fmt_]
    articles = {
        "2021": [("第二十条第（一）项", ["rules", "normative_documents"]), ("第二十条第（五）项", ["administrative_licensing"]),
                 ("第二十条第（六）项", ["administrative_penalty", "administrative_coercion"]), ("第二十条第（八）项", ["administrative_fees"])],
        "2019": [("第二十条第（一）项", ["rules", "normative_documents"]),
                 ("第二十条第（五）项", ["administrative_licensing", "other_external_services"]),
                 ("第二十条第（六）项", ["administrative_penalty", "administrative_coercion"]), ("第二十条第（八）项", ["administrative_fees"]),
                 ("第二十条第（九）项", ["centralized_procurement"])],
    }[fmt_]
    items = {i.key: i for i in spec}
    grid: Grid = []
    for article, keys in articles:
        grid.append([Span(article, colspan=4)])
        measures = items[keys[0]].measures
        header = [Span("信息内容")] + [Span(m.label) for m in measures]
        if len(measures) < 3:
            header[-1].colspan = 4 - len(measures)
        grid.append(header)
        for k in keys:
            item = items[k]
            vals = data.get(k, {})
            row = [Span(item.label)] + [Span(fmt(vals.get(m.key))) for m in item.measures]
            if len(item.measures) < 3:
                row[-1].colspan = 4 - len(item.measures)
            grid.append(row)
    return grid


_GROUPS_2021 = [("（三）不予公开", 8), ("（四）无法提供", 3), ("（五）不予处理", 5), ("（六）其他处理", 3)]
_GROUPS_2019 = [("（三）不予公开", 8), ("（四）无法提供", 3), ("（五）不予处理", 5)]


def _sub_label(label: str) -> str:
    return label.split(" ")[-1]


def applications_grid(data: dict, fmt_: str, subtotal: bool = False) -> Grid:
    spec = tables()
    rows = spec.application_rows_for(fmt_)
    ncols = 8 if subtotal else 7
    grid: Grid = [
        [Span("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3), Span("申请人情况", colspan=ncols)],
        [Span("自然人", rowspan=2), Span("法人或其他组织", colspan=6 if subtotal else 5), Span("总计", rowspan=2)],
        [Span(t) for t in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")] + ([Span("小计")] if subtotal else []),
    ]

    def values(key):
        v = list(data.get(key) or [None] * ncols)
        return [Span(fmt(x)) for x in v[:ncols]] + [Span("") for _ in range(ncols - len(v))]

    groups = dict(_GROUPS_2021 if fmt_ == "2021" else _GROUPS_2019)
    result_rows = [r for r in rows if r.result] + [r for r in rows if r.key == "total_handled"]
    by_key = {r.key: r for r in rows}
    grid.append([Span(by_key["new_received"].label, colspan=3)] + values("new_received"))
    grid.append([Span(by_key["carried_over"].label, colspan=3)] + values("carried_over"))
    i = 0
    first = True
    while i < len(result_rows):
        r = result_rows[i]
        lead = [Span("三、本年度办理结果", rowspan=len(result_rows))] if first else []
        first = False
        group = next((g for g in groups if r.label.startswith(g)), None)
        if r.key in ("granted", "partially_granted"):
            grid.append(lead + [Span(_sub_label(r.label), colspan=2)] + values(r.key))
            i += 1
        elif r.key in ("other_handling", "total_handled"):
            grid.append(lead + [Span(_sub_label(r.label) if r.key == "other_handling" else r.label, colspan=2)] + values(r.key))
            i += 1
        elif group:
            n = groups[group]
            for j in range(n):
                rr = result_rows[i + j]
                head = [Span(group, rowspan=n)] if j == 0 else []
                grid.append((lead if j == 0 else []) + head + [Span(_sub_label(rr.label))] + values(rr.key))
            i += n
        else:
            grid.append(lead + [Span(_sub_label(r.label), colspan=2)] + values(r.key))
            i += 1
    grid.append([Span(by_key["carried_forward"].label, colspan=3)] + values("carried_forward"))
    return grid


def review_grid(data: dict) -> Grid:
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    grid: Grid = [
        [Span("行政复议", colspan=5), Span("行政诉讼", colspan=10)],
        [Span(o, rowspan=2) for o in outcomes] + [Span("未经复议直接起诉", colspan=5), Span("复议后起诉", colspan=5)],
        [Span(o) for o in outcomes] * 2,
    ]
    vals = []
    for p in ("review", "litigation_direct", "litigation_after_review"):
        v = list(data.get(p) or [None] * 5)
        vals += v[:5] + [None] * (5 - len(v))
    grid.append([Span(fmt(v)) for v in vals])
    return grid


def report_grids(report: dict, subtotal: bool = False) -> dict[str, Grid]:
    f = report.get("format", "2021")
    return {
        "二": active_grid(report.get("active_disclosure", {}), f),
        "三": applications_grid(report.get("applications", {}), f, subtotal=subtotal),
        "四": review_grid(report.get("review_litigation", {})),
    }


def expand(grid: Grid) -> list[list[tuple[str, bool]]]:
    """The grid as positions: (text, is_covered_copy) per column."""
    occupied: dict[tuple[int, int], tuple[str, bool]] = {}
    for r, row in enumerate(grid):
        c = 0
        for span in row:
            while (r, c) in occupied:
                c += 1
            for dr in range(span.rowspan):
                for dc in range(span.colspan):
                    occupied[(r + dr, c + dc)] = (span.text, bool(dr or dc))
            c += span.colspan
    width = max((c for _, c in occupied), default=-1) + 1
    return [[occupied.get((r, c), ("", True)) for c in range(width)] for r in range(len(grid))]


# --------------------------------------------------------------------------------------------
# Prose

SECTION_HEADINGS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def title_of(report: dict) -> str:
    return report.get("title") or f"{report['agency']}{report['year']}年政府信息公开工作年度报告"


def prose(report: dict, no: int) -> str:
    a, y = report["agency"], report["year"]
    texts = {
        1: f"{y}年，{a}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，持续推进政府信息公开工作。",
        2: "",
        3: "",
        4: "",
        5: f"{y}年，{a}政府信息公开工作仍存在公开内容不够全面、解读形式较为单一等问题。下一步将加强培训，规范公开流程。",
        6: f"{a}{y}年度未收取政府信息公开信息处理费。",
    }
    return report.get("prose", {}).get(str(no), texts[no])


# --------------------------------------------------------------------------------------------
# Writers


def _html_table(grid: Grid) -> str:
    out = ['<table border="1" cellspacing="0" cellpadding="0">']
    for row in grid:
        out.append("<tr>")
        for s in row:
            attrs = (f' rowspan="{s.rowspan}"' if s.rowspan > 1 else "") + (f' colspan="{s.colspan}"' if s.colspan > 1 else "")
            text = s.text if s.text else "&nbsp;"
            out.append(f"<td{attrs}><p>{text}</p></td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def html_body(report: dict, subtotal: bool = False, split_table_3: bool = False) -> str:
    grids = report_grids(report, subtotal)
    parts = [f'<h1 class="title">{title_of(report)}</h1>']
    for no, heading in enumerate(SECTION_HEADINGS, 1):
        parts.append(f"<p><strong>{heading}</strong></p>")
        text = prose(report, no)
        if text:
            parts.append(f"<p>{text}</p>")
        key = {2: "二", 3: "三", 4: "四"}.get(no)
        if key:
            grid = grids[key]
            if key == "三" and split_table_3:
                half = 3 + (len(grid) - 3) // 2
                parts.append(_html_table(grid[:half]))
                parts.append("<p>（续表）</p>")
                parts.append(_html_table(grid[:3] + grid[half:]))  # header repeated
            else:
                parts.append(_html_table(grid))
    if report.get("signature_date"):
        parts.append(f'<p style="text-align:right">{report["agency"]}</p><p style="text-align:right">{report["signature_date"]}</p>')
    return "\n".join(parts)


def text_dump(report: dict, style: str = "tab_rows") -> str:
    """A text dump: ``tab_rows`` (PDF to text), ``cell_per_line`` (Word dump) or ``pipe`` rows."""
    lines = [title_of(report)]
    grids = report_grids(report)
    for no, heading in enumerate(SECTION_HEADINGS, 1):
        lines.append(heading)
        text = prose(report, no)
        if text:
            lines.append(text)
        key = {2: "二", 3: "三", 4: "四"}.get(no)
        if not key:
            continue
        for row in expand(grids[key]):
            texts = ["" if copy else t for t, copy in row]
            if style == "cell_per_line":
                lines.extend("\t" + t for t in texts)
                lines.append("")
            elif style == "pipe":
                lines.append("| " + " | ".join(texts) + " |")
            else:
                lines.append("\t".join(texts))
        lines.append("")
    return "\n".join(lines) + "\n"


def docx_bytes(report: dict) -> bytes:
    import docx

    d = docx.Document()
    d.add_heading(title_of(report), level=1)
    grids = report_grids(report)
    for no, heading in enumerate(SECTION_HEADINGS, 1):
        d.add_paragraph(heading)
        text = prose(report, no)
        if text:
            d.add_paragraph(text)
        key = {2: "二", 3: "三", 4: "四"}.get(no)
        if not key:
            continue
        grid = grids[key]
        pos = expand(grid)
        table = d.add_table(rows=len(pos), cols=len(pos[0]))
        table.style = "Table Grid"
        r_occ: set = set()
        for r, row in enumerate(grid):
            c = 0
            for s in row:
                while (r, c) in r_occ:
                    c += 1
                cell = table.cell(r, c)
                if s.rowspan > 1 or s.colspan > 1:
                    cell = cell.merge(table.cell(r + s.rowspan - 1, c + s.colspan - 1))
                cell.text = s.text
                for dr in range(s.rowspan):
                    for dc in range(s.colspan):
                        r_occ.add((r + dr, c + dc))
                c += s.colspan
    if report.get("signature_date"):
        d.add_paragraph(report["agency"])
        d.add_paragraph(report["signature_date"])
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def pdf_bytes(report: dict) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    try:
        pdfmetrics.getFont("STSong-Light")
    except KeyError:
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=9, leading=12, wordWrap="CJK")
    small = ParagraphStyle("cell", fontName="STSong-Light", fontSize=6, leading=7, wordWrap="CJK")
    story = [Paragraph(title_of(report), ParagraphStyle("t", parent=style, fontSize=13, leading=18))]
    grids = report_grids(report)
    for no, heading in enumerate(SECTION_HEADINGS, 1):
        story.append(Paragraph(heading, style))
        text = prose(report, no)
        if text:
            story.append(Paragraph(text, style))
        key = {2: "二", 3: "三", 4: "四"}.get(no)
        if not key:
            continue
        grid = grids[key]
        pos = expand(grid)
        data = [[("" if copy else t) for t, copy in row] for row in pos]
        # long labels wrap inside their cell so the grid stays on the page
        data = [[Paragraph(t, small) if len(t) > 8 else t for t in row] for row in data]
        cmds = [("FONT", (0, 0), (-1, -1), "STSong-Light", 6), ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        occ: set = set()
        for r, row in enumerate(grid):
            c = 0
            for s in row:
                while (r, c) in occ:
                    c += 1
                if s.rowspan > 1 or s.colspan > 1:
                    cmds.append(("SPAN", (c, r), (c + s.colspan - 1, r + s.rowspan - 1)))
                for dr in range(s.rowspan):
                    for dc in range(s.colspan):
                        occ.add((r + dr, c + dc))
                c += s.colspan
        width = len(pos[0])
        col_w = {15: [36] * 15, 10: [60, 70, 110] + [42] * 7, 11: [60, 70, 100] + [38] * 8}.get(width)
        if width == 4:
            col_w = [120, 100, 100, 100]
        t = Table(data, colWidths=col_w, repeatRows=3 if key == "三" else 0)
        t.setStyle(TableStyle(cmds))
        story.append(t)
    if report.get("signature_date"):
        story.append(Paragraph(report["agency"], style))
        story.append(Paragraph(report["signature_date"], style))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=landscape(A4), title=title_of(report)).build(story)
    return buf.getvalue()
