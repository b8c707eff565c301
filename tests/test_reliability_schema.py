"""A fresh corpus database opened by several processes at once: every one gets the whole schema.

Seen once: "extraction failed: OperationalError: no such table: sections" for the first report
of a fresh database. Reproduced by opening one fresh database from four processes together:
schema creation interleaved and failed with "database is locked" (SQLite returns SQLITE_BUSY
without waiting when a reader must become a writer while another process writes:
https://www.sqlite.org/rescode.html#busy), 'table "sections_fts" already exists' or a UNIQUE
constraint on ``divisions``. The crawl's pipeline also opens the database before its extraction
workers start (crawler/pipelines.py), so no worker result meets tables half made.
"""
import multiprocessing as mp
import sqlite3

from corpus.schema import connect

PROCESSES = 4


def _open_and_store(path, barrier, out):
    barrier.wait()  # all start opening the fresh database at the same moment
    try:
        db = connect(path)
        with db.conn:
            db.execute("delete from sections where report_id = 'r'")
            db.execute("insert into reports (report_id, url) values (?, ?)", [f"r{mp.current_process().name}", "http://127.0.0.1/"])
        out.put("ok")
    except Exception as e:  # noqa: BLE001 - the test reports what went wrong
        out.put(f"{type(e).__name__}: {e}")


def test_processes_opening_a_fresh_database_together_each_get_the_whole_schema(tmp_path):
    ctx = mp.get_context("spawn")
    for trial in range(3):
        path = tmp_path / f"fresh-{trial}.db"
        barrier, out = ctx.Barrier(PROCESSES), ctx.Queue()
        procs = [ctx.Process(target=_open_and_store, args=(str(path), barrier, out)) for _ in range(PROCESSES)]
        for p in procs:
            p.start()
        results = [out.get(timeout=120) for _ in procs]
        for p in procs:
            p.join(30)
        assert results == ["ok"] * PROCESSES, results
        assert sqlite3.connect(path).execute("select count(*) from reports").fetchone()[0] == PROCESSES


def test_the_crawl_pipeline_opens_the_database_before_its_workers_start(tmp_path):
    from scrapy.utils.test import get_crawler

    from crawler.pipelines import StorePipeline
    from crawler.spiders.reports import ReportsSpider

    db = tmp_path / "fresh.db"
    crawler = get_crawler(ReportsSpider, {"NIANBAO_DB": str(db), "NIANBAO_RUN_ID": "t", "NIANBAO_EXTRACT_WORKERS": 1})
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.open_spider()
    try:
        tables = {r[0] for r in sqlite3.connect(db).execute("select name from sqlite_master where type = 'table'")}
        assert {"reports", "sections", "documents", "cells"} <= tables
    finally:
        pipeline.close_spider()
