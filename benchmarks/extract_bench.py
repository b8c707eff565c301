"""Extraction: speed per core, the table extractor's share, and accuracy against a naive baseline.

    python benchmarks/extract_bench.py [--n 2000]

Over a generated corpus (benchmarks/generated.py, cached in benchmarks/.cache/) in every layout:
  * whole extract stage (extract_document: sniff, decode, text, tables, checks, sections), reports/s;
  * table extractor alone on the HTML pages (parse + grid + read_tables + checks) against
    trafilatura alone on the same pages (goal: tables ≤ 10% of trafilatura's time);
  * accuracy: share of the true cells read exactly, ours against a naive baseline that fills the
    cells, in order, with the numbers of the text after the table-二 heading.
Single process, one core.
"""
from __future__ import annotations

import argparse
import pickle
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import generated  # noqa: E402

NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")


def load(n: int) -> list[dict]:
    cache = HERE / ".cache" / f"extract_{n}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    t = time.perf_counter()
    docs = generated.generate(n)
    cache.parent.mkdir(exist_ok=True)
    cache.write_bytes(pickle.dumps(docs))
    print(f"generated {n} documents in {time.perf_counter() - t:.0f} s (cached in {cache})", file=sys.stderr)
    return docs


def truth(doc) -> dict:
    return generated.truth_cells(doc["report"])


def naive(text: str, keys: list) -> dict:
    start = text.find("主动公开政府信息情况")
    nums = [float(n.replace(",", "")) for n in NUMBER.findall(text[max(start, 0):])]
    return {k: (nums[i] if i < len(nums) else None) for i, k in enumerate(keys)}


def score(got: dict, want: dict) -> tuple[int, int, bool]:
    ok = sum(1 for k, v in want.items() if got.get(k) is not None and abs(float(got[k]) - float(v)) < 1e-9)
    return ok, len(want), ok == len(want)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    a = ap.parse_args()
    docs = load(a.n)

    import trafilatura

    from extract.checks import evaluate
    from extract.documents import extract_document
    from extract.grids import html_rows, parse_html
    from extract.tables import read_tables

    extract_document(docs[0]["data"])  # warm imports
    per_layout = defaultdict(lambda: {"n": 0, "t": 0.0, "ours": [0, 0, 0], "naive": [0, 0, 0]})
    t0 = time.perf_counter()
    for d in docs:
        t = time.perf_counter()
        r = extract_document(d["data"])
        dt = time.perf_counter() - t
        want = truth(d)
        s = per_layout[d["layout"]]
        s["n"] += 1
        s["t"] += dt
        for name, got in (("ours", generated.truth_cells(r.to_json())), ("naive", naive(r.body_text, list(want)))):
            ok, total, exact = score(got, want)
            s[name][0] += ok
            s[name][1] += total
            s[name][2] += exact
    whole = time.perf_counter() - t0

    html = [d["data"].decode("utf-8") for d in docs if d["layout"].startswith("html")]
    # interleaved page by page, so a change in machine load affects both sides alike
    t_tables = t_traf = 0.0
    for page in html:
        t = time.perf_counter()
        root = parse_html(page)
        evaluate(read_tables(html_rows(root)))
        t_tables += time.perf_counter() - t
        t = time.perf_counter()
        trafilatura.extract(page, include_tables=True)
        t_traf += time.perf_counter() - t

    print(f"\nExtraction over {len(docs)} generated reports (one core)\n")
    print("| layout | reports | reports/s | cells exact (ours) | reports all exact (ours) | cells exact (naive) | reports all exact (naive) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    tot = {"n": 0, "t": 0.0, "ours": [0, 0, 0], "naive": [0, 0, 0]}
    for layout in generated.LAYOUTS:
        s = per_layout[layout]
        for k in ("n", "t"):
            tot[k] += s[k]
        for name in ("ours", "naive"):
            tot[name] = [x + y for x, y in zip(tot[name], s[name])]
        print(_row(layout, s))
    print(_row("**all**", tot))
    print(f"\nwhole extract stage: {len(docs) / whole:.1f} reports/s per core ({whole:.1f} s)")
    print(f"HTML pages ({len(html)}): table extractor {len(html) / t_tables:.1f} pages/s, "
          f"trafilatura {len(html) / t_traf:.1f} pages/s; tables cost {100 * t_tables / t_traf:.1f}% of trafilatura's time (goal ≤ 10%)")


def _row(name, s):
    o, nv = s["ours"], s["naive"]
    return (f"| {name} | {s['n']} | {s['n'] / s['t']:.1f} | {100 * o[0] / o[1]:.2f}% | {100 * o[2] / s['n']:.1f}% | "
            f"{100 * nv[0] / nv[1]:.2f}% | {100 * nv[2] / s['n']:.1f}% |")


if __name__ == "__main__":
    main()
