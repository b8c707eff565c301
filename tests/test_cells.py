"""Cell values: numbers in every printed form; blank, placeholder and 0 stay different facts."""
import pytest

from extract.cells import BLANK, NUMBER, PLACEHOLDER, TEXT, parse_cell


@pytest.mark.parametrize("raw,value", [
    ("0", 0), (" 0", 0), ("0\u00a0", 0), ("1,113", 1113), ("+21", 21), ("-7", -7), ("－7", -7),
    ("124件", 124), ("80618元", 80618), ("18651.06", 18651.06), ("减4", -4), ("增加3", 3), ("未增未减", 0),
    ("３５", 35), ("00", 0),
])
def test_numbers_are_read_in_every_printed_form(raw, value):
    cell = parse_cell(raw)
    assert cell.kind == NUMBER and cell.value == value


@pytest.mark.parametrize("raw", ["/", "／", "—", "——", "-", "无"])
def test_placeholders_are_not_numbers(raw):
    cell = parse_cell(raw)
    assert cell.kind == PLACEHOLDER and cell.value is None


def test_blank_zero_and_slash_are_three_different_kinds():
    assert [parse_cell(x).kind for x in ("", "0", "/")] == [BLANK, NUMBER, PLACEHOLDER]


def test_raw_text_is_kept():
    assert parse_cell(" 1,113 ").raw == " 1,113 "


def test_unit_is_kept_for_conversion():
    assert parse_cell("251000元").unit == "元"


@pytest.mark.parametrize("raw", ["规章", "1.属于国家秘密", "（七）总计", "3.其他"])
def test_labels_are_text(raw):
    assert parse_cell(raw).kind == TEXT
