"""Who reported and where: level, region and GB/T 2260 code, each with the evidence it came from.

Names and hosts are real ones from the research notes and the real report files (tests/fixtures/real).
"""
import pytest

from extract.place import infer_place


def place(agency, host=None, hints=None, text=None):
    p = infer_place(agency, host, hints, text)
    return p.level, p.agency_type, p.province, p.city, p.county, p.admin_code, p.source


@pytest.mark.parametrize("agency, expected", [
    ("安丘市官庄镇人民政府", ("乡镇街道", "政府", "山东省", "潍坊市", "安丘市", "370784", "agency")),
    ("淮安市洪泽区人民政府", ("县级", "政府", "江苏省", "淮安市", "洪泽区", "320813", "agency")),
    ("沭阳县人民政府", ("县级", "政府", "江苏省", "宿迁市", "沭阳县", "321322", "agency")),
    ("淮安市人民政府办公室", ("市级", "部门", "江苏省", "淮安市", None, "320800", "agency")),
    ("上海市人民政府办公厅", ("省级", "部门", "上海市", "上海市", None, "310000", "agency")),
    ("汤原县社区建设指导委员会办公室", ("县级", "部门", "黑龙江省", "佳木斯市", "汤原县", "230828", "agency")),
])
def test_the_agency_name_gives_level_type_and_region(agency, expected):
    assert place(agency) == expected


@pytest.mark.parametrize("agency, level", [
    ("官塘社区", "村居/社区"),
    ("常青花园社区管理办公室", "村居/社区"),
    ("荷花路街道办事处", "乡镇街道"),
])
def test_townships_and_communities_are_recognised_without_a_region(agency, level):
    assert place(agency)[:2] == (level, "政府")


def test_a_department_about_communities_is_not_a_community():
    assert place("汤原县社区建设指导委员会办公室")[0] == "县级"


def test_a_division_name_inside_a_longer_word_is_not_a_division():
    # 示范县 contains 范县 (河南省濮阳市): not a match
    assert place("示范县人民政府")[5] is None
    assert place("示范县人民政府")[:2] == ("县级", "政府")


@pytest.mark.parametrize("host, county_or_city, code", [
    ("www.dongtai.gov.cn", "东台市", "320981"),
    ("hbdaye.gov.cn", "大冶市", "420281"),           # province initials before the name
    ("www.gzhezhang.gov.cn", "赫章县", "520527"),
    ("ruzhou.gov.cn", "汝州市", "410482"),
    ("js.changchun.gov.cn", "长春市", "220100"),
    ("gxq.hld.gov.cn", "葫芦岛市", "211400"),         # prefecture initials
    ("yynanhu.yueyang.gov.cn", "岳阳市", "430600"),   # 南湖 here is not 嘉兴's 南湖区
])
def test_the_host_name_gives_the_region_when_the_name_does_not(host, county_or_city, code):
    p = infer_place("区交通运输局", host)
    assert (p.admin_code, p.source) == (code, "host")
    assert county_or_city in (p.county, p.city)


def test_an_ambiguous_host_gives_no_region():
    # haicheng: 海城市 (辽宁) and 海城区 (广西)
    assert place("区财政局", "www.haicheng.gov.cn")[5] is None


def test_a_department_inherits_the_tier_of_the_portal_it_is_found_on():
    assert place("县财政局", "www.kaihua.gov.cn")[:2] == ("县级", "部门")


def test_the_source_configuration_places_an_agency_whose_name_omits_its_county():
    p = infer_place("官庄镇人民政府", None, {"province": "山东省", "county": "安丘市"})
    assert (p.level, p.admin_code, p.source) == ("乡镇街道", "370784", "source")


def test_the_source_configuration_disambiguates_a_shared_district_name():
    assert place("朝阳区人民政府")[5] is None  # 北京 and 长春 both have one
    assert place("朝阳区人民政府", hints={"province": "北京市"})[5] == "110105"


def test_the_name_wins_over_the_host_when_both_speak():
    # a county's report on its city's portal
    p = infer_place("淮安市洪泽区人民政府", "www.huaian.gov.cn")
    assert (p.admin_code, p.source) == ("320813", "agency")


def test_the_opening_text_is_the_last_resort_and_says_so():
    text = "荷花路街道办事处2023年政府信息公开工作年度报告\n本报告由武汉市江岸区荷花路街道办事处编制。"
    p = infer_place("荷花路街道办事处", None, None, text)
    assert (p.admin_code, p.source, p.level) == ("420102", "text", "乡镇街道")


def test_a_state_council_department_is_recognised():
    assert place("生态环境部")[:2] == ("国务院部门", "部门")
