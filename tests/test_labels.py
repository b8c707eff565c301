"""Labels are matched however they are printed: spaces, widths, line breaks, typos, shortenings."""
import pytest

from extract.spec import tables
from extract.tables import match_label
from extract.text import normalize_label

ROWS = tables().application_rows


def key(*labels):
    spec = match_label(list(labels), ROWS)
    return spec.key if spec else None


def test_numbering_widths_and_spaces_are_ignored():
    assert normalize_label("（三）不予 公开") == normalize_label("(三)不予公开") == "不予公开"


@pytest.mark.parametrize("label,expected", [
    ("信访举报报投诉类申请", "not_processed_petition"),  # typo seen in a real report
    ("3. 危及“安全-稳定”", "denied_security_stability"),  # shortened
    ("2. 其他法律法规 禁止公开", "denied_prohibited_by_law"),
    ("(二) 部分公开(区分处理的，只记这一情形，不计其他情形)", "partially_granted"),
    ("三、本 年度 办理 结果", None),  # a group label names no row by itself
    ("4.无正当理由大量反复 申请", "not_processed_excessive"),
    ("（七）总计", "total_handled"),
    ("四、结转下年度继续办理", "carried_forward"),
])
def test_real_label_variants_name_their_row(label, expected):
    assert key(label) == expected


def test_the_most_specific_label_names_the_row():
    assert key("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请") == "other_overdue_correction"
    assert key("（六）其他处理", "3.其他") == "other_other"


def test_a_lone_other_handling_row_is_the_2019_row():
    assert key("(六) 其他处理") == "other_handling"


def test_a_remembered_label_is_answered_per_table():
    spec = tables()
    label = ["行政复议"]
    assert match_label(label, spec.proceedings) is not None
    assert match_label(label, spec.application_rows) is None  # not a row of table 三, asked second
    assert match_label(label, spec.proceedings).key == match_label(list(label), spec.proceedings).key
