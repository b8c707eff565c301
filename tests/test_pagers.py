"""Pagination in general (crawler/pagination.py): every pager shape real gov.cn lists use.

Sources of the modelled markup (public crawler code found with the project's search tool):
- TRS ``createPageHTML(count, current, "index", "html")``, 0-based: shared/research/portals.md
  (nanjing.gov.cn, tjhq.gov.cn) and the project's existing TRS family.
- The six-argument form ``createPageHTML('page_div', count, current, 'xlist', 'shtml', records)``,
  1-based, pages ``xlist_2.shtml``: the portals' own pager script (repository file defining
  ``function createPageHTML(divName,_nPageCount, _nCurrIndex, _sPageName, _sPageExt,_nPageSum)``,
  which writes ``_sPageName + "_" + k`` for k ≥ 2 and "共 N 条 共 M 页"); csrc.gov.cn
  ``createPageHTML('page_div', 5, 1, 'fg', 'shtml', 89)``; kunshan ``common_list_N.shtml``;
  suqian ``xxgk_list.shtml`` → ``xxgk_list_2.shtml`` (开普云 / 集约化 lists).
- eportal lists paged by ``currentPage=N`` in the query (customs.gov.cn, bjjs.gov.cn
  ``/eportal/ui?pageId=…&currentPage=N&moduleId=…&staticRequest=yes``), pagers in ``onclick``.
- VSB ``xxgknb.htm`` → ``xxgknb/N.htm`` with 共N页 (shared/research/portals.md, ccxi.gov.cn).
"""
from parsel import Selector

from crawler.pagination import create_page_args, find_pager, same_list, stated_size, pager_links

COL = "http://127.0.0.1/zwgk/zfxxgknb/"


def test_trs_four_arguments_count_pages_from_zero():
    p = find_pager('<script>createPageHTML(3, 0, "index", "html");</script>', COL + "index.html")
    assert p.pages == [COL + "index.html", COL + "index_1.html", COL + "index_2.html"]
    assert p.stated_pages == 3


def test_six_arguments_with_element_id_count_pages_from_one_and_state_the_records():
    p = find_pager("<script>createPageHTML('page_div',3, 1,'xxgk_list','shtml',25);</script>", COL + "xxgk_list.shtml")
    assert p.pages == [COL + "xxgk_list.shtml", COL + "xxgk_list_2.shtml", COL + "xxgk_list_3.shtml"]
    assert (p.stated_pages, p.stated_entries) == (3, 25)


def test_a_later_page_of_the_six_argument_form_lists_the_same_pages():
    p = find_pager("<script>createPageHTML('page_div',3, 3,'fg','shtml',25);</script>", COL + "fg_3.shtml")
    assert p.pages[-1] == COL + "fg_3.shtml" and len(p.pages) == 3


def test_arguments_given_as_variables_are_resolved():
    text = '<script>var countPage = 4; var currentPage = 0; createPageHTML(countPage, currentPage, "index", "htm");</script>'
    args = create_page_args(text)
    assert (args["count"], args["current"], args["ext"], args["one_based"]) == (4, 0, "htm", False)


def test_pages_are_listed_with_the_page_read_first_and_next_links_follow_the_same_list_only():
    html = '<div class="page"><a href="list_2.html">下一页</a><a href="/other/list_2.html">下一页</a></div>'
    p = find_pager(html, "http://127.0.0.1/gknb/index.html")
    assert p.pages == ["http://127.0.0.1/gknb/index.html", "http://127.0.0.1/gknb/list_2.html"]


def test_last_page_link_lists_every_page_from_the_first():
    html = '<div class="pages"><a href="?page=2">2</a><a href="?page=2">下一页</a><a href="?page=7">尾页</a></div>'
    p = find_pager(html, "http://127.0.0.1/list.jsp")
    assert [u.split("?")[1] for u in p.pages[1:]] == [f"page={n}" for n in range(2, 8)]
    assert p.stated_pages == 7


def test_query_string_pages_keep_the_other_parameters():
    base = "http://127.0.0.1/eportal/ui?pageId=11&moduleId=ab&staticRequest=yes"
    html = ('<a href="javascript:void(0)" onclick="queryArticleByCondition(this,\'/eportal/ui?pageId=11&amp;currentPage=2'
            '&amp;moduleId=ab&amp;staticRequest=yes\')">下一页</a>'
            '<a href="javascript:void(0)" onclick="queryArticleByCondition(this,\'/eportal/ui?pageId=11&amp;currentPage=4'
            '&amp;moduleId=ab&amp;staticRequest=yes\')">尾页</a>')
    p = find_pager(html, base)
    assert {dict(x.split("=") for x in u.split("?")[1].split("&"))["currentPage"] for u in p.pages[1:]} == {"2", "3", "4"}
    assert all("moduleId=ab" in u for u in p.pages)


def test_onclick_page_numbers_fill_the_page_parameter_of_the_url():
    html = '<span onclick="goPage(2)">2</span><span onclick="goPage(3)">3</span><span onclick="goPage(3)">尾页</span>'
    p = find_pager(html, "http://127.0.0.1/list.jsp?channel=7&pageNo=1")
    assert p.pages[1:] == ["http://127.0.0.1/list.jsp?channel=7&pageNo=2", "http://127.0.0.1/list.jsp?channel=7&pageNo=3"]


def test_data_attribute_pager():
    html = '<a data-page="2" href="javascript:;">2</a><a data-page="5" href="javascript:;">末页</a>'
    links = pager_links(Selector(text=html), "http://127.0.0.1/l?page=1")
    assert ("last", "#page=5", None) in links
    p = find_pager(html, "http://127.0.0.1/l?page=1")
    assert p.pages[-1].endswith("page=5") and len(p.pages) == 5


def test_vsb_numbered_pages_in_a_folder_named_after_the_list():
    html = '<span class="p_pages"><span class="p_t">共3页</span><a href="xxgknb/2.htm">下页</a><a href="xxgknb/1.htm">尾页</a></span>'
    p = find_pager(html, "http://127.0.0.1/xxgk/xxgknb.htm")
    assert "http://127.0.0.1/xxgk/xxgknb/2.htm" in p.pages and p.stated_pages == 3


def test_stated_sizes_in_their_usual_wordings():
    assert stated_size("<div>共 38 条记录 共 4 页</div>")[:2] == (38, 4)
    assert stated_size("pagebar: {prepage: 10, recordCount: '20'}")[:2] == (20, None)
    assert stated_size('{"total": 57, "articles": []}')[:2] == (57, None)
    assert stated_size("<p>第1页/5页</p>")[:2] == (None, 5)
    assert stated_size("<p>nothing</p>") == (None, None, None)


def test_same_list_rejects_reports_and_other_columns():
    assert same_list(COL + "index.html", COL + "index_3.html")
    assert not same_list(COL + "index.html", COL + "202401/t20240101_1.html")
    assert not same_list(COL + "index.html", "http://127.0.0.1/other/index_2.html")


def test_a_json_list_api_states_its_total_and_has_no_pager_links():
    """gkmlpt's ``api/all/{category}?page=N&sid=…`` answers ``{"total": N, "articles": […]}``
    (public gd.gov.cn spider, see crawler/families/gkmlpt.py)."""
    p = find_pager('{"total": 23, "articles": [{"title": "x", "url": "/a/post_1.html"}]}', "http://127.0.0.1/x/gkmlpt/api/all/5?page=1&sid=2")
    assert (p.stated_entries, p.pages) == (23, [])


def test_pages_that_count_down_are_followed_not_extrapolated():
    """VSB: the first page ``xxgknb.htm`` links 下页 to ``xxgknb/3.htm`` of 共4页 (pages count down
    to 1): a template counting up would request pages that do not exist."""
    html = '<span class="p_pages"><span class="p_t">共4页</span><a href="xxgknb/3.htm">下页</a></span>'
    p = find_pager(html, "http://127.0.0.1/xxgk/xxgknb.htm")
    assert p.pages == ["http://127.0.0.1/xxgk/xxgknb.htm", "http://127.0.0.1/xxgk/xxgknb/3.htm"]
