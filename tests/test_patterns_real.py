"""Issue #17: the patterns of real documents that lost cells, each read from a real instance.

Every fixture under tests/fixtures/real/patterns/ is a minimal excerpt of a published report,
copied as printed (its source is in tests/fixtures/SOURCES.md); the other real fixtures are helper
E's complete documents in tests/fixtures/real/ (sources in their gold files). Expected values are
read from the excerpt itself. Wrong is worse than missing: where a test says a cell stays null,
the document does not determine it.
"""
from __future__ import annotations

from pathlib import Path

from extract.documents import extract_document, extract_text
from extract.meta import report_year

REAL = Path(__file__).parent / "fixtures" / "real"
PATTERNS = REAL / "patterns"


def _text(name: str) -> str:
    return (PATTERNS / name).read_text(encoding="utf-8")


def _values(cells: dict) -> list:
    return [c.value if c.status == "read" else c.status for c in cells.values()]


# --- 6: the year ---------------------------------------------------------------------------


def test_year_from_a_statistics_period_worded_as_a_time_range():
    # www.qiaokou.gov.cn/xxgk/zfxxgknb/.../t20250116_2519192.shtml: "所列统计数据时间范围为2024年1月1日至2024年12月31日"
    assert report_year("", _text("wuhan_qiaokou_tjj_2024_period.txt")) == (2024, "body")


def test_statistics_period_outweighs_an_earlier_year_in_the_body():
    # www.ouhai.gov.cn xxgkAnnualReport.jsp: "统计期限自2024年1月1日起至2024年12月31日止"; the text
    # also names 2023年度 (an appeal about a 2023 application)
    year, _ = report_year("", _text("wenzhou_ouhai_sjj_2024_period.txt"))
    assert year == 2024


def test_statistics_period_outweighs_the_publication_year_in_the_title():
    text = _text("wuhan_qiaokou_tjj_2024_period.txt")
    assert report_year("2025年1月16日发布 硚口区统计局政府信息公开工作年度报告", text)[0] == 2024


def test_year_written_in_chinese_numerals_in_the_title():
    assert report_year("二〇二一年度茅草街镇政府信息公开工作年度报告", "")[0] == 2021


# --- 2 and 3: positions a pipe row shows ------------------------------------------------------


def test_pipe_row_label_cell_spaced_and_spacer_cells_in_headers():
    # www.tchuan.gov.cn/xxgk-show-43241.html: "规 章 | 0 | 0 | 0 |", headers "第二十条第(一)项 | |||";
    # the excerpt ends inside the 第二十条第(五)项 block
    report = extract_text(_text("dazhou_tongchuan_tjj_2024_pipe.txt"))
    ad = report.tables.active_disclosure
    assert report.tables.format == "2021"
    assert _values(ad["rules"]) == [0, 0, 0]
    assert _values(ad["normative_documents"]) == [0, 0, 0]
    assert _values(ad["administrative_licensing"]) == ["missing"]


def test_row_cut_short_by_the_end_of_the_text_keeps_the_cells_it_shows():
    # www.lg.gov.cn/xxgk/xxgknb/qzfgzbm/content/post_11956962.html as stored (helper E's fixture):
    # the text ends with "7.属于行政执法案卷 | 0 | 0 | 0 | 0 | 0 | 0 |" — six of seven cells
    report = extract_document((REAL / "guangdong_longgang_qfgj_2024.txt").read_bytes(), filename="x.txt")
    row = report.tables.applications["denied_enforcement_case_file"]
    assert _values(row) == [0, 0, 0, 0, 0, 0, "missing"]
    assert any("cut short after 6 of 7" in f for f in report.tables.flags)
