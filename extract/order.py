"""Rows whose label was lost are placed by the tables' fixed row order, and only where it is certain.

PDF-to-text and markdown dumps print a merged label cell on a line of its own, away from its
values, so some value rows reach the reader without a label (issue #17, patterns 5, 7 and 9). The
rows of each table come in a fixed order, so a run of *k* unlabelled value rows lying between two
labelled rows fills the rows between those two labels when exactly *k* of them are unread; with any
other count the run is left unplaced (a guess could shift numbers onto a neighbouring row, the one
way the extractor has produced wrong values). A fragment too short to be a row (one number where a
row has seven) does not count when the full rows alone fill the gap exactly; table 三's placements
are then confirmed by its identities (extract/tables.py). Labelled rows that break the order (a fragment that
matched the wrong label) stop being anchors and are dropped.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field


@dataclass
class Placed:
    by_order: dict[int, str]  # position in the sequence -> key, for rows placed by order
    out_of_order: list[int]  # positions of labelled rows that break the order (dropped)
    stray: list[int] = field(default_factory=list)  # unlabelled rows too short to be a row, passed over


def _increasing_run(items: list[tuple[int, int]]) -> set[int]:
    """Positions of the longest run of ``(position, rank)`` whose ranks strictly increase."""
    tails: list[int] = []  # smallest last rank of an increasing run of each length
    tails_at: list[int] = []
    back: dict[int, int | None] = {}
    for i, (pos, rank) in enumerate(items):
        j = bisect_left(tails, rank)
        back[i] = tails_at[j - 1] if j else None
        if j == len(tails):
            tails.append(rank)
            tails_at.append(i)
        else:
            tails[j] = rank
            tails_at[j] = i
    keep: set[int] = set()
    i = tails_at[-1] if tails_at else None
    while i is not None:
        keep.add(items[i][0])
        i = back[i]
    return keep


def place_by_order(keys: list[str | None], usable: list[bool], order: list[str], fits=None) -> Placed:
    """``keys``: per value row in document order, the key its own label names (None: no label,
    or one that names no row). ``usable``: the row carries a full set of values. ``order``: the
    table's keys in order. ``fits(pos, key)``: whether a row may take that key (a garbled label
    must resemble the label of its place); a gap is filled only when every row of it fits."""
    rank = {k: i for i, k in enumerate(order)}
    labelled = [(pos, rank[k]) for pos, k in enumerate(keys) if k in rank]
    keep = _increasing_run(labelled)
    out_of_order = [pos for pos, _ in labelled if pos not in keep]
    anchors = [(-1, -1)] + [(pos, r) for pos, r in labelled if pos in keep] + [(len(keys), len(order))]
    by_order: dict[int, str] = {}
    stray: list[int] = []
    for (p1, r1), (p2, r2) in zip(anchors, anchors[1:]):
        unlabelled = [p for p in range(p1 + 1, p2) if keys[p] is None]
        full = [p for p in unlabelled if usable[p]]
        unread = order[r1 + 1 : r2]
        # a short fragment among full rows (a lone '1' a PDF-to-markdown dump left between two
        # rows) is passed over only when the full rows alone fill the gap exactly
        if not full or len(full) != len(unread):
            continue
        if fits is None or all(fits(p, k) for p, k in zip(full, unread)):
            by_order.update(zip(full, unread))
            stray += [p for p in unlabelled if not usable[p]]
    return Placed(by_order, out_of_order, stray)
