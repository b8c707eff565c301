"""Search that fits Chinese (corpus/search.py): terms of any length in one box, all required,
with the text around them. SQLite's trigram tokenizer cannot match fewer than three characters
(https://sqlite.org/fts5.html#the_trigram_tokenizer), so shorter terms are substrings."""
import pytest

from conftest import FIXTURES
from corpus.load import store_report
from corpus.schema import connect
from corpus.search import Search
from extract.documents import extract_document


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    db = connect(tmp_path_factory.mktemp("search") / "corpus.db")
    for f in sorted((FIXTURES / "seeds").glob("*.txt")):
        store_report(db, extract_document(f.read_bytes()), url=f"http://127.0.0.1/seeds/{f.name}")
    return db


def run(db, *args, **kw):
    s = Search(*args, **kw)
    sql, params = s.sql()
    return s, [dict(zip([d[0] for d in c.description], r)) for c in [db.execute(sql, params)] for r in c.fetchall()]


def reports_containing(db, *terms, section=None):
    if section:
        rows = db.execute("select report_id, text from sections where section_no = ?", [section]).fetchall()
    else:
        rows = db.execute("select report_id, body_text from reports").fetchall()
    return {rid for rid, text in rows if all(t in (text or "") for t in terms)}


def test_a_two_character_term_finds_every_report_containing_it(db):
    s, rows = run(db, "复议")
    assert s.short == ["复议"] and not s.indexed
    assert {r["report_id"] for r in rows} == reports_containing(db, "复议") != set()


def test_a_mixed_query_requires_every_term(db):
    _, rows = run(db, "行政复议 纠正 诉")
    assert {r["report_id"] for r in rows} == reports_containing(db, "行政复议", "纠正", "诉")
    _, none = run(db, "行政复议 纠正 ㊣")
    assert none == []


def test_every_result_shows_its_terms_in_context(db):
    s, rows = run(db, "行政复议 纠正")
    for r in rows:
        html = str(s.highlight(r["snippet"], r["window"]))
        assert "<mark>行政复议</mark>" in html and "<mark>纠正</mark>" in html


def test_a_search_within_one_section_reads_only_that_section(db):
    # 五、存在的主要问题及改进情况
    _, rows = run(db, "问题 改进", section=5)
    assert {r["report_id"] for r in rows} == reports_containing(db, "问题", "改进", section=5) != set()
    _, in_section_two = run(db, "行政复议", section=2)
    assert {r["report_id"] for r in in_section_two} == reports_containing(db, "行政复议", section=2)


def test_a_page_fetches_one_row_more_than_it_shows_to_know_whether_more_match(db):
    s, rows = run(db, "公开", limit=2)
    assert len(rows) == 3 and len(reports_containing(db, "公开")) > 2
    _, rest = run(db, "公开", limit=2, offset=2)
    assert not {r["report_id"] for r in rows[:2]} & {r["report_id"] for r in rest}


def test_markup_in_the_text_is_escaped(db):
    s = Search("复议")
    assert str(s.highlight("<b>行政复议</b>", None)) == "…&lt;b&gt;行政<mark>复议</mark>&lt;/b&gt;…"


def narrowed(db, q, **kw):
    s = Search(q, **kw)
    s.narrow(db.conn)
    sql, params = s.sql()
    return s, ([] if s.absent else [dict(zip([d[0] for d in c.description], r)) for c in [db.execute(sql, params)] for r in c.fetchall()])


def test_a_short_term_in_no_report_is_answered_from_the_index_without_reading_a_text(db):
    s, rows = narrowed(db, "㊣㊣")
    assert s.absent == ["㊣㊣"] and rows == [] and reports_containing(db, "㊣㊣") == set()
    s, rows = narrowed(db, "行政复议 ㊣")  # one absent term empties a mixed query too
    assert s.absent == ["㊣"] and rows == []


def test_narrowing_by_the_index_finds_every_report_a_substring_scan_finds(db):
    """Every one- and two-character run of the seeds' texts (and of their sections), looked up in
    the trigram index's vocabulary, finds exactly the texts that contain it."""
    texts = [t for (t,) in db.execute("select body_text from reports")]
    terms = sorted({t[i:i + n] for t in texts for n in (1, 2) for i in range(0, len(t) - n + 1, 97)} - {""})
    terms = [t for t in terms if not any(c.isspace() for c in t)]
    assert len(terms) > 100
    for t in terms:
        s, rows = narrowed(db, t, limit=10_000)  # (quotes around a term are dropped: compare its terms)
        assert {r["report_id"] for r in rows} == reports_containing(db, *s.terms), t
        s, rows = narrowed(db, t, section=5, limit=10_000)
        assert {r["report_id"] for r in rows} == reports_containing(db, *s.terms, section=5), t


def test_a_short_term_that_ends_a_text_is_found_though_it_starts_no_trigram(tmp_path):
    """The trigram index holds the runs of three characters: the last two characters of a text
    start none, so they are looked up in the index of each text's end (corpus/schema.py)."""
    db = connect(tmp_path / "corpus.db")
    f = sorted((FIXTURES / "seeds").glob("*.txt"))[0]
    rid = store_report(db, extract_document(f.read_bytes()), url="http://127.0.0.1/seeds/x.txt")
    with db.conn:  # an edit in the SQLite shell: the full-text index follows by trigger
        db.execute("update reports set body_text = rtrim(body_text) || '㊣㊤' where report_id = ?", [rid])
    for term in ("㊣㊤", "㊤", "㊣"):
        s, rows = narrowed(db, term)
        assert not s.absent and [r["report_id"] for r in rows] == [rid], term


def test_a_rare_short_term_reads_only_the_texts_that_can_contain_it(db):
    rare = "官庄"  # one seed's agency (安丘市官庄镇人民政府)
    s, rows = narrowed(db, rare)
    assert s.candidates is not None and len(s.candidates) < db["reports"].count
    assert {r["report_id"] for r in rows} == reports_containing(db, rare) != set()


def test_the_search_page_says_which_term_occurs_in_no_report(db, tmp_path):
    import asyncio
    from pathlib import Path
    from urllib.parse import quote

    from datasette.app import Datasette

    from conftest import ROOT

    path = Path(db.conn.execute("pragma database_list").fetchone()[2])
    ds = Datasette([str(path)], plugins_dir=str(ROOT / "corpus" / "datasette_plugins"))
    html = asyncio.run(ds.client.get("/search?q=" + quote("行政复议 ㊣"))).text
    assert "No report contains" in html and '<span class="nb-absent"><mark>㊣</mark> occurs in no report' in html
