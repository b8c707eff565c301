"""Datasette plugin: a canned query's page is titled by its title, not its SQL.

Datasette 0.65's query.html titles the page "<database>: <the SQL>", so a browser tab showed raw
SQL; the query's metadata ``title`` is set as the document title instead.
"""
from __future__ import annotations

import json

from datasette import hookimpl


@hookimpl
def extra_body_script(template, database, view_name, request, datasette):
    if template != "query.html" or not database or request is None:
        return None

    async def script():
        name = request.path.rstrip("/").rsplit("/", 1)[-1]
        query = await datasette.get_canned_query(database, name, request.actor)
        if not query or not query.get("title"):
            return None
        return f"document.title = {json.dumps(query['title'] + ' — ' + (datasette.metadata('title') or database), ensure_ascii=False)};"

    return script
