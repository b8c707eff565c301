"""The generic mechanisms that read lists the crawler has no family for (issue #15, unseen platforms).

- list endpoints a page's script names, and their JSON answers (crawler/pagination.py, data/list_apis.toml):
  the ``<script url=… queryData=…>`` form is mohurd.gov.cn's as a public crawler's test reads it (search
  tool code corpus, find_string id 66841645642); ``{"success":…, "data": {"html": …}}`` answers and
  ``paramJson={"pageNo":N,"pageSize":M}`` pages are Hanweb jpaas's (samr/miit/hhtz crawlers, ids
  5682458992, 71595435488, 69098091952); record lists with ``data.total``/``data.list`` are mohurd's
  ``/dynamic/document/search`` (public script destiny-zxj/dumpInfo);
- a list whose pager is drawn by a script from ``totalCount``/``pageSize``, on a page whose address carries
  ``cur_page=1`` (mz.gov.cn ``/info/iList.jsp?…&cur_page=1``, RSSHub's gov/sichuan route);
- a navigating ``<select>`` (the Anhui platform's unit chooser marks the current unit ``selected``,
  find_string id 9146015384) and year tabs (…/zfxxgknb/2022/…, …/xxgknb/2021n/…; research/portals.md).
"""
import json
from urllib.parse import parse_qs, urlsplit

from scrapy.http import HtmlResponse, Request
from parsel import Selector

from crawler import navigation, pagination
from crawler.families.generic import json_entries

BASE = "http://x.gov.cn/col/col1487002/index.html"


def page(body: str, url: str = BASE) -> HtmlResponse:
    return HtmlResponse(url, body=body.encode(), encoding="utf-8", request=Request(url))


def test_a_script_element_naming_an_endpoint_and_its_query_is_an_endpoint():
    sel = Selector(text="""<div id="list"></div><script src="/js/unit.js"
        url="/api-gateway/jpaas-publish-server/front/page/build/unit"
        queryData="{'parseType':'bulidstatic','webId':'2945','pageId':'1487002'}"></script>""")
    (url,) = pagination.script_endpoints(sel, BASE)
    parts = urlsplit(url)
    assert parts.path == "/api-gateway/jpaas-publish-server/front/page/build/unit"
    assert parse_qs(parts.query) == {"parseType": ["bulidstatic"], "webId": ["2945"], "pageId": ["1487002"]}


def test_a_list_service_called_from_a_script_is_an_endpoint_but_a_script_file_is_not():
    sel = Selector(text="""<script src="/js/jquery.js"></script><script>
        $.ajax({ url: '/xxgk/getInfoList.do', data: {catId: 5} });
        var logo = { url: '/images/logo.png' };</script>""")
    assert pagination.script_endpoints(sel, BASE) == ["http://x.gov.cn/xxgk/getInfoList.do"]


def test_an_endpoint_on_another_host_is_not_followed():
    sel = Selector(text="""<script url="http://tongji.example.com/api/count" queryData="{'a':'1'}"></script>""")
    assert pagination.script_endpoints(sel, BASE) == []


def test_entries_are_read_from_an_html_fragment_inside_json():
    data = {"success": True, "data": {"html": '<ul><li><a href="/art/2024/3/5/art_1_2.html" title="某局2023年政府信息公开工作年度报告">某局…</a>'
                                              '<span>2024-03-05</span></li></ul>'}}
    (e,) = json_entries(data, "http://x.gov.cn/api/unit?pageId=1")
    assert (e.title, e.url, e.date) == ("某局2023年政府信息公开工作年度报告", "http://x.gov.cn/art/2024/3/5/art_1_2.html", "2024-03-05")


def test_entries_are_read_from_records_with_a_title_and_a_url():
    data = {"code": 0, "data": {"total": 2, "list": [
        {"title": "甲局2023年政府信息公开工作年度报告", "url": "/gk/a.html", "publishDate": "2024-01-20 09:00:00", "count": 88},
        {"name": "乙局2023年政府信息公开工作年报", "link": "http://x.gov.cn/gk/b.html"}]}}
    got = [(e.title, e.url, e.date) for e in json_entries(data, "http://x.gov.cn/dynamic/document/search")]
    assert got == [("甲局2023年政府信息公开工作年度报告", "http://x.gov.cn/gk/a.html", "2024-01-20"),
                   ("乙局2023年政府信息公开工作年报", "http://x.gov.cn/gk/b.html", None)]


def test_the_stated_size_is_read_outside_the_records():
    """A record's own ``count`` (its hits) is not the list's size."""
    data = {"data": {"total": 23, "list": [{"title": "t", "url": "/a", "count": 999}]}}
    assert pagination.json_size(data) == {"total": 23}


def test_a_jpaas_answer_pages_through_param_json():
    url = "http://x.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit?pageId=1487002"
    pager = pagination.json_pager(url, {"success": True, "data": {"html": "…", "count": 26}}, n_entries=10)
    assert pager.stated_entries == 26 and pager.stated_pages == 3
    got = [json.loads(parse_qs(urlsplit(u).query)["paramJson"][0]) for u in pager.pages]
    assert got == [{"pageNo": 2, "pageSize": 10}, {"pageNo": 3, "pageSize": 10}]


def test_an_endpoint_keeps_its_own_page_parameter():
    url = "http://x.gov.cn/xxgk/list.do?catId=5&pageNo=1&pageSize=20"
    pager = pagination.json_pager(url, {"totalCount": 45, "rows": []}, n_entries=20)
    assert [parse_qs(urlsplit(u).query)["pageNo"] for u in pager.pages] == [["2"], ["3"]]


def test_without_a_stated_size_only_the_next_page_is_asked():
    url = "http://x.gov.cn/xxgk/list.do?catId=5&page=3"
    pager = pagination.json_pager(url, {"list": [{"title": "t", "url": "/a"}]}, n_entries=1)
    assert pager.stated_entries is None
    assert [parse_qs(urlsplit(u).query)["page"] for u in pager.pages] == [["4"]]


def test_a_scripted_pager_is_paged_from_the_stated_size_and_the_page_parameter_of_its_address():
    url = "http://x.gov.cn/info/iList.jsp?node_id=GK&cat_id=15980&cur_page=1"
    text = "<ul><li><a href='/gk/1.htm'>x</a></li></ul><div id='page'></div><script>var totalCount = 26; var pageSize = 8; pageBar('page', totalCount, pageSize, 1);</script>"
    pager = pagination.find_pager(text, url)
    assert [parse_qs(urlsplit(u).query)["cur_page"] for u in pager.pages] == [["1"], ["2"], ["3"], ["4"]]
    assert pager.stated_entries == 26 and pager.stated_pages == 4


def test_a_stated_size_without_a_page_parameter_in_the_address_pages_nothing():
    text = "<script>var totalCount = 26; var pageSize = 8;</script>"
    pager = pagination.find_pager(text, "http://x.gov.cn/info/list.html")
    assert pager.pages == [] and pager.stated_entries == 26  # still stated: a shortfall is reported


def test_options_of_a_navigating_select_are_unit_links():
    r = page("""<select onchange="window.location.href=this.value">
        <option value="/opennessAnnualReport/?branch_id=a1" selected>示范县人民政府</option>
        <option value="/opennessAnnualReport/?branch_id=b2">示范县财政局</option>
        <option value="/opennessAnnualReport/?branch_id=c3">示范县桃花镇人民政府</option></select>""")
    assert [l.text for l in navigation.unit_links(r)] == ["示范县人民政府", "示范县财政局", "示范县桃花镇人民政府"]


def test_year_tabs_side_by_side_are_followed_like_units():
    r = page("""<ul class="tabs"><li><a href="2024/index.html">2024年度</a></li><li><a href="2023/index.html">2023年度</a></li></ul>
        <select onchange="location.href=this.value"><option value="">往年年报</option><option value="2021n/index.html">2021年</option>
        <option value="2020n/index.html">二〇二〇年</option></select>""", "http://x.gov.cn/zwgk/zfxxgknb/index.html")
    assert [l.url for l in navigation.unit_links(r)] == [f"http://x.gov.cn/zwgk/zfxxgknb/{p}/index.html" for p in ("2024", "2023", "2021n", "2020n")]


def test_a_lone_year_link_or_a_report_title_is_not_a_year_tab():
    r = page("""<p><a href="/xwzx/2024.html">2024年</a></p>
        <ul><li><a href="/a.html">某局2023年政府信息公开工作年度报告</a></li><li><a href="/b.html">2023年政务公开工作要点</a></li></ul>""")
    assert navigation.unit_links(r) == []


def test_a_load_more_button_leads_to_the_list_service_it_names():
    """``加载更多`` with its address in a data attribute (no href): the next part of the list."""
    text = '<ul><li><a href="/a.html">x</a></li></ul><a href="javascript:;" class="more" data-url="/xxgk/getInfoList.do?catId=5&page=2">加载更多</a>'
    pager = pagination.find_pager(text, "http://x.gov.cn/xxgk/nb/index.html")
    assert "http://x.gov.cn/xxgk/getInfoList.do?catId=5&page=2" in pager.pages


def test_json_served_as_text_html_is_read_as_a_list_answer():
    from crawler.families.generic import GenericMixin

    body = '{"total": 1, "list": [{"title": "甲局2023年政府信息公开工作年度报告", "url": "/gk/a.html"}]}'
    r = page(body, "http://x.gov.cn/xxgk/getInfoList.do?catId=5&page=2")
    assert [e.url for e in GenericMixin.list_entries(None, r)] == ["http://x.gov.cn/gk/a.html"]


class _Spider:
    """What endpoint_pages needs of the spider: its completeness hook."""

    def __init__(self):
        self.stated = []
        self.ledger = None

    def note_stated(self, column, n, unit="entries", how=None):
        self.stated.append((column, n, unit))


def test_an_endpoint_answer_without_entries_states_nothing_about_the_column():
    """A script's hit counter (``{"count": 1234}``) must not read as a list of 1234 (a false shortfall)."""
    from crawler.families.generic import endpoint_pages

    spider = _Spider()
    r = page('{"success": true, "count": 1234}', "http://x.gov.cn/api/visit/count?id=5")
    assert endpoint_pages(spider, r, {"success": True, "count": 1234}) == [] and spider.stated == []


def test_pages_numbered_with_a_dash_are_enumerated_from_the_last_page_link():
    """``cb473d96.html`` → ``cb473d96-2.html`` … (kjt.hebei.gov.cn's 信息公开 lists, paged as
    ``/www/xxgk2020/228104/228106/cb473d96-{page}.html`` by a public crawler, gerry0208/spider_project)."""
    url = "http://x.gov.cn/www/xxgk2020/228104/228106/cb473d96.html"
    text = '<div class="page"><a href="cb473d96-2.html">2</a><a href="cb473d96-2.html">下一页</a><a href="cb473d96-5.html">尾页</a></div>'
    pager = pagination.find_pager(text, url)
    assert [u.rsplit("/", 1)[1] for u in pager.pages] == ["cb473d96.html"] + [f"cb473d96-{n}.html" for n in range(2, 6)]


def test_a_dash_inside_a_document_number_is_not_a_page_number():
    assert pagination._page_number_positions("http://x.gov.cn/xxgkcontent-888888025-2612.html") == []


MOHURD_SCRIPT = """<div id="list"></div><script>
$.ajax({ url: '/dynamic/document/search', type: 'post', dataType: 'json',
         data: {oc: 7, bt: 2, lt: 1, pageSize: 30, currentPageNum: 1},
         success: function (res) { render(res.data.list); } });
</script>"""


def test_a_list_service_the_script_posts_to_is_read_with_its_form():
    """mohurd.gov.cn's document search: POST oc/bt/lt/pageSize/currentPageNum, answer data.total/data.list
    (a public script, destiny-zxj/dumpInfo, posts exactly this form)."""
    got = pagination.script_posts(Selector(text=MOHURD_SCRIPT), "http://x.gov.cn/zwgk/nb/index.html")
    assert got == [("http://x.gov.cn/dynamic/document/search",
                    {"oc": "7", "bt": "2", "lt": "1", "pageSize": "30", "currentPageNum": "1"})]


def test_a_get_ajax_call_without_a_list_address_is_not_posted():
    sel = Selector(text="<script>$.ajax({url: '/site/visit', type: 'get', data: {id: 3}});</script>")
    assert pagination.script_posts(sel, BASE) == []


def test_a_posted_list_pages_through_its_form():
    from scrapy.http import FormRequest, TextResponse

    from crawler.families.generic import endpoint_pages

    req = FormRequest("http://x.gov.cn/dynamic/document/search", formdata={"oc": "7", "pageSize": "30", "currentPageNum": "1"},
                      meta={"column": "http://x.gov.cn/zwgk/nb/index.html", "endpoint": True})
    data = {"data": {"total": 75, "list": [{"title": f"t{i}", "url": f"/d/{i}.html"} for i in range(30)]}}
    resp = TextResponse(req.url, body=json.dumps(data).encode(), encoding="utf-8", request=req)
    spider = _Spider()
    pages = endpoint_pages(spider, resp, data)
    assert [(p.method, parse_qs(p.body.decode())["currentPageNum"], parse_qs(p.body.decode())["oc"]) for p in pages] == [
        ("POST", ["2"], ["7"]), ("POST", ["3"], ["7"])]
    assert spider.stated == [("http://x.gov.cn/zwgk/nb/index.html", 75, "entries")]
