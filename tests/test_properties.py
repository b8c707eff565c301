"""Property: any table rendered in any layout reads back exactly; no input makes the extractor raise."""
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from extract.documents import extract_document
from extract.spec import tables
from nianbao import render

SPEC = tables()
NUMBER = st.integers(min_value=0, max_value=999_999)
CELL_EXACT = st.one_of(NUMBER, NUMBER, NUMBER, st.just(None), st.just("/"), NUMBER.map(lambda n: f"{n:,}"))


@st.composite
def report_tables(draw, cell=NUMBER):
    fmt = draw(st.sampled_from(["2019", "2021"]))
    items = SPEC.active_disclosure[fmt]
    active = {i.key: {m.key: draw(cell) for m in i.measures} for i in items}
    if fmt == "2021":
        active["administrative_fees"]["amount_10k_yuan"] = draw(st.one_of(NUMBER, st.decimals(0, 99999, places=2).map(float)))
    rows = SPEC.application_rows_for(fmt)
    apps = {r.key: [draw(cell) for _ in range(7)] for r in rows}
    rl = {p.key: [draw(cell) for _ in range(5)] for p in SPEC.proceedings}
    return {"agency": "示范县人民政府", "year": 2023, "format": fmt, "active_disclosure": active, "applications": apps, "review_litigation": rl}


def expected_value(v):
    if v is None or v == "/":
        return None
    if isinstance(v, str):
        return int(v.replace(",", ""))
    return v


def assert_round_trip(data, blob):
    report = extract_document(blob)
    got = report.to_json()
    assert got["format"] == data["format"]
    assert got["applications"] == {k: [expected_value(v) for v in vs] for k, vs in data["applications"].items()}
    assert got["review_litigation"] == {k: [expected_value(v) for v in vs] for k, vs in data["review_litigation"].items()}
    assert got["active_disclosure"] == {i: {m: expected_value(v) for m, v in ms.items()} for i, ms in data["active_disclosure"].items()}


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(report_tables(CELL_EXACT), st.booleans())
def test_html_grid_round_trips_numbers_blanks_and_placeholders(data, split):
    html = "<html><body>" + render.html_body(data, split_table_3=split) + "</body></html>"
    assert_round_trip(data, html.encode())


@FAST
@given(report_tables(), st.sampled_from(["tab_rows", "cell_per_line", "pipe"]))
def test_text_dumps_round_trip(data, style):
    assert_round_trip(data, render.text_dump(data, style).encode())


@SLOW
@given(report_tables(CELL_EXACT))
def test_docx_round_trips(data):
    assert_round_trip(data, render.docx_bytes(data))


@SLOW
@given(report_tables(CELL_EXACT))
def test_pdf_round_trips(data):
    assert_round_trip(data, render.pdf_bytes(data))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_never_raise(blob):
    r = extract_document(blob)
    assert r.check_status in ("pass", "fail", "incomplete", "not_applicable")


def _mutate(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        op = rng.random()
        i = rng.randrange(len(b)) if b else 0
        if op < 0.4 and b:
            b[i] = rng.randrange(256)
        elif op < 0.7 and b:
            del b[i : i + rng.randint(1, 64)]
        elif op < 0.85:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        else:
            b = b[: rng.randrange(len(b) + 1)]  # truncated
    return bytes(b)


def test_random_mutations_of_real_fixtures_never_raise():
    rng = random.Random(20261122)
    files = sorted((FIXTURES / "seeds").glob("*.txt")) + sorted(p for p in (FIXTURES / "real").glob("*") if p.is_file())
    for f in files:
        data = f.read_bytes()
        for _ in range(6):
            r = extract_document(_mutate(data, rng), filename=f.name)
            assert r.kind
