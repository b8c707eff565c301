"""List-page titles: annual disclosure reports in, look-alike notices out."""
import pytest

from crawler.recognize import LOOKALIKE, OTHER, REPORT, classify, is_column_link, title_year


@pytest.mark.parametrize("title", [
    "安丘市官庄镇人民政府2023年政府信息公开工作年度报告",
    "2023年度政府信息公开工作年度报告（市财政局）",
    "荷花路街道办事处 2023 年政府信息公开工作年度 报告",
    "南京市浦口区人民政府2023年政府信息公开年报",
])
def test_report_titles_are_reports(title):
    assert classify(title) == REPORT


@pytest.mark.parametrize("title", [
    "关于做好2023年度政府信息公开工作年度报告编制和发布工作的通知",
    "2023年度法治政府建设年度报告",
    "2024年政务公开工作要点",
])
def test_lookalikes_are_rejected(title):
    assert classify(title) in (LOOKALIKE, OTHER)


def test_statistics_bulletin_and_guide_are_not_reports():
    assert classify("2023年国民经济和社会发展统计公报") == OTHER
    assert classify("政府信息公开指南") == OTHER


def test_title_year_is_the_report_year():
    assert title_year("官塘社区2023年政府信息公开工作年度报告") == 2023


@pytest.mark.parametrize("text,is_column", [("部门年报", True), ("乡镇（街道）年报", True), ("政府信息公开年报", True),
                                            ("2023年政府信息公开工作年度报告", False), ("政策解读", False)])
def test_column_links(text, is_column):
    assert is_column_link(text) is is_column


# -- every real wording (issue #15), and what only looks like a report ------------------------

from crawler.recognize import COLUMN, EXPLAINER, is_explainer  # noqa: E402


@pytest.mark.parametrize("title,year", [
    ("平潭综合实验区2024年度政府信息公开工作年度报告", 2024),  # pingtan.gov.cn
    ("舒兰市市场监督管理局2016年政务信息公开年度报告", 2016),  # 122.137.242.24/pub/slsxxgkw/… (pages corpus)
    ("某某区财政局关于2023年度政府信息公开工作情况的报告", 2023),
    ("某某县2023年度政府信息公开工作年报", 2023),
    ("二〇二三年某某县人民政府政府信息公开工作年度报告", 2023),
    ("2023年度某某县教育局政府信息公开工作年度报告", 2023),
    ("某某县教育局政府信息公开工作年度报告（2023年度）", 2023),
    ("中国(河北)自由贸易试验区雄安片区管理委员会2022年政府信息公开工作年度报告", 2022),  # xiongan.gov.cn
])
def test_every_real_wording_is_a_report_of_its_year(title, year):
    assert classify(title) == REPORT
    assert title_year(title) == year


@pytest.mark.parametrize("title", [
    "图解：某某县2023年政府信息公开工作年度报告",
    "一图读懂某某县2023年政府信息公开工作年度报告",
    "《某某县2023年政府信息公开工作年度报告》解读",
    "某某县2023年政府信息公开工作年度报告（图解）",
])
def test_explainers_of_a_report_are_not_reports(title):
    assert classify(title) == EXPLAINER
    assert is_explainer(title)


@pytest.mark.parametrize("title", [
    "关于做好2023年度政府信息公开工作年度报告编制工作的通知",
    "某某县关于印发2024年政务公开工作要点的通知",
    "某某县2023年法治政府建设年度报告",
    "关于某某县2023年政府信息公开工作年度报告的更正说明",
    "关于《某某县2023年政府信息公开工作年度报告》的说明",
])
def test_notices_and_other_annual_reports_are_not_reports(title):
    assert classify(title) != REPORT


def test_a_bare_column_name_is_a_column_not_a_report():
    # pingtan.gov.cn's side menu links 政府信息公开年报 to nlist.htm, a list (issue #15)
    assert classify("政府信息公开年报") == COLUMN
    assert classify("政府信息公开工作年度报告") == COLUMN
    assert classify("部门政府信息公开年报") == COLUMN


def test_an_agencys_report_without_a_year_in_its_title_is_still_a_report():
    assert classify("某某县财政局政府信息公开工作年度报告") == REPORT


def test_a_report_title_is_not_an_explainer_link():
    assert not is_explainer("某某县2023年政府信息公开工作年度报告")


@pytest.mark.parametrize("text,explains", [("图解", True), ("一图读懂", True), ("（图文版）", True),
                                           ("政策解读", False), ("解读回应", False), ("图解政策", False)])
def test_bare_explainer_links_but_not_the_menus_policy_column(text, explains):
    assert is_explainer(text) is explains


@pytest.mark.parametrize("title", [
    "某某区财政局关于2023年度政府信息公开工作情况的报告",
    "某某区财政局2023年度政府信息公开工作年报",
    "某某区财政局2023年政府信息公开年报",
    "二〇二三年某某区财政局政府信息公开工作年度报告",
    "2023年度某某区财政局政府信息公开工作年度报告",
    "某某区财政局政府信息公开工作年度报告（2023年度）",
])
def test_the_extractor_reads_agency_and_year_from_every_wording(title):
    from extract.meta import parse_title

    assert parse_title(title) == ("某某区财政局", 2023)
