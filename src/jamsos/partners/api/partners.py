"""Partners, agreements, ecosystems, events and scorecards over the API (mounted at
``/api/v1/partners``; docs/partners/agreements.md, docs/partners/events.md).

- ``GET /partners``, ``GET /partners/{code}`` (contacts only for roles that see personal data),
  ``GET /partners/{code}/scorecard``, ``GET /scorecards``;
- ``GET /agreements``, ``GET /agreements/ending-soon``, ``GET /agreements/{id}`` (with the
  targets' progress and the attributed enrolments by month);
- ``GET /ecosystems?region=``, ``GET /events``, ``GET /events/{id}`` (with its yield);
- ``POST /partners``, ``POST /agreements``, ``POST /agreements/{id}/sign``,
  ``POST /agreements/{id}/targets``, ``POST /events`` for administrators and branch officers.

Signed-in callers only; scoped like the pages (a record outside the scope is 404; employer
users and workers get 403). Refusals use the API's one error shape.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from jamsos.api.auth import SIGNED_IN, caller_scope
from jamsos.core.clock import today_in_jakarta
from jamsos.core.masking import mask_phone
from jamsos.partners.models import Agreement, OutreachEvent, Partner
from jamsos.partners.selectors.partners import (
    agreement_get,
    agreements_ending_soon,
    agreements_visible,
    ecosystem_list,
    event_get,
    events_visible,
    partner_get,
    partners_visible,
    sees_contacts,
)
from jamsos.partners.services.agreements import (
    agreement_create,
    agreement_sign,
    agreement_target_add,
)
from jamsos.partners.services.attribution import (
    attributed_by_month,
    attributed_counts,
    targets_progress,
)
from jamsos.partners.services.events import event_record, events_yield
from jamsos.partners.services.partners import ContactData, partner_create
from jamsos.partners.services.scorecards import scorecards

router = Router(auth=SIGNED_IN)


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


_ERR: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ContactOut(Schema):
    name: str
    position: str
    phone: str
    email: str
    is_primary: bool


class PartnerOut(Schema):
    code: str
    name: str
    kind: str
    region: str | None
    branch_office: str | None
    is_active: bool


class ScorecardOut(Schema):
    code: str
    name: str
    kind: str
    period: str | None
    enrolled: int
    active: int
    eligible_3m: int
    paid_3m: int
    paying_rate_3m: str | None
    budget_idr: int | None
    budget_enrolled: int
    cost_per_enrolment_idr: int | None


class AgreementOut(Schema):
    id: int
    number: str
    title: str
    partner: str
    other_partners: list[str]
    branch_office: str
    status: str
    signed_on: date | None
    starts_on: date
    ends_on: date
    regions: list[str]
    segments: list[str]
    ecosystems: list[str]
    budget_idr: int | None
    sponsored_workers: int | None
    renewed_from: str | None
    attributed: int


class PartnerDetailOut(PartnerOut):
    contacts: list[ContactOut]
    agreements: list[AgreementOut]
    scorecard: ScorecardOut


class TargetOut(Schema):
    id: int
    period_from: str
    period_to: str
    segment: str
    enrolments: int
    active: int | None
    enrolled_so_far: int
    active_so_far: int
    active_period: str | None


class MonthCount(Schema):
    month: str
    enrolments: int


class AgreementDetailOut(AgreementOut):
    targets: list[TargetOut]
    by_month: list[MonthCount]


class EndingOut(Schema):
    id: int
    number: str
    title: str
    partner: str
    office: str
    status: str
    ends_on: date
    days_left: int
    renewed: bool


class EcosystemOut(Schema):
    code: str
    name: str
    kind: str
    region: str
    partners: list[str]


class EventOut(Schema):
    id: int
    kind: str
    title: str
    held_on: date
    region: str
    branch_office: str
    partners: list[str]
    agreement: str | None
    ecosystem: str | None
    attendance: int
    registrations_on_site: int
    attributed: int
    on_site: int
    after_event: int
    paid: int


class ContactIn(Schema):
    name: str
    position: str = ""
    phone: str = ""
    email: str = ""
    is_primary: bool = False


class PartnerIn(Schema):
    code: str
    name: str
    kind: str
    region: str | None = None
    branch_office: str | None = None
    association: str | None = None
    note: str = ""
    contacts: list[ContactIn] = []


class AgreementIn(Schema):
    number: str
    title: str
    partner: str
    starts_on: date
    ends_on: date
    branch_office: str | None = None
    other_partners: list[str] = []
    regions: list[str] = []
    segments: list[str] = []
    ecosystems: list[str] = []
    budget_idr: int | None = None
    sponsored_workers: int | None = None
    reporting_duty: str = ""
    document_ref: str = ""


class SignIn(Schema):
    signed_on: date


class TargetIn(Schema):
    period_from: str
    period_to: str
    enrolments: int
    active: int | None = None
    segment: str = ""


class EventIn(Schema):
    kind: str
    title: str
    held_on: date
    region: str
    branch_office: str | None = None
    partners: list[str] = []
    agreement: str | None = None
    ecosystem: str | None = None
    attendance: int = 0
    registrations_on_site: int = 0
    note: str = ""


def _partner_out(p: Partner) -> PartnerOut:
    return PartnerOut(
        code=p.code,
        name=p.name,
        kind=p.kind,
        region=p.region.code if p.region else None,
        branch_office=p.branch_office.code if p.branch_office else None,
        is_active=p.is_active,
    )


def _agreement_out(a: Agreement, attributed: int) -> dict[str, Any]:
    return {
        "id": a.pk,
        "number": a.number,
        "title": a.title,
        "partner": a.partner.code,
        "other_partners": [p.code for p in a.other_partners.all()],
        "branch_office": a.branch_office.code,
        "status": getattr(a, "effective_status", a.status),
        "signed_on": a.signed_on,
        "starts_on": a.starts_on,
        "ends_on": a.ends_on,
        "regions": [r.code for r in a.regions.all()],
        "segments": [s for s in a.segments.split(",") if s],
        "ecosystems": [s for s in a.ecosystems.split(",") if s],
        "budget_idr": a.budget_idr,
        "sponsored_workers": a.sponsored_workers,
        "renewed_from": a.renewed_from.number if a.renewed_from_id else None,
        "attributed": attributed,
    }


def _event_out(e: OutreachEvent, yields: dict[int, Any]) -> EventOut:
    y = yields.get(e.pk)
    return EventOut(
        id=e.pk,
        kind=e.kind,
        title=e.title,
        held_on=e.held_on,
        region=e.region.code,
        branch_office=e.branch_office.code,
        partners=[p.code for p in e.partners.all()],
        agreement=e.agreement.number if e.agreement_id else None,
        ecosystem=e.ecosystem.code if e.ecosystem_id else None,
        attendance=e.attendance,
        registrations_on_site=e.registrations_on_site,
        attributed=y.attributed if y else 0,
        on_site=y.on_site if y else 0,
        after_event=y.after_event if y else 0,
        paid=y.paid if y else 0,
    )


@router.get("/partners", response={200: list[PartnerOut], **_ERR}, summary="Partners in scope")
def partners_list(request: HttpRequest, kind: str = "") -> Any:
    query = partners_visible(caller_scope(request)).select_related("region", "branch_office")
    if kind:
        query = query.filter(kind=kind)
    return [_partner_out(p) for p in query]


@router.get("/scorecards", response={200: list[ScorecardOut], **_ERR}, summary="Scorecards")
def scorecards_list(request: HttpRequest) -> Any:
    return [c.as_dict() for c in scorecards(list(partners_visible(caller_scope(request))))]


@router.post("/partners", response={201: PartnerOut, **_ERR}, summary="Record a partner")
def partners_create(request: HttpRequest, payload: PartnerIn) -> Any:
    partner = partner_create(
        scope=caller_scope(request),
        code=payload.code,
        name=payload.name,
        kind=payload.kind,
        region=payload.region,
        branch_office=payload.branch_office,
        association=payload.association,
        note=payload.note,
        contacts=[ContactData(**c.dict()) for c in payload.contacts],
    )
    return Status(201, _partner_out(partner))


@router.get(
    "/partners/{code}", response={200: PartnerDetailOut, **_ERR}, summary="A partner in full"
)
def partners_detail(request: HttpRequest, code: str) -> Any:
    scope = caller_scope(request)
    partner = partner_get(scope, code)
    today = today_in_jakarta()
    agreements = list(
        agreements_visible(scope, today=today)
        .filter(partner=partner)
        .prefetch_related("other_partners", "regions")
        .select_related("renewed_from")
    )
    counts = attributed_counts([a.pk for a in agreements]) if agreements else {}
    contacts = []
    if sees_contacts(scope):
        contacts = [
            ContactOut(
                name=c.name,
                position=c.position,
                phone=mask_phone(c.phone),
                email=c.email,
                is_primary=c.is_primary,
            )
            for c in partner.contacts.all()
        ]
    return {
        **_partner_out(partner).dict(),
        "contacts": contacts,
        "agreements": [_agreement_out(a, counts.get(a.pk, 0)) for a in agreements],
        "scorecard": scorecards([partner])[0].as_dict(),
    }


@router.get("/partners/{code}/scorecard", response={200: ScorecardOut, **_ERR}, summary="Scorecard")
def partners_scorecard(request: HttpRequest, code: str) -> Any:
    partner = partner_get(caller_scope(request), code)
    return scorecards([partner])[0].as_dict()


@router.get("/agreements", response={200: list[AgreementOut], **_ERR}, summary="Agreements")
def agreements_list(request: HttpRequest, partner: str = "", status: str = "") -> Any:
    query = (
        agreements_visible(caller_scope(request), today=today_in_jakarta())
        .prefetch_related("other_partners", "regions")
        .select_related("renewed_from")
    )
    if partner:
        query = query.filter(partner__code=partner)
    if status:
        query = query.filter(effective_status=status)
    agreements = list(query)
    counts = attributed_counts([a.pk for a in agreements]) if agreements else {}
    return [_agreement_out(a, counts.get(a.pk, 0)) for a in agreements]


@router.get(
    "/agreements/ending-soon",
    response={200: list[EndingOut], **_ERR},
    summary="Agreements ending within 90 days",
)
def agreements_ending(request: HttpRequest, days: int = 90, office: str = "") -> Any:
    rows = agreements_ending_soon(
        caller_scope(request), today=today_in_jakarta(), days=days, office_code=office
    )
    return [
        EndingOut(
            id=r["id"],
            number=r["number"],
            title=r["title"],
            partner=r["partner_code"],
            office=r["office"],
            status=r["status"],
            ends_on=r["ends_on"],
            days_left=r["days_left"],
            renewed=r["renewed"],
        )
        for r in rows
    ]


def _agreement_detail(agreement: Agreement) -> dict[str, Any]:
    progress = targets_progress([agreement.pk])
    by_month = attributed_by_month(agreement.pk)
    return {
        **_agreement_out(agreement, sum(n for _, n in by_month)),
        "targets": [
            TargetOut(
                id=p.target.pk,
                period_from=p.target.period_from,
                period_to=p.target.period_to,
                segment=p.target.segment,
                enrolments=p.target.enrolments,
                active=p.target.active,
                enrolled_so_far=p.enrolled,
                active_so_far=p.active,
                active_period=p.period,
            )
            for p in progress
        ],
        "by_month": [MonthCount(month=m, enrolments=n) for m, n in by_month],
    }


@router.get(
    "/agreements/{agreement_id}",
    response={200: AgreementDetailOut, **_ERR},
    summary="An agreement with its targets' progress",
)
def agreements_detail(request: HttpRequest, agreement_id: int) -> Any:
    agreement = agreement_get(caller_scope(request), agreement_id, today=today_in_jakarta())
    return _agreement_detail(agreement)


@router.post("/agreements", response={201: AgreementDetailOut, **_ERR}, summary="New agreement")
def agreements_create(request: HttpRequest, payload: AgreementIn) -> Any:
    agreement = agreement_create(scope=caller_scope(request), **payload.dict())
    return Status(201, _agreement_detail(agreement))


@router.post(
    "/agreements/{agreement_id}/sign",
    response={200: AgreementDetailOut, **_ERR},
    summary="Sign a draft agreement",
)
def agreements_sign(request: HttpRequest, agreement_id: int, payload: SignIn) -> Any:
    scope = caller_scope(request)
    agreement = agreement_get(scope, agreement_id)
    agreement = agreement_sign(scope=scope, agreement=agreement, signed_on=payload.signed_on)
    return _agreement_detail(agreement)


@router.post(
    "/agreements/{agreement_id}/targets",
    response={201: AgreementDetailOut, **_ERR},
    summary="Add a target to an agreement",
)
def agreements_target(request: HttpRequest, agreement_id: int, payload: TargetIn) -> Any:
    scope = caller_scope(request)
    agreement = agreement_get(scope, agreement_id)
    agreement_target_add(scope=scope, agreement=agreement, **payload.dict())
    return Status(201, _agreement_detail(agreement))


@router.get("/ecosystems", response={200: list[EcosystemOut], **_ERR}, summary="Ecosystems")
def ecosystems_list(request: HttpRequest, region: str = "", kind: str = "") -> Any:
    return [
        EcosystemOut(
            code=s.code,
            name=s.name,
            kind=s.kind,
            region=s.region.code,
            partners=[p.code for p in s.partners.all()],
        )
        for s in ecosystem_list(caller_scope(request), region_code=region, kind=kind)
    ]


@router.get("/events", response={200: list[EventOut], **_ERR}, summary="Outreach events")
def events_list(request: HttpRequest) -> Any:
    events = list(
        events_visible(caller_scope(request))
        .select_related("ecosystem")
        .prefetch_related("partners")
    )
    yields = events_yield([e.pk for e in events])
    return [_event_out(e, yields) for e in events]


@router.get("/events/{event_id}", response={200: EventOut, **_ERR}, summary="An event")
def events_detail(request: HttpRequest, event_id: int) -> Any:
    event = event_get(caller_scope(request), event_id)
    return _event_out(event, events_yield([event.pk]))


@router.post("/events", response={201: EventOut, **_ERR}, summary="Record an outreach event")
def events_create(request: HttpRequest, payload: EventIn) -> Any:
    event = event_record(scope=caller_scope(request), **payload.dict())
    return Status(201, _event_out(event, {}))
