"""Nothing unsafe is fetched: only http(s), only the portal's own hosts (issue #16, "Unsafe today").

The hostile list page (nianbao/portal/faults.py: hostile_site) is the issue's reproduction: a
report-titled ``JavaScript:`` link raised ``ValueError: Missing scheme`` and dropped the rest of
its list page; ``file://`` and ``data:`` links were fetched (Scrapy's default DOWNLOAD_HANDLERS
read local files and decode data: URLs); links and redirects to other hosts were followed.
Browsers strip leading controls/spaces and drop tabs/newlines from hrefs (WHATWG URL standard,
https://url.spec.whatwg.org/#concept-basic-url-parser), so ``java\\tscript:`` is a scheme too.
"""
from pathlib import Path

import pytest

from conftest import nianbao
from corpus.schema import connect
from crawler.policy import HostPolicy, link_url, refusal
from nianbao.portal import PortalServer
from nianbao.portal.faults import elsewhere_site, hostile_site

SECRET = "NIANBAO-LOCAL-SECRET-5f1e 2023年政府信息公开工作年度报告"


@pytest.mark.parametrize("href", ["JavaScript:openReport(1)", "javascript:void(0)", " java\tscript:x", "vbscript:msgbox(1)",
                                  "tel:025-12345678", "mailto:gk@example.gov.cn", "file:///etc/passwd",
                                  "data:text/html,<h1>年度报告</h1>", "ftp://example.gov.cn/a.pdf"])
def test_only_http_and_https_links_may_be_requested(href):
    url = link_url("http://www.example.gov.cn/nb/index.html", href)
    assert refusal(url, None).startswith("refused:")


def test_a_portals_subdomains_and_its_bare_domain_are_its_own_hosts():
    hosts = HostPolicy(["https://www.example.gov.cn/zwgk/nb/"])
    assert hosts.allows("https://example.gov.cn/a.pdf")
    assert hosts.allows("http://files.example.gov.cn/a.pdf")
    assert hosts.allows("https://WWW.EXAMPLE.GOV.CN./nb/2.html")


def test_other_hosts_are_off_site_even_when_their_names_end_alike():
    hosts = HostPolicy(["https://www.example.gov.cn/"])
    assert not hosts.allows("https://badexample.gov.cn/a.html")
    assert not hosts.allows("https://example.gov.cn.evil.test/a.html")
    assert refusal("https://www.other.gov.cn/a.html", hosts).startswith("off-site:")


def test_an_ip_address_host_owns_no_subdomains():
    assert not HostPolicy(["http://127.0.0.1:8000/"]).allows("http://9.127.0.0.1/")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    secret = tmp / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    Path(str(secret) + ".pdf").write_text(SECRET, encoding="utf-8")
    other = PortalServer(elsewhere_site(), host="127.0.0.2").start()
    try:
        site = hostile_site(other.base_url, str(secret))
        with PortalServer(site) as server:
            proc = nianbao("crawl", "--start-url", server.url("/hx/index.html"), "--db", tmp / "c.db", check=False)
            log = list(server.log)
    finally:
        other.stop()
    conn = connect(tmp / "c.db")
    docs = {r["url"]: r for r in conn.query("select * from documents")}
    return {"site": site, "proc": proc, "log": log, "other_log": list(other.log), "db": conn, "docs": docs,
            "base": server.base_url, "archive": tmp / "c-archive"}


def test_odd_scheme_links_do_not_drop_the_rest_of_the_list_page(hostile):
    stored = {r[0] for r in hostile["db"].execute("select agency from reports")}
    assert {"乙县人民政府", "乙县教育局"} <= stored
    assert "Missing scheme" not in hostile["proc"].stderr


@pytest.mark.parametrize("scheme", ["javascript", "vbscript", "tel", "mailto", "file", "data"])
def test_each_odd_scheme_report_link_is_recorded_with_the_reason(hostile, scheme):
    rows = [d for u, d in hostile["docs"].items() if u.lower().startswith(scheme + ":") and d["role"] == "report"]
    assert len(rows) == 1
    assert rows[0]["error"].startswith(f"refused: {scheme}: link") and rows[0]["status"] is None


def test_a_local_file_is_never_read_into_the_archive(hostile):
    for warc in hostile["archive"].glob("*.warc.gz"):
        import gzip

        assert b"NIANBAO-LOCAL-SECRET" not in gzip.decompress(warc.read_bytes())
    assert not hostile["db"].execute("select 1 from reports where body_text like '%NIANBAO-LOCAL-SECRET%'").fetchone()


def test_a_file_attachment_link_is_refused_and_flagged_on_its_report(hostile):
    flags = hostile["db"].execute("select flags from reports where agency = '乙县附件局'").fetchone()[0]
    assert "secret.txt.pdf not read: refused: file: link" in flags


def test_off_site_links_and_redirects_are_recorded_not_followed(hostile):
    assert hostile["other_log"] == []
    off = {u: d for u, d in hostile["docs"].items() if (d["error"] or "").startswith("off-site:")}
    # the link, the redirect's target, an attachment elsewhere, and the portal URL that redirected there
    assert {u.split("/", 3)[-1] for u in off} == {"nb/report.html", "nb/away.html", "files/x.pdf", "hx/away.html"}
    assert hostile["docs"][hostile["base"] + "/hx/away.html"]["error"].startswith("off-site: 127.0.0.2")


def test_refusals_are_summarised_but_are_not_failures(hostile):
    out = hostile["proc"].stdout
    assert "not fetched on purpose: 7 refused scheme, 4 off-site" in out
