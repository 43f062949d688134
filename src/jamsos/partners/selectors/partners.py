"""Scoped reads of partners, agreements, ecosystems and events (docs/partners/agreements.md).

Who sees what:

- administrator and analyst: every partner, agreement, ecosystem and event (an analyst sees
  organisations and aggregates, never the contacts' names or numbers, nor enrolled people);
- branch officer: the records of their office (``branch_office``) or placed in one of their
  regencies;
- partner user: their own partner (``Partner.code == scope.partner_ref``), the agreements it is
  a party to, the events it took part in and the ecosystems linked to it;
- employer users, workers and users without a role: nothing (403).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.partners.errors import DaysOutOfRange
from jamsos.partners.models import (
    Agreement,
    AgreementStatus,
    EcosystemSite,
    OutreachEvent,
    Partner,
)
from jamsos.partners.policy import PARTNERS

#: The reminder list shows agreements ending within this many days (a practice choice).
ENDING_SOON_DAYS = 90
#: The furthest look-ahead of "ending soon": ten years (a look further ahead is a slip, and
#: a date far enough ahead does not exist).
ENDING_SOON_DAYS_MAX = 3_660


def require_reader(scope: Scope) -> None:
    PARTNERS.require(scope, "partners.view")


def require_writer(scope: Scope) -> None:
    PARTNERS.require(scope, "partners.record")


def sees_contacts(scope: Scope) -> bool:
    return PARTNERS.allows(scope, "partners.contacts")


def _in_regencies(field: str, scope: Scope) -> Q:
    return Q(**{f"{field}__regency_code__in": sorted(scope.regency_codes)})


def partners_visible(scope: Scope) -> QuerySet[Partner]:
    require_reader(scope)
    query = Partner.objects.all()
    if scope.role in {Role.ADMIN, Role.ANALYST}:
        return query
    if scope.role == Role.BRANCH_OFFICER:
        return query.filter(
            Q(branch_office_id=scope.branch_office_id)
            | _in_regencies("region", scope)
            | Q(agreements__branch_office_id=scope.branch_office_id)
        ).distinct()
    return query.filter(code=scope.partner_ref)


def partner_get(scope: Scope, code: str) -> Partner:
    """The partner with that code, or :class:`PartnerNotFound` (also outside the scope)."""
    from jamsos.partners.errors import PartnerNotFound

    partner = (
        partners_visible(scope)
        .select_related("region", "branch_office", "association")
        .filter(code=(code or "").strip().lower())
        .first()
    )
    if partner is None:
        raise PartnerNotFound(code=code)
    return partner


def effective_status_expr(today: date) -> Case:
    """The agreement's status as of ``today``, in SQL: a signed or active agreement is
    *active* from ``starts_on``, *expired* after ``ends_on``, whether or not the daily job ran."""
    running = [AgreementStatus.SIGNED, AgreementStatus.ACTIVE]
    return Case(
        When(status__in=running, ends_on__lt=today, then=Value(AgreementStatus.EXPIRED.value)),
        When(status__in=running, starts_on__lte=today, then=Value(AgreementStatus.ACTIVE.value)),
        When(status__in=running, then=Value(AgreementStatus.SIGNED.value)),
        default=F("status"),
        output_field=CharField(),
    )


def agreement_effective_status(agreement: Agreement, today: date) -> str:
    """Python twin of :func:`effective_status_expr` for one agreement."""
    if agreement.status in {AgreementStatus.SIGNED, AgreementStatus.ACTIVE}:
        if agreement.ends_on < today:
            return AgreementStatus.EXPIRED.value
        if agreement.starts_on <= today:
            return AgreementStatus.ACTIVE.value
        return AgreementStatus.SIGNED.value
    return str(agreement.status)


def agreements_visible(scope: Scope, *, today: date | None = None) -> QuerySet[Agreement]:
    """Agreements in scope, annotated with ``effective_status`` as of ``today``."""
    require_reader(scope)
    query = Agreement.objects.select_related("partner", "branch_office")
    if today is not None:
        query = query.annotate(effective_status=effective_status_expr(today))
    if scope.role in {Role.ADMIN, Role.ANALYST}:
        return query
    if scope.role == Role.BRANCH_OFFICER:
        return query.filter(
            Q(branch_office_id=scope.branch_office_id) | _in_regencies("partner__region", scope)
        )
    co = Agreement.other_partners.through.objects.filter(
        agreement_id=OuterRef("pk"), partner__code=scope.partner_ref
    )
    return query.filter(Q(partner__code=scope.partner_ref) | Exists(co))


def agreement_get(scope: Scope, pk: int | str, *, today: date | None = None) -> Agreement:
    from jamsos.partners.errors import AgreementNotFound

    agreement = None
    if str(pk).isdigit():
        agreement = agreements_visible(scope, today=today).filter(pk=int(pk)).first()
    if agreement is None:
        agreement = agreements_visible(scope, today=today).filter(number=str(pk).strip()).first()
    if agreement is None:
        raise AgreementNotFound(number=str(pk))
    return agreement


class _Effective(TypedDict):
    effective_status: Any  # an AgreementStatus value; Any lets the plugin take its lookups


def agreements_ending_soon(
    scope: Scope, *, today: date, days: int = ENDING_SOON_DAYS, office_code: str = ""
) -> list[dict[str, Any]]:
    """Signed or active agreements whose ``ends_on`` falls within ``days`` from ``today``
    (inclusive), soonest first, with the days left; a branch officer sees their office's.

    ``days`` runs from 0 to :data:`ENDING_SOON_DAYS_MAX` (``partners.days_out_of_range``)."""
    if not 0 <= days <= ENDING_SOON_DAYS_MAX:
        raise DaysOutOfRange(value=days, minimum=0, maximum=ENDING_SOON_DAYS_MAX)
    # Annotated with ``effective_status`` since ``today`` is given (see agreements_visible).
    annotated = cast(
        "QuerySet[WithAnnotations[Agreement, _Effective]]", agreements_visible(scope, today=today)
    )
    query = annotated.filter(
        effective_status__in=[AgreementStatus.SIGNED, AgreementStatus.ACTIVE],
        ends_on__gte=today,
        ends_on__lte=today + timedelta(days=days),
    ).order_by("ends_on", "number")
    if office_code:
        query = query.filter(branch_office__code=office_code.strip().upper())
    return [
        {
            "agreement": a,
            "id": a.pk,
            "number": a.number,
            "title": a.title,
            "partner_code": a.partner.code,
            "partner_name": a.partner.name,
            "office": a.branch_office.code,
            "status": a.effective_status,
            "ends_on": a.ends_on,
            "days_left": (a.ends_on - today).days,
            "renewed": hasattr(a, "renewal"),
        }
        for a in query.select_related("renewal")
    ]


def ecosystems_visible(scope: Scope) -> QuerySet[EcosystemSite]:
    require_reader(scope)
    query = EcosystemSite.objects.select_related("region")
    if scope.role in {Role.ADMIN, Role.ANALYST}:
        return query
    if scope.role == Role.BRANCH_OFFICER:
        return query.filter(_in_regencies("region", scope))
    return query.filter(partners__code=scope.partner_ref).distinct()


def ecosystem_list(scope: Scope, *, region_code: str = "", kind: str = "") -> list[EcosystemSite]:
    """Ecosystems in scope, those in ``region_code`` or below it when given."""
    query = ecosystems_visible(scope)
    code = (region_code or "").strip()
    if code:
        query = query.filter(Q(region__code=code) | Q(region__code__startswith=code + "."))
    if kind:
        query = query.filter(kind=kind)
    return list(query.prefetch_related("partners").order_by("region__code", "name"))


def events_visible(scope: Scope) -> QuerySet[OutreachEvent]:
    require_reader(scope)
    query = OutreachEvent.objects.select_related("region", "branch_office", "agreement")
    if scope.role in {Role.ADMIN, Role.ANALYST}:
        return query
    if scope.role == Role.BRANCH_OFFICER:
        return query.filter(
            Q(branch_office_id=scope.branch_office_id) | _in_regencies("region", scope)
        )
    return query.filter(partners__code=scope.partner_ref).distinct()


def event_get(scope: Scope, pk: int) -> OutreachEvent:
    from jamsos.partners.errors import EventNotFound

    event = events_visible(scope).filter(pk=pk).first()
    if event is None:
        raise EventNotFound(event=pk)
    return event
