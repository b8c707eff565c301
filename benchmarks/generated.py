"""A generated corpus for the benchmarks: synthetic reports (fictional agencies) rendered in every
layout the extractor reads, each with its true numbers."""
from __future__ import annotations

import random

from nianbao import render
from nianbao.synthetic import synthetic_report

LAYOUTS = ["html", "html-split", "html-subtotal", "tab_rows", "cell_per_line", "pipe", "docx", "pdf"]


def page(report: dict, body: str) -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{render.title_of(report)}</title></head>'
            f'<body><div class="nav">首页 | 政务公开</div><div class="article">{body}</div>'
            f'<div class="footer">主办：示范县人民政府办公室</div></body></html>').encode("utf-8")


def document(report: dict, layout: str) -> bytes:
    if layout == "html":
        return page(report, render.html_body(report))
    if layout == "html-split":
        return page(report, render.html_body(report, split_table_3=True))
    if layout == "html-subtotal":
        return page(report, render.html_body(report, subtotal=True))
    if layout in ("tab_rows", "cell_per_line", "pipe"):
        return render.text_dump(report, layout).encode("utf-8")
    if layout == "docx":
        return render.docx_bytes(report)
    if layout == "pdf":
        return render.pdf_bytes(report)
    raise ValueError(layout)


def generate(n: int, seed: int = 1) -> list[dict]:
    """n reports, layouts in turn, both formats, with their truth."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        layout = LAYOUTS[i % len(LAYOUTS)]
        fmt = "2021" if rng.random() < 0.8 else "2019"
        subtotal = layout == "html-subtotal" and fmt == "2021"
        r = synthetic_report(f"示范县第{i}办公室", 2019 + i % 6 if fmt == "2021" else 2019, fmt,
                             seed=i, scale=rng.choice([10, 60, 400]), subtotal=subtotal)
        out.append({"layout": layout, "report": r, "data": document(r, layout)})
    return out


def truth_cells(report: dict) -> dict[tuple, float]:
    """Every number of tables 二, 三, 四 keyed (table, row, column): of a synthetic report, or of the
    canonical JSON of an extraction (the same shape)."""
    cells = {}
    for item, ms in report["active_disclosure"].items():
        for m, v in ms.items():
            cells[("二", item, m)] = v
    for row, vals in report["applications"].items():
        for c, v in enumerate(vals):
            cells[("三", row, c)] = v
    for p, vals in report["review_litigation"].items():
        for c, v in enumerate(vals):
            cells[("四", p, c)] = v
    return cells
