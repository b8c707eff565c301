"""Search that fits Chinese: one box for terms of any length, every term required.

The full-text indexes use FTS5's trigram tokenizer (corpus/schema.py), which matches any run of
three or more characters but cannot match one or two (https://sqlite.org/fts5.html, "The
Trigram Tokenizer": substrings shorter than three characters match nothing). So each term of
three or more characters goes to the index, and each shorter term (复议 is two, 诉 is one) is
matched as a substring (``instr``) of the rows the index found, or, when every term is short, of
every row, stopping as soon as a page is full. Results carry a keyword-in-context snippet: the
text around the first indexed term and around the first short one, every term marked. (FTS5's
``snippet()`` counts trigram tokens: its windows cut a term in two at their edges, 政府信息公…, and
it marks only part of a longer term, so the windows are cut here from the text itself.)
Searching one section (e.g. 五、存在的主要问题及改进情况) uses the sections' own index.

A short term is looked up first (``narrow``): a trigram index holds every run of three characters,
so a text contains 复议 exactly when one of its trigrams starts with 复议, or it ends with 复议
(the last two characters start no trigram). The index's vocabulary (FTS5's ``fts5vocab``, range
lookups on the term) gives the reports with such a trigram, and an index on each text's last two
characters the rest: a term in no report is answered at once (it read every text: 1.6 s at 100k
reports, benchmarks/RESULTS.md), and a rare one reads only the texts that can contain it. A term the index holds many
times (公开) is matched as before: a page of them is found in the first rows read.
"""
from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape

MIN_INDEXED = 3  # the trigram tokenizer's shortest match
PAGE = 50
WINDOW = 40  # characters of context on each side of a short term
START, END = "\x02", "\x03"  # term markers: control characters never found in report text
# a short term with more occurrences than this in the index is frequent: its first page is found
# in the first rows read, and listing its occurrences would cost more (~1.2 µs each at 100k reports)
CANDIDATE_CAP = 5_000
LAST = "\U0010ffff"  # the greatest character: every string starting with t lies between t and t + LAST * (its length - len(t))
# where each search reads text: the table, its text column and its full-text index
TEXTS = {"reports": ("body_text", "reports_fts"), "sections": ("text", "sections_fts")}


def tail_expressions(column: str) -> tuple[str, str]:
    """A text's last two characters and its last one, as indexed (corpus/schema.py) and looked up here."""
    return f"substr([{column}], -2)", f"substr([{column}], -1)"


@cache
def sections() -> list[dict]:
    """The six sections of a report (extract/data/sections.toml): number and usual heading."""
    raw = tomllib.loads((Path(__file__).resolve().parent.parent / "extract" / "data" / "sections.toml").read_text(encoding="utf-8"))
    return [{"no": s["no"], "heading": f"{s['numeral']}、{s['heading']}"} for s in raw["sections"]]


@dataclass
class Search:
    q: str = ""
    section: int | None = None
    year: int | None = None
    offset: int = 0
    limit: int = PAGE
    terms: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)  # short terms in no text (set by narrow)
    candidates: list[int] | None = None  # rowids of the only texts that can match (set by narrow)

    def __post_init__(self):
        seen = []
        for t in re.split(r"[\s\u3000]+", self.q.strip()):
            t = t.strip('"“”')
            if t and t not in seen:
                seen.append(t)
        self.terms = seen

    @property
    def indexed(self) -> list[str]:
        return [t for t in self.terms if len(t) >= MIN_INDEXED]

    @property
    def short(self) -> list[str]:
        return [t for t in self.terms if len(t) < MIN_INDEXED]

    def narrow(self, conn) -> None:
        """Look the short terms up in the full-text index's vocabulary (``conn``: an sqlite3
        connection to the corpus). Sets ``absent`` and, when some term is rare, ``candidates``."""
        table = "sections" if self.section else "reports"
        column, fts = TEXTS[table]
        vocab = f"temp.[{fts}_instances]"
        conn.execute(f"create virtual table if not exists {vocab} using fts5vocab(main, [{fts}], 'instance')")
        two, one = tail_expressions(column)
        best = None
        for t in self.short:
            if any(c.lower() != c or c.upper() != c for c in t):
                continue  # the index folds case (FTS5 trigram, case_sensitive 0); Python's folding may differ
            docs = [r[0] for r in conn.execute(f"select doc from {vocab} where term >= ? and term <= ? and col = ? limit ?",
                                               [t, t + LAST * 2, column, CANDIDATE_CAP + 1])]
            if len(docs) > CANDIDATE_CAP:
                continue
            # "indexed by": texts mostly end alike (。), so ANALYZE tells SQLite a tail matches every row
            # and it would rather read them all (1.2 s at 100k reports) than look a rare tail up
            by2, by1 = f"indexed by [idx_{table}_tail2]", f"indexed by [idx_{table}_tail1]"
            if len(t) == 2:
                tails = conn.execute(f"select rowid from [{table}] {by2} where {two} = ?", [t]).fetchall()
            else:  # the second-to-last character (or a text of one), and the last
                tails = conn.execute(f"select rowid from [{table}] {by2} where {two} >= ? and {two} <= ? union "
                                     f"select rowid from [{table}] {by1} where {one} = ?", [t, t + LAST, t]).fetchall()
            found = set(docs) | {r[0] for r in tails}
            if not found:
                self.absent.append(t)
            elif best is None or len(found) < len(best):
                best = found
        if not self.absent and best is not None:
            self.candidates = sorted(best)

    def sql(self) -> tuple[str, dict]:
        """The query for one page (``limit + 1`` rows: the extra one says whether more match)."""
        p: dict = {"limit": self.limit + 1, "offset": self.offset}
        if self.section:
            fts, text, key = "sections_fts", "s.text", "s"
            p["section"] = self.section
            source = ("from sections_fts join sections s on s.rowid = sections_fts.rowid join reports r on r.report_id = s.report_id"
                      if self.indexed else "from sections s join reports r on r.report_id = s.report_id")
            where = ["s.section_no = :section"]
        else:
            fts, text, key = "reports_fts", "r.body_text", "r"
            source = "from reports_fts join reports r on r.rowid = reports_fts.rowid" if self.indexed else "from reports r"
            where = []
        if self.indexed:
            p["match"] = " ".join('"' + t.replace('"', '""') + '"' for t in self.indexed)  # FTS5: space = AND
            where.insert(0, f"{fts} match :match")
        if self.candidates is not None:
            p["candidates"] = json.dumps(self.candidates)
            where.append(f"{key}.rowid in (select value from json_each(:candidates))")
        for i, t in enumerate(self.short):
            p[f"s{i}"] = t
            where.append(f"instr({text}, :s{i}) > 0")
        if self.year:
            p["year"] = self.year
            where.append("r.year = :year")
        windows = []
        for name, terms in (("i0", self.indexed), ("s0", self.short)):
            if terms:
                p[name] = terms[0]
                windows.append(f"substr({text}, max(1, instr({text}, :{name}) - {WINDOW}), {2 * WINDOW + len(terms[0])})")
        snippet, window = (windows + ["null", "null"])[:2]
        order = f"{fts}.rowid desc" if self.indexed else f"{key}.rowid desc"
        sql = (f"select r.report_id, r.year, r.agency, r.title, r.level, r.province, r.format, r.check_status, "
               f"{snippet} as snippet, {window} as window {source} where {' and '.join(where)} "
               f"order by {order} limit :limit offset :offset")
        return sql, p

    def highlight(self, snippet: str | None, window: str | None) -> Markup:
        """The windows as HTML, every term marked."""
        parts = []
        for text in (snippet, window):
            if not text:
                continue
            text = re.sub(r"\s+", " ", text)
            for t in sorted(self.terms, key=len, reverse=True):
                text = re.sub(f"(?<!{START}){re.escape(t)}", START + t + END, text) if t not in START + END else text
            html = str(escape(text)).replace(START, "<mark>").replace(END, "</mark>")
            parts.append("…" + html + "…")
        return Markup(" ⁞ ".join(parts))
