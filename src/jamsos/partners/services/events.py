"""Outreach events: audiences, socialisations, focus groups, talk shows, visits (safari) and
sharing sessions, and what each yielded (docs/partners/events.md). The attribution job itself
is :func:`jamsos.partners.services.attribution.events_attribute`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Sum, Value, When

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.billing.models import InvoiceLine
from jamsos.core.clock import today_in_jakarta
from jamsos.membership.models import BranchOffice
from jamsos.partners.errors import (
    AgreementNotFound,
    CoreError,
    EventNotFound,  # noqa: F401 (public here too)
)
from jamsos.partners.models import (
    Agreement,
    EcosystemSite,
    EventEnrolment,
    EventKind,
    OutreachEvent,
    Partner,
)
from jamsos.partners.services.agreements import (
    COUNT_MAX,
    NotPositive,
    TooLarge,
    _date,
    _partner,
    agreement_require_in_force,
)
from jamsos.partners.services.ecosystems import EcosystemNotFound, require_region_in_scope
from jamsos.partners.services.partners import (
    FieldRequired,
    office_of,
    region_of,
    require_choice_of,
    require_text,
)


class EventInFuture(CoreError):
    code = "partners.event_in_future"
    default_field = "held_on"
    text = {
        "id": "{label} {value} belum lewat; catat acara setelah berlangsung.",
        "en": "{label} {value} has not passed yet; record an event once it has taken place.",
    }


class AgreementNotOfPartners(CoreError):
    code = "partners.agreement_not_of_partners"
    default_field = "agreement"
    text = {
        "id": "PKS {number} bukan milik mitra acara ini ({partners}).",
        "en": "Agreement {number} is not one of this event's partners' ({partners}).",
    }


def _count(value: Any, *, field: str) -> int:
    if value is None or value == "":
        return 0
    try:
        number = int(str(value).replace(".", "").strip())
    except ValueError:
        raise NotPositive(field=field, value=value) from None
    if number < 0:
        raise NotPositive(field=field, value=value)
    if number > COUNT_MAX:
        raise TooLarge(field=field, value=number, maximum=COUNT_MAX)
    return number


@transaction.atomic
def event_record(
    *,
    scope: Scope,
    kind: str,
    title: str,
    held_on: date | str,
    region: Any,
    branch_office: BranchOffice | str | None = None,
    partners: Iterable[Partner | str] = (),
    agreement: Agreement | str | None = None,
    ecosystem: EcosystemSite | str | None = None,
    attendance: int | str | None = 0,
    registrations_on_site: int | str | None = 0,
    note: str = "",
    today: date | None = None,
) -> OutreachEvent:
    """Record an event that took place. An agreement named here must be in force on the
    event day and belong to one of the event's partners (its partner is added when none is
    given); an expired, renewed-and-ended or terminated agreement is refused with the reason."""
    today = today or today_in_jakarta()
    office = office_of(scope, branch_office)
    kind = require_choice_of(kind, EventKind.values, field="kind")
    title = require_text(title, field="title")
    day = _date(held_on, field="held_on")
    if day > today:
        raise EventInFuture(value=day)
    region_row = region_of(region)
    if region_row is None:
        raise FieldRequired(field="region")
    require_region_in_scope(scope, region_row)
    partner_rows = [_partner(p) for p in partners if p]
    agreement_row: Agreement | None = None
    if agreement:
        if isinstance(agreement, Agreement):
            agreement_row = agreement
        else:
            agreement_row = Agreement.objects.filter(number=str(agreement).strip()).first()
            if agreement_row is None:
                raise AgreementNotFound(number=str(agreement))
        agreement_require_in_force(agreement_row, on=day)
        parties = {
            agreement_row.partner_id,
            *agreement_row.other_partners.values_list("pk", flat=True),
        }
        if not partner_rows:
            partner_rows = [agreement_row.partner]
        elif not parties & {p.pk for p in partner_rows}:
            raise AgreementNotOfPartners(
                number=agreement_row.number, partners=", ".join(p.code for p in partner_rows)
            )
    site: EcosystemSite | None = None
    if ecosystem:
        site = (
            ecosystem
            if isinstance(ecosystem, EcosystemSite)
            else (EcosystemSite.objects.filter(code=str(ecosystem).strip().lower()).first())
        )
        if site is None:
            raise EcosystemNotFound(value=str(ecosystem))
    event = OutreachEvent.objects.create(
        kind=kind,
        title=title,
        held_on=day,
        region=region_row,
        branch_office=office,
        agreement=agreement_row,
        ecosystem=site,
        attendance=_count(attendance, field="attendance"),
        registrations_on_site=_count(registrations_on_site, field="registrations_on_site"),
        note=str(note or "").strip(),
        created_by_id=scope.user_id,
    )
    event.partners.set(partner_rows)
    audit_record(
        scope,
        AuditAction.CREATE,
        event,
        detail={
            "kind": kind,
            "region": region_row.code,
            "partners": [p.code for p in partner_rows],
            "agreement": agreement_row.number if agreement_row else None,
        },
    )
    return event


@dataclass(frozen=True)
class EventYield:
    attributed: int
    on_site: int
    after_event: int
    paid: int  # attributed memberships with at least one paid month


def events_yield(event_ids: Iterable[int]) -> dict[int, EventYield]:
    """``{event_id: EventYield}`` in one grouped query; events without enrolments are absent."""
    paid_line = InvoiceLine.objects.filter(
        membership_id=OuterRef("membership_id"), paid_on__isnull=False
    )
    one = Value(1)
    rows = (
        EventEnrolment.objects.filter(event_id__in=list(event_ids))
        .values("event_id")
        .annotate(
            n=Count("id"),
            on_site=Sum(
                Case(When(rule="on_site", then=one), default=0, output_field=IntegerField())
            ),
            paid=Sum(
                Case(When(Exists(paid_line), then=one), default=0, output_field=IntegerField())
            ),
        )
    )
    return {
        r["event_id"]: EventYield(
            attributed=r["n"],
            on_site=r["on_site"] or 0,
            after_event=r["n"] - (r["on_site"] or 0),
            paid=r["paid"] or 0,
        )
        for r in rows
    }
