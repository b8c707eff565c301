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


def _real(name: str):
    return extract_document((REAL / name).read_bytes(), filename=name)


def _apps(report, row: str) -> list:
    return _values(report.tables.applications[row])


# --- 1: traditional script ---------------------------------------------------------------------


def test_traditional_copy_with_taiwan_phrasing_is_read_through_a_simplified_copy():
    # newton.com.tw mirror of 武汉市生态环境局2020年报 (helper E's fixture): 規範性檔案 (= 规范性文件 in
    # Taiwan phrasing), 行政許可, 其他對外管理服務事項 whose bracketed note names 行政許可證
    report = _real("hubei_wuhan_sthjj_2020_tw.txt")
    ad = report.tables.active_disclosure
    assert report.tables.format == "2019"
    assert _values(ad["normative_documents"]) == [2, 2, 19]
    assert _values(ad["administrative_licensing"]) == [8, 5, 93]
    assert _values(ad["other_external_services"]) == [117, 0, 165]
    assert ad["normative_documents"]["newly_made"].raw == "2"  # cells as printed


def test_traditional_copy_with_pinyin_readings_and_stray_question_marks():
    # a mirror printing pinyin after characters (規(guī)章, 數(shù)量) and "? 0" for a no-break space
    report = _real("unknown_ju_2021_tw_pinyin.txt")
    ad = report.tables.active_disclosure
    assert _values(ad["rules"]) == [0, 0, 0]
    assert _values(ad["normative_documents"]) == [0, 0, 0]


# --- 2: positional blanks ---------------------------------------------------------------------


def test_blank_cells_of_a_pipe_terminated_dump_keep_their_places():
    # one cell per line, each closed by "|", a lone "|" an empty cell: 新收 prints six empty cells
    # then its 总计 0 (helper E's fixture unknown_qu_tjj_2023, a pages-corpus report page)
    report = _real("unknown_qu_tjj_2023.txt")
    assert _apps(report, "new_received") == ["blank"] * 6 + [0]
    assert _apps(report, "carried_over") == ["blank"] * 6 + [0]


def test_an_empty_word_template_reads_as_printed_blanks_never_as_numbers():
    # national_template_2021_blank.docx (the national 2021 template as a real Word file, from
    # github.com/zxj6827111-blip/govnianbao): every value cell empty, merged cells as Word writes
    # them. 行政许可's single value cell spans three columns and is empty: a printed blank at its
    # place, like every other cell — and no heading digit (第二十条第（一）项) becomes a value
    report = _real("national_template_2021_blank.docx")
    t = report.tables
    assert t.found == {"二", "三", "四"} and t.format == "2021"
    statuses = {c.status for tbl in (t.active_disclosure, t.applications, t.review_litigation)
                for row in tbl.values() for c in row.values()}
    assert statuses == {"blank"}
    assert set(_values(t.active_disclosure["administrative_licensing"])) == {"blank"}


# --- 4: header variants -----------------------------------------------------------------------


def test_table_two_headed_with_short_measure_words_stays_in_the_2021_format():
    # jiangsu_xinghua_zhuhong_2025: headers 本年发件 / 本年废止件数 / 现行有效件 (no 数)
    report = _real("jiangsu_xinghua_zhuhong_2025.txt")
    assert report.tables.format == "2021"
    assert _values(report.tables.active_disclosure["rules"]) == [0, 0, 0]


def test_table_two_headed_with_the_year_in_its_measures():
    # zhejiang_yuecheng_donghu_2023: 本年(2023)制发件数 | 本年(2023)废止件数 | 现行有效件数
    report = _real("zhejiang_yuecheng_donghu_2023.txt")
    assert report.tables.format == "2021"
    assert _values(report.tables.active_disclosure["normative_documents"]) == [0, 1, 0]


# --- 5 and 7: a label away from its values, a row without its label ------------------------------


def test_label_alone_on_its_line_with_its_value_on_a_later_line():
    # shaanxi_hantai_xuwang_2025: one cell per paragraph, "行政许可" then "124"
    report = _real("shaanxi_hantai_xuwang_2025.txt")
    assert _values(report.tables.active_disclosure["administrative_licensing"]) == [124]


def test_row_printed_without_its_label_is_placed_by_the_fixed_order():
    # shaanxi_hantai_xuwang_2025: the 规章 row is an empty paragraph then 0 0 0, before 行政规范性文件;
    # the article headers are cut to 第二十条第
    report = _real("shaanxi_hantai_xuwang_2025.txt")
    assert _values(report.tables.active_disclosure["rules"]) == [0, 0, 0]
    assert any("rules printed without its label" in f for f in report.tables.flags)


# --- 6: the year (helper E's fixtures) ---------------------------------------------------------


def test_year_from_the_end_of_the_statistics_period_and_from_the_agency_reporting_its_year():
    assert _real("jilin_changchun_tyjrswj_2023.txt").year == 2023  # 截止2023年12月31日我局…
    assert _real("unknown_lzq_xiang_2019.txt").year == 2019  # 2019年度,我乡…


# --- 8: extra numbers -------------------------------------------------------------------------


def test_a_row_number_after_the_values_is_not_read_as_a_cell():
    # hebei_qianan_dawuli_2020: "1.属于国家秘密" then seven 0s then "2" — the next row's number
    # ("2.其他法律…", cut off by the excerpt); only the reading without it satisfies the row total
    report = _real("hebei_qianan_dawuli_2020.txt")
    assert _apps(report, "denied_state_secret") == [0] * 7


# --- 9: PDF text where merged label cells spill away from their values --------------------------


def _pdf_text(name: str) -> str:
    import pdfplumber

    with pdfplumber.open(REAL / name) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_value_rows_printed_apart_from_their_labels_are_placed_by_order_and_identities():
    # hongze_2023.pdf (淮安市洪泽区 2023, github.com/zxj6827111-blip/KIROGOVCOMPARE): pdfplumber's text
    # prints "1 0 0 0 0 0 1" before "1.属于国家秘密", "10 0 0 0 0 0 10" before "1.本机关不掌握…" and
    # "3 0 0 0 0 0 3" before "2.没有现成信息…". The extractor before issue #17 joined each value row to
    # the label line above it and read 不掌握 as 3 (wrong); by order and identities each row has one place.
    from extract.layouts import rows_from_text
    from extract.tables import read_tables

    t = read_tables(rows_from_text(_pdf_text("hongze_2023.pdf")))
    apps = {k: [c.value for c in v.values()] for k, v in t.applications.items()}
    assert apps["denied_state_secret"] == [1, 0, 0, 0, 0, 0, 1]
    assert apps["unable_not_held"] == [10, 0, 0, 0, 0, 0, 10]
    assert apps["unable_needs_creation"] == [3, 0, 0, 0, 0, 0, 3]
    assert apps["not_processed_confirmation"] == [0] * 7
    assert any("unable_not_held printed without its label" in f for f in t.flags)


def test_a_value_row_without_label_is_left_null_when_the_order_leaves_two_places():
    # the same PDF text with the 予以公开 row's label dropped as well: between 二、上年结转 and
    # 1.属于国家秘密's neighbours there are now more unlabelled rows than one place each, so the
    # rows of that stretch stay null instead of shifting
    from extract.layouts import rows_from_text
    from extract.tables import read_tables

    text = _pdf_text("hongze_2023.pdf").replace("（一）予以公开 0 0 0 0 0 0 0", "0 0 0 0 0 0 0\n0 0 0 0 0 0 0")
    t = read_tables(rows_from_text(text))
    apps = {k: [c.value for c in v.values()] for k, v in t.applications.items()}
    assert apps["granted"] == [None] * 7
    assert apps["partially_granted"] == [None] * 7
    assert apps["unable_not_held"] == [10, 0, 0, 0, 0, 0, 10]  # other stretches still placed


def test_a_one_number_fragment_between_unlabelled_rows_does_not_block_their_placement():
    # shanghai_stcsm_2024.md (上海市科委 2024, a markdown conversion of the official PDF): after
    # 3.要求提供公开出版物 the labels 4.无正当理由…, 5.要求行政机关确认…, 1.逾期不补正, 2.逾期未缴费 print
    # apart from their values, and a lone "1" line sits among the four value rows. The four full rows
    # fill the four places exactly (其他处理 14 = 10 + 0 + 4 in the report's prose); the "1" is not read.
    report = _real("shanghai_stcsm_2024.md")
    assert _apps(report, "not_processed_excessive") == [0] * 7
    assert _apps(report, "not_processed_confirmation") == [0] * 7
    assert _apps(report, "other_overdue_correction") == [8, 2, 0, 0, 0, 0, 10]
    assert _apps(report, "other_overdue_fee") == [0] * 7
    assert any("short row of values" in f for f in report.tables.flags)


def test_a_fragment_between_unlabelled_rows_blocks_them_when_the_counts_differ():
    # the same dump with the 0-row of 2.逾期未缴费 removed: three full rows for four places, so
    # none of that stretch is placed (a guess could shift 8/2/10 onto a neighbouring row)
    text = (REAL / "shanghai_stcsm_2024.md").read_text(encoding="utf-8")
    lines = text.split("\n")
    at = lines.index("信息公开申请") + 2  # the lone "1", then the row of 2.逾期未缴费
    assert lines[at - 1] == "1" and lines[at].startswith("| 0 |")
    del lines[at : at + 2]
    report = extract_text("\n".join(lines))
    assert _apps(report, "other_overdue_correction") == ["missing"] * 7


def test_a_table_two_block_printed_out_of_order_is_kept_when_its_label_is_exact():
    # shanghai_stcsm_2024.md: the conversion printed 第二十条第（五）(六)(八) items first and the
    # 规章/规范性文件 rows after them; whole official labels, so they stand where they are printed
    report = _real("shanghai_stcsm_2024.md")
    ad = report.tables.active_disclosure
    assert _values(ad["rules"]) == [0, 0, 0]
    assert _values(ad["normative_documents"]) == [13, 0, 55]
    assert _values(ad["administrative_licensing"]) == [97]


def test_a_table_two_row_with_a_cell_lost_in_conversion_stays_null():
    # shanghai_szfbgt_2025.md (上海市人民政府办公厅 2025): "| 规章 | 22 | 235 |" — two numbers for
    # three measures (the multi-line 废止 cell spilled above the table): which one is missing is
    # not shown, so the row is not read
    report = _real("shanghai_szfbgt_2025.md")
    assert set(_values(report.tables.active_disclosure["rules"])) == {"missing"}  # gold null too: positions not shown
    assert _apps(report, "other_overdue_correction") == [40, 1, 0, 0, 2, 0, 43]  # label cut: 行政机关不再处理其政府信息公


# --- 10: a Word page with one <p> per cell and no <table> -------------------------------------


def _cells_as_paragraphs(html: str) -> str:
    """The page with its grids unwrapped: every cell's paragraphs stay, in order, with no table."""
    import re

    html = re.sub(r"</?(?:table|tbody|tr)\b[^>]*>", "", html)
    html = re.sub(r"<td\b[^>]*>(?!<p>)(.*?)</td>", r"<p>\1</p>", html)  # a bare-text cell becomes a paragraph
    return re.sub(r"</?td\b[^>]*>", "", html)


def test_a_word_page_with_one_paragraph_per_cell_and_no_table_reads_every_cell():
    # pingtan_2019_tables.html (平潭综合实验区 2019, 2019 format, 23-row table 三) with its grids
    # unwrapped into the layout of issue #17 pattern 10 (no real page of that layout has been found
    # yet; the cells, their order and their <span> runs are the real report's). trafilatura's text of
    # such a page keeps only the first of repeated short paragraphs (规范性文件 89 | 89 | 89 → one 89,
    # almost every 0 gone), so the page's own paragraphs are read as well.
    import json

    page = _cells_as_paragraphs((REAL / "pingtan_2019_tables.html").read_text(encoding="utf-8"))
    assert "<table" not in page and "<td" not in page
    report = extract_document(page.encode("utf-8"), filename="page.html")
    gold = json.loads((REAL / "gold" / "pingtan_2019_tables.json").read_text(encoding="utf-8"))
    t = report.tables
    assert t.format == "2019" and report.year == 2019
    for row, want in gold["applications"].items():
        assert _apps(report, row) == want, row
    assert _values(t.active_disclosure["normative_documents"]) == [89, 89, 89]
    assert _values(t.active_disclosure["administrative_licensing"]) == [396, 0, 181]
    for proceeding, want in gold["review_litigation"].items():
        assert _values(t.review_litigation[proceeding]) == want


def test_a_real_page_with_one_paragraph_per_cell_in_the_2019_format_reads_table_two():
    # chongqing_rongchang_hebao_2020.txt (重庆市荣昌区河包镇 2020, pages corpus): the page prints every
    # cell as its own paragraph, no <table> (the corpus renders tables as pipe rows), in the 2019
    # format (本年新制作数量 …); the excerpt ends at the 第二十条第(九)项 heading
    report = _real("chongqing_rongchang_hebao_2020.txt")
    assert report.year == 2020 and report.tables.format == "2019"
    ad = report.tables.active_disclosure
    assert _values(ad["rules"]) == [0, 0, 0]
    assert _values(ad["other_external_services"]) == [0, 0, 0]
    assert _values(ad["administrative_fees"]) == [0, 0]
    assert set(_values(ad["centralized_procurement"])) == {"missing"}  # cut off by the excerpt


# --- 11: collapsed repeated cells -------------------------------------------------------------


def test_a_real_page_text_that_kept_only_the_first_of_repeated_lines_reads_no_cell():
    # hebei_xiongxian_xiang_2019.txt (雄县某乡 2019, pages corpus): a page with one paragraph per cell
    # whose stored text kept only the first of repeated lines — one "0" after 规章, every other value
    # gone, labels intact. Nothing places that 0 or any other cell, so nothing is read; the year and
    # the 2019 format still are (from 2019年,我乡… and 本年新制作数量)
    for name, year in (("hebei_xiongxian_xiang_2019.txt", 2019), ("shaanxi_jiaxian_xizhen_2022.txt", 2022)):
        # 佳县螅镇 2022: a 2022 report still in the 2019 shape whose stored text kept no value cell at all
        report = _real(name)
        assert report.year == year and report.tables.format == "2019", name
        t = report.tables
        read = [(k, c.value) for tbl in (t.active_disclosure, t.applications, t.review_litigation)
                for k, row in tbl.items() for c in row.values() if c.status not in ("missing", "incomplete")]
        assert read == [], name


def test_zero_rows_printed_short_are_read_only_because_the_identities_leave_one_possibility():
    # seed 002 (a real report's text dump, tests/fixtures/seeds): result rows print five 0s for seven
    # cells ("0 0 0 0 00 0" for 三安全一稳定); （七）总计 is all 0, so every result row is 0 — inferred, flagged
    report = extract_document((REAL.parent / "seeds" / "002_a941c392a2b54e65.txt").read_bytes(), filename="s.txt")
    row = report.tables.applications["denied_security_stability"]
    assert [c.value for c in row.values()] == [0] * 7
    assert {c.status for c in row.values()} == {"inferred"}
    assert any("denied_security_stability printed" in f and "inferred" in f for f in report.tables.flags)


def test_collapsed_row_stays_null_when_the_identities_allow_more_than_one_reading():
    # the same dump with 不予公开/1.属于国家秘密 and 2.其他法律… both collapsed and a non-zero 总计:
    # two unknown rows share one column sum, so neither is determined
    text = (REAL.parent / "seeds" / "002_a941c392a2b54e65.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if "(七) 总计" in line:
            lines[i] = line.replace("\t0\t0\t0\t0\t0\t0\t0", "\t2\t0\t0\t0\t0\t0\t2")
    report = extract_text("\n".join(lines))
    assert _apps(report, "total_handled") == [2, 0, 0, 0, 0, 0, 2]
    row = report.tables.applications["denied_state_secret"]
    assert [c.value for c in row.values()] == [None] * 7


def test_a_bracketed_note_names_the_proceeding_in_table_four_but_not_an_item_in_table_two():
    # table 二 notes mislead (武汉市生态环境局 2020: 其他对外管理服务事项(指行政许可证以外的…)), table 四's
    # name the proceeding (行政诉讼（未经复议直接起诉）, the official header cells run together)
    from extract.spec import tables
    from extract.tables import match_label

    spec = tables()
    assert match_label(["其他对外管理服务事项(指行政许可证以外的政务服务事项)"], spec.active_disclosure["2019"]).key == "other_external_services"
    assert match_label(["行政诉讼（未经复议直接起诉）"], spec.proceedings).key == "litigation_direct"
