"""Datasette plugin: ``/search``, one search box for Chinese terms of any length (corpus/search.py).

Every term counts (AND); one- and two-character terms are matched as substrings in the same box;
each result shows the text around its terms; a section of the reports (e.g. 五、存在的主要问题及
改进情况) can be searched alone. A page holds 50 results and says when more match.
"""
from __future__ import annotations

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils.asgi import Response

TIME_LIMIT_MS = 4000


def _int(v):
    try:
        return int(v) if v not in (None, "") else None
    except ValueError:
        return None


async def search_page(request, datasette):
    from corpus.search import PAGE, Search, sections
    from corpus.web import corpus_database, render

    name, db = await corpus_database(datasette)
    s = Search(request.args.get("q", ""), section=_int(request.args.get("section")), year=_int(request.args.get("year")),
               offset=max(0, _int(request.args.get("offset")) or 0), limit=min(200, max(1, _int(request.args.get("size")) or PAGE)))
    results, more, error = [], False, None
    if db is not None and s.terms:
        if s.short:  # a short term in no text answers at once; a rare one limits the texts read
            await db.execute_fn(s.narrow)
        sql, params = s.sql()
        try:
            rows = [] if s.absent else (await db.execute(sql, params, custom_time_limit=TIME_LIMIT_MS)).rows
        except QueryInterrupted:
            rows, error = [], (f"The search took longer than {TIME_LIMIT_MS / 1000:g} s and was stopped: add a term of three "
                               "or more characters, a year, or a section.")
        more = len(rows) > s.limit
        for r in rows[: s.limit]:
            d = dict(r)
            d["kwic"] = s.highlight(d.pop("snippet"), d.pop("window"))
            results.append(d)
    args = {k: v for k, v in (("q", s.q), ("section", s.section), ("year", s.year), ("size", request.args.get("size"))) if v}
    return Response.html(await render(datasette, "nianbao_search.html", {
        "s": s, "results": results, "more": more, "error": error, "sections": sections(), "database": name,
        "next_offset": s.offset + s.limit, "prev_offset": max(0, s.offset - s.limit), "args": args,
    }, request))


@hookimpl
def register_routes():
    return [(r"^/search$", search_page)]
