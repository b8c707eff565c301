"""Charts of canned queries as SVG, drawn on the server: a title, labelled axes, a legend and a
readable width, which datasette-vega's configured links could not give (its URL settings have no
title or width, and an ordinal axis of six years drew 130 px wide). Specs: data/charts.toml."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from markupsafe import escape

WIDTH, HEIGHT = 860, 420
LEFT, RIGHT, TOP, BOTTOM = 70, 190, 50, 50
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]


@cache
def specs() -> dict[str, dict]:
    raw = tomllib.loads((Path(__file__).resolve().parent / "data" / "charts.toml").read_text(encoding="utf-8"))
    return {c["name"]: c for c in raw["charts"]}


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1
    import math

    step = 10 ** math.floor(math.log10(v))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if v <= m * step * 1.005:  # shares summing to 1.001 by rounding stay on a 0–1 axis
            return m * step
    return 10 * step


def svg(spec: dict, rows: list[dict]) -> str:
    """The chart of ``rows`` (dicts) as an SVG document."""
    x, y, color, mark = spec["x"], spec["y"], spec.get("color"), spec["mark"]
    xs = list(dict.fromkeys(r[x] for r in rows if r.get(x) is not None))
    series = list(dict.fromkeys(r[color] for r in rows)) if color else [y]
    value = {(r[x], r[color] if color else y): (r.get(y) or 0) for r in rows if r.get(x) is not None}
    if mark == "stacked":
        top = max((sum(value.get((a, s), 0) for s in series) for a in xs), default=0)
    else:
        top = max(value.values(), default=0)
    ymax = _nice_max(top)
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    band = pw / max(len(xs), 1)

    def px(i):
        return LEFT + band * (i + 0.5)

    def py(v):
        return TOP + ph - ph * (v / ymax)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'font-family="sans-serif" font-size="12" role="img" aria-label="{escape(spec["title"])}">',
           f'<title>{escape(spec["title"])}</title>',
           f'<text class="chart-title" x="{WIDTH / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">{escape(spec["title"])}</text>']
    for k in range(6):  # y axis and grid
        v = ymax * k / 5
        label = f"{v:g}" if ymax < 10 else f"{int(v):,}"
        out.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{py(v):.1f}" y2="{py(v):.1f}" stroke="#ddd"/>'
                   f'<text x="{LEFT - 6}" y="{py(v) + 4:.1f}" text-anchor="end">{label}</text>')
    out.append(f'<text x="16" y="{TOP + ph / 2}" transform="rotate(-90 16 {TOP + ph / 2})" text-anchor="middle">{escape(spec.get("y_label", y))}</text>')
    for i, a in enumerate(xs):
        out.append(f'<text x="{px(i):.1f}" y="{TOP + ph + 18}" text-anchor="middle">{escape(str(a))}</text>')
    out.append(f'<text x="{LEFT + pw / 2}" y="{HEIGHT - 8}" text-anchor="middle">{escape(x)}</text>')
    for j, s in enumerate(series):
        c = PALETTE[j % len(PALETTE)]
        if mark == "line":
            pts = " ".join(f"{px(i):.1f},{py(value.get((a, s), 0)):.1f}" for i, a in enumerate(xs))
            out.append(f'<polyline class="series" points="{pts}" fill="none" stroke="{c}" stroke-width="2.5"/>')
            out += [f'<circle cx="{px(i):.1f}" cy="{py(value.get((a, s), 0)):.1f}" r="3.5" fill="{c}"><title>{escape(str(a))}: '
                    f'{value.get((a, s), 0):g}</title></circle>' for i, a in enumerate(xs)]
        for i, a in enumerate(xs):
            v = value.get((a, s), 0)
            if mark == "stacked":
                below = sum(value.get((a, t), 0) for t in series[:j])
                out.append(f'<rect class="bar" x="{px(i) - band * 0.35:.1f}" y="{py(below + v):.1f}" width="{band * 0.7:.1f}" '
                           f'height="{py(below) - py(below + v):.1f}" fill="{c}"><title>{escape(str(a))} {escape(str(s))}: {v:g}</title></rect>')
            elif mark in ("bar", "grouped"):
                w = band * 0.8 / len(series)
                out.append(f'<rect class="bar" x="{px(i) - band * 0.4 + j * w:.1f}" y="{py(v):.1f}" width="{w:.1f}" '
                           f'height="{TOP + ph - py(v):.1f}" fill="{c}"><title>{escape(str(a))} {escape(str(s))}: {v:g}</title></rect>')
        if color:
            ly = TOP + 16 * j
            out.append(f'<rect x="{WIDTH - RIGHT + 16}" y="{ly}" width="12" height="12" fill="{c}"/>'
                       f'<text x="{WIDTH - RIGHT + 34}" y="{ly + 10}">{escape(str(s))}</text>')
    out.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{TOP + ph}" y2="{TOP + ph}" stroke="#333"/></svg>')
    return "\n".join(out)
