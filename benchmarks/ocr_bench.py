"""OCR of tables published as pictures: cells correct / missing / wrong, and seconds per page.

The project's own renderings of synthetic reports (nianbao.render → PDF → pictures) at several
resolutions and degradations (JPEG, skew, a red seal, all three), read through the same path as a
crawled report page whose tables are pictures (extract_document with the page's images). Gold is
the rendered report. Cells are counted twice: as read (before the identities settle them) and as
stored (after). Confidence of correct and wrong readings is printed for calibrating
``min_confidence`` (extract/data/ocr.toml). onnxruntime runs on one thread (one core per
document, as in a worker pool).

    .venv/bin/python benchmarks/ocr_bench.py                 # 2 reports × 4 resolutions × 5 degradations
    .venv/bin/python benchmarks/ocr_bench.py --reports 1 --dpi 150 200
    .venv/bin/python benchmarks/ocr_bench.py --memory          # address space OCR needs (ocr.toml)

``--memory`` reads four documents (a 3-page scanned PDF, a report page of 3 JPEG pictures, a
300 dpi PNG page, a PNG past ``max_pixels``), each in a fresh process with 1 and 2 recogniser
threads, and prints what the process mapped when OCR began, its peak address space, and the
difference: the need ``address_space_mb`` / ``address_space_per_thread_mb`` cover.
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

os.environ["NIANBAO_OCR_THREADS"] = "1"  # before the engine loads
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extract.cells import parse_cell  # noqa: E402
from extract.documents import extract_document  # noqa: E402
from nianbao import pictures  # noqa: E402
from nianbao.synthetic import synthetic_report  # noqa: E402

DEGRADATIONS = {
    "clean": dict(),
    "jpeg q50": dict(jpeg=50),
    "skew 1.5°": dict(skew=1.5),
    "red seal": dict(seal=True),
    "jpeg+skew+seal": dict(jpeg=60, skew=-1.2, seal=True),
}


def gold_cells(report: dict) -> dict:
    out = {}
    for item, ms in report["active_disclosure"].items():
        for m, v in ms.items():
            out[("active_disclosure", item, m)] = v
    cols = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org", "other_org", "total"]
    for row, vals in report["applications"].items():
        for c, v in zip(cols, vals):
            out[("applications", row, c)] = v
    outs = ["upheld", "corrected", "other", "pending", "total"]
    for p, vals in report["review_litigation"].items():
        for o, v in zip(outs, vals):
            out[("review_litigation", p, o)] = v
    return out


def score(rep, gold: dict) -> dict:
    t = rep.tables
    got = {}
    for name, data in (("active_disclosure", t.active_disclosure), ("applications", t.applications), ("review_litigation", t.review_litigation)):
        for row, cells in data.items():
            for col, c in cells.items():
                got[(name, row, col)] = c
    n = {"cells": len(gold), "correct": 0, "missing": 0, "wrong": 0, "read_correct": 0, "read_wrong": 0, "read_missing": 0,
         "conf_correct": [], "conf_wrong": []}
    for key, want in gold.items():
        c = got.get(key)
        value = c.value if c else None
        if value is None:
            n["missing"] += 1
        elif abs(value - want) < 1e-9:
            n["correct"] += 1
        else:
            n["wrong"] += 1
        as_read = parse_cell(c.raw).value if c is not None and c.raw is not None else None
        if as_read is None:
            n["read_missing"] += 1
        elif abs(as_read - want) < 1e-9:
            n["read_correct"] += 1
            if c.confidence is not None:
                n["conf_correct"].append(c.confidence)
        else:
            n["read_wrong"] += 1
            if c.confidence is not None:
                n["conf_wrong"].append(c.confidence)
    return n


def run(reports: int, dpis: list[int], degradations: list[str]) -> list[dict]:
    if not pictures.has_cjk_font():
        sys.exit("no CJK font for rendering the tables (Debian: apt-get install fonts-wqy-microhei)")
    warm, _ = pictures.encode(pictures.np.full((40, 40, 3), 255, pictures.np.uint8))
    extract_document(warm, ocr=True)  # load the engine outside the timings
    rows = []
    for k in range(reports):
        report = synthetic_report(f"基准县第{k + 1}镇人民政府", 2023, "2021", seed=k, scale=[60, 25, 200][k % 3])
        gold = gold_cells(report)
        for dpi in dpis:
            pages = pictures.page_pictures(report, dpi)
            for name in degradations:
                d = pictures.Degradation(dpi=dpi, **DEGRADATIONS[name])
                images = {}
                for i, page in enumerate(pages):
                    data, _ = pictures.encode(pictures.degrade(page, d, seed=i), d)
                    images[f"http://127.0.0.1/p{i}.img"] = data
                html = pictures.pictures_html(report, list(images)).encode()
                t0 = time.process_time()
                w0 = time.perf_counter()
                rep = extract_document(html, content_type="text/html; charset=utf-8", url="http://127.0.0.1/r.html", images=images)
                cpu, wall = time.process_time() - t0, time.perf_counter() - w0
                n = score(rep, gold)
                n.update(report=k, dpi=dpi, degradation=name, pages=len(pages), cpu_per_page=cpu / len(pages),
                         wall_per_page=wall / len(pages), status=rep.check_status)
                rows.append(n)
                print(f"report {k + 1} {dpi:>3} dpi {name:<15} correct {n['correct']:>3}/{n['cells']} missing {n['missing']:>3} "
                      f"wrong {n['wrong']}  (as read: wrong {n['read_wrong']}, missing {n['read_missing']})  "
                      f"{n['cpu_per_page']:.2f} s/page  {rep.check_status}", flush=True)
    return rows


def summary(rows: list[dict]) -> str:
    out = ["| resolution | degradation | cells | correct | missing | wrong | wrong as read | s/page (1 core) |",
           "|---|---|---|---|---|---|---|---|"]
    keys = []
    for r in rows:
        if (r["dpi"], r["degradation"]) not in keys:
            keys.append((r["dpi"], r["degradation"]))
    for dpi, deg in keys:
        rs = [r for r in rows if r["dpi"] == dpi and r["degradation"] == deg]
        cells = sum(r["cells"] for r in rs)
        c, m, w, rw = (sum(r[x] for r in rs) for x in ("correct", "missing", "wrong", "read_wrong"))
        sec = sum(r["cpu_per_page"] * r["pages"] for r in rs) / sum(r["pages"] for r in rs)
        out.append(f"| {dpi} dpi | {deg} | {cells} | {c} ({100 * c / cells:.1f}%) | {m} | {w} | {rw} | {sec:.2f} |")
    ok = [r for r in rows if r["dpi"] >= 150]
    if ok:
        cells = sum(r["cells"] for r in ok)
        c = sum(r["correct"] for r in ok)
        out.append(f"\nAt ≥150 dpi: {c}/{cells} cells correct ({100 * c / cells:.1f}%), "
                   f"{sum(r['wrong'] for r in ok)} wrong after the identities; "
                   f"{sum(r['cpu_per_page'] * r['pages'] for r in ok) / sum(r['pages'] for r in ok):.2f} s per page on one core.")
    cc = sorted(x for r in rows for x in r["conf_correct"])
    cw = sorted(x for r in rows for x in r["conf_wrong"])
    if cc:
        q = lambda xs, p: xs[min(len(xs) - 1, int(p * len(xs)))]  # noqa: E731
        out.append(f"Confidence of correct readings: 5th percentile {q(cc, 0.05):.2f}, median {q(cc, 0.5):.2f}; "
                   f"wrong readings: {len(cw)}" + (f", highest {max(cw):.2f}, median {q(cw, 0.5):.2f}" if cw else ""))
    return "\n".join(out)


_PROBE = r"""
import json, sys
sys.path.insert(0, sys.argv[3])
from extract import ocr
from extract.documents import extract_document
def vm(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) // 1024
seen = []
room = ocr.room
def probe():
    seen.append(vm("VmSize"))
    return None
import extract.ocr.documents as od
od.room = probe
data = open(sys.argv[1], "rb").read()
kw = json.loads(sys.argv[2])
images = {k: open(v, "rb").read() for k, v in kw.pop("images", {}).items()}
r = extract_document(data, images=images or None, **kw)
print(json.dumps({"at_start": seen[0] if seen else None, "peak": vm("VmPeak"), "hwm": vm("VmHWM"),
                  "tables": "".join(sorted(r.tables.found))}))
"""


def memory(tmp: Path) -> None:
    """Address space of OCR per document kind and recogniser threads (fresh process each)."""
    import json

    report = synthetic_report("基准县人民政府", 2023, "2021", scale=40)
    pages = pictures.page_pictures(report, 150)
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "scan.pdf").write_bytes(pictures.scanned_pdf(pages, 150))
    shots = {}
    for k, img in enumerate(pages):
        d = pictures.Degradation(dpi=150, jpeg=90)
        (tmp / f"p{k}.jpg").write_bytes(pictures.encode(pictures.degrade(img, d), d)[0])
        shots[f"http://127.0.0.1/p{k}.jpg"] = str(tmp / f"p{k}.jpg")
    (tmp / "page.html").write_text(pictures.pictures_html(report, list(shots)), encoding="utf-8")
    p300 = pictures.page_pictures(report, 300)[1]
    (tmp / "p300.png").write_bytes(pictures.encode(p300)[0])
    big = pictures.cv2.resize(p300, None, fx=1.5, fy=1.5)
    (tmp / "big.png").write_bytes(pictures.encode(big)[0])
    jobs = {"scanned PDF, 3 pages": ("scan.pdf", {"filename": "scan.pdf"}),
            "page + 3 JPEG pictures": ("page.html", {"content_type": "text/html; charset=utf-8", "url": "http://127.0.0.1/r.html", "images": shots}),
            f"PNG page 300 dpi ({p300.shape[1]}x{p300.shape[0]})": ("p300.png", {"filename": "p.png"}),
            f"PNG {big.shape[1]}x{big.shape[0]} (scaled to max_pixels)": ("big.png", {"filename": "p.png"})}
    root = str(Path(__file__).resolve().parent.parent)
    print("| document | threads | mapped when OCR began (MiB) | peak address space (MiB) | OCR's need (MiB) | peak resident (MiB) | tables |")
    print("|---|---|---|---|---|---|---|")
    for name, (path, kw) in jobs.items():
        for n in (1, 2):
            env = {**os.environ, "NIANBAO_OCR_THREADS": str(n), "OPENBLAS_NUM_THREADS": str(n), "MALLOC_ARENA_MAX": "2"}
            out = subprocess.run([sys.executable, "-c", _PROBE, str(tmp / path), json.dumps(kw), root], capture_output=True,
                                 text=True, env=env)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"| {name} | {n} | {r['at_start']} | {r['peak']} | {r['peak'] - r['at_start']} | {r['hwm']} | {r['tables']} |", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=2)
    ap.add_argument("--dpi", type=int, nargs="+", default=[96, 150, 200, 300])
    ap.add_argument("--degradation", nargs="+", default=list(DEGRADATIONS), choices=list(DEGRADATIONS))
    ap.add_argument("--memory", action="store_true", help="measure the address space OCR needs instead")
    a = ap.parse_args()
    if a.memory:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            memory(Path(tmp))
        return
    rows = run(a.reports, a.dpi, a.degradation)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"\nmachine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, commit {commit}\n")
    print(summary(rows))


if __name__ == "__main__":
    main()
