"""A BPU participant paying for themselves: their virtual account and invoices at once.

The monthly run (:mod:`jamsos.billing.services.run`) bills every membership of a month; a
self-employed worker who registers today, or who wants to pay several months ahead, should not
wait for it. :func:`participant_bill` issues, for one BPU membership paid by the participant:

- the participant's payer and virtual account
  (:func:`~jamsos.billing.services.payers.payers_ensure`, the run's own writer of payers, so
  the account is the one the run would give);
- a regular invoice for each month asked that is not billed yet, computed by the legal engine's
  bulk path exactly as the run computes it (one line, its contribution items, the receivable in
  the ledger), due on the law's BPU due date of the month (:func:`jamsos.legal.due_date`).

The months asked run from the first month not paid yet (the start month, or the month after the
last paid one) for 1 to ``bpu.advance_months`` months (bpu/advance_months.yaml), and never past
the last month the legal parameters cover. An invoice issued here is an ordinary invoice: a
payment on the virtual account (API, command line, bank statement) is allocated to it oldest
first and marks the month paid; the run of the month keeps it once paid, and replaces it, like
any unpaid draft of the month, with the same amounts when it is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from django.db import transaction

from jamsos.access.scope import Scope
from jamsos.billing import lines as slot_lines
from jamsos.billing.errors import (
    AdvanceMonthsOutOfRange,
    AdvancePastParameters,
    NotSelfPaying,
    RunInProgress,
)
from jamsos.billing.models import (
    Account,
    Invoice,
    InvoiceItem,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    ItemKind,
    JournalKind,
    Payer,
    PayerKind,
    Sponsorship,
    lock_key_of,
)
from jamsos.billing.policy import BILLING
from jamsos.billing.services.ledger import entry_post
from jamsos.billing.services.payers import PARTY_SCHEMA, payers_ensure
from jamsos.core.bulkwrite import reserve_ids
from jamsos.core.clock import today_in_jakarta
from jamsos.jobs.models import Job, JobStatus
from jamsos.jobs.services import job_is_stale
from jamsos.legal import Segment, due_date
from jamsos.legal.advance import advance_months_max, advance_months_offered, advance_periods
from jamsos.legal.bulk import base_column, contributions_and_rejects
from jamsos.legal.contribution import last_period
from jamsos.legal.params import parameters
from jamsos.legal.periods import Period
from jamsos.legal.slots import parameters_reference
from jamsos.membership.errors import MembershipNotFound
from jamsos.membership.models import Membership
from jamsos.membership.selectors import memberships_visible

__all__ = ["ParticipantBill", "first_unpaid_period", "participant_bill", "self_paying"]


@dataclass(frozen=True)
class ParticipantBill:
    """What the participant is asked to pay now."""

    payer: Payer
    #: The months this request covers, in order ("YYYY-MM").
    periods: list[str]
    #: Every open invoice of the payer due up to the last month asked, oldest first.
    invoices: list[Invoice]
    #: What a payment of the whole request is: the outstanding sum of ``invoices``.
    amount_idr: int
    #: Invoices written by this call (0 when every month asked was billed already).
    issued: int


def self_paying(membership: Membership) -> bool:
    """A BPU membership whose contributions the participant pays: no sponsor named on it and
    no sponsorship listing it."""
    if membership.segment != Segment.BPU.value or (membership.sponsor_ref or ""):
        return False
    return not Sponsorship.objects.filter(memberships=membership).exists()


def first_unpaid_period(membership: Membership) -> Period:
    """The first month to pay: the month after the last paid one, or the start month."""
    start = Period(membership.start_date.year, membership.start_date.month)
    last_paid = (
        InvoiceLine.objects.filter(membership=membership, paid_on__isnull=False)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if last_paid is None:
        return start
    return max(start, Period.from_index(Period.parse(last_paid).index + 1))


def _refuse_if_running(periods: list[Period]) -> None:
    for period in periods:
        holder = Job.objects.filter(
            lock_key=lock_key_of(str(period)), status=JobStatus.RUNNING
        ).first()
        if holder is not None and not job_is_stale(holder):
            started = holder.started_at or holder.created_at
            raise RunInProgress(
                period=str(period),
                started=started.strftime("%Y-%m-%d %H:%M"),
                pid=holder.pid,
                host=holder.host,
            )


def participant_bill(
    membership: Membership,
    *,
    months: int = 1,
    as_of: date | None = None,
    by: Scope | None = None,
) -> ParticipantBill:
    """Issue the participant's virtual account and the invoices of ``months`` months from the
        first unpaid one (those not billed yet); returns what to pay.

        Refuses :class:`NotSelfPaying` (not BPU, or paid by a sponsor),
        :class:`AdvanceMonthsOutOfRange` (outside 1 .. ``bpu.advance_months``),
        :class:`AdvancePastParameters` (months past the parameters known) and
        :class:`RunInProgress` (a billing run of one of the months is running). Nothing is written
        when it refuses. ``by`` is who asks (BILLING ``participant.bill``, the membership within
    their scope); ``None`` is the system (self-registration issues the first month).
    """
    BILLING.require(by, "participant.bill")
    if by is not None and not memberships_visible(by).filter(pk=membership.pk).exists():
        raise MembershipNotFound(field="kpj")
    if not self_paying(membership):
        raise NotSelfPaying(kpj=membership.kpj)
    as_of = as_of or today_in_jakarta()
    params = parameters()
    first = first_unpaid_period(membership)
    limit = advance_months_max(first, params)
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= limit:
        raise AdvanceMonthsOutOfRange(value=months, max=limit)
    offered = advance_months_offered(first, params)
    if months > offered:
        raise AdvancePastParameters(offered=offered, last=str(last_period(params)))
    periods = advance_periods(first, months)
    _refuse_if_running(periods)
    with transaction.atomic():
        payer = _payer_of(membership)
        billed = set(
            InvoiceLine.objects.filter(
                membership=membership, period__in=[str(p) for p in periods]
            ).values_list("period", flat=True)
        )
        issued = 0
        for period in periods:
            if str(period) not in billed:
                _issue(payer, membership, period, as_of)
                issued += 1
        payer.refresh_from_db()
        if issued and payer.credit_idr > 0:
            from jamsos.billing.services.payments import credits_apply

            credits_apply([payer.pk], on=as_of)
        last_due = due_date(Segment.BPU, periods[-1], params)
        invoices = list(
            Invoice.objects.filter(payer=payer, due_date__lte=last_due)
            .exclude(status=InvoiceStatus.PAID)
            .order_by("due_date", "period", "id")
        )
    return ParticipantBill(
        payer=payer,
        periods=[str(p) for p in periods],
        invoices=invoices,
        amount_idr=sum(i.outstanding_idr for i in invoices),
        issued=issued,
    )


def _payer_of(membership: Membership) -> Payer:
    """The participant's payer, created as the run creates payers; locked for this call."""
    party = pl.DataFrame(
        {
            "payer_kind": [PayerKind.PARTICIPANT.value],
            "party_id": [membership.person_id],
            "sponsor_ref": [None],
            "sponsor_name": [None],
            "sponsor_kind": [None],
            "office_id": [membership.branch_office_id],
        },
        schema=PARTY_SCHEMA,
    )
    joined, _created = payers_ensure(party)
    payer_id = int(joined["payer_id"][0])
    return Payer.objects.select_for_update().get(pk=payer_id)


def _line(membership: Membership, period: Period) -> dict[str, int]:
    """The month's line of the membership, by the run's own computation (bulk path)."""
    programs = membership.programs or ""
    frame = pl.DataFrame(
        {
            "membership_id": [membership.pk],
            "segment": ["BPU"],
            "income_idr": [membership.declared_income_idr],
            "optional_programs": [1 if "JHT" in programs.split(",") else 0],
            "period": [period.index],
        },
        schema={
            "membership_id": pl.Int64(),
            "segment": pl.String(),
            "income_idr": pl.Int64(),
            "optional_programs": pl.Int64(),
            "period": pl.Int64(),
        },
    )
    bases = slot_lines.CAPPED_BASES
    valid, rejects = pl.collect_all(list(contributions_and_rejects(frame, bases=bases)))
    if rejects.height or not valid.height:
        reason = rejects.row(0, named=True) if rejects.height else {}
        raise RuntimeError(f"BPU line of {membership.kpj} for {period} refused: {reason}")
    row = valid.row(0, named=True)
    line = {
        column: int(sum(int(row[s] or 0) for s in slots))
        for column, slots in slot_lines.line_columns().items()
    }
    line["total_idr"] = sum(line[c] for c in slot_lines.billed_columns())
    capped = [row.get(base_column(kind)) for kind in bases]
    line["capped_base_idr"] = next((int(v) for v in capped if v is not None), 0)
    return line


def _issue(payer: Payer, membership: Membership, period: Period, as_of: date) -> Invoice:
    line = _line(membership, period)
    due = due_date(Segment.BPU, period)
    regular_exists = Invoice.objects.filter(
        payer=payer, period=str(period), kind=InvoiceKind.REGULAR
    ).exists()
    (invoice_id,) = reserve_ids(Invoice, 1)
    total = line["total_idr"]
    invoice = Invoice.objects.create(
        id=invoice_id,
        number=f"{period.year:04d}{period.month:02d}{invoice_id:010d}",
        payer=payer,
        period=str(period),
        kind=InvoiceKind.CORRECTION if regular_exists else InvoiceKind.REGULAR,
        run=None,
        issued_on=as_of,
        due_date=due,
        contribution_idr=total,
        penalty_idr=0,
        total_idr=total,
        participants=1,
    )
    InvoiceItem.objects.bulk_create(
        [
            InvoiceItem(
                invoice=invoice,
                kind=ItemKind.CONTRIBUTION,
                segment=Segment.BPU.value,
                program=program,
                rank=rank,
                due_date=due,
                amount_idr=amount,
            )
            for program, rank, columns in slot_lines.items()
            if (amount := sum(line[c] for c in columns)) > 0
        ]
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        membership=membership,
        person_id_copy=membership.person_id,
        period=str(period),
        segment=Segment.BPU.value,
        base_idr=membership.declared_income_idr or 0,
        parameters_ref=parameters_reference(period.legal_date),
        **{c: line[c] for c in slot_lines.line_columns()},
        total_idr=total,
        capped_base_idr=line["capped_base_idr"] or None,
    )
    income = {
        account: sum(line[c] for c in columns)
        for account, columns in slot_lines.income_accounts().items()
    }
    entry_post(
        JournalKind.BILLING,
        as_of,
        [
            (Account.CONTRIBUTION_RECEIVABLE.value, payer.pk, total, 0),
            *((account, None, 0, amount) for account, amount in income.items()),
        ],
        memo=f"Tagihan iuran {period} (diterbitkan langsung)",
    )
    return invoice
