"""Crawl: pages/s and peak memory over generated mock portals on loopback; scaling 1k → 10k
reports (and, within the larger crawl, the time per 1,000 reports from first to last); requests
of a re-crawl after 5% new reports, as a share of the first crawl's.

    python benchmarks/crawl_bench.py [--sizes 1000,10000] [--recrawl 2000]

Each crawl is the real command line (`nianbao crawl`, a TRS-style portal with 20 reports per list
page, politeness delays off as for every loopback crawl), in a child process whose peak RSS is read
with wait4(). Every report page is extracted and stored as it arrives, as in production.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from nianbao.portal import PortalServer  # noqa: E402
from nianbao.portal.builders import Listed, trs_site  # noqa: E402
from nianbao.synthetic import synthetic_report  # noqa: E402


def items(n: int, start: int = 0) -> list[Listed]:
    out = []
    for i in range(start, start + n):
        day = 1 + i % 28
        out.append(Listed(synthetic_report(f"示范县第{i}单位", 2023, scale=30, seed=i), "html", published=f"2024-02-{day:02d}"))
    return out


def crawl(url: str, db: Path) -> dict:
    cmd = [sys.executable, "-m", "nianbao.cli", "crawl", "--start-url", url, "--db", str(db), "--log-level", "ERROR"]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    out = proc.stdout.read().decode()
    if status != 0:
        raise SystemExit(f"crawl failed: {proc.stderr.read().decode()[-2000:]}")
    return {"wall": wall, "peak_mb": usage.ru_maxrss / 1024, "out": out.strip(), "cpu": usage.ru_utime + usage.ru_stime}


def thousands(db: Path) -> list[float]:
    """Seconds each successive 1,000 reports took to be stored, from their ``extracted_at`` times.

    Within one run, so a slower or faster machine on another day does not enter the ratio.
    The stamps have whole seconds: each figure is within ±1 s.
    """
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    stamps = [datetime.fromisoformat(t) for (t,) in conn.execute("select extracted_at from reports order by extracted_at")]
    conn.close()
    return [(stamps[k + 999] - stamps[k]).total_seconds() for k in range(0, len(stamps) - 999, 1000)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--recrawl", type=int, default=2000)
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-crawlbench-"))
    rows = []
    for n in [int(x) for x in a.sizes.split(",")]:
        site = trs_site(items(n), per_page=20)
        with PortalServer(site) as server:
            r = crawl(server.url("/zwgk/zfxxgknb/index.html"), tmp / f"c{n}.db")
            r["requests"] = len(server.log)
        r["n"] = n
        rows.append(r)
        print(f"  {n} reports: {r['out']}", file=sys.stderr)
    print("\nCrawl of a generated TRS portal on loopback (delays off)\n")
    print("| reports | requests | wall s | pages/s | CPU s | peak RSS MB | s per 1k reports |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['n']} | {r['requests']} | {r['wall']:.1f} | {r['requests'] / r['wall']:.1f} | {r['cpu']:.1f} | "
              f"{r['peak_mb']:.0f} | {1000 * r['wall'] / r['n']:.1f} |")
    if len(rows) > 1:
        a0, a1 = rows[0], rows[-1]
        print(f"\nscaling {a0['n']} → {a1['n']} reports (×{a1['n'] / a0['n']:.0f}): time ×{a1['wall'] / a0['wall']:.2f}, "
              f"peak memory ×{a1['peak_mb'] / a0['peak_mb']:.2f}")
    for r in rows:
        per = thousands(tmp / f"c{r['n']}.db")
        if len(per) >= 6:  # the first three and the last three thousands do not overlap
            first, last = sum(per[:3]) / 3, sum(per[-3:]) / 3
            print(f"within the {r['n']}-report crawl, s per 1,000 reports stored: {', '.join(f'{x:.0f}' for x in per)}; "
                  f"last three ×{last / first:.2f} the first three")

    if a.recrawl:
        n = a.recrawl
        old = items(n)
        site = trs_site(old, per_page=20)
        db = tmp / "recrawl.db"
        with PortalServer(site) as server:
            port = server.httpd.server_address[1]
            crawl(server.url("/zwgk/zfxxgknb/index.html"), db)
            first = len(server.log)
        grown = trs_site(old + items(n // 20, start=n), per_page=20)  # 5% new reports
        with PortalServer(grown, port=port) as server:
            r = crawl(server.url("/zwgk/zfxxgknb/index.html"), db)
            second = len(server.log)
            pages = sum(1 for _, p, _ in server.log if "index" in p)
        print(f"\nRe-crawl after adding {n // 20} reports to {n}: first crawl {first} requests, second {second} "
              f"({pages} list pages) = {100 * second / first:.1f}% of the first (goal ≤ 10%)  [{r['out']}]")


if __name__ == "__main__":
    main()
