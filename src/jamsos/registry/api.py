"""Regions and workforce figures over HTTP (django-ninja). Mounted at ``/api/v1/regions``.

Interface only: parse, call a selector, shape the output. Unknown codes raise
``RegionNotFound`` (404, ``registry.region_not_found``), rendered by the API's error handler.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from jamsos.registry.codes import parent_code_of
from jamsos.registry.models import NATIONAL_CODE, Level, Region, RegionBoundary
from jamsos.registry.selectors import (
    region_descendant_counts,
    region_get,
    region_list,
    region_list_with_paths,
    region_path,
    workforce_list,
)

router = Router(tags=["regions"])

LevelName = Literal["national", "province", "regency", "district", "village"]
KindName = Literal[
    "working_age", "labour_force", "employed", "formal_employed", "informal_employed"
]
_LEVELS = {level.label: level for level in Level}


class RegionOut(Schema):
    code: str = Field(examples=["32.04"])
    code_nodot: str = Field(examples=["3204"])
    name: str = Field(examples=["Kabupaten Bandung"])
    level: LevelName
    kind: str | None = Field(None, examples=["kabupaten"])
    parent_code: str | None = Field(None, examples=["32"])
    edition: str


class RegionHitOut(RegionOut):
    path: list[str] = Field(examples=[["Jawa Barat", "Kabupaten Bandung"]])


class RegionListOut(Schema):
    items: list[RegionHitOut]
    count: int
    limit: int
    offset: int


class PathItemOut(Schema):
    code: str
    name: str
    level: LevelName


class RegionDetailOut(RegionOut):
    path: list[PathItemOut]
    children: int = Field(description="Direct children")
    descendants: dict[str, int] = Field(description="Regions inside, per level")
    centroid: list[float] | None = Field(None, description="[lat, lng] when a boundary is known")


class WorkforceFigureOut(Schema):
    period: str
    kind: KindName
    count: int
    source: str
    source_urls: str
    confidence: Literal["high", "medium", "low"]
    estimated: bool
    method: str


class RegionWorkforceOut(Schema):
    region: RegionOut
    figures: list[WorkforceFigureOut]


class RegionListQuery(Schema):
    q: str | None = Field(None, max_length=100, description="Name (prefix of a word) or code")
    level: LevelName | None = None
    parent: str | None = Field(None, description="Only the direct children of this code")
    edition: str | None = Field(None, description="Default: the current edition")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0)


def _region_out(region: Region) -> dict[str, object]:
    parent = parent_code_of(region.code) if region.level > Level.PROVINCE else None
    return {
        "code": region.code,
        "code_nodot": region.code_nodot,
        "name": region.name,
        "level": Level(region.level).label,
        "kind": region.kind or None,
        "parent_code": parent,
        "edition": region.edition.name,
    }


@router.get("", response=RegionListOut, summary="List or search regions")
def region_list_api(request: HttpRequest, filters: Query[RegionListQuery]) -> dict[str, object]:
    query = region_list(
        q=filters.q,
        level=_LEVELS[filters.level] if filters.level else None,
        parent=filters.parent,
        edition=filters.edition,
    ).select_related("edition")
    page = region_list_with_paths(query[filters.offset : filters.offset + filters.limit])
    return {
        "items": [
            {**_region_out(r), "path": r.path_names}  # type: ignore[attr-defined]
            for r in page
        ],
        "count": query.count(),
        "limit": filters.limit,
        "offset": filters.offset,
    }


@router.get("/{code}", response=RegionDetailOut, summary="One region, its path and its size")
def region_detail_api(
    request: HttpRequest, code: str, edition: str | None = None
) -> dict[str, object]:
    path = region_path(code, edition=edition)
    region = path[-1]
    descendants = region_descendant_counts(region)
    centroid = (
        RegionBoundary.objects.filter(region=region)
        .values_list("centroid_lat", "centroid_lng")
        .first()
    )
    children_level = Level(min(region.level + 1, Level.VILLAGE)).label
    children = descendants.get(children_level, 0) if region.level < Level.VILLAGE else 0
    return {
        **_region_out(region),
        "path": [
            {"code": r.code, "name": r.name, "level": Level(r.level).label}
            for r in path
            if r.code != NATIONAL_CODE
        ],
        "children": children,
        "descendants": descendants,
        "centroid": list(centroid) if centroid and centroid[0] is not None else None,
    }


@router.get(
    "/{code}/workforce",
    response=RegionWorkforceOut,
    summary="Workforce figures of a region, with source, confidence and method",
)
def region_workforce_api(
    request: HttpRequest,
    code: str,
    period: str | None = None,
    kind: KindName | None = None,
    edition: str | None = None,
) -> dict[str, object]:
    region = region_get(code, edition=edition)
    figures = workforce_list(region, period=period, kind=kind)
    return {"region": _region_out(region), "figures": list(figures)}
