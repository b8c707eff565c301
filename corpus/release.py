"""``nianbao release DIR``: the corpus as a citable, documented release folder.

    DIR/
      corpus.db                 the SQLite database (a consistent, compacted copy: VACUUM INTO)
      csv/<table>.csv           every table, UTF-8 with a BOM (Excel on Chinese Windows reads it)
      parquet/<table>.parquet   every table, each column's label, unit, meaning and formats in its
                                field metadata and the table's description in the schema metadata
      datapackage.json          Frictionless Data Package (https://specs.frictionlessdata.io/):
                                the CSV resources with their schemas, titles and descriptions
      codebook.csv, crosswalk.csv   also in csv/; at the top because they are read first
      CITATION.cff              version and snapshot date
      LICENSE, DATA-LICENSE.md  the code's licence (Apache-2.0) and the data's (CC BY 4.0)
      README.md                 what is where

Descriptions come from the codebook (corpus/codebook.py), as in Datasette. Views are not
exported except ``failed_checks`` (the others re-arrange tables that are exported); the body text
of the reports stays in ``reports`` (CSV cells can hold it; Excel truncates cells at 32,767
characters, so use the Parquet file or the database for the text).
"""
from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

from . import codebook

ROOT = Path(__file__).resolve().parent.parent
VIEWS_EXPORTED = ("failed_checks",)
SKIPPED = ("crawl_runs",)  # operational: arguments and stats of the crawls that built this copy
BATCH = 50_000
_TYPES = {"INTEGER": "integer", "FLOAT": "number", "REAL": "number", "TEXT": "string", "": "string"}


def _objects(conn: sqlite3.Connection) -> list[tuple[str, str, list[tuple[str, str]], list[str]]]:
    """(name, kind, [(column, declared type)], primary key) of what a release exports."""
    out = []
    for name, kind in conn.execute("select name, type from sqlite_master where type in ('table', 'view') and name not like 'sqlite_%' "
                                   "and name not like '%_fts' and name not like '%_fts_%' order by name").fetchall():
        if name in SKIPPED or (kind == "view" and name not in VIEWS_EXPORTED):
            continue
        info = conn.execute(f"pragma table_info([{name}])").fetchall()
        pk = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]]
        out.append((name, kind, [(r[1], (r[2] or "").upper()) for r in info], pk))
    return out


def snapshot_date(conn) -> str:
    """The day of the newest fetch in the corpus (the data's date, not the day of the release)."""
    row = conn.execute("select max(fetched_at) from documents").fetchone()
    latest = row[0] if row and row[0] else conn.execute("select max(coalesce(fetched_at, extracted_at)) from reports").fetchone()[0]
    return (latest or date.today().isoformat())[:10]


def column_types(conn, table: str, columns: list[tuple[str, str]]) -> dict[str, str]:
    """Each column's type as its values have it (integer, number, string), in one pass over the
    table: SQLite's declared types do not bind (a view's columns have none; a number column may
    hold a 2.5 as published)."""
    probes = ", ".join(f"max(typeof([{c}]) = 'text' or typeof([{c}]) = 'blob'), max(typeof([{c}]) = 'real'), "
                       f"max(typeof([{c}]) = 'integer')" for c, _ in columns)
    flags = conn.execute(f"select {probes} from [{table}]").fetchone()
    out = {}
    for i, (c, declared) in enumerate(columns):
        text, real, integer = flags[3 * i: 3 * i + 3]
        out[c] = ("string" if text else "number" if real else "integer" if integer
                  else _TYPES.get(declared, "string"))
    return out


def _field(table: str, column: str, kind: str) -> dict:
    e = codebook.entry(table, column) or {}
    f = {"name": column, "type": kind}
    if e.get("label"):
        f["title"] = e["label"]
    if e.get("meaning"):
        f["description"] = e["meaning"]
    for k in ("unit", "formats"):
        if e.get(k):
            f[k] = e[k]  # custom properties: Frictionless allows them
    return f


def _write_csv(conn, table: str, columns: list[str], path: Path) -> int:
    n = 0
    cur = conn.execute(f"select {', '.join(f'[{c}]' for c in columns)} from [{table}]")
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        while rows := cur.fetchmany(BATCH):
            w.writerows(rows)
            n += len(rows)
    return n


def _write_parquet(conn, table: str, columns: list[tuple[str, str]], kinds: dict[str, str], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    def meta(c):
        e = codebook.entry(table, c) or {}
        return {k.encode(): str(v).encode() for k, v in e.items() if v}

    types = {c: {"integer": pa.int64(), "number": pa.float64()}.get(kinds[c], pa.string()) for c, _ in columns}
    schema = pa.schema([pa.field(c, types[c], metadata=meta(c)) for c, _ in columns],
                       metadata={b"description": (codebook.table_description(table) or "").encode(), b"table": table.encode()})
    cur = conn.execute(f"select {', '.join(f'[{c}]' for c, _ in columns)} from [{table}]")
    with pq.ParquetWriter(path, schema) as writer:
        while rows := cur.fetchmany(BATCH):
            arrays = [pa.array([r[i] if r[i] is None or kinds[c] != "string" else str(r[i]) for r in rows], type=types[c])
                      for i, (c, _) in enumerate(columns)]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))


def _citation(version: str, snapshot: str, n_reports: int) -> str:
    return f"""cff-version: 1.2.0
message: "If you use this corpus, please cite it as below."
type: dataset
title: "nianbao 年报: corpus of Chinese government information-disclosure annual reports (政府信息公开工作年度报告)"
version: "{version}"
date-released: "{snapshot}"
abstract: >-
  {n_reports} annual reports on government-information disclosure by Chinese agencies, with their
  statistical tables (二 主动公开, 三 依申请公开, 四 行政复议和行政诉讼) in rows, each number's raw text,
  the identities the tables must satisfy, the reports' text, and the archive of every fetched
  document. Snapshot of {snapshot}, built with nianbao {version}.
authors:
  - name: "nianbao contributors"
license: CC-BY-4.0
keywords:
  - government transparency
  - freedom of information
  - 政府信息公开
  - China
"""


DATA_LICENSE = """# Data licence

The data extracted by nianbao (the tables, the codebook, the crosswalk, the checks and the
derived tables in this release) is licensed under the Creative Commons Attribution 4.0
International licence (CC BY 4.0, https://creativecommons.org/licenses/by/4.0/): share and
adapt it, citing the release (CITATION.cff).

The source documents are the official annual reports of Chinese government agencies, published
under Article 50 of the 政府信息公开条例; the reports' text (`reports.body_text`, `sections`) is
reproduced from them. Official documents of state organs with an administrative nature are
excluded from copyright protection in China (著作权法 第五条), but check the terms of each portal
before republishing whole documents.

The code that built this release (nianbao) is licensed under the Apache License 2.0 (LICENSE).
"""


def release(db_path: str | Path, out: str | Path, version: str | None = None) -> dict:
    """Write the release folder; returns a summary (tables and rows)."""
    from nianbao import __version__

    from .schema import connect

    version = version or __version__
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "csv").mkdir(exist_ok=True)
    (out / "parquet").mkdir(exist_ok=True)
    db = connect(db_path)  # migrated, its codebook tables current
    target = out / "corpus.db"
    if target.exists():
        target.unlink()
    db.execute("vacuum into ?", [str(target)])
    db.conn.close()
    conn = sqlite3.connect(target)
    conn.execute("pragma journal_mode=delete")
    snapshot = snapshot_date(conn)
    resources, counts = [], {}
    for name, kind, columns, pk in _objects(conn):
        names = [c for c, _ in columns]
        kinds = column_types(conn, name, columns)
        counts[name] = _write_csv(conn, name, names, out / "csv" / f"{name}.csv")
        _write_parquet(conn, name, columns, kinds, out / "parquet" / f"{name}.parquet")
        schema = {"fields": [_field(name, c, kinds[c]) for c, _ in columns]}
        if pk and kind == "table":
            schema["primaryKey"] = pk
        resources.append({"name": name.lower(), "path": f"csv/{name}.csv", "profile": "tabular-data-resource",
                          "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
                          "description": codebook.table_description(name) or "", "schema": schema})
    n_reports = conn.execute("select count(*) from reports").fetchone()[0]
    conn.close()
    for name in ("codebook", "crosswalk"):
        shutil.copy(out / "csv" / f"{name}.csv", out / f"{name}.csv")
    package = {
        "profile": "tabular-data-package",
        "name": "nianbao-corpus",
        "title": "nianbao 年报 · 政府信息公开工作年度报告 corpus",
        "description": "Annual government-information-disclosure reports of Chinese agencies: tables 二, 三, 四 in rows, "
                       "each number's raw text, the identities evaluated, the reports' text, and the archive index. "
                       "Column titles are the Chinese labels; see codebook.csv and crosswalk.csv (2019 vs 2021 formats).",
        "version": version,
        "created": f"{snapshot}T00:00:00Z",
        "keywords": ["政府信息公开", "government transparency", "China"],
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "resources": resources,
    }
    (out / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "CITATION.cff").write_text(_citation(version, snapshot, n_reports), encoding="utf-8")
    shutil.copy(ROOT / "LICENSE", out / "LICENSE")
    (out / "DATA-LICENSE.md").write_text(DATA_LICENSE, encoding="utf-8")
    (out / "README.md").write_text(_readme(version, snapshot, n_reports, counts), encoding="utf-8")
    return {"version": version, "snapshot": snapshot, "reports": n_reports, "tables": counts}


def _readme(version: str, snapshot: str, n_reports: int, counts: dict) -> str:
    rows = "\n".join(f"| `{t}` | {n:,} | {codebook.table_description(t) or ''} |" for t, n in counts.items())
    return f"""# nianbao corpus release {version} — snapshot {snapshot}

{n_reports:,} reports. Cite with CITATION.cff. Data: CC BY 4.0 (DATA-LICENSE.md); code: Apache-2.0 (LICENSE).

- `corpus.db`: the SQLite database (open it with `sqlite3`, Datasette, or any SQLite client)
- `csv/`: one CSV per table, UTF-8 with a BOM; `parquet/`: the same tables with each column's
  label, unit, meaning and formats in its Parquet field metadata
- `datapackage.json`: Frictionless Data Package describing the CSV files (titles are the Chinese labels)
- `codebook.csv`: every column of every table; `crosswalk.csv`: the 2019 and 2021 formats compared

| table | rows | description |
|---|---:|---|
{rows}
"""
