"""Region boundaries from a GeoJSON FeatureCollection keyed by the ``code`` property."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from django.db import transaction

from jamsos.registry.codes import normalise_code
from jamsos.registry.errors import ImportFileInvalid
from jamsos.registry.models import Region, RegionBoundary
from jamsos.registry.services._sync import SyncResult, sync_rows
from jamsos.registry.services.editions import edition_get

PACKAGED_BOUNDARY_SOURCE = "cahyadsn/wilayah_boundaries (MIT), simplified; registry/data/README.md"


@dataclass
class BoundaryImportResult:
    path: str
    features: int
    sync: SyncResult
    unknown_codes: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.features:,} features: {self.sync.summary()}"
        if self.unknown_codes:
            shown = ", ".join(self.unknown_codes[:20])
            more = " …" if len(self.unknown_codes) > 20 else ""
            text += f"; {len(self.unknown_codes)} unknown code(s): {shown}{more}"
        if self.invalid:
            text += f"; {len(self.invalid)} invalid feature(s): " + "; ".join(self.invalid[:10])
        return text


def boundaries_import(
    *, path: Path, edition: str | None = None, source: str | None = None
) -> BoundaryImportResult:
    """Attach each feature's geometry and centroid to the region with its ``code``.

    Features whose code is not in the edition are reported and skipped; so are features without
    a code or with a geometry other than (Multi)Polygon. Re-running with the same file changes
    nothing.
    """
    target = edition_get(edition)
    collection = _read_collection(path)
    features = collection["features"]
    codes = {c for c in (_code_of(f) for f in features) if c}
    ids = dict(Region.objects.filter(edition=target, code__in=codes).values_list("code", "pk"))
    desired: dict[int, dict[str, Any]] = {}
    result = BoundaryImportResult(path=str(path), features=len(features), sync=SyncResult())
    for number, feature in enumerate(features, start=1):
        code = _code_of(feature)
        if not code:
            result.invalid.append(f"feature {number}: no code property")
            continue
        geometry = _multipolygon(feature.get("geometry"))
        if geometry is None:
            result.invalid.append(f"{code}: geometry is not a Polygon or MultiPolygon")
            continue
        if code not in ids:
            result.unknown_codes.append(code)
            continue
        props = feature.get("properties") or {}
        lat, lng = props.get("centroid_lat"), props.get("centroid_lng")
        if lat is None or lng is None:
            lng, lat = _centroid(geometry["coordinates"])
        desired[ids[code]] = {
            "geometry": json.dumps(geometry, separators=(",", ":")),
            "centroid_lat": float(lat),
            "centroid_lng": float(lng),
            "source": (source or path.name)[:200],
        }
    with transaction.atomic():
        result.sync = sync_rows(
            RegionBoundary.objects.filter(region_id__in=list(desired)),
            key_fields=["region_id"],
            desired={(k,): v for k, v in desired.items()},
        )
    return result


def _read_collection(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ImportFileInvalid(path=str(path), reason="no such file") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFileInvalid(path=str(path), reason=f"not GeoJSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ImportFileInvalid(path=str(path), reason="not a GeoJSON FeatureCollection")
    if not isinstance(data.get("features"), list):
        raise ImportFileInvalid(path=str(path), reason="the FeatureCollection has no features")
    return data


def _code_of(feature: Any) -> str:
    if not isinstance(feature, dict):
        return ""
    props = feature.get("properties") or {}
    raw = props.get("code") or props.get("code_nodot") or ""
    return normalise_code(str(raw)) if raw else ""


def _multipolygon(geometry: Any) -> dict[str, Any] | None:
    if not isinstance(geometry, dict) or not isinstance(geometry.get("coordinates"), list):
        return None
    if geometry.get("type") == "MultiPolygon":
        polygons = geometry["coordinates"]
    elif geometry.get("type") == "Polygon":
        polygons = [geometry["coordinates"]]
    else:
        return None
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon or not isinstance(polygon[0], list):
            return None
        if len(polygon[0]) < 4:
            return None
    return {"type": "MultiPolygon", "coordinates": polygons} if polygons else None


def _centroid(polygons: list[Any]) -> tuple[float, float]:
    """Area-weighted centroid of the outer rings (planar lon/lat: good enough for a map label)."""
    total = cx = cy = 0.0
    for polygon in polygons:
        ring = polygon[0]
        for (x0, y0), (x1, y1) in pairwise(ring):
            cross = x0 * y1 - x1 * y0
            total += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
    if total == 0:
        points = [p for polygon in polygons for p in polygon[0]]
        return (
            sum(p[0] for p in points) / len(points),
            sum(p[1] for p in points) / len(points),
        )
    return cx / (3 * total), cy / (3 * total)
