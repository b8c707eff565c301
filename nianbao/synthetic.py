"""Synthetic reports whose numbers satisfy the identities (or break one on purpose).

For the demo portal's fictional agencies, the mock portals of the tests, the round-trip property
tests and the benchmarks. Never mixed with real data: every synthetic agency is fictional.
"""
from __future__ import annotations

import random

from extract.spec import tables

ORGS = 5


def synthetic_report(agency: str, year: int, fmt: str = "2021", seed: int = 0, scale: int = 20,
                     subtotal: bool = False, break_identity: bool = False) -> dict:
    rng = random.Random(f"{agency}|{year}|{fmt}|{seed}")
    spec = tables()
    rows = spec.application_rows_for(fmt)
    results = [r.key for r in rows if r.result]
    apps: dict[str, list[int]] = {}

    def row(vals6):
        out = list(vals6)
        if subtotal:
            out.append(sum(vals6[1:]))
        out.append(sum(vals6))
        return out

    res_cols = {k: [0] * 6 for k in results}
    carried_over = [rng.randint(0, scale // 10) if i == 0 else 0 for i in range(6)]
    handled = [0] * 6
    for col in range(6):
        n = rng.randint(0, scale) if col == 0 else rng.choice([0, 0, 0, rng.randint(0, scale // 5)])
        for _ in range(n):
            k = rng.choice(results[:3] * 4 + results)  # most requests are granted
            res_cols[k][col] += 1
            handled[col] += 1
    carried_forward = [rng.randint(0, min(2, handled[c])) if c == 0 else 0 for c in range(6)]
    new_received = [handled[c] + carried_forward[c] - carried_over[c] for c in range(6)]
    for c in range(6):  # keep every count non-negative
        if new_received[c] < 0:
            carried_over[c] += new_received[c]
            new_received[c] = 0
    apps["new_received"] = row(new_received)
    apps["carried_over"] = row(carried_over)
    for k in results:
        apps[k] = row(res_cols[k])
    apps["total_handled"] = row(handled)
    apps["carried_forward"] = row(carried_forward)
    ordered = {r.key: apps[r.key] for r in rows}
    if break_identity:
        ordered["total_handled"][-1] += 1  # a typo as published: 总计 one too high

    def proceeding():
        v = [rng.randint(0, 3) for _ in range(4)]
        return v + [sum(v)]

    if fmt == "2021":
        active = {
            "rules": {"issued": rng.randint(0, 3), "repealed": rng.randint(0, 2), "in_force": rng.randint(0, 40)},
            "normative_documents": {"issued": rng.randint(0, 20), "repealed": rng.randint(0, 10), "in_force": rng.randint(0, 200)},
            "administrative_licensing": {"decisions": rng.randint(0, 5000)},
            "administrative_penalty": {"decisions": rng.randint(0, 3000)},
            "administrative_coercion": {"decisions": rng.randint(0, 300)},
            "administrative_fees": {"amount_10k_yuan": round(rng.uniform(0, 5000), 2)},
        }
    else:
        three = lambda: {"items_prev_year": rng.randint(0, 300), "change": rng.randint(-20, 20), "decisions": rng.randint(0, 3000)}
        active = {
            "rules": {"newly_made": rng.randint(0, 3), "newly_published": rng.randint(0, 3), "total_published": rng.randint(0, 40)},
            "normative_documents": {"newly_made": rng.randint(0, 20), "newly_published": rng.randint(0, 20), "total_published": rng.randint(0, 200)},
            "administrative_licensing": three(),
            "other_external_services": three(),
            "administrative_penalty": three(),
            "administrative_coercion": three(),
            "administrative_fees": {"items_prev_year": rng.randint(0, 50), "change": rng.randint(-5, 5)},
            "centralized_procurement": {"projects": rng.randint(0, 30), "amount_10k_yuan": round(rng.uniform(0, 900), 2)},
        }
    return {
        "agency": agency,
        "year": year,
        "format": fmt,
        "active_disclosure": active,
        "applications": ordered,
        "review_litigation": {"review": proceeding(), "litigation_direct": proceeding(), "litigation_after_review": proceeding()},
        "signature_date": f"{year + 1}年{rng.randint(1, 3)}月{rng.randint(1, 28)}日",
    }
