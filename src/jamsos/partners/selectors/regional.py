"""Scoped reads of the regional policy register (docs/partners/regional.md).

Who sees what: an administrator and an analyst everything; a branch officer the national
instruments and commitments, those of the provinces of its regencies and those of its regencies
and everything below them; a partner user the same around its agreement's regions. Other roles
are refused (403).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.partners.models import Commitment, CommitmentStatus, RegionalInstrument
from jamsos.partners.policy import PARTNERS
from jamsos.partners.regional_errors import CommitmentNotFound, InstrumentNotFound
from jamsos.registry.models import NATIONAL_CODE, Region


def _area(scope: Scope) -> frozenset[str] | None:
    """The regions a caller works in (``None``: everywhere)."""
    if scope.role in (Role.ADMIN, Role.ANALYST):
        return None
    if scope.role == Role.BRANCH_OFFICER:
        return scope.regency_codes
    if scope.role == Role.PARTNER_USER:
        return scope.partner_region_codes
    return frozenset()


def region_q(scope: Scope, field: str = "region_code") -> Q | None:
    """Rows of the nation, of the provinces around the caller's regions, of those regions and
    of everything below them; ``None``: no limit."""
    area = _area(scope)
    if area is None:
        return None
    exact = {NATIONAL_CODE, *area, *(code[:2] for code in area)}
    q = Q(**{f"{field}__in": sorted(exact)})
    for code in sorted(area):
        q |= Q(**{f"{field}__startswith": code + "."})
    return q


def may_record_in(scope: Scope, code: str) -> bool:
    """Whether the caller may record work of region ``code`` (a branch officer: its regencies
    and below; an administrator: anywhere)."""
    if not PARTNERS.allows(scope, "regional.record"):
        return False
    if scope.role == Role.ADMIN:
        return True
    return any(code == r or code.startswith(r + ".") for r in scope.regency_codes)


def instruments_visible(
    scope: Scope, *, region: str = "", kind: str = "", status: str = ""
) -> QuerySet[RegionalInstrument]:
    """Instruments in scope; ``region`` keeps that region and what is below it (and, for a
    region, the national instruments that apply there too)."""
    PARTNERS.require(scope, "regional.view")
    rows = RegionalInstrument.objects.select_related("agreement", "event")
    limit = region_q(scope)
    if limit is not None:
        rows = rows.filter(limit)
    if region and region != NATIONAL_CODE:
        rows = rows.filter(
            Q(region_code=region)
            | Q(region_code__startswith=region + ".")
            | Q(region_code__in=[NATIONAL_CODE, region[:2]])
        )
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("region_code", "kind", "title")


def commitments_visible(
    scope: Scope, *, region: str = "", status: str = ""
) -> QuerySet[Commitment]:
    PARTNERS.require(scope, "regional.view")
    rows = Commitment.objects.select_related("event", "agreement", "instrument")
    limit = region_q(scope)
    if limit is not None:
        rows = rows.filter(limit)
    if region and region != NATIONAL_CODE:
        rows = rows.filter(Q(region_code=region) | Q(region_code__startswith=region + "."))
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("status", "due_on", "id")


def instrument_get(scope: Scope, pk: int) -> RegionalInstrument:
    instrument = instruments_visible(scope).filter(pk=pk).first()
    if instrument is None:
        raise InstrumentNotFound(id=pk)
    return instrument


def commitment_get(scope: Scope, pk: int) -> Commitment:
    commitment = commitments_visible(scope).filter(pk=pk).first()
    if commitment is None:
        raise CommitmentNotFound(id=pk)
    return commitment


def open_commitments_count(scope: Scope) -> int:
    return commitments_visible(scope, status=CommitmentStatus.OPEN).count()


def region_names(codes: set[str]) -> dict[str, str]:
    """Names of region codes in the current edition (``00``: the nation)."""
    names = dict(
        Region.objects.filter(edition__is_current=True, code__in=sorted(codes)).values_list(
            "code", "name"
        )
    )
    names[NATIONAL_CODE] = "Indonesia"
    return names
