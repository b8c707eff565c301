"""Decide which numbers read from a picture stand: the confidence first, then the identities.

A cell whose recognition is uncertain, or that sits in an identity the readings break, is left
null and flagged; where the identities leave one possibility for such cells, they are filled and
marked ``inferred`` (or kept as ``ocr`` when the identities confirm what was read). A table whose
identities hold keeps its readings. The price of "never a silently wrong number": a table printed
with a broken identity cannot be told from a misreading, so its cells in that identity are
re-derived or left null, never kept as read (the flags say which).
"""
from __future__ import annotations

from ..cells import parse_cell
from ..checks import APPLICANT_COLUMNS, ORG_COLUMNS
from ..spec import tables as spec
from ..tables import INFERRED, MISSING, OCR, CellResult, Tables
from .settings import settings

Ref = tuple[str, str, str]  # (table, row, column)


def _grid(t: Tables) -> dict[str, dict]:
    return {"applications": t.applications, "review_litigation": t.review_litigation, "active_disclosure": t.active_disclosure}


def equations(t: Tables) -> list[tuple[str, list[tuple[Ref, int]]]]:
    """Every identity of the tables as a weighted sum that must be zero."""
    out = []
    apps = t.applications
    if apps:
        results = [r.key for r in spec().application_rows if r.result and r.key in apps]
        for col in t.application_columns:
            def a(row):
                return ("applications", row, col)
            if all(r in apps for r in ("new_received", "carried_over", "total_handled", "carried_forward")):
                out.append((f"applications.balance.{col}", [(a("new_received"), 1), (a("carried_over"), 1),
                                                            (a("total_handled"), -1), (a("carried_forward"), -1)]))
            if "total_handled" in apps and results:
                out.append((f"applications.results_sum.{col}", [(a(r), 1) for r in results] + [(a("total_handled"), -1)]))
        for row, cells in apps.items():
            if "total" in cells and all(c in cells for c in APPLICANT_COLUMNS):
                out.append((f"applications.row_total.{row}", [(("applications", row, c), 1) for c in APPLICANT_COLUMNS]
                            + [(("applications", row, "total"), -1)]))
            if "org_subtotal" in cells:
                out.append((f"applications.org_subtotal.{row}", [(("applications", row, c), 1) for c in ORG_COLUMNS]
                            + [(("applications", row, "org_subtotal"), -1)]))
    for proc, cells in t.review_litigation.items():
        if "total" in cells:
            out.append((f"review_litigation.total.{proc}", [(("review_litigation", proc, o), 1) for o in ("upheld", "corrected", "other", "pending")]
                        + [(("review_litigation", proc, "total"), -1)]))
    return out


def settle(t: Tables) -> None:
    grid = _grid(t)

    def cell(ref: Ref) -> CellResult | None:
        return grid[ref[0]].get(ref[1], {}).get(ref[2])

    read = [(tbl, row, col) for tbl, rows in grid.items() for row, cells in rows.items()
            for col, c in cells.items() if c.confidence is not None]
    if not read:
        return
    threshold = settings()["read"]["min_confidence"]
    checked = {r for _, terms in equations(t) for r, _ in terms}
    unchecked_threshold = settings()["read"]["min_confidence_unchecked"]
    doubtful = []
    for ref in read:
        c = cell(ref)
        if c.confidence < (threshold if ref in checked else unchecked_threshold):
            c.value, c.status = None, MISSING
            doubtful.append(f"{ref[1]}.{ref[2]} {c.raw!r} ({c.confidence:.2f})")
    if doubtful:
        t.flags.append(f"OCR: {len(doubtful)} cell(s) read with low confidence left null: {', '.join(doubtful[:12])}"
                       + (" …" if len(doubtful) > 12 else ""))
    eqs = [(name, terms) for name, terms in equations(t) if all(cell(r) is not None for r, _ in terms)]
    # readings in a broken identity are not trusted: null every OCR'd cell of it
    broken = []
    for name, terms in eqs:
        vals = [cell(r).value for r, _ in terms]
        if None not in vals and sum(v * w for v, (_, w) in zip(vals, terms)) != 0:
            broken.append(name)
            for r, _ in terms:
                c = cell(r)
                if c.confidence is not None and c.status == OCR:
                    c.value, c.status = None, MISSING
    if broken:
        t.flags.append(f"OCR: identities broken as read ({', '.join(broken[:8])}{' …' if len(broken) > 8 else ''}); their cells left null unless the identities determine them")
    def fill() -> list[Ref]:
        """Fill what the identities determine, one unknown at a time."""
        filled: list[Ref] = []
        changed = True
        while changed:
            changed = False
            for _, terms in eqs:
                unknown = [(r, w) for r, w in terms if cell(r).value is None]
                if len(unknown) > 1 and all(cell(r).status == MISSING and cell(r).confidence is not None for r, _ in unknown) \
                        and len({w for _, w in unknown}) == 1 and all(cell(r).value is not None for r, _ in terms if (r, _) not in unknown):
                    # counts are never negative: parts that must add up to nothing are all zero
                    if sum(cell(r).value * ww for r, ww in terms if (r, ww) not in unknown) == 0:
                        for ref, _ in unknown:
                            cell(ref).value, cell(ref).status = 0, INFERRED
                            filled.append(ref)
                        changed = True
                    continue
                if len(unknown) != 1:
                    continue
                (ref, w), = unknown
                c = cell(ref)
                if c.status != MISSING or c.confidence is None:
                    continue  # a printed blank or "/" is a fact, not an unknown; other layouts infer elsewhere
                rest = sum(cell(r).value * ww for r, ww in terms if r != ref)
                value = -rest / w
                if value < 0 or value != int(value):
                    continue
                c.value = int(value)
                c.status = INFERRED
                filled.append(ref)
                changed = True
        return filled

    def verified(ref: Ref) -> bool:
        return any(ref in {r for r, _ in terms} and all(cell(r).value is not None for r, _ in terms) for _, terms in eqs)

    filled = fill()
    # a reading in an identity stands only if a complete identity checks it (a 96 dpi scan read a
    # 1 as 5 at 0.99 where every identity of the cell had unknowns: benchmarks/RESULTS.md, OCR)
    for _ in range(3):
        unverified = [ref for ref in read if cell(ref).status == OCR and cell(ref).value is not None
                      and (ref in checked or cell(ref).confidence < unchecked_threshold) and not verified(ref)]
        if not unverified:
            break
        for ref in unverified:
            cell(ref).value, cell(ref).status = None, MISSING
        t.flags.append(f"OCR: {len(unverified)} reading(s) no complete identity checks left null: "
                       + ", ".join(f"{r[1]}.{r[2]} {cell(r).raw!r} ({cell(r).confidence:.2f})" for r in unverified[:8]))
        filled += fill()
    # every identity must hold with what was filled in; else nothing filled is kept
    for name, terms in eqs:
        vals = [cell(r).value for r, _ in terms]
        if None not in vals and sum(v * w for v, (_, w) in zip(vals, terms)) != 0 and any(r in filled for r, _ in terms):
            for ref in filled:
                c = cell(ref)
                c.value, c.status = None, MISSING
            t.flags.append(f"OCR: identities inconsistent after filling ({name}); cells left null")
            return
    replaced = []
    for ref in filled:
        c = cell(ref)
        as_read = parse_cell(c.raw).value if c.raw is not None else None
        if as_read == c.value and c.confidence is not None and c.confidence >= threshold:
            c.status = OCR  # the identities confirm the reading
        elif as_read != c.value:
            replaced.append(f"{ref[1]}.{ref[2]} read {c.raw!r} → {c.value}")
    if filled:
        t.flags.append(f"OCR: {len(filled)} cell(s) determined by the identities"
                       + (f"; readings replaced: {', '.join(replaced[:12])}" if replaced else ""))
