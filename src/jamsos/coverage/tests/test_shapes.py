"""Boundaries simplified for the scale of the map (coverage/shapes.py)."""

from __future__ import annotations

import json
import math

from jamsos.coverage.shapes import TOLERANCE, simplified_text, simplify


def circle(cx: float, cy: float, radius: float, points: int) -> list[list[float]]:
    ring = [
        [
            cx + radius * math.cos(2 * math.pi * i / points),
            cy + radius * math.sin(2 * math.pi * i / points),
        ]
        for i in range(points)
    ]
    return [*ring, ring[0]]


def test_a_detailed_shape_loses_points_but_stays_closed_and_in_place() -> None:
    big = circle(107.6, -6.9, 1.0, 2000)
    tiny = circle(110.0, -7.0, 0.001, 50)  # an islet smaller than the tolerance
    out = simplify({"type": "MultiPolygon", "coordinates": [[big], [tiny]]}, TOLERANCE[1])
    assert len(out["coordinates"]) == 1  # the islet collapsed and is dropped
    ring = out["coordinates"][0][0]
    assert 8 <= len(ring) < 100
    assert ring[0] == ring[-1]
    for x, y in ring:
        assert abs(math.hypot(x - 107.6, y + 6.9) - 1.0) < TOLERANCE[1] + 0.001
        assert round(x, 3) == x


def test_a_shape_keeps_its_largest_polygon_when_all_collapse() -> None:
    small = circle(120.0, 0.0, 0.001, 20)
    smaller = circle(121.0, 0.0, 0.0005, 20)
    out = simplify({"type": "MultiPolygon", "coordinates": [[smaller], [small]]}, TOLERANCE[1])
    assert len(out["coordinates"]) == 1
    assert out["coordinates"][0][0][0][0] == 120.001


def test_the_text_is_simplified_for_provinces_and_regencies_only() -> None:
    text = json.dumps({"type": "Polygon", "coordinates": [circle(100.0, 0.0, 1.0, 500)]})
    national = json.loads(simplified_text(text, 1))
    regional = json.loads(simplified_text(text, 2))
    assert national["type"] == "MultiPolygon"
    assert len(national["coordinates"][0][0]) < len(regional["coordinates"][0][0]) < 500
    assert simplified_text(text, 3) == text
