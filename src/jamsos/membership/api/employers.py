"""Employers: list and search, detail, and registration by an office.

Interface only: ``employers_visible`` and ``employer_get_by_npp`` filter by the caller's scope
(an NPP outside it is 404); ``employer_register`` validates, gives the NPP and writes.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.api.auth import SIGNED_IN, caller_scope
from jamsos.api.pagination import DEFAULT_LIMIT, Key, Keyset, page_fields, page_of
from jamsos.core.identifiers import compact_identifier, is_ascii_digits
from jamsos.membership.api.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    Cursor,
    Limit,
    WithCount,
    region_for,
)
from jamsos.membership.api.errors import UnknownBranchOffice
from jamsos.membership.api.schemas import (
    EmployerDetailOut,
    EmployerIn,
    EmployerListOut,
    EmployerOut,
    employer_out,
)
from jamsos.membership.identifiers import npwp_normalise
from jamsos.membership.models import BranchOffice, Employer
from jamsos.membership.models import Status as MembershipStatus
from jamsos.membership.policy import MEMBERSHIP
from jamsos.membership.selectors import employer_get_by_npp, employers_visible
from jamsos.membership.services import employer_register

router = Router(tags=["employers"], auth=SIGNED_IN)

EmployerSearch = Query[str | None, {"description": "NPP, NPWP or words of the legal name"}]
EMPLOYER_ORDER = Keyset("employers", (Key("npp", str),))


def _search(query: QuerySet[Employer], text: str) -> QuerySet[Employer]:
    """NPP (10 digits) or NPWP (15 or 16 digits) exactly, else every word of the legal name."""
    compact = compact_identifier(text)
    if is_ascii_digits(compact) and len(compact) == 10:
        return query.filter(npp=compact)
    if is_ascii_digits(compact) and len(compact) in (15, 16):
        return query.filter(npwp=npwp_normalise(compact) or compact)
    for word in text.split():
        query = query.filter(legal_name__icontains=word)
    return query


@router.get(
    "/employers",
    response={200: EmployerListOut, **READ_ERRORS},
    summary="List or search employers",
    url_name="employers-list",
)
def employers_list(
    request: HttpRequest,
    q: EmployerSearch = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
    with_count: WithCount = False,
) -> dict[str, Any]:
    """The employers the caller may see, by NPP, a page at a time. `q` finds an NPP or NPWP
    exactly, or employers whose legal name holds every word (case ignored).

    Analysts and accounts without a role: 403.
    """
    scope = caller_scope(request)
    MEMBERSHIP.require(scope, "person.view")
    query = employers_visible(scope).select_related("branch_office", "address_village")
    if q and q.strip():
        query = _search(query, q.strip())
    page = page_of(query, EMPLOYER_ORDER, cursor=cursor, limit=limit, with_count=with_count)
    return {"items": [employer_out(e) for e in page.items], **page_fields(request, page)}


@router.get(
    "/employers/{npp}",
    response={200: EmployerDetailOut, **READ_ERRORS},
    summary="One employer",
    url_name="employers-detail",
)
def employer_detail(request: HttpRequest, npp: str) -> dict[str, Any]:
    """The employer and its number of active memberships. An NPP outside the caller's scope is
    404."""
    scope = caller_scope(request)
    MEMBERSHIP.require(scope, "person.view")
    employer = employer_get_by_npp(scope, npp=npp)
    active = employer.memberships.filter(status=MembershipStatus.ACTIVE).count()
    return {**employer_out(employer), "active_memberships": active}


def _office(scope: Scope, code: str | None) -> BranchOffice | None:
    if scope.role == Role.BRANCH_OFFICER:
        return BranchOffice.objects.get(pk=scope.branch_office_id)
    if not code:
        return None
    office = BranchOffice.objects.filter(code=code.strip().upper()).first()
    if office is None:
        raise UnknownBranchOffice(code=code)
    return office


@router.post(
    "/employers",
    response={201: EmployerOut, **WRITE_ERRORS},
    summary="Register an employer",
    url_name="employers-register",
)
def employer_register_api(request: HttpRequest, payload: EmployerIn) -> Status[dict[str, Any]]:
    """Administrators and branch officers register an employer; it gets its NPP. A branch
    officer always registers for their own office; an administrator may name the office
    (default: the one serving the address's regency). 409 `membership.duplicate_npwp` when the
    NPWP is registered already."""
    scope = caller_scope(request)
    MEMBERSHIP.require(scope, "employer.register")
    employer = employer_register(
        npwp=payload.npwp,
        legal_name=payload.legal_name,
        size=payload.size,
        sector=payload.sector,
        risk_class=payload.risk_class,
        industry=payload.industry,
        address_village=region_for(payload.address_village, field="address_village"),
        branch_office=_office(scope, payload.branch_office),
        by=scope,
    )
    return Status(201, employer_out(employer))
