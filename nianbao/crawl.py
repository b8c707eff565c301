"""Run crawls in-process with Scrapy: configured sources, start URLs, or discovery from home pages."""
from __future__ import annotations

import ipaddress
import os
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from crawler.archive import RETRYING


class CrawlError(Exception):
    """A crawl that cannot start; the message says how to fix it."""


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CrawlError(f"not a web address: {url!r} (expected e.g. https://www.example.gov.cn/zwgk/zfxxgknb/)")
    return url


def settings_for(db: str | Path, archive_dir: str | None, urls: list[str], jobdir: str | None, run_id: str | None,
                 log_level: str | None = None):
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.set("NIANBAO_DB", str(db))
    if archive_dir:
        settings.set("NIANBAO_ARCHIVE_DIR", str(archive_dir))
    settings.set("NIANBAO_RUN_ID", run_id or datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S"))
    if jobdir:
        settings.set("JOBDIR", str(jobdir))
    if log_level:
        settings.set("LOG_LEVEL", log_level)
    if urls and all(is_loopback(u) for u in urls):
        # our own mock portals: no politeness delays needed (robots.txt is still obeyed)
        settings.set("DOWNLOAD_DELAY", 0)
        settings.set("AUTOTHROTTLE_ENABLED", False)
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 8)
        settings.set("NIANBAO_RETRY_BACKOFF_BASE", 0.05)
        settings.set("DOWNLOAD_TIMEOUT", 20)
    elif not settings.get("NIANBAO_CONTACT"):
        raise CrawlError(
            "set NIANBAO_CONTACT to an e-mail address or URL where webmasters can reach you "
            "(it goes into the user agent) before crawling real portals, e.g. NIANBAO_CONTACT=you@example.org"
        )
    return settings


def run(*, db: str | Path, start_urls: list[str] = (), sources: list[dict] = (), year: int | None = None,
        family: str | None = None, discover: bool = False, archive_dir: str | None = None, jobdir: str | None = None,
        run_id: str | None = None, max_pages: int | None = None, log_level: str | None = None,
        overrides: dict | None = None, redis_url: str | None = None, crawl_name: str | None = None,
        redis_reset: bool = False, render: bool = False, spider_cls=None, spiders_out: list | None = None) -> dict:
    """Crawl and return the stats of each crawler, keyed by spider name.

    ``render`` loads list pages that are empty without JavaScript, and challenge pages, in
    Chromium (:mod:`crawler.render`); ``spider_cls`` replaces the spider for start URLs (probe);
    ``spiders_out`` receives the spider objects, for callers that read what they gathered.
    """
    from crawler.spiders.discover import DiscoverSpider
    from crawler.spiders.reports import ReportsSpider
    from crawler.spiders.sources import _spider_for

    urls = [check_url(u) for u in start_urls]
    all_urls = urls + [u for s in sources for u in s["start_urls"]]
    if not all_urls:
        raise CrawlError("nothing to crawl: give --start-url URL or --source ID (see `nianbao sources`)")
    _check_db_writable(db)
    settings = settings_for(db, archive_dir, all_urls, jobdir, run_id, log_level)
    if redis_url:
        _distribute(settings, redis_url, crawl_name or _default_crawl_name(urls, sources, discover), redis_reset)
    if render:
        from crawler.render import settings as render_settings

        try:
            for k, v in render_settings(settings.get("USER_AGENT")).items():
                settings.set(k, v, priority="cmdline")
        except RuntimeError as e:
            raise CrawlError(str(e))
    for k, v in (overrides or {}).items():
        settings.set(k, v, priority="cmdline")
    process = CrawlerProcess(settings, install_root_handler=True)
    kwargs = {k: v for k, v in {"year": year, "max_pages": max_pages, "render": render}.items() if v}
    crawlers = []
    if urls:
        cls = spider_cls or (DiscoverSpider if discover else ReportsSpider)
        c = process.create_crawler(cls)
        crawlers.append(c)
        process.crawl(c, start_url=" ".join(urls), family=family, **kwargs)
    for src in sources:
        c = process.create_crawler(_spider_for(src))
        crawlers.append(c)
        process.crawl(c, **kwargs)
    process.start()
    if spiders_out is not None:
        spiders_out.extend(c.spider for c in crawlers)
    out = {c.spidercls.name: c.stats.get_stats() for c in crawlers}
    for stats in out.values():
        stats["nianbao/run_id"] = settings["NIANBAO_RUN_ID"]
    return out


def completeness_lines(stats: dict) -> tuple[list[str], bool]:
    """What a crawl must say beyond its counts and failures (shortfalls, blocked hosts, start pages
    that were home pages, lists empty without JavaScript), and whether a host blocked it."""
    lines, failed = [], False
    for s in stats.values():
        if s.get("nianbao/blocked_hosts"):
            lines.append(f"blocked: anti-bot challenge at {s['nianbao/blocked_hosts']}; those pages were not read "
                         "(try later with a slower crawl, or --render to load them as a browser does)")
            failed = True
        if s.get("nianbao/shortfall_summary"):
            lines.append(s["nianbao/shortfall_summary"])
        if s.get("nianbao/notes"):
            lines.extend(s["nianbao/notes"].split(" | "))
    return lines, failed


def _default_crawl_name(urls, sources, discover) -> str:
    if sources:
        return "+".join(sorted(s["id"] for s in sources))
    return ("discover" if discover else "reports") + ":" + ",".join(sorted(urlsplit(u).netloc for u in urls))


def _distribute(settings, redis_url: str, crawl_name: str, reset: bool) -> None:
    """Make this process one worker of a shared crawl (see crawler/distributed.py)."""
    from crawler.distributed import distributed_settings, worker_id

    try:
        import redis

        conn = redis.Redis.from_url(redis_url, socket_connect_timeout=5)
        conn.ping()
    except ImportError:
        raise CrawlError("distributed crawling needs scrapy-redis and redis: pip install scrapy-redis redis")
    except Exception as e:
        raise CrawlError(f"cannot reach Redis at {redis_url}: {e}; start redis-server or fix --redis-url")
    extra = distributed_settings(redis_url, crawl_name)
    if reset:
        for key in conn.scan_iter(extra["NIANBAO_REDIS_PREFIX"] + ":*"):
            conn.delete(key)
    for k, v in extra.items():
        settings.set(k, v, priority="cmdline")
    # workers start in the same second: their run ids must still differ
    settings.set("NIANBAO_RUN_ID", f"{settings['NIANBAO_RUN_ID']}-{worker_id()}")
    # the shared per-host slot is taken where requests are sent: wrap the configured http(s) handlers
    handlers = settings.getwithbase("DOWNLOAD_HANDLERS")
    settings.set("NIANBAO_SHARED_DELAY_INNER_HANDLERS", {k: handlers.get(k) for k in ("http", "https")}, priority="cmdline")
    settings.set("DOWNLOAD_HANDLERS", {**settings.getdict("DOWNLOAD_HANDLERS"), "http": "crawler.distributed.SharedHostDelayHandler",
                                       "https": "crawler.distributed.SharedHostDelayHandler"}, priority="cmdline")
    ext = settings.getdict("EXTENSIONS")
    ext["crawler.distributed.WorkerHeartbeat"] = 510
    settings.set("EXTENSIONS", ext, priority="cmdline")


def _check_db_writable(db) -> None:
    p = Path(db).resolve()
    parent = p.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise CrawlError(f"cannot create the database folder {parent}: {e.strerror}; choose another --db path")
    if not os.access(parent, os.W_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise CrawlError(f"cannot write the database {p}: permission denied; choose another --db path")


# -- the closing summary -------------------------------------------------------------------------


def _failure_kinds():
    import re
    import tomllib

    raw = tomllib.loads((Path(__file__).resolve().parent.parent / "crawler" / "data" / "failures.toml").read_text(encoding="utf-8"))
    return [(k["name"], re.compile(k["pattern"], re.I), k["failure"]) for k in raw["kind"]]


def failure_query(run_id: str) -> str:
    """The SQL that lists what a run could not fetch or read, and why."""
    return (f"select url, role, status, error from documents where error is not null and "
            f"(run_id like '{run_id}-%' or error like 're-fetch in run {run_id}-%')")


def failures_by_kind(db, run_id: str, shared: bool = False) -> tuple[dict[str, int], dict[str, int]]:
    """(failures, decisions): counts by kind of this run's ``documents`` rows with an error.
    Failures make the crawl exit 1; decisions (robots.txt, refused or off-site links) do not. A
    robots.txt answering 4xx is not counted at all (RFC 9309 §2.3.1.3: it allows everything).

    An answer that was retried is marked ``retrying: …`` until the retry's answer replaces it. In
    a single crawl a mark left at the end is a failure (the retry never came back). In a shared
    crawl (``shared``) the retry went to the shared queue and whichever worker took it recorded its
    outcome in its own database: here it is not this worker's failure."""
    from corpus.schema import connect

    kinds = _failure_kinds()
    failures: dict[str, int] = {}
    decisions: dict[str, int] = {}
    conn = connect(db)
    try:
        rows = conn.execute(failure_query(run_id)).fetchall()
    finally:
        conn.conn.close()
    for url, role, status, error in rows:
        if shared and error.startswith(RETRYING):
            decisions["retried by another worker"] = decisions.get("retried by another worker", 0) + 1
            continue
        if (role == "robots" or url.endswith("/robots.txt")) and status and 400 <= status < 500:
            continue
        if role == "home" and status and 400 <= status < 500:
            # a menu link discovery tried on its way to the 年报 column (issue #15): a dead link, not a missed report
            decisions["dead navigation link"] = decisions.get("dead navigation link", 0) + 1
            continue
        for name, pattern, is_failure in kinds:
            m = pattern.search(error)
            if m:
                groups = [g for g in m.groups() if g]
                label = name.format(*groups) if groups else name.replace(" {0}", "")
                bucket = failures if is_failure else decisions
                bucket[label] = bucket.get(label, 0) + 1
                break
    return failures, decisions


def summary_lines(db, run_id: str, shared: bool = False) -> tuple[list[str], bool]:
    """The lines `nianbao crawl` ends with, and whether anything failed (``shared``: one worker of
    a distributed crawl, see :func:`failures_by_kind`)."""
    failures, decisions = failures_by_kind(db, run_id, shared)
    lines = []

    def counts(d):
        return ", ".join(f"{n} {k}" for k, n in sorted(d.items(), key=lambda kv: (-kv[1], kv[0])))

    if failures:
        lines.append(f"{sum(failures.values())} failed: {counts(failures)}")
    if decisions:
        lines.append(f"{sum(decisions.values())} not fetched on purpose: {counts(decisions)}")
    if failures or decisions:
        lines.append(f'list them: sqlite3 {db} "{failure_query(run_id)}"')
    return lines, bool(failures)
