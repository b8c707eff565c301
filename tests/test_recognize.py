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
