"""A picture of ruled tables → cell rectangles with their spans.

The ruling lines carry the table's structure, so they are found first (morphological opening
with long thin kernels), after the picture is straightened (scans are placed by hand) and a red
seal is painted out (a seal's ring and text would otherwise read as lines and glyphs). Every
table is a connected frame of lines; inside it, the row and column boundaries are the positions
where a line runs, and two neighbouring grid positions belong to one merged cell when the line
between them is absent.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from .settings import settings


@dataclass
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in the straightened image


@dataclass
class TableGrid:
    box: tuple[int, int, int, int]
    n_rows: int
    n_cols: int
    cells: list[GridCell] = field(default_factory=list)


@dataclass
class Page:
    """A straightened, seal-free picture and where its tables are."""

    image: np.ndarray  # BGR, straightened, red painted white
    ink: np.ndarray  # binary (255 = ink) of ``image``
    lines: np.ndarray  # binary mask of the ruling lines
    skew: float  # degrees the picture was turned by
    tables: list[TableGrid] = field(default_factory=list)
    red: np.ndarray | None = None  # where a seal covers the picture (its ink there is unsure)


def suppress_red(image: np.ndarray) -> np.ndarray:
    """See through a red seal: where red dominates, a pixel becomes the grey of its red channel.
    Stamp ink filters what is under it, so its red channel keeps the print beneath (black stays
    dark) while the seal itself turns nearly white; painting red pixels white instead would cut
    the ruling lines and glyphs that JPEG's blurred colour makes reddish at a seal's edges."""
    b, g, r = (image[:, :, i].astype(np.int16) for i in range(3))
    margin = settings()["grid"]["red_margin"]
    red = (r - np.maximum(g, b)) > margin
    out = image.copy()
    out[red] = image[:, :, 2][red][:, None]
    return out


def binarize(gray: np.ndarray) -> np.ndarray:
    """Ink as 255 on 0: Otsu's threshold, robust to the grey background of a scan and to JPEG noise."""
    _, bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return bw


def estimate_skew(ink: np.ndarray) -> float:
    """The angle (degrees) that makes ruling lines and text rows horizontal: the rotation whose
    row profile is sharpest, searched coarse then fine on a reduced copy."""
    max_skew = settings()["grid"]["max_skew"]
    h, w = ink.shape
    scale = min(1.0, 1000 / max(h, w))
    small = cv2.resize(ink, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
    sh, sw = small.shape
    centre = (sw / 2, sh / 2)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rot = cv2.warpAffine(small, m, (sw, sh), flags=cv2.INTER_NEAREST, borderValue=0)
        profile = rot.sum(axis=1, dtype=np.float64)
        return float(np.square(profile).sum())

    best = max(np.arange(-max_skew, max_skew + 1e-9, 0.5), key=sharpness)
    best = max(np.arange(best - 0.5, best + 0.5 + 1e-9, 0.1), key=sharpness)
    best = max(np.arange(best - 0.1, best + 0.1 + 1e-9, 0.025), key=sharpness)
    return float(round(best, 3))


def rotate(image: np.ndarray, angle: float) -> np.ndarray:
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    border = (255, 255, 255) if image.ndim == 3 else 0
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)


def reddish(image: np.ndarray) -> np.ndarray:
    """Pixels whose hue leans red (a seal and the fringe JPEG's blurred colour leaves around it),
    widened by a pixel: never ink of a ruling line or a glyph, which are black."""
    b, g, r = (image[:, :, i].astype(np.int16) for i in range(3))
    mask = ((r - np.maximum(g, b)) > settings()["grid"]["red_margin"] // 2).astype(np.uint8) * 255
    return cv2.dilate(mask, np.ones((3, 3), np.uint8))


def prepare(image: np.ndarray) -> Page:
    """Straighten and clean a picture, then find its tables."""
    clean = suppress_red(image)
    red = reddish(image)
    ink = binarize(cv2.cvtColor(clean, cv2.COLOR_BGR2GRAY))
    ink[red > 0] = 0
    skew = estimate_skew(ink)
    if abs(skew) >= 0.05:
        clean = rotate(clean, skew)
        red = rotate(red, skew)
        ink = binarize(cv2.cvtColor(clean, cv2.COLOR_BGR2GRAY))
        ink[red > 0] = 0
    horizontal, vertical = ruling_lines(ink)
    page = Page(clean, ink, cv2.bitwise_or(horizontal, vertical), skew, red=red)
    page.tables = find_tables(horizontal, vertical)
    return page


def ruling_lines(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks of horizontal and vertical ruling lines (runs of ink longer than any glyph stroke)."""
    h, w = ink.shape
    length = max(10, int(min(h, w) * settings()["grid"]["line_fraction"]))
    # close one-pixel gaps first: a JPEG'd or thin line breaks up
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    horizontal = cv2.dilate(horizontal, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))
    vertical = cv2.dilate(vertical, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3)))
    return horizontal, vertical


def _positions(profile: np.ndarray, min_count: int) -> list[int]:
    """Centres of the runs of ``profile`` at or above ``min_count`` (one per line, however thick)."""
    on = profile >= min_count
    out, start = [], None
    for i, v in enumerate(on):
        if v and start is None:
            start = i
        elif not v and start is not None:
            out.append((start + i - 1) // 2)
            start = None
    if start is not None:
        out.append((start + len(on) - 1) // 2)
    return out


def _merge_close(pos: list[int], gap: int) -> list[int]:
    out: list[int] = []
    for p in pos:
        if out and p - out[-1] <= gap:
            out[-1] = (out[-1] + p) // 2
        else:
            out.append(p)
    return out


def find_tables(horizontal: np.ndarray, vertical: np.ndarray) -> list[TableGrid]:
    h, w = horizontal.shape
    frame = cv2.bitwise_or(horizontal, vertical)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(frame, connectivity=8)
    min_side = max(20, int(settings()["grid"]["min_table_side"] * min(h, w) / 850))
    tables = []
    for i in range(1, n):
        x, y, bw, bh, _area = stats[i]
        if bw < min_side or bh < min_side // 3:
            continue
        mask = labels[y : y + bh, x : x + bw] == i
        hmask = (horizontal[y : y + bh, x : x + bw] > 0) & mask
        vmask = (vertical[y : y + bh, x : x + bw] > 0) & mask
        grid = _grid(hmask, vmask, (x, y))
        if grid is not None:
            tables.append(grid)
    tables.sort(key=lambda t: (t.box[1], t.box[0]))
    return tables


def _coverage(mask: np.ndarray) -> float:
    return float(mask.any(axis=0 if mask.shape[0] < mask.shape[1] else 1).mean()) if mask.size else 0.0


def _grid(hmask: np.ndarray, vmask: np.ndarray, origin: tuple[int, int]) -> TableGrid | None:
    bh, bw = hmask.shape
    seg = max(8, int(min(bh, bw) * 0.02))
    ys = _merge_close(_positions(hmask.sum(axis=1), seg), 3)
    xs = _merge_close(_positions(vmask.sum(axis=0), seg), 3)
    if len(ys) < 2 or len(xs) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1
    tol = 3

    def h_line(r: int, c: int) -> bool:
        """Is there a line at row boundary ``r`` between column boundaries c and c+1?"""
        band = hmask[max(0, ys[r] - tol) : ys[r] + tol + 1, xs[c] : xs[c + 1] + 1]
        return band.size > 0 and band.any(axis=0).mean() > 0.6

    def v_line(c: int, r: int) -> bool:
        band = vmask[ys[r] : ys[r + 1] + 1, max(0, xs[c] - tol) : xs[c] + tol + 1]
        return band.size > 0 and band.any(axis=1).mean() > 0.6

    # union-find over grid positions: merge across missing lines
    parent = list(range(nr * nc))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not v_line(c + 1, r):
                parent[find(r * nc + c)] = find(r * nc + c + 1)
            if r + 1 < nr and not h_line(r + 1, c):
                parent[find(r * nc + c)] = find((r + 1) * nc + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(find(r * nc + c), []).append((r, c))
    ox, oy = origin
    table = TableGrid((ox + xs[0], oy + ys[0], ox + xs[-1], oy + ys[-1]), nr, nc)
    for members in groups.values():
        r0, c0 = min(m[0] for m in members), min(m[1] for m in members)
        r1, c1 = max(m[0] for m in members), max(m[1] for m in members)
        if len(members) != (r1 - r0 + 1) * (c1 - c0 + 1):
            # not a rectangle (a broken line joined two cells): split back into single positions
            for r, c in members:
                table.cells.append(GridCell(r, c, 1, 1, (ox + xs[c], oy + ys[r], ox + xs[c + 1], oy + ys[r + 1])))
            continue
        table.cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (ox + xs[c0], oy + ys[r0], ox + xs[c1 + 1], oy + ys[r1 + 1])))
    table.cells.sort(key=lambda g: (g.row, g.col))
    return table
