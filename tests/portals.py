"""Helpers for crawl tests: mock portals of each CMS family, crawled through the real command line."""
from collections import Counter

from nianbao.portal import PortalServer
from nianbao.portal.builders import BUILDERS, START_PATHS, Listed
from nianbao.synthetic import synthetic_report
from corpus.schema import connect

from conftest import nianbao


def family_items():
    """Reports in every layout, with the faults a real portal shows."""
    s = synthetic_report
    return [
        Listed(s("示范县人民政府", 2023), "html", published="2024-03-20"),
        Listed(s("示范县教育局", 2023), "html-gbk", published="2024-01-26"),
        Listed(s("示范县财政局", 2023), "pdf", published="2024-01-25"),
        Listed(s("示范县民政局", 2023), "docx", published="2024-01-24"),
        Listed(s("示范县卫生健康局", 2022), "html", published="2023-01-20", flaky=True),
        Listed(s("示范县交通运输局", 2022), "html", published="2023-01-19", redirect=True),
        Listed(s("示范县公安局", 2022), "html", published="2023-01-18", disallowed=True),
        Listed(s("示范县水利局", 2021), "html", published="2022-01-17", duplicate=True),
        Listed(s("示范县商务局", 2021), "pdf-direct", published="2022-01-16"),
        Listed(s("示范县司法局", 2020, "2019"), "text", published="2021-01-15"),
    ]


def crawl_family(family, tmp_path, extra_args=()):
    site = BUILDERS[family](family_items())
    db = tmp_path / "corpus.db"
    with PortalServer(site) as server:
        nianbao("crawl", "--start-url", server.url(START_PATHS[family]), "--db", db, *extra_args)
        log = list(server.log)
    return site, db, log


def stored(db):
    conn = connect(db)
    return conn, {(r["agency"], r["year"]) for r in conn.query("select agency, year from reports")}


def expected(site):
    return {(e["agency"], e["year"]) for e in site.expected_reports.values()}


def repeated_successes(log):
    counts = Counter(path for method, path, status in log if status == 200 and method == "GET")
    return {p: n for p, n in counts.items() if n > 1}
