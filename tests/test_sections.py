"""Sections 一–六 are split out with their headings, whatever the numbering style."""
from extract.sections import split_sections


def test_markdown_headings_are_sections():
    text = "# 标题\n## 一、总体情况\n甲\n## 二、主动公开政府信息情况\n乙\n### 三、收到和处理政府信息公开申请情况\n丙\n#### 四、政府信息公开行政复议、行政诉讼情况\n丁\n## 五、存在的主要问题及改进情况\n戊\n#### 六、其他需要报告的事项\n己"
    secs = split_sections(text)
    assert [s.no for s in secs] == [1, 2, 3, 4, 5, 6]
    assert secs[0].heading == "一、总体情况" and secs[5].text == "己"


def test_sub_headings_reusing_numerals_inside_a_section_are_not_sections():
    text = "一、总体情况\n一、加强组织领导。\n二、加大公开力度。\n二、主动公开政府信息情况\n表\n"
    secs = split_sections(text)
    assert [(s.no, s.heading) for s in secs] == [(1, "一、总体情况"), (2, "二、主动公开政府信息情况")]
    assert "加大公开力度" in secs[0].text


def test_parenthesised_sub_headings_with_section_keywords_are_not_sections():
    text = "一、总体情况\n（二）依申请公开情况\n五、存在的主要问题及改进情况\n（二）2023年存在的主要问题及改进情况\n六、其他需要报告的事项\n无"
    assert [s.no for s in split_sections(text)] == [1, 5, 6]


def test_numbering_with_dots_or_spaces_is_accepted():
    secs = split_sections("一. 总体情况\n甲\n二 主动公开政府信息情况\n乙")
    assert [s.no for s in secs] == [1, 2]
