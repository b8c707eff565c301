"""Datasette plugin: ``/chart/<name>``, a canned query drawn as a titled SVG chart (corpus/charts.py),
with the query's description, its data and a switch to include reports that fail their checks."""
from __future__ import annotations

import re

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup


async def chart_page(request, datasette):
    from corpus.charts import specs, svg
    from corpus.web import corpus_database, render

    spec = specs().get(request.url_vars["name"])
    name, db = await corpus_database(datasette)
    if spec is None or db is None:
        return Response.text("no such chart", status=404)
    query = await datasette.get_canned_query(name, spec["query"], request.actor)
    params = {p: request.args.get(p, "") for p in dict.fromkeys(re.findall(r":(\w+)", query["sql"]))}
    rows = [dict(r) for r in (await db.execute(query["sql"], params)).rows]
    args = "&".join(f"{k}={v}" for k, v in params.items() if v)
    return Response.html(await render(datasette, "nianbao_chart.html", {
        "spec": spec, "query": query, "svg": Markup(svg(spec, rows)), "rows": rows, "database": name,
        "including_failing": params.get("exclude_failing") in ("0", "no", "false"), "args": args,
    }, request))


@hookimpl
def register_routes():
    return [(r"^/chart/(?P<name>[\w-]+)$", chart_page)]
