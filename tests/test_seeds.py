"""The five seed reports parse to their gold: the foundation's first promise."""
import json

import pytest

from conftest import FIXTURES, GOLD_KEYS, gold, nianbao, seed_names
from extract.documents import extract_document


@pytest.mark.parametrize("stem", seed_names())
def test_seed_extracts_to_its_gold(stem):
    report = extract_document((FIXTURES / "seeds" / f"{stem}.txt").read_bytes())
    got = report.to_json(f"{stem}.txt")
    expected = gold(stem)
    for key in GOLD_KEYS:
        assert got[key] == expected[key], key


@pytest.mark.parametrize("stem", seed_names())
def test_seed_identities_hold(stem):
    report = extract_document((FIXTURES / "seeds" / f"{stem}.txt").read_bytes())
    assert report.check_status == "pass"
    assert report.checks and all(c.ok for c in report.checks)


@pytest.mark.parametrize("stem", seed_names())
def test_seed_has_six_sections_in_order(stem):
    report = extract_document((FIXTURES / "seeds" / f"{stem}.txt").read_bytes())
    assert [s.no for s in report.sections] == [1, 2, 3, 4, 5, 6]


def test_parse_command_prints_the_gold_shape():
    out = nianbao("parse", FIXTURES / "seeds" / "003_1762ab0cc7bc4c17.txt").stdout
    got = json.loads(out)
    assert set(got) == set(gold("003_1762ab0cc7bc4c17"))
    assert {k: got[k] for k in GOLD_KEYS} == {k: gold("003_1762ab0cc7bc4c17")[k] for k in GOLD_KEYS}


def test_seed_002_lost_cells_are_inferred_and_flagged_never_shifted():
    report = extract_document((FIXTURES / "seeds" / "002_a941c392a2b54e65.txt").read_bytes())
    granted = report.tables.applications["granted"]
    assert {c.status for c in granted.values()} == {"inferred"}
    assert any("granted printed 5 of 7 values" in f for f in report.tables.flags)
    complete = report.tables.applications["new_received"]
    assert {c.status for c in complete.values()} == {"read"}


def test_seed_004_agency_comes_from_the_first_paragraph_when_the_title_has_none():
    report = extract_document((FIXTURES / "seeds" / "004_76ac588e40fcc707.txt").read_bytes())
    assert (report.agency, report.agency_source) == ("常青花园社区管理办公室", "body")
    assert (report.year, report.year_source) == (2024, "body")


def test_seed_003_publication_date_is_the_signature_date_not_the_statistics_period():
    report = extract_document((FIXTURES / "seeds" / "003_1762ab0cc7bc4c17.txt").read_bytes())
    assert report.published_date == "2024-01-23"
    assert report.year == 2023
