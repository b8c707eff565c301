"""Datasette plugin: a page per report in the official layout, linked from every report row.

``/report/<report_id>`` draws the report's tables 二, 三 and 四 as the official tables
(corpus/report_page.py), each number with its raw text, status and location on hover, the
identities beside the tables, and links to the source and its archived copy. List pages of
``reports`` open without the body text (``?_nocol=body_text``): the text is one click away on the
report page and the row page, and twelve reports' full text made a page 70,000 px tall.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlencode

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

# the tables and views whose rows are reports: their title (or report_id) links to the report page
REPORT_ROWS = {"reports", "report_summary", "report_search", "agency_years", "failed_checks", "applications_by_report",
               "hierarchy_totals", "coverage_governments", "agencies_absent"}
HIDDEN_BY_DEFAULT = {"reports": "body_text"}
SEARCHABLE = {"reports", "report_search"}  # their search box sends terms the trigram index cannot match to /search  # table -> column left out of its HTML list page unless asked for
SHOW_ALL = "_all_columns"  # ?_all_columns=1 keeps every column


def report_path(datasette, report_id: str) -> str:
    return datasette.urls.path(f"/report/{quote(str(report_id), safe='')}")


async def report_page(request, datasette):
    from corpus.report_page import build
    from corpus.web import corpus_database, render

    rid = request.url_vars["report_id"]
    name, db = await corpus_database(datasette)
    if db is None:
        return Response.text("no corpus database is being served", status=404)
    page = await db.execute_fn(lambda conn: build(conn, rid))
    if page is None:
        return Response.html(f"<p>No report {escape(rid)} in this corpus.</p>", status=404)
    def archived(url):
        return datasette.urls.path(f"/-/archived?url={quote(url, safe='')}")

    return Response.html(await render(datasette, "nianbao_report.html", {"page": page, "database": name, "archived": archived},
                                      request))


@hookimpl
def register_routes():
    return [(r"^/report/(?P<report_id>[^/]+)$", report_page)]


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if table not in REPORT_ROWS:
        return None
    keys = row.keys() if hasattr(row, "keys") else []
    if "report_id" not in keys or not row["report_id"]:
        return None
    link = escape(report_path(datasette, row["report_id"]))
    if column == "title":
        return Markup(f'<a href="{link}" title="the report in the official layout">{escape(value or "(untitled)")}</a>')
    if column == "report_id" and table not in ("reports", "report_summary"):
        return Markup(f'<a href="{link}" title="the report in the official layout">{escape(value)}</a>')
    return None


@hookimpl
def asgi_wrapper(datasette):
    """Redirect a table's HTML list page to leave out its hidden-by-default column, unless the URL
    already chooses columns (``_col``/``_nocol``) or asks for all (``_all_columns``)."""

    def wrap(app):
        async def hidden_columns(scope, receive, send):
            if scope["type"] == "http" and scope.get("method") == "GET":
                parts = scope["path"].rstrip("/").split("/")
                query = parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace"), keep_blank_values=True)
                location = None
                search = dict(query).get("_search", "")
                if len(parts) == 3 and parts[2] in SEARCHABLE and any(0 < len(t) < 3 for t in search.split()):
                    # the trigram index matches nothing shorter than three characters: 0 rows, no hint
                    location = datasette.urls.path("/search") + "?" + urlencode({"q": search})
                elif len(parts) == 3 and parts[2] in HIDDEN_BY_DEFAULT and not any(k in ("_col", "_nocol", SHOW_ALL) for k, _ in query):
                    location = scope["path"] + "?" + urlencode(query + [("_nocol", HIDDEN_BY_DEFAULT[parts[2]])])
                if location:
                    await send({"type": "http.response.start", "status": 302,
                                "headers": [(b"location", location.encode("latin-1")), (b"content-length", b"0")]})
                    await send({"type": "http.response.body", "body": b""})
                    return
            await app(scope, receive, send)

        return hidden_columns

    return wrap
