"""Peak memory and wall time of each hostile document of issue #16, read under the limits.

Each case runs in a fresh one-worker ExtractPool after a warm-up document, so its time is the
reading alone and its peak is that worker's (ru_maxrss, or VmHWM of a killed one). ``--lift-caps``
lifts the caps inside the readers to show what the worker's time and memory limits alone do.
``--crawl`` also crawls the hostile portal (nianbao/portal/hostile_docs.py) and prints the
crawl's wall time and the peak RSS over the crawl and its workers (getrusage RUSAGE_CHILDREN of
a wrapper process).

    .venv/bin/python benchmarks/hostile_bench.py [--crawl] [--lift-caps] [--timeout 120] [--memory 2048]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.limits import ExtractPool, Limits  # noqa: E402
from nianbao import render  # noqa: E402
from nianbao.portal import hostile_docs as h  # noqa: E402
from nianbao.synthetic import synthetic_report  # noqa: E402

MiB = 1 << 20
CASES = {
    "PDF, page stream inflating to 200 MB": lambda: h.pdf_stream_bomb(),
    "DOCX, 190 MiB XML, zip declares 1 MiB": lambda: h.docx_xml_bomb(),
    "HTML, 400 cells rowspan=colspan=200": lambda: h.span_bomb_html(),
    "PDF, 200 ruled pages": lambda: h.ruled_pdf(),
    "PDF, one page of 40,000 rectangles": lambda: h.rect_pdf(),
    "DOCX, table claiming 2 M grid positions": lambda: h.docx_span_bomb(),
    "HTML, 200 MB": lambda: h.big_html(200 * MiB),
    "text, 200 MB": lambda: h.big_text(200 * MiB),
}


def one(name: str, make, limits: Limits) -> dict:
    data = make()
    warm = render.docx_bytes(synthetic_report("示范县民政局", 2023))
    with ExtractPool(limits) as pool:
        pool.extract(warm)
        t0 = time.monotonic()
        out = pool.extract(data, filename="x.txt" if name.startswith("text") else None)
        wall = time.monotonic() - t0
    flags = [f for f in (out.report.flags if out.report else [out.limit]) if "limit" in f]
    return {"case": name, "size": len(data), "seconds": wall, "peak_mib": out.peak_rss_kb / 1024, "outcome": "; ".join(flags) or "read"}


def crawl(limits_args: list[str]) -> dict:
    from nianbao.portal import PortalServer

    site, _ = h.hostile_site()
    with tempfile.TemporaryDirectory() as tmp, PortalServer(site) as server:
        wrapper = ("import resource, subprocess, sys, json, time; t = time.monotonic(); "
                   "p = subprocess.run([sys.executable, '-m', 'nianbao.cli', *sys.argv[1:]], capture_output=True, text=True); "
                   "print(json.dumps({'rc': p.returncode, 'seconds': time.monotonic() - t, 'out': p.stdout, "
                   "'maxrss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))")
        args = ["crawl", "--start-url", server.url("/gknb/index.html"), "--db", os.path.join(tmp, "c.db"), *limits_args]
        p = subprocess.run([sys.executable, "-c", wrapper, *args], capture_output=True, text=True, cwd=ROOT,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
        return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=float, default=Limits().timeout)
    ap.add_argument("--memory", type=int, default=Limits().memory_mb)
    ap.add_argument("--lift-caps", action="store_true", help="caps inside the readers off: only time and memory limits")
    ap.add_argument("--crawl", action="store_true")
    ap.add_argument("--only", help="run only the cases whose name contains this")
    a = ap.parse_args()
    limits = Limits(timeout=a.timeout, memory_mb=a.memory, workers=1)
    if a.lift_caps:
        big = 10**12
        limits = Limits(timeout=a.timeout, memory_mb=a.memory, workers=1, html_bytes=big, text_bytes=big, zip_member_bytes=big,
                        zip_total_bytes=big, pdf_pages=10**6, pdf_table_pages=10**6, pdf_stream_bytes=big, pdf_page_paths=big, grid_cells=big,
                        doc_grid_cells=big)
    print(f"limits: timeout {limits.timeout:g} s, memory {limits.memory_mb} MiB per worker" + (", caps lifted" if a.lift_caps else ", default caps"))
    print(f"{'case':42} {'bytes':>11} {'seconds':>8} {'peak MiB':>9}  outcome")
    for name, make in CASES.items():
        if a.only and a.only not in name:
            continue
        r = one(name, make, limits)
        print(f"{r['case']:42} {r['size']:>11,} {r['seconds']:>8.1f} {r['peak_mib']:>9.0f}  {r['outcome'][:150]}")
    if a.crawl:
        r = crawl(["--extract-timeout", str(a.timeout), "--extract-memory", str(a.memory)])
        print(f"crawl of the hostile portal: exit {r['rc']}, {r['seconds']:.1f} s, peak RSS over the crawl and its workers "
              f"{r['maxrss_kb'] / 1024:.0f} MiB")
        for line in r["out"].splitlines():
            print("  " + line)


if __name__ == "__main__":
    main()
