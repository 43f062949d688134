"""Approving a checked batch (maker-checker) and enrolling its valid rows in one transaction.

The steps, each a function: :func:`_lock_and_check` (the checker, the batch pending, its
agreement and sponsor the partner's own, the agreement in force, the term not over),
:func:`_valid_rows` (re-matched with people registered since the check), :func:`_collect`
(rows that became members meanwhile are ``existing``; every other row becomes one
registration), :func:`_register` (the one call that registers them), :func:`_record` (each
row's outcome), :func:`_sponsor` (the sponsorship of a BPU list), :func:`_close` (the batch's
counts and decision) and :func:`_audit`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.core.errors import ApplicationError
from jamsos.legal.params import parameters
from jamsos.legal.types import Segment
from jamsos.membership.errors import MembershipError
from jamsos.membership.models import Employer, Person
from jamsos.membership.services import PersonData
from jamsos.partners.models import (
    SELF_PAYING_KINDS,
    BatchKind,
    BatchStatus,
    EnrolmentBatch,
    EnrolmentRow,
    RowStatus,
)
from jamsos.partners.services import _enrol_bulk
from jamsos.partners.services.agreements import agreement_require_in_force
from jamsos.partners.services.enrolment import _clock
from jamsos.partners.services.enrolment.checker import lock, require_checker, require_pending
from jamsos.partners.services.enrolment.checks import program_list
from jamsos.partners.services.enrolment.columns import (
    ECOSYSTEM_OF_KIND,
    reason,
    reason_text,
    reasons_text,
)
from jamsos.partners.services.enrolment.errors import NothingToEnrol, TermOver
from jamsos.partners.services.enrolment.match import existing_key, open_memberships
from jamsos.partners.services.enrolment.own import require_own_batch
from jamsos.registry.models import Region

#: An approval undone by a concurrent registration of one of its NIKs is tried again this often.
APPROVE_ATTEMPTS = 3
_REACTIVATED = frozenset({"matching.reactivation_ended", "matching.reactivation_unpaid"})


@dataclass(frozen=True)
class ApproveResult:
    batch: EnrolmentBatch
    enrolled: int
    existing: int
    refused: int
    sponsorship_id: int | None
    seconds: float


def batch_approve(
    *,
    scope: Scope,
    batch_id: int,
    note: str = "",
    today: date | None = None,
    now: datetime | None = None,
) -> ApproveResult:
    """Approve a checked batch and enrol its valid rows, all in one transaction."""
    from jamsos.partners.selectors.enrolment import batch_get

    batch_get(scope, batch_id)  # 404 outside the scope
    for attempt in range(1, APPROVE_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return _approve(scope, batch_id, note=note, today=today, now=now)
        except ApplicationError:  # a refusal (the batch stays pending), not a failure
            raise
        except (IntegrityError, OperationalError):
            # A NIK of the list was registered by someone else between the re-check and the
            # insert (or two writers deadlocked): nothing was written; try again, and the
            # re-check uses the person now on file.
            if attempt < APPROVE_ATTEMPTS:
                continue
            _approve_failed(batch_id)
            raise
        except Exception:
            _approve_failed(batch_id)
            raise
    raise AssertionError("unreachable")


def _approve_failed(batch_id: int) -> None:
    EnrolmentBatch.objects.filter(pk=batch_id, status=BatchStatus.VALIDATED).update(
        status=BatchStatus.FAILED,
        decision_note="The enrolment stopped on an unexpected error; nothing was written.",
    )


def income_minimum(on: date) -> int:
    """The lowest BPU income tier on ``on``: the declared income of a row without one."""
    value = parameters().get("bpu.income_tiers", on=on).value
    return int(dict(value)["minimum"])


@dataclass
class _Plan:
    """The rows to register, their registrations, and the rows found ``existing``."""

    writing: list[tuple[EnrolmentRow, list[dict[str, Any]], list[dict[str, Any]]]] = field(
        default_factory=list
    )
    items: list[_enrol_bulk.Item] = field(default_factory=list)
    existing: int = 0


def _approve(
    scope: Scope, pk: int, *, note: str, today: date | None, now: datetime | None
) -> ApproveResult:
    started = time.perf_counter()
    now = now or timezone.now()
    today = today or _clock.today(now)
    batch = _lock_and_check(scope, pk, today=today)
    rows = _valid_rows(batch)
    start_bpu = max(batch.term_from or today, today)
    plan = _collect(batch, rows, today=today, start_bpu=start_bpu)
    results = _register(batch, plan.items, by=scope, today=today, now=now, start_bpu=start_bpu)
    enrolled, refused = _record(plan, results)
    sponsorship_id = None
    if enrolled and batch.kind in SELF_PAYING_KINDS:
        _first_invoices(enrolled, today=today)
    elif enrolled and batch.kind != BatchKind.ASSOCIATION_WORKERS:
        sponsorship_id = _sponsor(batch, enrolled, start_bpu)
    _enrol_bulk.rows_update(EnrolmentRow, rows)
    seconds = _close(batch, scope, note=note, now=now, started=started)
    result = ApproveResult(batch, len(enrolled), plan.existing, refused, sponsorship_id, seconds)
    _audit(scope, result)
    return result


def _lock_and_check(scope: Scope, pk: int, *, today: date) -> EnrolmentBatch:
    """The batch locked; its checker, pending, under an agreement in force, its term not over."""
    batch = lock(pk)
    require_checker(scope, batch)
    require_pending(batch)
    require_own_batch(batch)
    if batch.agreement is not None:
        agreement_require_in_force(batch.agreement, on=today)
    if (
        batch.term_until is not None
        and batch.kind != BatchKind.ASSOCIATION_WORKERS
        and batch.term_until < today
    ):
        raise TermOver(term_until=batch.term_until, on=today)
    return batch


def _valid_rows(batch: EnrolmentBatch) -> list[EnrolmentRow]:
    """The valid rows, each with the person now on file for its NIK (people registered since
    the check are taken, not registered twice)."""
    rows = list(
        EnrolmentRow.objects.filter(batch=batch, status=RowStatus.VALID).order_by("row_number")
    )
    if not rows:
        raise NothingToEnrol(id=batch.pk)
    by_nik = dict(Person.objects.filter(nik__in=[r.nik for r in rows]).values_list("nik", "pk"))
    for row in rows:
        if row.person_id is None and row.nik in by_nik:
            row.person_id = by_nik[row.nik]
    return rows


@dataclass
class _Lookups:
    """What the registrations of the rows refer to, read once."""

    open_: dict[tuple[int, int | None], str]
    villages: dict[int, Region]
    employers: dict[int, Employer]
    people: dict[int, Person]
    income_min: int


def _lookups(batch: EnrolmentBatch, rows: list[EnrolmentRow], start_bpu: date) -> _Lookups:
    person_ids = [r.person_id for r in rows if r.person_id]
    village_ids = {int(r.data["_village_id"]) for r in rows if r.data.get("_village_id")}
    employer_ids = {int(r.data["_employer_id"]) for r in rows if r.data.get("_employer_id")}
    return _Lookups(
        open_=open_memberships(batch, person_ids),
        villages={
            v.pk: v for v in Region.objects.filter(pk__in=village_ids).select_related("edition")
        },
        employers={
            e.pk: e
            for e in Employer.objects.select_related("branch_office").filter(pk__in=employer_ids)
        },
        people={
            p.pk: p for p in Person.objects.select_related("domicile").filter(pk__in=person_ids)
        },
        income_min=income_minimum(start_bpu),
    )


def _collect(
    batch: EnrolmentBatch, rows: list[EnrolmentRow], *, today: date, start_bpu: date
) -> _Plan:
    """Rows whose person became a member meanwhile are ``existing``; every other row becomes
    one registration."""
    found = _lookups(batch, rows, start_bpu)
    plan = _Plan()
    for row in rows:
        kpj = (
            found.open_.get(existing_key(batch, row.person_id, row.data)) if row.person_id else None
        )
        reasons = list(row.data.get("_reasons") or [])
        notes = list(row.data.get("_notes") or [])
        if kpj is not None:
            row.status = RowStatus.EXISTING
            notes.append(reason("enrolment.active_meanwhile", "nik", kpj=kpj))
            row.data = {**row.data, "_notes": notes}
            row.reason = reasons_text(notes[-1:], "id")[:300]
            plan.existing += 1
            continue
        plan.writing.append((row, reasons, notes))
        plan.items.append(_item(batch, row, found, today=today))
    return plan


def _item(
    batch: EnrolmentBatch, row: EnrolmentRow, found: _Lookups, *, today: date
) -> _enrol_bulk.Item:
    """The registration of one row: the person on file or a new one, then a PU membership with
    the employer, or a BPU membership with the declared income (the lowest tier when none)."""
    item = _enrol_bulk.Item()
    data = row.data
    if row.person_id:
        item.person = found.people[row.person_id]
    else:
        item.data = PersonData(
            nik=row.nik,
            name=row.name,
            birth_date=date.fromisoformat(data["_birth_date"]),
            sex=data["_sex"],
            domicile=found.villages[int(data["_village_id"])],
            phone=data.get("_phone") or None,
        )
    if batch.kind == BatchKind.ASSOCIATION_WORKERS:
        item.employer = found.employers[int(data["_employer_id"])]
        item.wage_idr = int(data["_wage_idr"])
        item.start_date = (
            date.fromisoformat(data["_start_date"]) if data.get("_start_date") else today
        )
        item.programs = program_list(str(data.get("_programs") or ""))
    else:
        item.declared_income_idr = int(data.get("_income_idr") or found.income_min)
    return item


def _register(
    batch: EnrolmentBatch,
    items: list[_enrol_bulk.Item],
    *,
    by: Scope,
    today: date,
    now: datetime,
    start_bpu: date,
) -> list[_enrol_bulk.Enrolled | MembershipError]:
    """Register every item at once: PU with the employers of an association list; BPU JKK+JKM
    for an election list (ending after its term) or a sponsored one."""
    bpu = None
    segment = Segment.PU
    if batch.kind != BatchKind.ASSOCIATION_WORKERS:
        segment = Segment.BPU
        bpu = _enrol_bulk.BpuTerms(
            ecosystem=ECOSYSTEM_OF_KIND.get(batch.kind, "none"),
            sponsor_name=batch.sponsor_name or None,
            sponsor_kind=batch.sponsor_kind or None,
            sponsor_ref=batch.sponsor_ref or None,
            partner_ref=batch.partner.code,
            start_date=start_bpu,
            term_until=batch.term_until if batch.kind == BatchKind.ELECTION_WORKERS else None,
        )
    return _enrol_bulk.enrol(
        items,
        segment=segment,
        bpu=bpu,
        partner_ref=batch.partner.code,
        by=by,
        today=today,
        now=now,
    )


def _record(
    plan: _Plan, results: list[_enrol_bulk.Enrolled | MembershipError]
) -> tuple[list[EnrolmentRow], int]:
    """Each row's outcome: ``enrolled`` with its KPJ, or ``invalid`` with the registration's
    refusal. Returns the enrolled rows and the number refused."""
    enrolled: list[EnrolmentRow] = []
    refused = 0
    for (row, reasons, notes), outcome in zip(plan.writing, results, strict=True):
        if isinstance(outcome, MembershipError):
            refused += 1
            _refused(row, reasons, outcome)
            continue
        row.status = RowStatus.ENROLLED
        row.membership_id = outcome.membership_id
        row.person_id = outcome.person_id
        reactivated = any(n.get("code") in _REACTIVATED for n in notes)
        code = "enrolment.reenrolled" if reactivated else "enrolment.enrolled"
        notes.append(reason(code, "", kpj=outcome.kpj))
        row.data = {**row.data, "_notes": notes, "_kpj": outcome.kpj}
        row.reason = reason_text(notes[-1], "id")[:300]
        enrolled.append(row)
    return enrolled, refused


def _refused(row: EnrolmentRow, reasons: list[dict[str, Any]], exc: MembershipError) -> None:
    row.status = RowStatus.INVALID
    item = reason(
        "enrolment.refused_at_enrolment",
        exc.field or "",
        message=exc.message_in("id") if hasattr(exc, "message_in") else str(exc),
        message_en=exc.message_in("en") if hasattr(exc, "message_in") else str(exc),
    )
    reasons.append(item)
    row.data = {**row.data, "_reasons": reasons}
    row.reason_code = exc.code[:40]
    row.reason = reason_text(item, "id")[:300]


def _sponsor(batch: EnrolmentBatch, enrolled: list[EnrolmentRow], start: date) -> int:
    """The sponsorship of the enrolled rows, from their start month to the term's end month:
    one invoice to the sponsor at each billing run of those months."""
    from jamsos.billing.services.sponsorships import sponsorship_create

    until = batch.term_until or start
    sponsorship = sponsorship_create(
        sponsor_ref=batch.sponsor_ref,
        sponsor_name=batch.sponsor_name,
        sponsor_kind=batch.sponsor_kind,
        reference=(batch.agreement.number if batch.agreement else f"batch {batch.pk}")[:100],
        first_period=f"{start.year:04d}-{start.month:02d}",
        last_period=f"{until.year:04d}-{until.month:02d}",
        kpjs=[r.data["_kpj"] for r in enrolled],
        by=None,
        branch_office_id=batch.branch_office_id,
    )
    return int(sponsorship.pk)


def _first_invoices(enrolled: list[EnrolmentRow], *, today: date) -> int:
    """Each self-paying worker's virtual account and first month's invoice, as a worker who
    registers themselves gets them (``BILL_BPU_AT_REGISTRATION``); a month that cannot be billed
    at once (its billing run is running, or it is past the known parameters) is left to the
    run. Returns the number of workers billed."""
    from django.conf import settings

    from jamsos.billing.services.participants import participants_bill_first
    from jamsos.membership.models import Membership

    if not getattr(settings, "BILL_BPU_AT_REGISTRATION", True):
        return 0
    memberships = Membership.objects.select_related("person").filter(
        pk__in=[r.membership_id for r in enrolled]
    )
    return participants_bill_first(list(memberships), as_of=today)


def _close(
    batch: EnrolmentBatch, scope: Scope, *, note: str, now: datetime, started: float
) -> float:
    """The batch ``enrolled``: its counts by status now, the seconds the approval took since
    ``started`` (returned), the checker and the note."""
    counts = dict(batch.counts)
    for status in RowStatus.values:
        counts[status] = EnrolmentRow.objects.filter(batch=batch, status=status).count()
    seconds = round(time.perf_counter() - started, 3)
    counts["enrol_seconds"] = seconds
    batch.counts = counts
    batch.status = BatchStatus.ENROLLED
    batch.decided_by_id = scope.user_id
    batch.decided_at = now
    batch.decision_note = (note or "").strip()
    batch.enrolled_at = now
    batch.save(
        update_fields=[
            "counts",
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "enrolled_at",
        ]
    )
    return seconds


def _audit(scope: Scope, result: ApproveResult) -> None:
    batch = result.batch
    audit_record(
        scope,
        AuditAction.IMPORT,
        batch,
        label=f"{batch.partner.code} {batch.kind} {batch.idempotency_key}"[:200],
        detail={
            "decision": "approved",
            "enrolled": result.enrolled,
            "existing": result.existing,
            "refused": result.refused,
            "sponsorship_id": result.sponsorship_id,
            "note": batch.decision_note[:200],
        },
    )
