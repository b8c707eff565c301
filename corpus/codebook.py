"""The codebook (every column of every table and view), the code lists of the official tables and
the 2019 ↔ 2021 crosswalk, as data: written into the database as the tables ``codebook``,
``codes`` and ``crosswalk``, into datasette_metadata.json as column descriptions, and into a
release as datapackage.json and Parquet column metadata: one source, so they cannot disagree.

Sources: corpus/data/codebook.toml (columns), extract/data/tables.toml (the official tables'
rows, items, measures, columns and outcomes with their Chinese labels and formats) and
corpus/data/crosswalk.toml (the cross-format pairs the spec alone cannot tell).
"""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from extract.spec import tables

DATA = Path(__file__).resolve().parent / "data"
FORMATS = ("2019", "2021")
FIELDS = ("label", "unit", "meaning", "formats")


@cache
def _book() -> dict:
    return tomllib.loads((DATA / "codebook.toml").read_text(encoding="utf-8"))


def entry(table: str, column: str) -> dict | None:
    """The codebook entry of ``column`` in ``table``: the column's own, overridden per table."""
    book = _book()
    base = book.get("columns", {}).get(column)
    override = book.get("tables", {}).get(table, {}).get("columns", {}).get(column)
    if base is None and override is None:
        return None
    merged = {f: "" for f in FIELDS}
    for part in (base or {}, override or {}):
        merged.update({k: v for k, v in part.items() if k in FIELDS})
    return merged


def table_description(table: str) -> str | None:
    return _book().get("tables", {}).get(table, {}).get("description")


def describe(table: str, column: str) -> str | None:
    """One line for a column description: label — meaning (unit; formats)."""
    e = entry(table, column)
    if e is None:
        return None
    extra = "; ".join(x for x in (f"unit {e['unit']}" if e["unit"] else "", f"formats {e['formats']}" if e["formats"] else "") if x)
    return f"{e['label']} — {e['meaning']}" + (f" ({extra})" if extra else "")


def schema_objects(db) -> list[tuple[str, str, list[str]]]:
    """(name, table|view, columns) of every table and view a researcher sees (no FTS internals)."""
    out = []
    for name, kind in db.execute("select name, type from sqlite_master where type in ('table', 'view') "
                                 "and name not like 'sqlite_%' and name not like '%_fts' and name not like '%_fts_%' "
                                 "order by type, name").fetchall():
        out.append((name, kind, [r[1] for r in db.execute(f"pragma table_info([{name}])")]))
    return out


def codebook_rows(db) -> list[dict]:
    rows = []
    for name, kind, columns in schema_objects(db):
        for i, c in enumerate(columns):
            e = entry(name, c) or {f: None for f in FIELDS}
            rows.append({"table_name": name, "kind": kind, "position": i + 1, "column_name": c, **e})
    return rows


def codes_rows() -> list[dict]:
    """Every key of the official tables with its Chinese label, unit and formats."""
    spec = tables()
    rows = []

    def add(tbl, field, code, label, formats, unit=None, article=None):
        rows.append({"tbl": tbl, "field": field, "code": code, "label": label, "unit": unit,
                     "formats": " ".join(formats), "article": article, "position": len(rows) + 1})

    items: dict[str, dict] = {}
    for fmt in FORMATS:
        for item in spec.active_disclosure.get(fmt, ()):
            d = items.setdefault(item.key, {"labels": {}, "article": item.article, "measures": {}})
            d["labels"][fmt] = item.label
            for m in item.measures:
                md = d["measures"].setdefault(m.key, {"labels": {}, "unit": m.unit})
                md["labels"][fmt] = m.label
    for key, d in items.items():
        add("active_disclosure", "item", key, " / ".join(dict.fromkeys(d["labels"].values())), d["labels"], article=d["article"])
    measures: dict[str, dict] = {}
    for d in items.values():
        for mk, md in d["measures"].items():
            m = measures.setdefault(mk, {"labels": {}, "unit": md["unit"]})
            m["labels"].update(md["labels"])
    for mk, m in measures.items():
        add("active_disclosure", "measure", mk, " / ".join(dict.fromkeys(m["labels"].values())), m["labels"],
            unit=m["unit"] or ("项" if mk in ("items_prev_year", "change", "projects") else "件"))
    for r in spec.application_rows:
        add("applications", "row", r.key, r.label, r.formats, unit="件")
    for c in spec.application_columns:
        add("applications", "column", c.key, c.label, FORMATS, unit="件")
    for p in spec.proceedings:
        add("review_litigation", "proceeding", p.key, p.label, FORMATS, unit="件")
    for o in spec.outcomes:
        add("review_litigation", "outcome", o.key, o.label, FORMATS, unit="件")
    return rows


def _keys(fmt: str) -> dict[tuple[str, str], str]:
    """(table, key) -> official label of every number's position in one format."""
    spec = tables()
    out = {}
    for item in spec.active_disclosure.get(fmt, ()):
        for m in item.measures:
            out[("active_disclosure", f"{item.key}.{m.key}")] = f"{item.label} / {m.label}"
    for r in spec.application_rows_for(fmt):
        out[("applications", r.key)] = r.label
    for p in spec.proceedings:
        for o in spec.outcomes:
            out[("review_litigation", f"{p.key}.{o.key}")] = f"{p.label} / {o.label}"
    return out


def crosswalk_rows() -> list[dict]:
    """One row per number's position: how the 2019 format's maps onto the 2021 format's."""
    k19, k21 = _keys("2019"), _keys("2021")
    pairs = tomllib.loads((DATA / "crosswalk.toml").read_text(encoding="utf-8"))["pairs"]
    paired = {(p["tbl"], k) for p in pairs for k in p["key_2019"] + p["key_2021"]}
    rows = []

    def add(tbl, a, la, b, lb, relation, note=""):
        rows.append({"tbl": tbl, "key_2019": a, "label_2019": la, "key_2021": b, "label_2021": lb,
                     "relation": relation, "note": note})

    tables_order = ["active_disclosure", "applications", "review_litigation"]
    order = sorted(dict.fromkeys(list(k19) + list(k21)), key=lambda k: tables_order.index(k[0]))  # stable: format order within
    emitted = set()
    for tbl, key in order:
        if (tbl, key) in paired:
            for p in pairs:
                if p["tbl"] == tbl and key in p["key_2019"] + p["key_2021"] and id(p) not in emitted:
                    emitted.add(id(p))
                    add(tbl, " + ".join(p["key_2019"]), " + ".join(k19[(tbl, k)] for k in p["key_2019"]),
                        " + ".join(p["key_2021"]), " + ".join(k21[(tbl, k)] for k in p["key_2021"]), p["relation"], p["note"])
            continue
        a, b = k19.get((tbl, key)), k21.get((tbl, key))
        if a and b:
            add(tbl, key, a, key, b, "same" if a == b else "relabelled",
                "" if a == b else "The same position under the 2021 wording.")
        elif a:
            add(tbl, key, a, None, None, "only_2019", "Not in the 2021 table.")
        else:
            add(tbl, None, None, key, b, "only_2021", "Not in the 2019 table.")
    return rows


REFERENCE = {
    "codebook": ("codebook_rows", {"table_name": str, "kind": str, "position": int, "column_name": str, "label": str, "unit": str,
                                   "meaning": str, "formats": str}, ("table_name", "column_name")),
    "codes": ("codes_rows", {"tbl": str, "field": str, "code": str, "label": str, "unit": str, "formats": str, "article": str,
                             "position": int}, ("tbl", "field", "code")),
    "crosswalk": ("crosswalk_rows", {"tbl": str, "key_2019": str, "label_2019": str, "key_2021": str, "label_2021": str,
                                     "relation": str, "note": str}, None),
}


def write_reference_tables(db) -> None:
    """Create or refresh ``codebook``, ``codes`` and ``crosswalk`` (rewritten only when changed)."""
    for name, (_, cols, pk) in REFERENCE.items():
        if not db[name].exists():
            db[name].create(cols, pk=pk) if pk else db[name].create(cols)
    for name, (fn, cols, _) in REFERENCE.items():
        rows = codebook_rows(db) if name == "codebook" else globals()[fn]()
        current = [tuple(r) for r in db.execute(f"select {', '.join(f'[{c}]' for c in cols)} from [{name}]").fetchall()]
        wanted = [tuple(r.get(c) for c in cols) for r in rows]
        if sorted(current, key=repr) != sorted(wanted, key=repr):
            with db.conn:
                db.execute(f"delete from [{name}]")
                db.conn.executemany(f"insert into [{name}] ({', '.join(f'[{c}]' for c in cols)}) values ({', '.join('?' * len(cols))})",
                                    wanted)
