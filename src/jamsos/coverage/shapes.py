"""Boundaries as light as the map needs: simplified for the scale they are drawn at.

The stored boundaries (registry ``RegionBoundary``, GeoJSON text, already simplified to about
55 m with coordinates to 4 decimals) are finer than a screen shows: the whole country is 5,000 km
across a phone's 390 px (about 13 km a pixel), a province some hundreds of km. The map's data
therefore sends each shape simplified (Douglas-Peucker) to a tolerance of the level drawn and
rounded to 3 decimals (about 110 m). A ring that collapses is dropped; a shape keeps at least
its largest polygon. Pure Python over the parsed coordinates (no geometry library), cached per
shape text and tolerance in the process.
"""

from __future__ import annotations

import itertools
import json
from functools import lru_cache
from typing import Any

#: Tolerance in degrees by the level of the regions drawn (1 provinces, 2 regencies).
TOLERANCE = {1: 0.02, 2: 0.004}
PLACES = 3

Point = list[float]


def _simplify_ring(ring: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker on a closed ring (first point = last), iterative."""
    if len(ring) <= 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    # A closed ring has no chord from first to last: split it at the point farthest from the
    # first, and simplify both halves.
    x0, y0 = ring[0]
    far = max(
        range(1, len(ring) - 1), key=lambda i: (ring[i][0] - x0) ** 2 + (ring[i][1] - y0) ** 2
    )
    keep[far] = True
    stack = [(0, far), (far, len(ring) - 1)]
    squared = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        ax, ay = ring[first]
        bx, by = ring[last]
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        worst, index = -1.0, first
        for i in range(first + 1, last):
            px, py = ring[i]
            if length == 0:
                distance = (px - ax) ** 2 + (py - ay) ** 2
            else:
                cross = dx * (py - ay) - dy * (px - ax)
                distance = cross * cross / length
            if distance > worst:
                worst, index = distance, i
        if worst > squared:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(ring, keep, strict=True) if k]


def _area(ring: list[Point]) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring))) / 2


def _rounded(ring: list[Point]) -> list[Point]:
    out: list[Point] = []
    for x, y in ring:
        point = [round(x, PLACES), round(y, PLACES)]
        if not out or out[-1] != point:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def simplify(geometry: dict[str, Any], tolerance: float) -> dict[str, Any]:
    """A Polygon or MultiPolygon simplified and rounded (other types unchanged)."""
    if geometry.get("type") == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry.get("type") == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        return geometry
    kept = []
    largest: tuple[float, list[list[Point]]] | None = None
    for rings in polygons:
        outer = _rounded(_simplify_ring(rings[0], tolerance)) if rings else []
        if rings and (largest is None or _area(rings[0]) > largest[0]):
            largest = (_area(rings[0]), rings)
        if len(outer) < 4:
            continue
        holes = [_rounded(_simplify_ring(r, tolerance)) for r in rings[1:]]
        kept.append([outer, *[h for h in holes if len(h) >= 4]])
    if not kept and largest is not None:
        kept = [[_rounded(largest[1][0])]]
    return {"type": "MultiPolygon", "coordinates": kept}


@lru_cache(maxsize=1024)
def simplified_text(text: str, level: int) -> str:
    """Stored GeoJSON geometry text, simplified for drawing regions of ``level``."""
    tolerance = TOLERANCE.get(level)
    if tolerance is None:
        return text
    return json.dumps(simplify(json.loads(text), tolerance), separators=(",", ":"))
