"""How discovery reads a page's links (crawler/navigation.py, data/navigation.toml).

Menu wordings and URL words are real ones: shared/research/portals.md (column paths zfxxgknb,
xxgknb, zfxxgkndbg, ndbg, gknb; sub-columns zfbm 政府部门, qzfgzbm 区政府工作部门, xzjd 乡镇街道)
and the issue's portals (eportal sub-columns 旗政府 / 旗直部门 / 苏木镇 on xlgl.gov.cn).
"""
import pytest
from scrapy.http import HtmlResponse

from crawler.navigation import classify_link, is_report_column, is_unit_name, links, same_site, unit_links

BASE = "http://127.0.0.1/p/"


def page(body: str, url: str = BASE) -> HtmlResponse:
    return HtmlResponse(url, body=f"<html><body>{body}</body></html>".encode(), encoding="utf-8")


@pytest.mark.parametrize("text,url", [
    ("政府信息公开年报", "/a/b/"), ("信息公开年报", "/x/"), ("政府信息公开工作年度报告", "/y/"), ("年度报告", "/z/"),
    ("工作年报", "/w/"), ("部门年报", "/v/"), ("专栏", "/zwgk/zfxxgknb/"), ("年报", "/u/"),
])
def test_report_columns_are_recognised_by_their_words_or_their_path(text, url):
    assert classify_link(text, "http://127.0.0.1" + url)[0] == "column"


@pytest.mark.parametrize("text", ["政务公开", "政府信息公开", "法定主动公开内容", "信息公开", "政府信息公开目录"])
def test_hubs_on_the_way_are_recognised(text):
    assert classify_link(text, "http://127.0.0.1/p/")[0] == "hub"


@pytest.mark.parametrize("text", ["乡镇信息公开", "部门信息公开", "旗直部门信息公开", "乡镇（街道）信息公开"])
def test_pages_listing_units_are_recognised(text):
    """UCAP portals nest each town's column under a 乡镇信息公开 page naming the towns (issue #15)."""
    assert classify_link(text, "http://127.0.0.1/p/")[0] == "unit_hub"


@pytest.mark.parametrize("text", ["示范县2023年政府信息公开工作年度报告", "互动交流", "办事服务", "首页", "政策解读"])
def test_reports_and_other_menus_are_not_navigation(text):
    assert classify_link(text, "http://127.0.0.1/p/") is None


def test_hubs_are_ranked_below_columns_and_by_score():
    got = links(page('<a href="/zwgk/">政务公开</a><a href="/gk/">政府信息公开</a><a href="/nb/">政府信息公开年报</a>'))
    assert [l.text for l in got] == ["政府信息公开年报", "政府信息公开", "政务公开"]


@pytest.mark.parametrize("text", ["示范县财政局", "城关镇", "新华街道", "旗直部门", "苏木镇", "区政府工作部门", "示范县人民政府办公室"])
def test_unit_names(text):
    assert is_unit_name(text)


@pytest.mark.parametrize("text", ["首页", "示范县财政局2023年政府信息公开工作年度报告", "政府信息公开年报", "更多>>"])
def test_not_unit_names(text):
    assert not is_unit_name(text)


def test_units_count_only_when_listed_side_by_side():
    side_by_side = page('<ul><li><a href="/bm/czj/">示范县财政局</a></li><li><a href="/bm/jyj/">示范县教育局</a></li></ul>')
    alone = page('<div><a href="/bm/czj/">示范县财政局</a></div><p><a href="/x/">互动交流</a></p>')
    assert [l.text for l in unit_links(side_by_side)] == ["示范县财政局", "示范县教育局"]
    assert unit_links(alone) == []


def test_a_home_page_is_not_a_column_even_with_a_report_in_its_news():
    nav = links(page('<a href="/zwgk/">政务公开</a>', "http://127.0.0.1/"))
    assert not is_report_column("http://127.0.0.1/", 1, False, False, nav)
    assert is_report_column("http://127.0.0.1/col/col7651/index.html", 1, False, False, nav)
    assert not is_report_column("http://127.0.0.1/zwgk/", 0, False, False, nav)


def test_sibling_hosts_of_one_portal_are_the_same_site():
    assert same_site("http://www.x.gov.cn/", "http://zwgk.x.gov.cn/nb/")
    assert not same_site("http://www.x.gov.cn/", "http://www.y.gov.cn/")
    assert not same_site("http://127.0.0.1:8000/", "http://127.0.0.1:9000/")
