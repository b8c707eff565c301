"""``nianbao``: crawl, extract, parse, serve, export, demo.

Exit codes: 0 success · 1 the work ran but failed (e.g. a crawl error) · 2 bad usage (argparse) ·
3 bad input that the message explains how to fix (URL, database path, source, year).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3


class InputError(Exception):
    pass


def _year(s: str) -> int:
    try:
        y = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year: {s!r} (expected e.g. 2024)")
    if not 2007 <= y <= 2100:
        raise argparse.ArgumentTypeError(f"year {y} is outside 2007–2100 (reports exist from 2008 on)")
    return y


def _settings(pairs: list[str]) -> dict:
    out = {}
    for p in pairs:
        if "=" not in p:
            raise InputError(f"--set takes NAME=VALUE, got {p!r}")
        k, v = p.split("=", 1)
        out[k.strip()] = v.strip()
    return out


DEFAULT_DB = "corpus.db"
DEMO_DB = "demo/corpus.db"  # where `nianbao demo` builds its database


def _existing_db(path: str) -> str:
    """The database to read: ``path``; or, when the default corpus.db is absent and the demo's
    database exists, that one (said on stderr); else an error that says where to look."""
    if Path(path).exists():
        return path
    if path == DEFAULT_DB and Path(DEMO_DB).exists():
        print(f"no {DEFAULT_DB} here: using the demo database {DEMO_DB} (choose another with --db)", file=sys.stderr)
        return DEMO_DB
    raise InputError(f"no database at {path}; pass --db PATH (`nianbao demo` builds {DEMO_DB}, `nianbao crawl` builds {DEFAULT_DB})")


def cmd_crawl(a) -> int:
    from crawler.sources import get_source, load_sources

    from .crawl import completeness_lines, failures_by_kind, run, summary_lines

    if a.all_sources:
        sources = list(load_sources())
    else:
        try:
            sources = [get_source(s) for s in a.source]
        except KeyError as e:
            raise InputError(e.args[0])
    overrides = {**_limits(a).as_settings(), **_settings(a.set)}
    if a.retry_after_max is not None:
        overrides["NIANBAO_RETRY_AFTER_MAX"] = a.retry_after_max
    stats = run(db=a.db, start_urls=a.start_url, sources=sources, year=a.year, family=a.family, discover=a.discover,
                archive_dir=a.archive_dir, jobdir=a.jobdir, max_pages=a.max_pages, log_level=a.log_level,
                overrides=overrides, redis_url=a.redis_url, crawl_name=a.crawl_name, redis_reset=a.redis_reset,
                render=a.render)
    total = {"pages": 0, "reports": 0, "known": 0}
    for s in stats.values():
        total["pages"] += s.get("nianbao/archived", 0)
        total["reports"] += s.get("nianbao/reports_stored", 0)
        total["known"] += s.get("nianbao/skipped_known", 0)
    run_id = next(iter(stats.values()), {}).get("nianbao/run_id")
    shared = bool(a.redis_url)
    lines, failed = summary_lines(a.db, run_id, shared=shared) if run_id else ([], False)
    # errors: the failures the summary counts (HTTP errors too), not only the fetches that raised
    errors = sum(failures_by_kind(a.db, run_id, shared)[0].values()) if run_id else 0
    print(f"crawl finished: {total['pages']} responses archived, {total['reports']} reports stored, "
          f"{total['known']} already known, {errors} errors → {a.db}")
    more, blocked = completeness_lines(stats)
    for line in lines + more:
        print(line)
    return EXIT_FAILED if failed or blocked else EXIT_OK


def cmd_probe(a) -> int:
    """Diagnose a portal for a new source: robots.txt, columns and how found, pagination, sizes, blocks."""
    import tempfile

    from corpus.schema import connect
    from crawler.probe import ProbeSpider, gather, report

    from .crawl import check_url, run

    url = check_url(a.url)
    with tempfile.TemporaryDirectory(prefix="nianbao-probe-") as tmp:
        spiders: list = []
        run(db=f"{tmp}/probe.db", start_urls=[url], spider_cls=ProbeSpider, spiders_out=spiders, max_pages=a.max_pages,
            log_level=a.log_level, render=a.render, overrides=_settings(a.set))
        res = gather(spiders[0], connect(f"{tmp}/probe.db"), url)
    print(report(res))
    return EXIT_OK if res.ok else EXIT_FAILED


def cmd_merge(a) -> int:
    from corpus.merge import merge

    for p in a.inputs:
        if not Path(p).exists():
            raise InputError(f"no worker database at {p}")
    if any(Path(p).resolve() == Path(a.db).resolve() for p in a.inputs):
        raise InputError("--db must differ from the worker databases")
    n = merge(a.db, a.inputs)
    print(f"merged {len(a.inputs)} databases: {n['reports']} reports, {n['documents']} documents, "
          f"{n['folded']} duplicates folded → {a.db}")
    return EXIT_OK


def cmd_extract(a) -> int:
    from .rebuild import rebuild

    archive = a.archive_dir or str(Path(a.db).with_suffix("")) + "-archive"
    if not Path(archive).is_dir():
        raise InputError(f"no archive folder at {archive}; crawl first, or pass --archive-dir")
    counts = rebuild(a.db, archive, _limits(a))
    print(f"rebuilt {a.db} from {archive}: {counts['records']} records, {counts['reports']} reports, "
          f"{counts['duplicates']} duplicates folded, {counts['errors']} extraction errors, "
          f"{counts['limited']} documents over an extraction limit"
          + (" (select url, error from documents where error like 'extraction limit:%')" if counts["limited"] else ""))
    for problem in counts["problems"]:
        print(f"archive: {problem}")
    return EXIT_OK if counts["errors"] == 0 and counts["limited"] == 0 else EXIT_FAILED


def _limits(a):
    from extract.limits import from_options

    try:
        return from_options(a)
    except ValueError as e:
        raise InputError(str(e))


def cmd_parse(a) -> int:
    from concurrent.futures import ThreadPoolExecutor

    from extract.documents import unread_report
    from extract.limits import ExtractPool, limit_flags

    paths = [Path(f) for f in a.files]
    for p in paths:
        if not p.is_file():
            raise InputError(f"no such file: {p}")

    def read(p: Path):  # one file in a worker, within the limits; every core busy
        data = p.read_bytes()
        o = pool.extract(data, filename=p.name)
        return o.report or unread_report(data, o.limit, filename=p.name)

    with ExtractPool(_limits(a)) as pool, ThreadPoolExecutor(pool.size) as threads:
        reports = list(threads.map(read, paths))
    out, limited = [], 0
    for p, report in zip(paths, reports):
        out.append(report.to_json(p.name, full=a.full))
        for flag in limit_flags(report.flags):
            limited += 1
            print(f"nianbao parse: {p}: {flag}", file=sys.stderr)
    text = json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False, indent=1)
    print(text)
    return EXIT_OK if not limited else EXIT_FAILED


def cmd_serve(a) -> int:
    from corpus.schema import connect
    from corpus.serve import serve

    db = _existing_db(a.db)
    connect(db).conn.close()  # migrate to the current schema before publishing
    return serve(db, a.host, a.port, a.metadata)


def cmd_export(a) -> int:
    from corpus.export import export
    from corpus.schema import connect

    db = connect(_existing_db(a.db))
    out = a.output or f"exports/{a.table}" + (f"_{a.year}" if a.year else "") + (".parquet" if a.format == "parquet" else ".csv")
    try:
        n = export(db, a.table, out, a.format, chinese_headers=a.chinese_headers, year=a.year, province=a.province, level=a.level,
                   check_status=a.check_status)
    except ValueError as e:
        raise InputError(str(e))
    print(f"{n} rows → {out}")
    return EXIT_OK


def cmd_release(a) -> int:
    from corpus.release import release

    db = _existing_db(a.db)
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise InputError("a release writes Parquet: pip install 'nianbao[parquet]' (pyarrow)")
    s = release(db, a.dir, version=a.version)
    print(f"release {s['version']} (snapshot {s['snapshot']}): {s['reports']} reports, {len(s['tables'])} tables "
          f"as SQLite, CSV and Parquet, datapackage.json, CITATION.cff → {a.dir}")
    return EXIT_OK


def cmd_ingest(a) -> int:
    from corpus.local_files import ingest_files

    for p in a.paths:
        if not Path(p).exists():
            raise InputError(f"no such file or folder: {p}")
    archive = a.archive_dir or str(Path(a.db).with_suffix("")) + "-archive"
    out = ingest_files(a.db, a.paths, archive, agency=a.agency, year=a.year)
    for f in out.skipped:
        print(f"skipped (not PDF, DOCX, DOC, HTML or text): {f}", file=sys.stderr)
    for f, why in out.failed:
        print(f"failed: {f}: {why}", file=sys.stderr)
    print(f"ingested {len(out.stored)} reports ({len(out.duplicates)} already in the corpus, {len(out.skipped)} skipped, "
          f"{len(out.failed)} failed) → {a.db}, archived in {archive}")
    return EXIT_FAILED if out.failed else EXIT_OK


def cmd_sources(a) -> int:
    from crawler.sources import load_sources

    for s in load_sources():
        mark = "" if s.get("verified") else "  (unverified)"
        print(f"{s['id']:28} {s['family']:8} {s.get('level', ''):6} {s['agency']}  {s['start_urls'][0]}{mark}")
    return EXIT_OK


def _port_or_free(host: str, port: int) -> int:
    """``port`` if it can be listened on, else a free port."""
    import socket

    with socket.socket() as s:
        try:
            s.bind((host, port))
            return port
        except OSError:
            pass
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def cmd_demo(a) -> int:
    from corpus.serve import serve

    from .crawl import run
    from .portal import PortalServer
    from .portal.demo import demo_site

    db = Path(a.db)
    port = a.port if a.no_serve else _port_or_free(a.host, a.port)
    if port != a.port:
        print(f"port {a.port} is busy (another Datasette?): Datasette will use port {port} instead; choose one with --port")
    portal = PortalServer(demo_site(), port=a.portal_port).start()
    start = portal.url("/zwgk/zfxxgknb/index.html")
    print(f"demo portal serving on {portal.base_url} (a mock TRS-style government site)")
    try:
        run(db=db, start_urls=[start], log_level=a.log_level)
        from corpus.schema import connect

        conn = connect(db)
        n = conn.execute("select count(*) from reports").fetchone()[0]
        years = [r[0] for r in conn.execute("select distinct year from reports order by year")]
        print(f"demo corpus: {n} reports ({', '.join(map(str, years))}) in {db}")
        if a.no_serve:
            return EXIT_OK
        print(f"Datasette: http://{a.host}:{port}/   (Ctrl-C to stop)", flush=True)
        return serve(db, a.host, port, replace_process=False)  # the portal keeps serving the source links
    finally:
        portal.stop()


def build_parser() -> argparse.ArgumentParser:
    from crawler.families.registry import names as platform_names  # the platform registry (TOML only)
    from extract.limits import add_options as limit_options

    p = argparse.ArgumentParser(prog="nianbao", description="The open corpus of 政府信息公开工作年度报告.")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("crawl", help="discover, archive and extract reports from portals")
    c.add_argument("--start-url", action="append", default=[], metavar="URL", help="a report column (or, with --discover, a home page)")
    c.add_argument("--source", action="append", default=[], metavar="ID", help="a configured source (see `nianbao sources`)")
    c.add_argument("--all-sources", action="store_true", help="every configured source")
    c.add_argument("--discover", action="store_true", help="start URLs are home pages: find their report columns")
    c.add_argument("--family", choices=platform_names(), help="CMS family of the start URLs (default: detected)")
    c.add_argument("--year", type=_year, help="only reports on this year")
    c.add_argument("--db", default="corpus.db", help="corpus database (default corpus.db)")
    c.add_argument("--archive-dir", help="WARC folder (default: <db>-archive beside the database)")
    c.add_argument("--jobdir", help="Scrapy JOBDIR: an interrupted crawl resumes from here")
    c.add_argument("--max-pages", type=int, help="at most this many list pages per spider")
    c.add_argument("--retry-after-max", type=float, metavar="SECONDS",
                   help="honour Retry-After up to this long (default 300); a host asking for more is deferred")
    c.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a Scrapy setting, e.g. DOWNLOAD_TIMEOUT=30")
    c.add_argument("--log-level", default="WARNING")
    c.add_argument("--render", action="store_true",
                   help="load pages whose lists are empty without JavaScript, and anti-bot challenges, in Chromium (scrapy-playwright)")
    c.add_argument("--redis-url", metavar="URL", help="be one worker of a distributed crawl sharing this Redis (redis://host:6379/0)")
    c.add_argument("--crawl-name", help="names the shared frontier in Redis (default: the spider and its hosts)")
    c.add_argument("--redis-reset", action="store_true", help="forget the shared frontier first: a new crawl, not a resume")
    c.add_argument("--no-ocr", action="store_true", help="do not OCR tables published as pictures (scans, images, pictures in DOCX)")
    limit_options(c)
    c.set_defaults(func=cmd_crawl)

    pr = sub.add_parser("probe", help="diagnose a portal: robots.txt, 年报 columns, pagination, sizes, blocks, a [[source]] entry")
    pr.add_argument("url", help="a home page or a report column")
    pr.add_argument("--max-pages", type=int, default=300, help="at most this many list pages (default 300)")
    pr.add_argument("--render", action="store_true", help="load JavaScript-only lists and challenges in Chromium")
    pr.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    pr.add_argument("--log-level", default="WARNING")
    pr.set_defaults(func=cmd_probe)

    m = sub.add_parser("merge", help="combine worker databases of a distributed crawl into one corpus")
    m.add_argument("inputs", nargs="+", metavar="WORKER_DB")
    m.add_argument("--db", required=True, help="the merged corpus (created or updated)")
    m.set_defaults(func=cmd_merge)

    e = sub.add_parser("extract", help="rebuild the database from the WARC archive (no fetching)")
    e.add_argument("--db", default="corpus.db", help="the database to rebuild (default: %(default)s)")
    e.add_argument("--archive-dir", help="WARC folder to read (default: <db>-archive beside the database)")
    e.add_argument("--no-ocr", action="store_true", help="do not OCR tables published as pictures")
    limit_options(e)
    e.set_defaults(func=cmd_extract)

    pa = sub.add_parser("parse", help="print the canonical JSON of local documents (HTML, PDF, DOCX, text, PNG/JPEG, scanned PDF)")
    pa.add_argument("files", nargs="+")
    pa.add_argument("--full", action="store_true", help="also sections, checks, every cell with its raw text, flags")
    pa.add_argument("--no-ocr", action="store_true", help="do not OCR tables published as pictures")
    limit_options(pa)
    pa.set_defaults(func=cmd_parse)

    s = sub.add_parser("serve", help="publish a corpus with Datasette")
    s.add_argument("--db", default="corpus.db", help=f"corpus database (default: %(default)s, else the demo's {DEMO_DB})")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    s.add_argument("--port", type=int, default=8001, help="port to listen on (default: %(default)s)")
    s.add_argument("--metadata", help="Datasette metadata JSON (default: the repository's datasette_metadata.json)")
    s.set_defaults(func=cmd_serve)

    x = sub.add_parser("export", help="CSV (with BOM, for Excel) or Parquet slices")
    x.add_argument("table", nargs="?", default="summary", help="the slice to export (default: %(default)s)",
                   choices=["summary", "applications", "failed_checks", "reports", "active_disclosure", "review_litigation", "checks", "sections",
                            "agency_years", "hierarchy"])
    x.add_argument("--db", default="corpus.db", help=f"corpus database (default: %(default)s, else the demo's {DEMO_DB})")
    x.add_argument("--year", type=_year, help="only reports on this year (default: all)")
    x.add_argument("--province", help="only this province; a prefix that names one is enough, e.g. 山东 (default: all)")
    x.add_argument("--level", help="only this level, e.g. 县级 (default: all)")
    x.add_argument("--check-status", choices=["pass", "fail", "incomplete", "not_applicable"], help="only reports with this status (default: all)")
    x.add_argument("--format", choices=["csv", "parquet"], default="csv", help="csv (UTF-8 with a BOM) or parquet (default: %(default)s)")
    x.add_argument("-o", "--output", help="output file (default: exports/<table>[_<year>].<format>)")
    x.add_argument("--chinese-headers", action="store_true", help="CSV header row with the codebook's Chinese labels: 自然人 natural_person")
    x.set_defaults(func=cmd_export)

    r = sub.add_parser("release", help="a citable release folder: SQLite, CSV and Parquet per table, datapackage.json, codebook, CITATION.cff")
    r.add_argument("dir", help="the folder to write (created if needed)")
    r.add_argument("--db", default="corpus.db", help="corpus database (default: %(default)s)")
    r.add_argument("--version", help="release version (default: the nianbao version)")
    r.set_defaults(func=cmd_release)

    i = sub.add_parser("ingest", help="add local report files (PDF, DOCX, DOC, HTML, text) to the corpus, archived and extracted like crawled ones")
    i.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders (read recursively)")
    i.add_argument("--db", default="corpus.db", help="corpus database (default: %(default)s)")
    i.add_argument("--archive-dir", help="WARC folder (default: <db>-archive beside the database)")
    i.add_argument("--agency", help="the reporting agency of every file (default: read from each document or file name)")
    i.add_argument("--year", type=_year, help="the year reported on of every file (default: read from each document or file name)")
    i.set_defaults(func=cmd_ingest)

    so = sub.add_parser("sources", help="list the configured real sources")
    so.set_defaults(func=cmd_sources)

    d = sub.add_parser("demo", help="serve the bundled demo portal on loopback, crawl it, open it in Datasette")
    d.add_argument("--db", default=DEMO_DB, help="where to build the demo database (default: %(default)s)")
    d.add_argument("--host", default="127.0.0.1", help="address Datasette listens on (default: %(default)s)")
    d.add_argument("--port", type=int, default=8001, help="Datasette's port; if busy, a free one is chosen and printed (default: %(default)s)")
    d.add_argument("--portal-port", type=int, default=0, help="the mock portal's port (default: any free port)")
    d.add_argument("--no-serve", action="store_true", help="build the database and stop")
    d.add_argument("--log-level", default="WARNING", help="Scrapy log level (default: %(default)s)")
    d.set_defaults(func=cmd_demo)
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    from .crawl import CrawlError

    if getattr(args, "no_ocr", False):
        os.environ["NIANBAO_OCR"] = "0"  # read by extract.ocr.enabled, in this process and any worker it starts

    try:
        return args.func(args)
    except (InputError, CrawlError) as e:
        print(f"nianbao {args.command}: {e}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
