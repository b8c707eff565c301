"""Helpers shared by the project's Datasette plugins (corpus/datasette_plugins/): the plugins
folder is loaded file by file, not as a package, so what they share lives here."""
from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "datasette_plugins" / "templates"


async def corpus_database(datasette):
    """(name, Database) of the first served database holding a corpus, else (None, None)."""
    for name, db in datasette.databases.items():
        if not name.startswith("_") and await db.table_exists("reports") and await db.table_exists("cells"):
            return name, db
    return None, None


_COMPILED: dict = {}


async def render(datasette, template: str, context: dict, request) -> str:
    """Render one of the project's templates through Datasette's own Jinja environment, so it
    extends Datasette's base.html (a ``--plugins-dir`` plugin cannot ship a templates folder).
    Compiled once per file version (compiling took most of a report page's time)."""
    path = TEMPLATES / template
    key = (id(datasette.jinja_env), template, path.stat().st_mtime_ns)
    t = _COMPILED.get(key)
    if t is None:
        t = _COMPILED[key] = datasette.jinja_env.from_string(path.read_text(encoding="utf-8"))
    return await datasette.render_template(t, context, request=request)
