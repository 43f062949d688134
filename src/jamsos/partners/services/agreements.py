"""Cooperation agreements (PKS): create, sign, activate, renew, terminate, expire; targets
(docs/partners/agreements.md).

Lifecycle: ``draft -> signed -> active -> expired``; a running agreement may be ``renewed`` (a
new agreement whose ``renewed_from`` points to it) or ``terminated``. The stored status is
brought up to date by the daily ``jamsos partners agreements expire``; pages and checks read
the *effective* status (:func:`~jamsos.partners.selectors.partners.agreement_effective_status`)
so they are right even on a day the job did not run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal, overload

from django.db import transaction
from django.db.models import Q

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.core.clock import today_in_jakarta
from jamsos.legal.periods import Period
from jamsos.membership.models import BranchOffice, Ecosystem, SegmentChoice
from jamsos.partners.errors import (
    AgreementNotFound,  # noqa: F401 (public here too)
    CoreError,
)
from jamsos.partners.models import Agreement, AgreementStatus, AgreementTarget, Partner
from jamsos.partners.selectors.partners import agreement_effective_status
from jamsos.partners.services.partners import (
    FieldRequired,
    office_of,
    region_of,
    require_office_scope,
    require_text,
)
from jamsos.registry.models import Region

RUNNING = frozenset({AgreementStatus.SIGNED.value, AgreementStatus.ACTIVE.value})

#: The largest count of people a partner figure may hold (a target, sponsored workers, an
#: event's attendance): 200 million, more than Indonesia's whole workforce. A larger figure is
#: a slip; the bound also keeps every count inside the database's integer columns.
COUNT_MAX = 200_000_000
#: The largest agreement budget: Rp 1.000.000.000.000.000, the calculator's largest amount
#: (jamsos.legal.inputs.MAX_AMOUNT_IDR); sums of budgets stay inside a 64-bit integer.
BUDGET_MAX_IDR = 1_000_000_000_000_000

# ---------------------------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------------------------


class DuplicateNumber(CoreError):
    code = "partners.duplicate_number"
    default_field = "number"
    http_status = 409
    text = {
        "id": "Nomor PKS {value} sudah tercatat.",
        "en": "Agreement number {value} is already recorded.",
    }


class DatesOrder(CoreError):
    code = "partners.dates_order"
    default_field = "ends_on"
    text = {
        "id": "{label} ({ends_on}) tidak boleh sebelum tanggal mulai ({starts_on}).",
        "en": "{label} ({ends_on}) must not be before the start date ({starts_on}).",
    }


class BadValues(CoreError):
    code = "partners.bad_values"
    text = {
        "id": "{label}: nilai tidak dikenal {values}; pilih dari {choices}.",
        "en": "{label}: unknown values {values}; choose from {choices}.",
    }


class NotPositive(CoreError):
    code = "partners.not_positive"
    text = {
        "id": "{label} harus bilangan bulat lebih dari nol, bukan '{value}'.",
        "en": "{label} must be a whole number above zero, not '{value}'.",
    }


class TooLarge(CoreError):
    code = "partners.too_large"
    text = {
        "id": "{label} paling besar {maximum} (diberikan {value}).",
        "en": "{label} must be at most {maximum} (got {value}).",
    }


class BadTransition(CoreError):
    code = "partners.bad_transition"
    default_field = "status"
    http_status = 409
    text = {
        "id": "PKS {number} berstatus {status}; tidak dapat {action}.",
        "en": "Agreement {number} is {status}; it cannot be {action_en}.",
    }


class AgreementExpired(CoreError):
    code = "partners.agreement_expired"
    default_field = "agreement"
    http_status = 409
    text = {
        "id": "PKS {number} sudah berakhir pada {ends_on} (status {status}); tidak dapat "
        "dipakai lagi. Perpanjang PKS atau pilih yang masih berlaku.",
        "en": "Agreement {number} ended on {ends_on} (status {status}); it can no longer be "
        "used. Renew it or choose one in force.",
    }


class AgreementNotInForce(CoreError):
    code = "partners.agreement_not_in_force"
    default_field = "agreement"
    http_status = 409
    text = {
        "id": "PKS {number} tidak berlaku pada {on} (berlaku {starts_on} s.d. {ends_on}, "
        "status {status}).",
        "en": "Agreement {number} is not in force on {on} (in force {starts_on} to {ends_on}, "
        "status {status}).",
    }


class BadPeriod(CoreError):
    code = "partners.bad_period"
    text = {
        "id": "{label} '{value}' tidak sah: tulis sebagai TTTT-BB, misalnya 2025-03.",
        "en": "{label} '{value}' is not valid: write it as YYYY-MM, e.g. 2025-03.",
    }


class TargetOutsideAgreement(CoreError):
    code = "partners.target_outside_agreement"
    default_field = "period"
    text = {
        "id": "Periode target {period_from} s.d. {period_to} harus di dalam masa PKS "
        "({first} s.d. {last}) dan periode awal tidak boleh setelah periode akhir.",
        "en": "The target's months {period_from} to {period_to} must lie within the agreement "
        "({first} to {last}), the first not after the last.",
    }


class SegmentOutsideAgreement(CoreError):
    code = "partners.segment_outside_agreement"
    default_field = "segment"
    text = {
        "id": "Segmen {value} tidak termasuk cakupan PKS ({segments}).",
        "en": "Segment {value} is not in the agreement's scope ({segments}).",
    }


class RenewalDates(CoreError):
    code = "partners.renewal_dates"
    default_field = "starts_on"
    text = {
        "id": "Perpanjangan harus mulai setelah PKS lama mulai ({value}).",
        "en": "A renewal must start after the old agreement starts ({value}).",
    }


_ACTIONS = {
    "sign": ("ditandatangani", "signed"),
    "activate": ("diberlakukan", "activated"),
    "renew": ("diperpanjang", "renewed"),
    "terminate": ("diputus", "terminated"),
    "target": ("diberi target baru", "given a new target"),
}


def _refuse(agreement: Agreement, action: str, status: str) -> BadTransition:
    idn, en = _ACTIONS[action]
    return BadTransition(number=agreement.number, status=status, action=idn, action_en=en)


# ---------------------------------------------------------------------------------------------
# Checks other areas use
# ---------------------------------------------------------------------------------------------


def agreement_require_in_force(agreement: Agreement, *, on: date | None = None) -> None:
    """Refuse (409, with the reason) unless the agreement is signed and ``on`` lies within
    its dates: an expired, renewed or terminated agreement is named as such."""
    on = on or today_in_jakarta()
    status = agreement_effective_status(agreement, on)
    ended = status in {AgreementStatus.EXPIRED, AgreementStatus.TERMINATED} or (
        status == AgreementStatus.RENEWED and on > agreement.ends_on
    )
    if ended:
        raise AgreementExpired(number=agreement.number, ends_on=agreement.ends_on, status=status)
    if status == AgreementStatus.DRAFT or not agreement.starts_on <= on <= agreement.ends_on:
        raise AgreementNotInForce(
            number=agreement.number,
            on=on,
            starts_on=agreement.starts_on,
            ends_on=agreement.ends_on,
            status=status,
        )


def _csv_of(values: Iterable[str] | str, choices: Iterable[str], *, field: str) -> str:
    items = values.split(",") if isinstance(values, str) else list(values)
    clean = [str(v).strip() for v in items if str(v).strip()]
    allowed = list(choices)
    wrong = [v for v in clean if v not in allowed]
    if wrong:
        raise BadValues(field=field, values=", ".join(wrong), choices=", ".join(allowed))
    return ",".join(v for v in allowed if v in clean)


@overload
def _positive(
    value: Any, *, field: str, allow_none: Literal[False], maximum: int = COUNT_MAX
) -> int: ...
@overload
def _positive(
    value: Any, *, field: str, allow_none: bool = True, maximum: int = COUNT_MAX
) -> int | None: ...
def _positive(
    value: Any, *, field: str, allow_none: bool = True, maximum: int = COUNT_MAX
) -> int | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise FieldRequired(field=field)
    try:
        number = int(str(value).replace(".", "").replace(",", "").strip())
    except ValueError:
        raise NotPositive(field=field, value=value) from None
    if number <= 0:
        raise NotPositive(field=field, value=value)
    if number > maximum:
        raise TooLarge(field=field, value=number, maximum=maximum)
    return number


def _date(value: Any, *, field: str) -> date:
    if isinstance(value, date):
        return value
    if value is None or value == "":
        raise FieldRequired(field=field)
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise BadPeriod(field=field, value=value) from None


def _partner(value: Partner | str, *, field: str = "partner") -> Partner:
    if isinstance(value, Partner):
        return value
    from jamsos.partners.errors import PartnerNotFound

    found = Partner.objects.filter(code=str(value or "").strip().lower()).first()
    if found is None:
        raise PartnerNotFound(field=field, code=value)
    return found


# ---------------------------------------------------------------------------------------------
# Lifecycle
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    scope: Scope,
    number: str,
    title: str,
    partner: Partner | str,
    starts_on: date | str,
    ends_on: date | str,
    branch_office: BranchOffice | str | None = None,
    other_partners: Iterable[Partner | str] = (),
    regions: Iterable[Region | str] = (),
    segments: Iterable[str] | str = "",
    ecosystems: Iterable[str] | str = "",
    budget_idr: int | str | None = None,
    sponsored_workers: int | str | None = None,
    reporting_duty: str = "",
    document_ref: str = "",
    renewed_from: Agreement | None = None,
) -> Agreement:
    """Record a draft agreement with its scope and commitments. Empty ``regions`` means the
    partner's region; empty ``segments``/``ecosystems`` mean all."""
    office = office_of(scope, branch_office)
    number = require_text(number, field="number", max_length=80)
    title = require_text(title, field="title")
    main = _partner(partner)
    start = _date(starts_on, field="starts_on")
    end = _date(ends_on, field="ends_on")
    if end < start:
        raise DatesOrder(starts_on=start, ends_on=end)
    others = [_partner(p) for p in other_partners if p]
    region_rows = [r for r in (region_of(r) for r in regions if r) if r is not None]
    segment_text = _csv_of(
        segments.upper() if isinstance(segments, str) else [str(s).upper() for s in segments],
        SegmentChoice.values,
        field="segment",
    )
    ecosystem_text = _csv_of(
        ecosystems, [e for e in Ecosystem.values if e != Ecosystem.NONE], field="ecosystem"
    )
    budget = _positive(budget_idr, field="budget", maximum=BUDGET_MAX_IDR)
    sponsored = _positive(sponsored_workers, field="sponsored_workers")
    if Agreement.objects.filter(number=number).exists():
        raise DuplicateNumber(value=number)
    agreement = Agreement.objects.create(
        number=number,
        title=title,
        partner=main,
        branch_office=office,
        starts_on=start,
        ends_on=end,
        segments=segment_text,
        ecosystems=ecosystem_text,
        budget_idr=budget,
        sponsored_workers=sponsored,
        reporting_duty=str(reporting_duty or "").strip(),
        document_ref=str(document_ref or "").strip()[:200],
        renewed_from=renewed_from,
        created_by_id=scope.user_id,
    )
    agreement.other_partners.set([p for p in others if p.pk != main.pk])
    agreement.regions.set(region_rows)
    audit_record(
        scope,
        AuditAction.CREATE,
        agreement,
        detail={
            "partner": main.code,
            "starts_on": start.isoformat(),
            "ends_on": end.isoformat(),
            "regions": [r.code for r in region_rows],
            "renewed_from": renewed_from.number if renewed_from else None,
        },
    )
    return agreement


def _locked(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().select_related("partner").get(pk=agreement.pk)


def _set_status(scope: Scope, agreement: Agreement, status: str, **extra: Any) -> Agreement:
    before = agreement.status
    agreement.status = status
    fields = ["status"]
    for name, value in extra.items():
        setattr(agreement, name, value)
        fields.append(name)
    agreement.save(update_fields=fields)
    audit_record(
        scope,
        AuditAction.UPDATE,
        agreement,
        changes={"status": [before, status]},
        detail={k: str(v) for k, v in extra.items()},
    )
    return agreement


@transaction.atomic
def agreement_sign(
    *, scope: Scope, agreement: Agreement, signed_on: date | str, today: date | None = None
) -> Agreement:
    """A draft becomes signed on ``signed_on`` (and at once active when its start has come)."""
    require_office_scope(scope, agreement.branch_office_id)
    today = today or today_in_jakarta()
    agreement = _locked(agreement)
    if agreement.status != AgreementStatus.DRAFT:
        raise _refuse(agreement, "sign", agreement.status)
    signed = _date(signed_on, field="signed_on")
    if signed > today:
        raise FieldRequired(field="signed_on")
    status = agreement_effective_status(
        Agreement(
            status=AgreementStatus.SIGNED, starts_on=agreement.starts_on, ends_on=agreement.ends_on
        ),
        today,
    )
    if status == AgreementStatus.EXPIRED:
        raise AgreementExpired(
            number=agreement.number, ends_on=agreement.ends_on, status=AgreementStatus.DRAFT
        )
    return _set_status(scope, agreement, status, signed_on=signed)


@transaction.atomic
def agreement_activate(
    *, scope: Scope, agreement: Agreement, today: date | None = None
) -> Agreement:
    """A signed agreement whose start date has come becomes active."""
    require_office_scope(scope, agreement.branch_office_id)
    today = today or today_in_jakarta()
    agreement = _locked(agreement)
    effective = agreement_effective_status(agreement, today)
    if agreement.status == AgreementStatus.ACTIVE and effective == AgreementStatus.ACTIVE:
        return agreement
    if effective == AgreementStatus.EXPIRED:
        raise AgreementExpired(number=agreement.number, ends_on=agreement.ends_on, status=effective)
    if effective != AgreementStatus.ACTIVE:
        raise _refuse(agreement, "activate", effective)
    return _set_status(scope, agreement, AgreementStatus.ACTIVE)


@transaction.atomic
def agreement_renew(
    *,
    scope: Scope,
    agreement: Agreement,
    number: str,
    ends_on: date | str,
    starts_on: date | str | None = None,
    title: str = "",
    budget_idr: int | str | None = None,
    sponsored_workers: int | str | None = None,
    signed_on: date | str | None = None,
    today: date | None = None,
) -> Agreement:
    """A new agreement continuing this one (same parties, office and scope; new number and
    dates, from the day after the old one ends unless ``starts_on`` says otherwise); the old
    one becomes ``renewed``. Given ``signed_on``, the renewal is signed at once."""
    require_office_scope(scope, agreement.branch_office_id)
    today = today or today_in_jakarta()
    old = _locked(agreement)
    effective = agreement_effective_status(old, today)
    if old.status not in RUNNING and old.status != AgreementStatus.EXPIRED:
        raise _refuse(old, "renew", effective)
    if hasattr(old, "renewal"):
        raise _refuse(old, "renew", AgreementStatus.RENEWED)
    start = _date(starts_on, field="starts_on") if starts_on else old.ends_on + timedelta(days=1)
    if start <= old.starts_on:
        raise RenewalDates(value=old.starts_on)
    new = agreement_create(
        scope=scope,
        number=number,
        title=title or old.title,
        partner=old.partner,
        starts_on=start,
        ends_on=ends_on,
        branch_office=old.branch_office,
        other_partners=list(old.other_partners.all()),
        regions=list(old.regions.all()),
        segments=old.segments,
        ecosystems=old.ecosystems,
        budget_idr=budget_idr,
        sponsored_workers=sponsored_workers,
        reporting_duty=old.reporting_duty,
        renewed_from=old,
    )
    _set_status(scope, old, AgreementStatus.RENEWED)
    if signed_on:
        new = agreement_sign(scope=scope, agreement=new, signed_on=signed_on, today=today)
    return new


@transaction.atomic
def agreement_terminate(
    *,
    scope: Scope,
    agreement: Agreement,
    on: date | str | None = None,
    reason: str = "",
    today: date | None = None,
) -> Agreement:
    """End an agreement early: status ``terminated``; its end date becomes the termination
    day when that is earlier (so nothing after it is attributed to the agreement)."""
    require_office_scope(scope, agreement.branch_office_id)
    today = today or today_in_jakarta()
    agreement = _locked(agreement)
    if agreement.status in {AgreementStatus.TERMINATED, AgreementStatus.RENEWED} or (
        agreement_effective_status(agreement, today) == AgreementStatus.EXPIRED
    ):
        raise _refuse(agreement, "terminate", agreement_effective_status(agreement, today))
    day = _date(on, field="ends_on") if on else today
    extra: dict[str, Any] = {}
    if agreement.starts_on <= day < agreement.ends_on:
        extra["ends_on"] = day
    elif day < agreement.starts_on:
        extra["ends_on"] = agreement.starts_on
    result = _set_status(scope, agreement, AgreementStatus.TERMINATED, **extra)
    if reason:
        audit_record(scope, AuditAction.END, result, detail={"reason": reason[:500]})
    return result


@dataclass(frozen=True)
class ExpireResult:
    activated: int
    expired: int


@transaction.atomic
def agreements_expire(*, scope: Scope, today: date | None = None) -> ExpireResult:
    """The daily job: signed agreements whose start has come become active, and signed or
    active ones past ``ends_on`` become expired. Two updates, whatever the number; re-runnable."""
    today = today or today_in_jakarta()
    expiring = Agreement.objects.filter(status__in=list(RUNNING), ends_on__lt=today).values_list(
        "number", flat=True
    )
    expired_numbers = list(expiring)
    expired = Agreement.objects.filter(status__in=list(RUNNING), ends_on__lt=today).update(
        status=AgreementStatus.EXPIRED
    )
    activated = Agreement.objects.filter(
        Q(status=AgreementStatus.SIGNED), starts_on__lte=today, ends_on__gte=today
    ).update(status=AgreementStatus.ACTIVE)
    if expired or activated:
        audit_record(
            scope,
            AuditAction.UPDATE,
            target_type="partners.agreement",
            label="agreements expire",
            detail={
                "today": today.isoformat(),
                "expired": expired,
                "activated": activated,
                "expired_numbers": expired_numbers[:200],
            },
        )
    return ExpireResult(activated=activated, expired=expired)


# ---------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------


def _period(value: Any, *, field: str) -> Period:
    if value is None or str(value).strip() == "":
        raise FieldRequired(field=field)
    try:
        return Period.parse(str(value))
    except ValueError:
        raise BadPeriod(field=field, value=value) from None


@transaction.atomic
def agreement_target_add(
    *,
    scope: Scope,
    agreement: Agreement,
    period_from: str,
    period_to: str,
    enrolments: int | str,
    active: int | str | None = None,
    segment: str = "",
    today: date | None = None,
) -> AgreementTarget:
    """A commitment: ``enrolments`` new members (and optionally ``active`` paying ones)
    between two months inside the agreement. Refused on an agreement that has ended."""
    require_office_scope(scope, agreement.branch_office_id)
    today = today or today_in_jakarta()
    agreement = _locked(agreement)
    status = agreement_effective_status(agreement, today)
    if status in {AgreementStatus.EXPIRED, AgreementStatus.RENEWED, AgreementStatus.TERMINATED}:
        raise AgreementExpired(number=agreement.number, ends_on=agreement.ends_on, status=status)
    first = _period(period_from, field="period_from")
    last = _period(period_to, field="period_to")
    count = _positive(enrolments, field="enrolments", allow_none=False)
    active_count = _positive(active, field="active")
    lo = Period(agreement.starts_on.year, agreement.starts_on.month)
    hi = Period(agreement.ends_on.year, agreement.ends_on.month)
    if first > last or first < lo or last > hi:
        raise TargetOutsideAgreement(
            period_from=str(first), period_to=str(last), first=str(lo), last=str(hi)
        )
    segment = str(segment or "").strip().upper()
    if segment:
        _csv_of(segment, SegmentChoice.values, field="segment")
        allowed = agreement.segments.split(",") if agreement.segments else SegmentChoice.values
        if segment not in allowed:
            raise SegmentOutsideAgreement(value=segment, segments=agreement.segments)
    target = AgreementTarget.objects.create(
        agreement=agreement,
        period_from=str(first),
        period_to=str(last),
        segment=segment,
        enrolments=count,
        active=active_count,
    )
    audit_record(
        scope,
        AuditAction.CREATE,
        target,
        detail={"agreement": agreement.number, "enrolments": count, "active": active_count},
    )
    return target
