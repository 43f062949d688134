"""The monthly payroll of recurring benefits, set-based (docs/claims.md "Payroll").

One run per month (a :class:`PayrollRun` job, locked by month), in one transaction:

1. **stop**: a child's benefit ends on their 23rd birthday (``age_limit_on``); deaths and
   remarriages are recorded as they are reported (:func:`benefit_end`);
2. **index**: in the first run of a year, each pension not yet indexed for it is multiplied by
   the year's indexation factor and kept within the year's published minimum and maximum
   (PP 45/2015 Ps. 17-18), one ``UPDATE``;
3. **pay**: one ``INSERT … SELECT`` writes a payment for every benefit in force on the
   month's first day (a scholarship in July, the school year's start), never one twice (a
   unique constraint per benefit and month);
4. **ledger**: one balanced entry for the month, a debit per program against cash
   (:func:`jamsos.billing.services.benefits.benefit_post`).

No query per benefit: 1,000,000 pensions are a handful of statements (bench/claims_payroll.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.billing.services.benefits import benefit_post
from jamsos.claims.errors import BadPeriod, BadTransition, ClaimNotFound, PayrollDone
from jamsos.claims.models import (
    Benefit,
    BenefitKind,
    BenefitPayment,
    Claim,
    EndReason,
    PayrollRun,
)
from jamsos.claims.policy import CLAIMS
from jamsos.claims.selectors import claim_get
from jamsos.claims.services.workflow import ACTIONS
from jamsos.core import bulkwrite
from jamsos.core.clock import today_in_jakarta
from jamsos.jobs.models import Job, JobStatus
from jamsos.jobs.services import ProgressCallback, Tracker, job_failed, job_finished, job_start
from jamsos.legal import parameters

#: Millionths: an indexation factor of 1.0511 is 1_051_100 ppm.
PPM = 1_000_000
#: Scholarships are paid once a school year, in its first month.
SCHOOL_YEAR_MONTH = 7


@dataclass(frozen=True)
class Indexation:
    """A year's pension indexation: the factor (ppm) and the published limits (PP 45/2015)."""

    year: int
    factor_ppm: int
    minimum_idr: int
    maximum_idr: int


#: The JP limits of a benefit year are published from March (benefits.jp.benefit_limits).
INDEXATION_MONTH = 3
LIMITS_PARAMETER = "benefits.jp.benefit_limits"


def indexation_for(year: int) -> Indexation | None:
    """The year's indexation from the published limits (PP 45/2015 Ps. 17-18): the factor is
    the ratio of this year's published minimum to last year's, both indexed by the same prior-
    year inflation; the limits bound the result. None when either minimum is not published."""
    found = parameters().find(LIMITS_PARAMETER, date(year, INDEXATION_MONTH, 1))
    before = parameters().find(LIMITS_PARAMETER, date(year - 1, INDEXATION_MONTH, 1))
    if found is None or before is None or found.since.year != year:
        return None
    minimum, previous = found.value["minimum"], before.value["minimum"]
    if not minimum or not previous:
        return None
    factor = (minimum * PPM + previous // 2) // previous
    maximum = found.value["maximum"] or 10**12
    return Indexation(year=year, factor_ppm=factor, minimum_idr=minimum, maximum_idr=maximum)


def period_parse(period: str) -> date:
    text = (period or "").strip()
    try:
        year, month = (int(p) for p in text.split("-"))
        if len(text) != 7:
            raise ValueError(text)
        return date(year, month, 1)
    except ValueError:
        raise BadPeriod(value=period) from None


def _stop(first: date) -> int:
    table = Benefit._meta.db_table
    return bulkwrite.execute(
        f"UPDATE {table} SET ends_on = age_limit_on, end_reason = %s "
        "WHERE ends_on IS NULL AND age_limit_on IS NOT NULL AND age_limit_on <= %s",
        [EndReason.AGE_23.value, first],
    )


def _index(index: Indexation) -> int:
    table = Benefit._meta.db_table
    raised = f"(amount_idr * {int(index.factor_ppm)} + {PPM // 2}) / {PPM}"
    return bulkwrite.execute(
        f"""UPDATE {table} SET indexed_year = %s, amount_idr = CASE
                WHEN {raised} < %s THEN %s WHEN {raised} > %s THEN %s ELSE {raised} END
             WHERE kind = %s AND ends_on IS NULL AND indexed_year < %s""",
        [
            index.year,
            index.minimum_idr,
            index.minimum_idr,
            index.maximum_idr,
            index.maximum_idr,
            BenefitKind.PENSION.value,
            index.year,
        ],
    )


def _pay(run: PayrollRun, first: date, paid_on: date) -> int:
    benefits, payments = Benefit._meta.db_table, BenefitPayment._meta.db_table
    kinds = [BenefitKind.PENSION.value, BenefitKind.STMB.value]
    if first.month == SCHOOL_YEAR_MONTH:
        kinds.append(BenefitKind.SCHOLARSHIP.value)
    marks = ", ".join(["%s"] * len(kinds))
    return bulkwrite.execute(
        f"""INSERT INTO {payments}
                (claim_id, benefit_id, run_id, program, period, amount_idr, paid_on,
                 bank_code, account_number)
            SELECT b.claim_id, b.id, %s, b.program, %s, b.amount_idr, %s,
                   b.bank_code, b.account_number
              FROM {benefits} b
             WHERE b.kind IN ({marks}) AND b.starts_on <= %s
               AND (b.ends_on IS NULL OR b.ends_on > %s) AND b.amount_idr > 0
               AND NOT EXISTS (SELECT 1 FROM {payments} p
                                WHERE p.benefit_id = b.id AND p.period = %s)""",
        [run.pk, run.period, paid_on, *kinds, first, first, run.period],
    )


def payroll_run(
    period: str,
    *,
    by: Scope | None = None,
    paid_on: date | None = None,
    indexation: Indexation | None = None,
    progress: ProgressCallback | None = None,
    queued: PayrollRun | None = None,
) -> PayrollRun:
    """Pay ``period``'s recurring benefits; refuses a month already paid."""
    CLAIMS.require(by, "payroll.run")
    first = period_parse(period)
    period = f"{first:%Y-%m}"
    if PayrollRun.objects.filter(period=period, status=JobStatus.FINISHED).exists():
        raise PayrollDone(period=period)
    paid_on = paid_on or today_in_jakarta()
    if indexation is None and first.month == INDEXATION_MONTH:
        indexation = indexation_for(first.year)
    run = job_start(queued or PayrollRun(period=period, started_by=(by.actor_name if by else "")))
    tracker = Tracker(run, progress)
    try:
        with transaction.atomic():
            tracker.stage("stop")
            stopped = _stop(first)
            indexed = 0
            if indexation is not None and indexation.year == first.year:
                tracker.stage("index")
                indexed = _index(indexation)
            tracker.stage("pay")
            paid = _pay(run, first, paid_on)
            tracker.stage("ledger")
            totals = {
                row["program"]: int(row["s"])
                for row in BenefitPayment.objects.filter(run=run)
                .values("program")
                .annotate(s=Sum("amount_idr"))
            }
            if totals:
                benefit_post(totals, paid_on, memo=f"payroll {period}")
            counts = {"paid": paid, "stopped": stopped, "indexed": indexed}
            timings = tracker.finish()
            job_finished(
                run,
                result={"period": period, "paid": paid, "amount_idr": sum(totals.values())},
                done=paid,
                total=paid,
                counts=counts,
                totals={**totals, "timings": timings},
            )
            audit_record(
                by,
                AuditAction.CREATE,
                run,
                label=f"payroll {period}",
                detail={"paid": paid, "amount_idr": sum(totals.values())},
            )
    except BaseException as exc:
        tracker.close()
        job_failed(run, exc)
        raise
    tracker.close()
    run.refresh_from_db()
    return run


def payroll_run_queued(job: Job) -> PayrollRun:
    run = PayrollRun.objects.get(pk=job.pk)
    return payroll_run(run.period, queued=run)


def payroll_enqueue(period: str, *, by: Scope) -> PayrollRun:
    """Queue the month's payroll for the task worker."""
    from jamsos.jobs.tasks import job_enqueue

    CLAIMS.require(by, "payroll.run")
    first = period_parse(period)
    run = PayrollRun(
        period=f"{first:%Y-%m}",
        status=JobStatus.QUEUED,
        started_by=by.actor_name,
        created_at=timezone.now(),
    )
    run.save()
    return job_enqueue(run)


@transaction.atomic
def benefit_end(by: Scope | None, benefit_id: int, *, reason: str, on: date) -> Benefit:
    """End a recurring benefit from ``on``: the beneficiary died, remarried, recovered (STMB),
    a child left school. The rows that follow it for the same beneficiary (STMB at 50 % after
    100 %, a scholarship's later school levels) end with it; a month whose first day falls
    before ``on`` is still paid."""
    CLAIMS.require(by, "claim.decide")
    benefit = Benefit.objects.select_for_update().filter(pk=benefit_id).first()
    if benefit is None:
        raise ClaimNotFound()
    ended = benefit.ends_on is not None and (
        benefit.ends_on <= on or benefit.end_reason != EndReason.COMPLETED
    )
    if ended or reason not in EndReason.values or reason == EndReason.COMPLETED:
        raise BadTransition(status={"id": "berakhir", "en": "ended"}, action=ACTIONS["pay"])
    following = Benefit.objects.filter(
        claim_id=benefit.claim_id,
        kind=benefit.kind,
        beneficiary_name=benefit.beneficiary_name,
        starts_on__gte=benefit.starts_on,
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
    # Rows not begun by then never pay (ends_on = starts_on); the one under way ends on ``on``.
    following.filter(starts_on__gte=on).update(ends_on=F("starts_on"), end_reason=reason)
    following.filter(starts_on__lt=on).update(ends_on=on, end_reason=reason)
    benefit.refresh_from_db()
    audit_record(
        by,
        AuditAction.END,
        benefit.claim,
        label=benefit.claim.number,
        detail={"benefit": benefit.pk, "reason": reason, "on": on.isoformat()},
    )
    return benefit


def stmb_end(by: Scope | None, number: int | str, *, on: date) -> Benefit:
    """The officer records the end of a worker's incapacity: the claim's STMB stops from ``on``
    (the month under way is paid; none after)."""
    CLAIMS.require(by, "claim.decide")
    claim = claim_get(by, number) if by is not None else Claim.objects.filter(number=number).first()
    if claim is None:
        raise ClaimNotFound()
    first = (
        Benefit.objects.filter(claim=claim, kind=BenefitKind.STMB)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .order_by("starts_on", "id")
        .first()
    )
    if first is None:
        raise BadTransition(status={"id": "berakhir", "en": "ended"}, action=ACTIONS["pay"])
    return benefit_end(by, first.pk, reason=EndReason.RECOVERED, on=on)
