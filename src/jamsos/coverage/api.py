"""The coverage API, mounted at /api/v1/coverage (docs/coverage/api.md).

Interface only: every operation calls :mod:`jamsos.coverage.selectors` (or the target
services) with the caller's scope. Figures are aggregates: administrators and analysts see
every region; branch officers and partner users the nation, the provinces and the regions inside
their regencies (403 elsewhere); employer users and workers nothing (403). Rates are decimal
fractions sent as strings (``"0.3170"`` = 31,7 %); counts are integers.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from jamsos.api.auth import SIGNED_IN, caller_scope
from jamsos.api.errors import ErrorOut
from jamsos.coverage import potential as potential_defs
from jamsos.coverage import selectors
from jamsos.coverage.services.targets import target_create, target_delete, target_update

router = Router(tags=["coverage"], auth=SIGNED_IN)

READ_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 409: ErrorOut}

Period = Query[str | None, {"description": "Month YYYY-MM (default: the latest with figures)"}]
Segment = Query[str, {"description": "PU, BPU, JAKON or PMI; empty for all"}]
Ecosystem = Query[
    str, {"description": "pasar, desa_kelurahan, e_commerce, umkm or rentan; empty for all"}
]
Channel = Query[str, {"description": "self, employer, partner, cadre or branch; empty for all"}]
Months = Query[int, {"ge": 1, "le": 240, "description": "How many months"}]
RankLevel = Query[int, {"ge": 1, "le": 4, "description": "1 province .. 4 village"}]
RankBy = Query[
    Literal["unprotected", "rate", "lapsed"],
    {"description": "most unprotected, lowest rate, or most lapsed first"},
]
RankLimit = Query[int, {"ge": 1, "le": 500, "description": "How many regions"}]
RegionCode = Query[str | None, {"description": "Region code (00 = the nation)"}]
PotentialDefinition = Query[
    Literal["employed", "agency", "working_age"],
    {
        "description": "Which workers the potential counts: employed (BPS, as stored; the "
        "default here), agency (the agency's eligible workers) or working_age "
        "(docs/coverage/facts.md)"
    },
]


# --- schemas -----------------------------------------------------------------------------------


class AreaOut(Schema):
    period: str
    level: int
    code: str
    name: str
    parent_code: str
    segment: str
    ecosystem: str
    channel: str
    registered: int
    active: int
    new: int
    lapsed: int
    reactivated: int
    potential: int | None
    potential_kind: str
    potential_estimated: bool
    potential_source: str
    rate: Decimal | None
    unprotected: int | None
    has_children: bool


class CrumbOut(Schema):
    code: str
    name: str
    level: int


class AreaDetailOut(AreaOut):
    breadcrumbs: list[CrumbOut]
    periods: list[str]


class AreaListOut(Schema):
    period: str | None
    items: list[AreaOut]


class OfficeOut(Schema):
    period: str
    office_id: int
    office_code: str
    office_name: str
    regency_codes: list[str]
    segment: str
    ecosystem: str
    registered: int
    active: int
    new: int
    lapsed: int
    reactivated: int
    potential: int | None
    potential_estimated: bool
    rate: Decimal | None
    unprotected: int | None


# The published figures and the targets' progress are answered in the selectors' own
# dataclasses (pydantic reads their fields and types for the schema).
PublishedOut = selectors.PublishedRow
TargetOut = selectors.TargetProgress


class TargetIn(Schema):
    level: int
    region_code: str = ""
    branch_office: str = ""
    segment: str = ""
    baseline_period: str
    target_period: str
    target_active: int
    source: str = ""
    note: str = ""


class TargetChangeIn(Schema):
    segment: str | None = None
    baseline_period: str | None = None
    target_period: str | None = None
    target_active: int | None = None
    source: str | None = None
    note: str | None = None


def _area(row: selectors.AreaRow) -> dict[str, Any]:
    return asdict(row)


def _crumbs(code: str) -> list[dict[str, Any]]:
    return [{"code": c, "name": n, "level": lv} for c, n, lv in selectors.breadcrumbs(code)]


# --- areas -------------------------------------------------------------------------------------


@router.get(
    "/areas/{code}",
    response={200: AreaDetailOut, **READ_ERRORS},
    summary="One region's coverage for a month (00 = the nation)",
    url_name="coverage-area",
)
def area(
    request: HttpRequest,
    code: str,
    period: Period = None,
    segment: Segment = "",
    ecosystem: Ecosystem = "",
    channel: Channel = "",
    potential: PotentialDefinition = "employed",
) -> dict[str, Any]:
    """Registered, active, new, lapsed and reactivated participants, the potential (workforce
    denominator) with its source, the coverage rate and the unprotected workers."""
    scope = caller_scope(request)
    row = selectors.coverage_area(
        scope, code=code, period=period, segment=segment, ecosystem=ecosystem, channel=channel
    )
    row = potential_defs.apply(row, potential)
    return {
        **_area(row),
        "breadcrumbs": _crumbs(row.code),
        "periods": selectors.coverage_periods(),
    }


@router.get(
    "/areas/{code}/children",
    response={200: AreaListOut, **READ_ERRORS},
    summary="The coverage of a region's children (provinces of the nation, ...)",
    url_name="coverage-children",
)
def children(
    request: HttpRequest,
    code: str,
    period: Period = None,
    segment: Segment = "",
    ecosystem: Ecosystem = "",
    channel: Channel = "",
    potential: PotentialDefinition = "employed",
) -> dict[str, Any]:
    scope = caller_scope(request)
    rows = selectors.coverage_children(
        scope, code=code, period=period, segment=segment, ecosystem=ecosystem, channel=channel
    )
    rows = [potential_defs.apply(r, potential) for r in rows]
    return {"period": rows[0].period if rows else period, "items": [_area(r) for r in rows]}


@router.get(
    "/areas/{code}/series",
    response={200: AreaListOut, **READ_ERRORS},
    summary="A region's coverage month by month, oldest first",
    url_name="coverage-series",
)
def series(
    request: HttpRequest,
    code: str,
    segment: Segment = "",
    ecosystem: Ecosystem = "",
    channel: Channel = "",
    months: Months = 24,
    potential: PotentialDefinition = "employed",
) -> dict[str, Any]:
    scope = caller_scope(request)
    rows = selectors.coverage_series(
        scope, code=code, segment=segment, ecosystem=ecosystem, channel=channel, months=months
    )
    rows = [potential_defs.apply(r, potential) for r in rows]
    return {"period": rows[-1].period if rows else None, "items": [_area(r) for r in rows]}


@router.get(
    "/areas/{code}/ranking",
    response={200: AreaListOut, **READ_ERRORS},
    summary="Where to go next: regions inside a region, ranked",
    url_name="coverage-ranking",
)
def ranking(
    request: HttpRequest,
    code: str,
    period: Period = None,
    level: RankLevel = 2,
    by: RankBy = "unprotected",
    segment: Segment = "",
    ecosystem: Ecosystem = "",
    limit: RankLimit = 20,
    potential: PotentialDefinition = "employed",
) -> dict[str, Any]:
    scope = caller_scope(request)
    rows = selectors.coverage_ranking(
        scope,
        code=code,
        period=period,
        level=level,
        by=by,
        segment=segment,
        ecosystem=ecosystem,
        limit=limit,
        factor=potential_defs.factor_of(potential, period),
    )
    rows = [potential_defs.apply(r, potential) for r in rows]
    return {"period": rows[0].period if rows else period, "items": [_area(r) for r in rows]}


@router.get(
    "/areas/{code}/ecosystems",
    response={200: AreaListOut, **READ_ERRORS},
    summary="A region's coverage by ecosystem",
    url_name="coverage-ecosystems",
)
def ecosystems(request: HttpRequest, code: str, period: Period = None) -> dict[str, Any]:
    scope = caller_scope(request)
    rows = selectors.coverage_ecosystems(scope, code=code, period=period)
    return {"period": rows[0].period if rows else period, "items": [_area(r) for r in rows]}


@router.get(
    "/offices",
    response={200: list[OfficeOut], **READ_ERRORS},
    summary="Coverage per branch office",
    url_name="coverage-offices",
)
def offices(
    request: HttpRequest, period: Period = None, segment: Segment = "", ecosystem: Ecosystem = ""
) -> list[dict[str, Any]]:
    scope = caller_scope(request)
    rows = selectors.coverage_offices(scope, period=period, segment=segment, ecosystem=ecosystem)
    return [{**asdict(r), "regency_codes": list(r.regency_codes)} for r in rows]


# --- published figures and targets -------------------------------------------------------------


@router.get(
    "/published",
    response={200: list[PublishedOut], **READ_ERRORS},
    summary="Officially reported coverage figures, with their source",
    url_name="coverage-published",
)
def published(request: HttpRequest, code: RegionCode = None) -> list[dict[str, Any]]:
    selectors.require_coverage(caller_scope(request))
    return [asdict(r) for r in selectors.published_figures(code=code)]


@router.get(
    "/targets",
    response={200: list[TargetOut], **READ_ERRORS},
    summary="Targets and their progress (gap, growth needed, projection)",
    url_name="coverage-targets",
)
def targets(
    request: HttpRequest, code: str | None = None, office_id: int | None = None
) -> list[dict[str, Any]]:
    scope = caller_scope(request)
    return [asdict(p) for p in selectors.target_progress(scope, code=code, office_id=office_id)]


def _progress_of(request: HttpRequest, target_id: int) -> dict[str, Any]:
    scope = caller_scope(request)
    found = [p for p in selectors.target_progress(scope) if p.target_id == target_id]
    return asdict(found[0])


@router.post(
    "/targets",
    response={201: TargetOut, **WRITE_ERRORS},
    summary="Set a target (administrators; branch officers for their office and regencies)",
    url_name="coverage-target-create",
)
def target_post(request: HttpRequest, payload: TargetIn) -> Status:
    target = target_create(caller_scope(request), **payload.dict())
    return Status(201, _progress_of(request, target.pk))


@router.put(
    "/targets/{target_id}",
    response={200: TargetOut, **WRITE_ERRORS},
    summary="Change a target",
    url_name="coverage-target",
)
def target_put(request: HttpRequest, target_id: int, payload: TargetChangeIn) -> dict[str, Any]:
    target_update(caller_scope(request), target_id, **payload.dict(exclude_none=True))
    return _progress_of(request, target_id)


@router.delete(
    "/targets/{target_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Delete a target",
    url_name="coverage-target-delete",
)
def target_del(request: HttpRequest, target_id: int) -> Status:
    target_delete(caller_scope(request), target_id)
    return Status(204, None)
