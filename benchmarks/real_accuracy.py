"""Accuracy of the table extractor on real documents (issue #17): cells correct / missing / wrong.

    python benchmarks/real_accuracy.py [--wrong-only] [--json] [name-substring ...]

Every fixture in tests/fixtures/real/ with a gold file in tests/fixtures/real/gold/<slug>.json is
run through ``extract.documents.extract_document`` and compared cell by cell with its gold, which a
person typed from the document itself (tests/fixtures/real/GOLD.md describes the format).

Scoring, for every gold cell that is not null:
  * correct: the extractor's value equals the gold number; gold "blank" ↔ cell status blank;
    a gold placeholder string ("/", "-", "—", "无" …) ↔ cell status placeholder;
  * missing: the extractor gives no value (cell absent, null with status missing/incomplete);
  * wrong: anything else (another number, a number where the document printed a blank, …).
Wrong is worse than missing: tests/test_real_accuracy.py fails on any wrong cell.

Printed: overall totals, the same per layout, script, format and file kind, one line per file,
and every wrong cell (file, table, row, column, gold, got).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

REAL = ROOT / "tests" / "fixtures" / "real"
GOLD = REAL / "gold"

# the column order of a gold table-三 row (spec/report-tables.md); a gold file whose table 三 has an
# eighth 小计 column names its columns in "application_columns"
APPLICATION_COLUMNS = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
                       "legal_service_org", "other_org", "total"]
OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]
GROUPS = ("layout", "script", "format", "kind")


@dataclass
class Cell:
    table: str
    row: str
    col: str
    gold: object
    got: object
    verdict: str  # correct | missing | wrong


@dataclass
class FileScore:
    slug: str
    file: str
    gold: dict
    cells: list[Cell] = field(default_factory=list)
    year: int | None = None
    format: str | None = None
    seconds: float = 0.0
    error: str | None = None

    def count(self, verdict: str) -> int:
        return sum(1 for c in self.cells if c.verdict == verdict)


def gold_files() -> list[Path]:
    return sorted(GOLD.glob("*.json"))


def _judge(gold, result) -> tuple[str, object]:
    """One cell: (verdict, what the extractor gave). ``result`` is a CellResult or None."""
    if result is None:
        return "missing", None
    status, value = getattr(result, "status", None), getattr(result, "value", None)
    if isinstance(gold, str):
        want = "blank" if gold == "blank" else "placeholder"
        if status == want:
            return "correct", status
        if value is None and status not in ("blank", "placeholder"):
            return "missing", status
        return "wrong", value if value is not None else status
    if value is None:
        if status in ("blank", "placeholder"):
            return "wrong", status  # the document printed a number, the extractor says it did not
        return "missing", status
    if isinstance(value, bool) or abs(float(value) - float(gold)) > 1e-9:
        return "wrong", value
    return "correct", value


def score_report(gold: dict, report) -> list[Cell]:
    """Compare one extracted report with its gold; null gold cells are not counted."""
    t = report.tables
    out: list[Cell] = []
    for item, measures in (gold.get("active_disclosure") or {}).items():
        got_item = t.active_disclosure.get(item, {})
        for measure, g in (measures or {}).items():
            if g is None:
                continue
            verdict, got = _judge(g, got_item.get(measure))
            out.append(Cell("active_disclosure", item, measure, g, got, verdict))
    # tables 三 and 四 are both rows of values in a fixed column order
    wide = (("applications", gold.get("application_columns") or APPLICATION_COLUMNS), ("review_litigation", OUTCOMES))
    for table, cols in wide:
        got_rows = getattr(t, table)
        for row, values in (gold.get(table) or {}).items():
            if values is None:
                continue
            got_row = got_rows.get(row, {})
            for col, g in zip(cols, values):
                if g is None:
                    continue
                verdict, got = _judge(g, got_row.get(col))
                out.append(Cell(table, row, col, g, got, verdict))
    return out


def score_file(gold_path: Path) -> FileScore:
    from extract.documents import extract_document

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    fs = FileScore(gold_path.stem, gold["file"], gold)
    data = (REAL / gold["file"]).read_bytes()
    t0 = time.perf_counter()
    try:
        report = extract_document(data, filename=gold["file"])
    except Exception as e:  # the extractor promises flags, not exceptions; count everything missing
        fs.error = f"{type(e).__name__}: {e}"
        report = None
    fs.seconds = time.perf_counter() - t0
    if report is None:
        from extract.report import Report
        report = Report(kind="error")
    fs.cells = score_report(gold, report)
    fs.year, fs.format = report.year, report.format
    return fs


def _line(label: str, cells: list[Cell]) -> str:
    n = len(cells)
    c = sum(x.verdict == "correct" for x in cells)
    m = sum(x.verdict == "missing" for x in cells)
    w = sum(x.verdict == "wrong" for x in cells)
    share = c / n if n else 0.0
    return f"{label:<34} {n:>6} {c:>6} {m:>6} {w:>5} {share:>7.1%}"


def summary(scores: list[FileScore]) -> dict:
    cells = [c for s in scores for c in s.cells]
    n = len(cells)
    correct = sum(c.verdict == "correct" for c in cells)
    return {
        "files": len(scores),
        "cells": n,
        "correct": correct,
        "missing": sum(c.verdict == "missing" for c in cells),
        "wrong": sum(c.verdict == "wrong" for c in cells),
        "correct_share": correct / n if n else 0.0,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("names", nargs="*", help="only gold files whose slug contains one of these")
    ap.add_argument("--wrong-only", action="store_true", help="print only the wrong cells")
    ap.add_argument("--missing", action="store_true", help="also list every missing cell")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = ap.parse_args(argv)

    paths = [p for p in gold_files() if not args.names or any(n in p.stem for n in args.names)]
    scores = [score_file(p) for p in paths]
    cells = [c for s in scores for c in s.cells]
    if args.json:
        print(json.dumps(summary(scores), indent=1))
        return 0
    head = f"{'':<34} {'cells':>6} {'right':>6} {'miss':>6} {'wrong':>5} {'share':>7}"
    if not args.wrong_only:
        print(f"real-document accuracy: {len(scores)} files with gold (tests/fixtures/real/gold)\n")
        print(head)
        print(_line("ALL", cells))
        for g in GROUPS:
            print(f"\nper {g}:")
            groups = defaultdict(list)
            for s in scores:
                groups[str(s.gold.get(g, "?"))].extend(s.cells)
            for k in sorted(groups):
                print(_line(f"  {k}", groups[k]))
        print("\nper pattern (issue #17 numbering; a document may show several):")
        pat = defaultdict(list)
        for s_ in scores:
            for tag in s_.gold.get("patterns") or ["(none tagged)"]:
                pat[tag].extend(s_.cells)
        for k in sorted(pat):
            print(_line(f"  {k}", pat[k]))
        print("\nper file:")
        for s in scores:
            meta = f"{s.gold.get('layout', '?')}/{s.gold.get('script', '?')[:4]}/{s.gold.get('format', '?')}"
            flag = []
            if s.gold.get("year") and s.year != s.gold["year"]:
                flag.append(f"year {s.year}≠{s.gold['year']}")
            if s.gold.get("format") and s.format != s.gold["format"]:
                flag.append(f"format {s.format}≠{s.gold['format']}")
            if s.error:
                flag.append(f"ERROR {s.error}")
            print(_line(f"  {s.slug[:32]}", s.cells) + f"  {meta}  {'; '.join(flag)}")
        dated = [s for s in scores if s.gold.get("year")]  # a document that never states its year has gold null
        years = sum(1 for s in dated if s.year == s.gold["year"])
        fmts = sum(1 for s in scores if s.gold.get("format") and s.format == s.gold["format"])
        print(f"\nyear right in {years}/{len(dated)} files that state it; format right in {fmts}/{len(scores)} files")
    wrong = [(s.slug, c) for s in scores for c in s.cells if c.verdict == "wrong"]
    print(f"\nwrong cells: {len(wrong)}")
    for slug, c in wrong:
        print(f"  {slug}  {c.table}  {c.row}  {c.col}  gold={c.gold!r}  got={c.got!r}")
    if args.missing:
        miss = [(s.slug, c) for s in scores for c in s.cells if c.verdict == "missing"]
        print(f"\nmissing cells: {len(miss)}")
        for slug, c in miss:
            print(f"  {slug}  {c.table}  {c.row}  {c.col}  gold={c.gold!r}  got={c.got!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
