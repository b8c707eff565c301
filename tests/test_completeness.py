"""Completeness accounting (crawler/completeness.py): a list's stated size against what was reached."""
from crawler.completeness import Ledger

COL = "http://127.0.0.1/zwgk/zfxxgknb/index.html"


def test_entries_stated_above_those_reached_are_a_shortfall():
    ledger = Ledger()
    ledger.page(COL, COL, {"a", "b", "c"})
    ledger.stated(COL, entries=5, how="共N条")
    assert ledger.columns[COL].shortfall == 2
    assert ledger.summary().startswith("shortfall: 2 listed entries not reached in 1 column(s)")


def test_pages_count_when_only_a_page_count_is_stated():
    ledger = Ledger()
    ledger.page(COL, COL, {"a"})
    ledger.page(COL, COL.replace("index", "index_1"), {"b"})
    ledger.stated(COL, pages=3, how="createPageHTML")
    col = ledger.columns[COL]
    assert (col.shortfall, col.unit) == (1, "pages")


def test_an_entry_seen_on_two_pages_counts_once_and_a_complete_list_says_nothing():
    ledger = Ledger()
    ledger.page(COL, COL, {"a", "b"})
    ledger.page(COL, COL + "?page=2", {"b"})
    ledger.stated(COL, entries=2)
    assert ledger.columns[COL].shortfall == 0 and ledger.summary() is None


def test_the_largest_stated_size_wins():
    ledger = Ledger()
    ledger.stated(COL, entries=10)
    ledger.stated(COL, entries=4)
    assert ledger.columns[COL].stated_entries == 10
