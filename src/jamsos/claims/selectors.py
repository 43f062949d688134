"""Reading claims for a caller, scoped (docs/claims.md): the worker's own, the officer's queue
with its timers, one claim with its trace and history, the report per program and month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction, Role
from jamsos.access.scope import Scope
from jamsos.claims.errors import ClaimNotFound
from jamsos.claims.models import BenefitPayment, Claim, ClaimStatus
from jamsos.claims.policy import CLAIMS
from jamsos.claims.rules import Timer
from jamsos.core.masking import mask_nik

OPEN_STATES = (ClaimStatus.SUBMITTED, ClaimStatus.VERIFIED)


def visible_filter(by: Scope) -> Q:
    """The claims a scope sees."""
    role = by.role
    if role == Role.ADMIN:
        return Q()
    if role == Role.BRANCH_OFFICER and by.branch_office_id is not None:
        return Q(branch_office_id=by.branch_office_id)
    if role == Role.EMPLOYER_USER and by.employer_id is not None:
        return Q(employer_id=by.employer_id)
    if role == Role.WORKER and by.person_id is not None:
        own = Q(person_id=by.person_id)
        return own | Q(filed_by_user_id=by.user_id) if by.user_id else own
    return Q(pk__in=[])


def claims_visible(by: Scope) -> QuerySet[Claim]:
    CLAIMS.require(by, "claim.view")
    return Claim.objects.filter(visible_filter(by))


def claim_get(by: Scope, pk: int | str, *, audit: bool = True) -> Claim:
    """One claim within the scope (else "not found"); a full view is audited."""
    query = claims_visible(by).select_related("person", "membership", "employer")
    claim = query.filter(pk=pk).first() if str(pk).isdigit() else None
    if claim is None:
        claim = query.filter(number=str(pk)).first()
    if claim is None:
        raise ClaimNotFound()
    if audit:
        audit_record(
            by, AuditAction.VIEW_FULL, claim, label=f"{claim.number} {mask_nik(claim.person.nik)}"
        )
    return claim


def timer_of(claim: Claim, now: datetime | None = None) -> Timer:
    now = now or timezone.now()
    end = claim.decided_at or now
    left = claim.due_at - end
    return Timer(
        due_at=claim.due_at,
        overdue=left.total_seconds() < 0,
        hours_left=int(left.total_seconds() // 3600),
    )


@dataclass(frozen=True)
class QueueFilter:
    status: str = ""
    program: str = ""
    overdue: bool = False
    text: str = ""


def claim_queue(by: Scope, filters: QueueFilter, *, now: datetime | None = None) -> QuerySet[Claim]:
    """The officer's queue: open claims (or the status asked), the soonest due first."""
    CLAIMS.require(by, "claim.decide")
    rows = claims_visible(by).select_related("person")
    if filters.status:
        rows = rows.filter(status=filters.status)
    else:
        rows = rows.filter(status__in=OPEN_STATES)
    if filters.program:
        rows = rows.filter(program=filters.program)
    if filters.overdue:
        rows = rows.filter(due_at__lt=now or timezone.now(), decided_at__isnull=True)
    if filters.text:
        rows = rows.filter(
            Q(number__iexact=filters.text.strip()) | Q(person__nik=filters.text.strip())
        )
    return rows.order_by("due_at", "id")


def my_claims(by: Scope) -> QuerySet[Claim]:
    """ "Klaim saya": the worker's own claims and those they filed as an heir."""
    return claims_visible(by).order_by("-submitted_at", "-id")


@dataclass(frozen=True)
class ReportRow:
    program: str
    month: str
    claims: int
    paid_claims: int
    paid_idr: int


def claims_report(by: Scope, *, year: int | None = None) -> list[ReportRow]:
    """Claims submitted and money paid per program and month (lump sums and payroll)."""
    CLAIMS.require(by, "report.view")
    claims = Claim.objects.all()
    payments = BenefitPayment.objects.all()
    if by.role == Role.BRANCH_OFFICER:
        claims = claims.filter(branch_office_id=by.branch_office_id)
        payments = payments.filter(claim__branch_office_id=by.branch_office_id)
    if year:
        claims = claims.filter(submitted_at__year=year)
        payments = payments.filter(paid_on__year=year)
    table: dict[tuple[str, str], list[int]] = {}
    for row in claims.values("program", "submitted_at__year", "submitted_at__month").annotate(
        n=Count("id"), paid=Count("id", filter=Q(status=ClaimStatus.PAID))
    ):
        key = (row["program"], f"{row['submitted_at__year']:04d}-{row['submitted_at__month']:02d}")
        table.setdefault(key, [0, 0, 0])[:2] = [row["n"], row["paid"]]
    for row in payments.values("program", "paid_on__year", "paid_on__month").annotate(
        s=Coalesce(Sum("amount_idr"), 0)
    ):
        key = (row["program"], f"{row['paid_on__year']:04d}-{row['paid_on__month']:02d}")
        table.setdefault(key, [0, 0, 0])[2] = row["s"]
    return [
        ReportRow(program, month, *values)
        for (program, month), values in sorted(table.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]


def paid_between(by: Scope, first: date, last: date) -> int:
    CLAIMS.require(by, "report.view")
    return int(
        BenefitPayment.objects.filter(paid_on__range=(first, last)).aggregate(
            s=Coalesce(Sum("amount_idr"), 0)
        )["s"]
    )
