"""Running totals of report_summary for the charts and canned queries, kept current by triggers.

At 100,000 reports every chart and aggregate canned query summed all of ``report_summary``
(outcome shares 0.4 s, agencies with the most applications 0.8 s: benchmarks/RESULTS.md). These
tables hold the same sums per group, added to and taken from as each report row comes, changes
and goes (in the transaction that changes it, as derived.py's tables), so a query sums a few
dozen rows instead:

- ``totals_by_year_level``: per year, level, whether the reports fail their checks (``failing``,
  the canned queries' "exclude failing reports" switch) and ``handled_class`` (0: total_handled
  empty, 1: zero or less, 2: positive; the outcome queries keep reports with a total, or a positive one).
- ``agency_totals``: per agency and ``failing``, the reports and their new applications (the
  agencies with the most applications, over all years; reports of no known agency under null);
  ``agency_year_totals`` the same per year (the agencies with the most applications in a year).

Each figure has its sum and ``n_<figure>``, the reports that printed it, so a sum over none is
empty (null) as SQL's ``sum()`` would answer. Groups are matched with ``is`` (a year or level may
be unknown) and a group whose last report leaves is deleted.
"""
from __future__ import annotations

FIGURES = ["new_received", "total_handled", "granted", "partially_granted", "denied", "unable", "not_processed",
           "other_handling"]
FAILING = "({r}.check_status is 'fail')"
HANDLED = "(case when {r}.total_handled is null then 0 when {r}.total_handled > 0 then 2 else 1 end)"

GROUPS = {
    "totals_by_year_level": {"keys": {"year": ("INTEGER", "{r}.year"), "level": ("TEXT", "{r}.level"),
                                      "failing": ("INTEGER", FAILING), "handled_class": ("INTEGER", HANDLED)},
                             "figures": FIGURES,
                             "inputs": ["year", "level", "check_status"] + FIGURES},
    "agency_totals": {"keys": {"agency_id": ("TEXT", "{r}.agency_id"), "failing": ("INTEGER", FAILING)},
                      "figures": ["new_received"],
                      "inputs": ["agency_id", "check_status", "new_received"]},
    "agency_year_totals": {"keys": {"agency_id": ("TEXT", "{r}.agency_id"), "year": ("INTEGER", "{r}.year"),
                                    "failing": ("INTEGER", FAILING)},
                           # one year's agencies in agency order, read from the index alone (a scan of
                           # the whole table in agency order took 58 ms at 100k reports)
                           "figures": ["new_received"],
                           "index": ["year", "agency_id", "failing", "n_reports", "new_received", "n_new_received"],
                           "inputs": ["agency_id", "year", "check_status", "new_received"]},
}


def _change(table: str, spec: dict, r: str, sign: int) -> str:
    """SQL adding (sign 1) or taking away (sign -1) report_summary row ``r`` (new/old) in its group."""
    keys = {k: expr.format(r=r) for k, (_, expr) in spec["keys"].items()}
    match = " and ".join(f"[{k}] is {v}" for k, v in keys.items())
    sets = [f"[n_reports] = [n_reports] + {sign}"]
    for f in spec["figures"]:
        sets += [f"[{f}] = [{f}] + {sign} * coalesce({r}.[{f}], 0)", f"[n_{f}] = [n_{f}] + {sign} * ({r}.[{f}] is not null)"]
    out = ""
    if sign > 0:
        out += (f"insert into [{table}] ({', '.join(f'[{k}]' for k in keys)}) select {', '.join(keys.values())} "
                f"where not exists (select 1 from [{table}] where {match}); ")
    out += f"update [{table}] set {', '.join(sets)} where {match}; "
    if sign < 0:
        out += f"delete from [{table}] where {match} and [n_reports] = 0; "
    return out


def _create(db, table: str, spec: dict) -> None:
    cols = [f"[{k}] {t}" for k, (t, _) in spec["keys"].items()] + ["[n_reports] INTEGER NOT NULL DEFAULT 0"]
    for f in spec["figures"]:
        cols += [f"[{f}] INTEGER NOT NULL DEFAULT 0", f"[n_{f}] INTEGER NOT NULL DEFAULT 0"]
    db.execute(f"create table [{table}] ({', '.join(cols)})")
    keys = list(spec["keys"])
    db.execute(f"create index [idx_{table}_key] on [{table}] ({', '.join(f'[{k}]' for k in keys)})")
    exprs = [expr.format(r="s") for _, expr in spec["keys"].values()]
    sums = ", ".join(f"coalesce(sum(s.[{f}]), 0), count(s.[{f}])" for f in spec["figures"])
    names = ", ".join([f"[{k}]" for k in keys] + ["[n_reports]"] + [f"[{f}], [n_{f}]" for f in spec["figures"]])
    db.execute(f"insert into [{table}] ({names}) select {', '.join(exprs)}, count(*), {sums} from report_summary s "
               f"group by {', '.join(str(i + 1) for i in range(len(keys)))}")


def ensure(db) -> None:
    """Create the tables (filled from report_summary) and their triggers. Idempotent."""
    for table, spec in GROUPS.items():
        if not db[table].exists():
            _create(db, table, spec)
        if spec.get("index"):
            db[table].create_index(spec["index"], index_name=f"idx_{table}_by_{spec['index'][0]}", if_not_exists=True)
        for event, body in (("insert", _change(table, spec, "new", 1)), ("delete", _change(table, spec, "old", -1)),
                            (f"update of {', '.join(spec['inputs'])}",
                             _change(table, spec, "old", -1) + _change(table, spec, "new", 1))):
            name = f"{table}_{event.split()[0]}"
            db.execute(f"drop trigger if exists [{name}]")
            db.execute(f"create trigger [{name}] after {event} on report_summary begin {body}end")
