"""The identities are evaluated as data; a broken one fails the report but changes no number."""
from extract.documents import extract_document
from nianbao import render
from nianbao.synthetic import synthetic_report


def report_of(data):
    return extract_document(render.text_dump(data).encode())


def test_consistent_tables_pass_every_check():
    r = report_of(synthetic_report("示范县人民政府", 2023, scale=50))
    assert r.check_status == "pass"
    names = {c.check.split(".")[1] for c in r.checks}
    assert names == {"balance", "results_sum", "row_total", "total"}


def test_a_broken_total_fails_the_identities_it_touches_and_is_kept_as_published():
    data = synthetic_report("示范县人民政府", 2022, scale=50, break_identity=True)
    r = report_of(data)
    assert r.check_status == "fail"
    failed = {c.check for c in r.checks if not c.ok}
    assert "applications.results_sum.total" in failed
    assert "applications.row_total.total_handled" in failed
    assert r.tables.applications["total_handled"]["total"].value == data["applications"]["total_handled"][-1]


def test_missing_table_makes_the_report_incomplete():
    data = synthetic_report("示范县人民政府", 2023)
    text = render.text_dump(data)
    text = text[: text.index("四、政府信息公开行政复议")]  # table 四 lost
    r = extract_document(text.encode())
    assert r.check_status == "incomplete"
    assert "四" not in r.tables.found


def test_pre_2019_report_is_not_applicable():
    r = extract_document("示范县人民政府2017年政府信息公开工作年度报告\n一、概述\n全年主动公开政府信息1236条。\n".encode())
    assert (r.format, r.check_status) == ("pre2019", "not_applicable")


def test_pre_2019_local_statistics_tables_are_kept_as_text_not_read_as_the_national_tables():
    text = ("示范县人民政府2016年政府信息公开工作年度报告\n一、概述\n全年主动公开政府信息1236条。\n"
            "五、因政府信息公开申请行政复议、提起行政诉讼的情况\n行政复议\t行政诉讼\n2\t1\n")
    r = extract_document(text.encode())
    assert (r.format, r.check_status) == ("pre2019", "not_applicable")
    assert not r.tables.review_litigation
    assert "行政复议" in r.body_text
