"""Database: load time and size for many reports, and the latency of the main Datasette pages.

    python benchmarks/db_bench.py [--n 100000] [--bulk] [--db PATH/corpus.db]

Reports are real extractions of generated text dumps (a few hundred distinct ones, stored under
distinct URLs, hosts and years and the agencies of real counties: each government, its departments,
townships and communities, so levels, regions and hierarchy_totals are populated as in a real
crawl), loaded through the same store_report the crawler uses,
500 per transaction. Latency: Datasette's own ASGI client (no network), each page fetched 5 times,
the median printed; the facets researchers use and every canned query (first page of results).
``--bulk`` stores the same rows faster (defer_full_text); ``--db`` keeps the database to measure again.
"""
from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus.load import store_report  # noqa: E402
from corpus.schema import connect  # noqa: E402
from extract.documents import extract_document  # noqa: E402
from nianbao import render  # noqa: E402
from nianbao.synthetic import synthetic_report  # noqa: E402

DEPARTMENTS = ["教育局", "财政局", "民政局", "公安局", "自然资源局", "交通运输局", "卫生健康局", "市场监督管理局",
               "人力资源和社会保障局", "住房和城乡建设局", "农业农村局", "应急管理局"]


def counties() -> list[tuple[str, str]]:
    """Real counties (GB/T 2260 code, name) whose names are unique, so each report's place is
    inferred from its agency name as in a real crawl: codes, provinces and a hierarchy."""
    import csv
    from collections import Counter

    rows = list(csv.DictReader((ROOT / "extract" / "data" / "divisions.csv").open(encoding="utf-8")))
    names = Counter(r["name"] for r in rows)
    return [(r["code"], r["name"]) for r in rows if r["name"].endswith("县") and names[r["name"]] == 1]


def agency_name(a: int, places: list[tuple[str, str]]) -> str:
    """Agency ``a``: 100 per county, as a county publishes them: its government, twelve
    departments, then townships and the communities under them."""
    county = places[(a // 100) % len(places)][1]
    k = a % 100
    if k == 0:
        return f"{county}人民政府"
    if k <= 48:
        return f"{county}{DEPARTMENTS[k % len(DEPARTMENTS)].replace('局', f'第{k}局') if k >= len(DEPARTMENTS) else DEPARTMENTS[k]}"
    if k <= 68:
        return f"{county}第{k}镇人民政府"
    return f"{county}第{50 + k % 19}镇第{k}社区居民委员会"


def base_reports(k: int = 200):
    out = []
    for i in range(k):
        fmt = "2021" if i % 5 else "2019"
        out.append(extract_document(render.text_dump(synthetic_report(f"示范县第{i}局", 2023, fmt, seed=i, scale=[10, 60, 400][i % 3])).encode()))
    return out


FTS_TABLES = ("reports", "sections")


def defer_full_text(db) -> list[str]:
    """Drop the triggers that keep the full-text indexes current, returning their SQL for
    ``rebuild_full_text``. Bulk load only: indexing each report's text as it comes cost a quarter
    of the load; one 'rebuild' at the end indexes the same text (FTS5's external-content command)."""
    rows = db.execute("select name, sql from sqlite_master where type = 'trigger' and tbl_name in (%s)"
                      % ", ".join("?" * len(FTS_TABLES)), list(FTS_TABLES)).fetchall()
    triggers = [(name, sql) for name, sql in rows if any(re.search(rf"\b{t}_fts\b", sql) for t in FTS_TABLES)]
    for name, _ in triggers:
        db.execute(f"drop trigger [{name}]")
    return [sql for _, sql in triggers]


def rebuild_full_text(db, triggers: list[str]) -> None:
    with db.conn:
        for t in FTS_TABLES:
            db.execute(f"insert into [{t}_fts]([{t}_fts]) values ('rebuild')")
        for sql in triggers:
            db.execute(sql)


def load(db_path: Path, n: int, bulk: bool = False) -> float:
    """Store ``n`` reports through store_report. ``bulk``: the same rows, faster — a 1 GB page
    cache and the full-text indexes built once at the end instead of report by report."""
    db = connect(db_path)
    base = base_reports()
    places = counties()
    triggers = []
    if bulk:
        db.execute("PRAGMA cache_size=-1000000")
        triggers = defer_full_text(db)
    t = time.perf_counter()
    batch = 500
    for start in range(0, n, batch):
        with db.conn:
            for i in range(start, min(n, start + batch)):
                r = copy.copy(base[i % len(base)])
                r.agency = agency_name(i // 6, places)  # each agency reports for six years: a panel
                r.year = 2019 + i % 6
                store_report(db, r, url=f"http://www.county{i // 600}.gov.cn/zwgk/zfxxgknb/{i}.html",
                             sha256=f"{i:064x}", transaction=False)
        if start and start % 20000 == 0:
            print(f"  {start} reports loaded, {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
    if bulk:
        rebuild_full_text(db, triggers)
    elapsed = time.perf_counter() - t
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("ANALYZE")
    db.conn.close()
    return elapsed


def pages() -> dict[str, str]:
    meta = json.loads((ROOT / "datasette_metadata.json").read_text(encoding="utf-8"))
    one_government = quote(agency_name(1200, counties()))  # its six reports
    out = {
        "reports, default facets": "/corpus/reports.json?_size=50",
        "reports, facet year+level+province+check_status+format": "/corpus/reports.json?_facet=year&_facet=level&_facet=province&_facet=check_status&_facet=format&_size=50",
        "reports, filtered year=2023 & level=县级": "/corpus/reports.json?year=2023&level=" + quote("县级") + "&_size=50",
        "reports, full-text search of one government's name (selective)": "/corpus/reports.json?_search=" + one_government + "&_size=50",
        "reports, full-text search 政府信息 (in every report)": "/corpus/reports.json?_search=" + quote("政府信息") + "&_size=50",
        "report_summary table, first page": "/corpus/report_summary.json?_size=50",
        "report_summary table, facet year": "/corpus/report_summary.json?_facet=year&_size=50",
        "report_search, full-text search of one government's name (selective)": "/corpus/report_search.json?_search=" + one_government + "&_size=50",
        "report_search, full-text search 政府信息 (in every report)": "/corpus/report_search.json?_search=" + quote("政府信息") + "&_size=50",
        "report_search, 政府信息 with facet year (on demand)": "/corpus/report_search.json?_search=" + quote("政府信息") + "&_facet=year&_size=50",
        "applications_by_report, row=granted": "/corpus/applications_by_report.json?row=granted&_size=50",
        "agency_years table, first page": "/corpus/agency_years.json?_size=50",
        "hierarchy_totals view, first page": "/corpus/hierarchy_totals.json?_size=50",
        "hierarchy_totals view, facet year (on demand)": "/corpus/hierarchy_totals.json?_facet=year&_size=50",
        "failed_checks view, first page": "/corpus/failed_checks.json?_size=50",
    }
    # the project's own pages (corpus/datasette_plugins): HTML, as a researcher opens them
    from corpus.load import report_id_for

    out["report page (official layout), one report"] = "/report/" + report_id_for("http://www.county12.gov.cn/zwgk/zfxxgknb/7200.html")
    out["search page: 2-character term 公开 (in every report)"] = "/search?q=" + quote("公开")
    out["search page: 2-character term found in no report"] = "/search?q=" + quote("㊣㊣")
    out["search page: 2-character term 集中 (in the 2019-format fifth of the reports)"] = "/search?q=" + quote("集中")
    out["search page: mixed 政府信息 ㊣ (the short term in no report)"] = "/search?q=" + quote("政府信息 ㊣")
    out["search page: mixed 政府信息 纠正 (both in every report)"] = "/search?q=" + quote("政府信息 纠正")
    out["search page: one government's name (selective)"] = "/search?q=" + one_government
    out["search page: 问题 in section 五 only"] = "/search?q=" + quote("问题") + "&section=5"
    out["coverage, first page"] = "/corpus/coverage.json?_size=50"
    out["coverage, one province, level and year"] = "/corpus/coverage.json?year=2023&level=" + quote("县级") + "&province=" + quote("山东省")
    out["coverage_governments, missing in 2023"] = "/corpus/coverage_governments.json?year=2023&report_id__isnull=1&_size=50"
    out["agencies_absent, first page"] = "/corpus/agencies_absent.json?_size=50"
    out["codebook table"] = "/corpus/codebook.json?_size=50"
    out["crosswalk table"] = "/corpus/crosswalk.json?_size=100"
    params = {"top_agencies": "?year=", "agency_over_years": "?agency=" + quote("教育局"), "search_short": "?q=" + quote("公开")}
    for name in meta["databases"]["corpus"]["queries"]:
        out[f"canned: {name}"] = f"/corpus/{name}.json" + params.get(name, "")
    out["canned: top_agencies, one year (2023)"] = "/corpus/top_agencies.json?year=2023"
    out["canned: top_agencies, failing reports included"] = "/corpus/top_agencies.json?year=&exclude_failing=0"
    from corpus.charts import specs

    for name in specs():
        out[f"chart page: {name}"] = f"/chart/{name}"
    return out


async def latencies(db_path: Path) -> list[tuple[str, float, int]]:
    from datasette.app import Datasette

    meta = json.loads((ROOT / "datasette_metadata.json").read_text(encoding="utf-8"))
    ds = Datasette([str(db_path)], metadata=meta, settings={"sql_time_limit_ms": 20000, "facet_time_limit_ms": 20000, "suggest_facets": False},
                   plugins_dir=str(ROOT / "corpus" / "datasette_plugins"))
    await ds.invoke_startup()
    out = []
    for name, path in pages().items():
        times, status = [], None
        for _ in range(5):
            t = time.perf_counter()
            r = await ds.client.get(path)
            times.append(time.perf_counter() - t)
            status = r.status_code
        out.append((name, statistics.median(times) * 1000, status))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--bulk", action="store_true", help="load faster: large page cache, full-text indexes built at the end")
    ap.add_argument("--db", help="a path ending in corpus.db (the name the metadata describes); reused if it exists")
    a = ap.parse_args()
    db_path = Path(a.db) if a.db else Path(tempfile.mkdtemp(prefix="nianbao-dbbench-")) / "corpus.db"
    if not db_path.exists():
        elapsed = load(db_path, a.n, bulk=a.bulk)
        print(f"\nloaded {a.n} reports in {elapsed:.0f} s ({a.n / elapsed:.0f} reports/s); "
              f"file {os.path.getsize(db_path) / 1e6:.0f} MB ({db_path})")
    conn = connect(db_path)
    counts = {t: conn[t].count for t in ("reports", "applications", "active_disclosure", "cells", "checks", "sections")}
    conn.conn.close()
    print("rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    print("\n| page | median ms | status | goal < 200 ms |\n|---|---:|---:|---|")
    for name, ms, status in asyncio.run(latencies(db_path)):
        print(f"| {name} | {ms:.0f} | {status} | {'ok' if ms < 200 else 'MISSED'} |")


if __name__ == "__main__":
    main()
