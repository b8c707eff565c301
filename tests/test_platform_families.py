"""The platform fast paths, page by page, on the pages of their mock portals.

Each platform's mechanism and its evidence are described in its family module
(``crawler/families/<name>.py``) and its mock (``nianbao/portal/platforms/<name>.py``): gkmlpt's JSON
API behind a JavaScript shell (public gd.gov.cn / yangjiang.gov.cn crawlers), TRS 动静结合's search API
(pingtan.gov.cn archive, Fujian crawlers), the Hanweb xxgkAnnualReport unit × year enumeration
(kaihua.gov.cn / pinghu.gov.cn URLs), 开普云's createPageHTML argument list (csrc.gov.cn, suqian) and
eportal's onclick pager (customs.gov.cn, PBC).
"""
import json
import math
from urllib.parse import parse_qsl, urlsplit

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse

from crawler.families import FAMILIES, detect
from nianbao.portal.platforms import MOCKS

HOST = "http://127.0.0.1:8000"


class Spider:
    """Stands in for the spider: records what a family says a list states."""

    def __init__(self):
        self.stated = []

    def note_stated(self, column, n, unit, how):
        self.stated.append((column, n, unit))


def page(site, path, request=None):
    res = site.resources[path]
    url = HOST + path
    return HtmlResponse(url=url.split("#")[0], body=res.body, encoding="utf-8", request=request or Request(url))


def answer(site, path, query=None, form=None, method="GET"):
    res = site.resources[path].handler(method, query or {}, form or {})
    return res


def test_gkmlpt_shell_asks_the_api_for_the_category_in_its_fragment():
    site = MOCKS["gkmlpt"]()
    column = site.column_paths[0]  # …/gkmlpt/index#2735
    resp = page(site, column.split("#")[0], Request(HOST + column))
    assert detect(resp) == "gkmlpt"
    (req,) = FAMILIES["gkmlpt"].next_list_pages(Spider(), resp)
    parts = urlsplit(req.url)
    assert parts.path == "/lnsfx/gkmlpt/api/all/2735"
    assert dict(parse_qsl(parts.query)) == {"page": "1", "sid": "759031"}


def test_gkmlpt_api_answer_lists_its_articles_and_every_further_page():
    site = MOCKS["gkmlpt"]()
    res = answer(site, "/lnsfx/gkmlpt/api/all/2735", {"page": "1", "sid": "759031"})
    url = HOST + "/lnsfx/gkmlpt/api/all/2735?page=1&sid=759031"
    resp = TextResponse(url=url, body=res.body, encoding="utf-8", request=Request(url))
    spider = Spider()
    entries = FAMILIES["gkmlpt"].list_entries(spider, resp)
    data = json.loads(res.body)
    assert [e.title for e in entries] == [a["title"] for a in data["articles"]]
    assert all(e.date and e.url.startswith(HOST + "/lnsfx/gkmlpt/content/") for e in entries)
    pages = FAMILIES["gkmlpt"].next_list_pages(spider, resp)
    assert [dict(parse_qsl(urlsplit(r.url).query))["page"] for r in pages] == [str(n) for n in range(2, site.pages + 1)]
    assert spider.stated and spider.stated[0][1:] == (site.stated_total, "entries")


def test_gkmlpt_category_post_count_above_the_served_total_is_the_stated_size():
    # a public gkmlpt crawler (find_string id 62079122138): api/all/{cat} serves a recent slice,
    # "served count << classify.post_count"; the larger count is what the category holds
    url = HOST + "/gkmlpt/api/all/2735?page=1&sid=759031"
    body = json.dumps({"total": 2, "classify": {"post_count": 5},
                       "articles": [{"title": "a", "url": HOST + "/gkmlpt/content/0/1/post_1.html"}]}).encode()
    spider = Spider()
    FAMILIES["gkmlpt"].next_list_pages(spider, TextResponse(url=url, body=body, encoding="utf-8", request=Request(url)))
    assert max(n for _, n, unit in spider.stated if unit == "entries") == 5


def test_trs_dynamic_posts_the_scripts_list_args_for_the_pages_after_the_static_one():
    site = MOCKS["trs_dynamic"]()
    resp = page(site, site.column_paths[0])
    assert detect(resp) == "trs_dynamic"
    spider = Spider()
    reqs = FAMILIES["trs_dynamic"].next_list_pages(spider, resp)
    forms = [dict(parse_qsl(r.body.decode())) for r in reqs]
    assert {r.method for r in reqs} == {"POST"} and {urlsplit(r.url).path for r in reqs} == {"/fjdzapp/search"}
    assert [f["page"] for f in forms] == [str(n) for n in range(2, math.ceil(site.stated_total / 10) + 1)]
    assert all(f["channelid"] == "200210" and f["classsql"] == "chnlid=1813" and f["prepage"] == "10" for f in forms)
    assert spider.stated[0][1:] == (site.stated_total, "entries")


def test_trs_dynamic_search_answer_is_read_as_list_entries():
    site = MOCKS["trs_dynamic"]()
    res = answer(site, "/fjdzapp/search", form={"channelid": "200210", "classsql": "chnlid=1813", "page": "2", "prepage": "10"}, method="POST")
    req = Request(HOST + "/fjdzapp/search", method="POST")
    resp = TextResponse(url=req.url, body=res.body, encoding="utf-8", request=req)
    entries = FAMILIES["trs_dynamic"].list_entries(Spider(), resp)
    assert len(entries) == 10 and all(e.url.startswith(HOST + "/zwgk/") and e.date for e in entries)


def test_hanweb_annual_unit_list_leads_to_each_units_page():
    site = MOCKS["hanweb_annual"]()
    resp = page(site, site.column_paths[0])
    assert detect(resp) == "hanweb_annual"
    units = FAMILIES["hanweb_annual"].next_list_pages(Spider(), resp)
    unit_pages = [r.url for r in units if not isinstance(r, str) and "xxgkAnnualReport.jsp" in r.url]
    assert len(unit_pages) == 7 and all("fbtime" not in u for u in unit_pages)
    assert all(r.meta["column"] == r.url for r in units if not isinstance(r, str))  # each unit: a column of its own


def test_hanweb_annual_unit_page_lists_one_report_per_year_of_its_select():
    site = MOCKS["hanweb_annual"]()
    path = "/module/xxgk/xxgkAnnualReport.jsp?area=002562735"
    entries = FAMILIES["hanweb_annual"].list_entries(Spider(), page(site, path))
    years = sorted(dict(parse_qsl(urlsplit(e.url).query))["fbtime"] for e in entries)
    assert years == ["2021", "2022", "2023", "2024"]
    assert all(e.url.replace(HOST, "") in site.expected_reports for e in entries)
    assert all(str(y) in e.title and "浙西示范县财政局" in e.title for y, e in zip(years, sorted(entries, key=lambda e: e.url)))


def test_ucap_pages_count_from_one_with_the_stem_the_call_names():
    site = MOCKS["ucap"]()
    resp = page(site, site.column_paths[0])
    assert detect(resp) == "ucap"
    urls = FAMILIES["ucap"].next_list_pages(Spider(), resp)
    names = [u.rsplit("/", 1)[-1] for u in urls]
    assert names == ["xxgk_list.shtml"] + [f"xxgk_list_{n}.shtml" for n in range(2, site.pages["main"] + 1)]
    assert all(u.replace(HOST, "") in site.resources for u in urls)


def test_eportal_pager_in_onclick_and_tagname_gives_every_page():
    site = MOCKS["eportal"]()
    first = next(p for p, _ in [(k, v) for k, v in site.resources.items()] if p.endswith("pageId=" + __import__("hashlib").md5(b"qzbm").hexdigest()))
    resp = page(site, first)
    assert detect(resp) == "eportal"
    urls = FAMILIES["eportal"].next_list_pages(Spider(), resp)
    assert len(urls) == site.pages["qzbm"] - 1
    assert all(u.replace(HOST, "") in site.resources for u in urls)


@pytest.mark.parametrize("name", ["numeric", "hebei", "liaoning"])
def test_url_shape_sites_are_crawled_by_the_generic_rules(name):
    site = MOCKS[name]()
    assert detect(page(site, site.column_paths[0])) == "generic"


def test_hanweb_annual_select_whose_options_are_the_pages_themselves():
    html = ("<html><head><title>某某县财政局2023年政府信息公开工作年度报告</title></head><body>"
            "<select onchange='location.href=this.value'>"
            "<option value='xxgkAnnualReport.jsp?area=0025&fbtime=2023'>2023年</option>"
            "<option value='xxgkAnnualReport.jsp?area=0025&fbtime=2022'>2022年</option></select></body></html>")
    url = HOST + "/module/xxgk/xxgkAnnualReport.jsp?area=0025"
    resp = HtmlResponse(url=url, body=html.encode(), encoding="utf-8", request=Request(url))
    entries = FAMILIES["hanweb_annual"].list_entries(Spider(), resp)
    assert [(e.title, e.url) for e in entries] == [
        ("某某县财政局2022年政府信息公开工作年度报告", HOST + "/module/xxgk/xxgkAnnualReport.jsp?area=0025&fbtime=2022"),
        ("某某县财政局2023年政府信息公开工作年度报告", HOST + "/module/xxgk/xxgkAnnualReport.jsp?area=0025&fbtime=2023"),
    ]


# -- the same platforms in shapes the mocks do not use (held-out variations) ---------------------


def html_response(url, body: str, request_url=None):
    return HtmlResponse(url=url, body=body.encode(), encoding="utf-8", request=Request(request_url or url))


def test_eportal_without_a_page_count_follows_its_next_page_link():
    body = ("<a href='javascript:;' onclick=\"queryArticleByCondition(this,'/eportal/ui?pageId=77&currentPage=2&moduleId=ab&staticRequest=yes')\">下一页</a>")
    urls = FAMILIES["eportal"].next_list_pages(Spider(), html_response(HOST + "/eportal/ui?pageId=77", body))
    assert urls == [HOST + "/eportal/ui?pageId=77&currentPage=2&moduleId=ab&staticRequest=yes"]


def test_ucap_call_without_a_record_count_states_its_pages():
    body = "<script>createPageHTML(\"page_div\", 3, 1, \"list\", \"shtml\");</script>"
    spider = Spider()
    urls = FAMILIES["ucap"].next_list_pages(spider, html_response(HOST + "/a/list.shtml", body))
    assert [u.rsplit("/", 1)[-1] for u in urls] == ["list.shtml", "list_2.shtml", "list_3.shtml"]
    assert spider.stated[0][1:] == (3, "pages")


def test_trs_dynamic_with_several_static_pages_posts_only_for_the_rest():
    body = """<script>require(['list2.trsapi'], function (l) { l.init({ maxStaticIndex: 2,
      listArgs: { channelid: 229105, classsql: 'chnlid=4910', sortfield: '-docreltime' },
      pagebar: { prepage: 15, recordCount: 50 } }); });</script>"""
    reqs = FAMILIES["trs_dynamic"].next_list_pages(Spider(), html_response(HOST + "/ylqx/gstg/index.htm", body))
    assert [r.url.rsplit("/", 1)[-1] for r in reqs if r.method == "GET"] == ["index_1.htm"]
    assert [dict(parse_qsl(r.body.decode()))["page"] for r in reqs if r.method == "POST"] == ["3", "4"]
    assert all(dict(parse_qsl(r.body.decode()))["channelid"] == "229105" for r in reqs if r.method == "POST")


def test_gkmlpt_api_answer_with_absolute_urls_and_string_dates():
    body = json.dumps({"total": 1, "articles": [{"title": "某某局2023年政府信息公开工作年度报告", "created_at": "2024-01-20 10:00:00",
                                                 "url": "http://www.example.gov.cn/bm/gkmlpt/content/1/1234/post_1234567.html"}]})
    url = HOST + "/bm/gkmlpt/api/all/88?page=1&sid=440000"
    resp = TextResponse(url=url, body=body.encode(), encoding="utf-8", request=Request(url))
    (e,) = FAMILIES["gkmlpt"].list_entries(Spider(), resp)
    assert (e.url, e.date) == ("http://www.example.gov.cn/bm/gkmlpt/content/1/1234/post_1234567.html", "2024-01-20")
    assert FAMILIES["gkmlpt"].next_list_pages(Spider(), resp) == []  # one page holds the total


def test_gkmlpt_shell_without_a_category_falls_back_to_the_pages_links():
    body = "<script>var c = { SID: '440000' };</script><a href='index_2.html'>下一页</a>"
    urls = FAMILIES["gkmlpt"].next_list_pages(Spider(), html_response(HOST + "/bm/gkmlpt/index", body))
    assert all("/api/" not in (u if isinstance(u, str) else u.url) for u in urls)


def test_a_hanweb_datastore_column_that_links_the_annual_report_module_keeps_its_records():
    body = ("<a href='/module/xxgk/xxgkAnnualReport.jsp?area=0025'>年报</a><script type='text/xml'><datastore><recordset>"
            "<record><![CDATA[<li><a href='/art/2024/1/9/art_7651_1.html' title='某某县2023年政府信息公开工作年度报告'>x</a></li>]]></record>"
            "</recordset></datastore></script>")
    resp = html_response(HOST + "/col/col7651/index.html", body)
    assert detect(resp) == "hanweb_annual"
    entries = FAMILIES["hanweb_annual"].list_entries(Spider(), resp)
    assert [e.url for e in entries] == [HOST + "/art/2024/1/9/art_7651_1.html"]


# -- a real page: pingtan.gov.cn's 年报 column (tests/fixtures/platforms/, source in SOURCES.md) --------

REAL_PINGTAN = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"


def pingtan_page():
    from conftest import FIXTURES

    body = (FIXTURES / "platforms" / "trs_dynamic" / "pingtan_zfxxgknb_index.html").read_bytes()
    return HtmlResponse(url=REAL_PINGTAN, body=body, encoding="utf-8", request=Request(REAL_PINGTAN))


def test_the_real_pingtan_list_is_a_trs_dynamic_list():
    assert detect(pingtan_page()) == "trs_dynamic"


def test_the_real_pingtan_script_is_read_as_its_browser_reads_it():
    # channelid: SiteInfo.searchId (defined in another script as searchId: 200210); classsql: "" || "chnlid=1813"
    spider = Spider()
    reqs = FAMILIES["trs_dynamic"].next_list_pages(spider, pingtan_page())
    (req,) = reqs  # recordCount '20', prepage 10, maxStaticIndex 1: page 2 comes from the API
    assert (req.method, req.url) == ("POST", "https://www.pingtan.gov.cn/fjdzapp/search")
    form = dict(parse_qsl(req.body.decode()))
    assert form == {"channelid": "200210", "classsql": "chnlid=1813", "sortfield": "-docorderpri,-docreltime",
                    "page": "2", "prepage": "10"}
    assert spider.stated[0][1:] == (20, "entries")


def test_the_real_pingtan_static_page_lists_its_ten_reports_with_dates():
    from crawler.recognize import REPORT, classify

    entries = FAMILIES["trs_dynamic"].list_entries(Spider(), pingtan_page())
    reports = [e for e in entries if classify(e.title) == REPORT]
    assert len(reports) == 10
    assert reports[0].url == REAL_PINGTAN + "202603/t20260313_105587.htm" and reports[0].date == "2026-03-10"
    (menu,) = [e for e in entries if e.url.endswith("/nlist.htm")]  # the side menu's 政府信息<br>公开年报
    assert classify(menu.title) != REPORT


def test_easysite_static_pager_pages_are_read_from_the_tagname_prefix():
    # PBC 条法司 (find_string id 70990762306): page N>1 is {section}/{prefix}-{N}.html, page 1 the column itself
    body = ("<a onclick=\"queryArticleByCondition(this,'/tiaofasi/144941/144957/21892-2.html')\" "
            "tagname=\"/tiaofasi/144941/144957/21892-2.html\">下一页</a>"
            "<input name=\"article_paging_list_hidden\" moduleid=\"21892\" totalpage=\"4\">")
    resp = html_response(HOST + "/tiaofasi/144941/144957/index.html", body)
    assert detect(resp) == "eportal"
    urls = FAMILIES["eportal"].next_list_pages(Spider(), resp)
    assert urls == [HOST + f"/tiaofasi/144941/144957/21892-{n}.html" for n in (2, 3, 4)]
