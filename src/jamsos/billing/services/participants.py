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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl
from django.db import transaction
from django.db.models import Max

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
from jamsos.billing.services.ledger import EntrySpec, entries_post_many
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

__all__ = [
    "ParticipantBill",
    "first_unpaid_period",
    "participant_bill",
    "participants_bill_first",
    "self_paying",
]


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
        issued = len(
            _issue_many(
                [_Issue(membership, payer.pk, p) for p in periods if str(p) not in billed], as_of
            )
        )
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


def participants_bill_first(memberships: Sequence[Membership], *, as_of: date) -> int:
    """The first month of many self-paying participants at once, as
    ``participant_bill(membership, months=1, as_of=as_of, by=None)`` issues it for each (the
    system asking: enrolment lists approved), set-based: the payers ensured together, the lines
    computed in one frame, one insert per table. A membership whose month cannot be billed at
    once (its billing run is running, or it is past the known parameters) is left to the run,
    as one by one. Refuses :class:`NotSelfPaying` for a membership that is not, before writing
    anything. Returns the memberships billed (their month issued now or already)."""
    BILLING.require(None, "participant.bill")
    chosen = sorted(memberships, key=lambda m: m.pk)
    if not chosen:
        return 0
    ids = [m.pk for m in chosen]
    sponsored = set(
        Sponsorship.memberships.through.objects.filter(membership_id__in=ids).values_list(
            "membership_id", flat=True
        )
    )
    for membership in chosen:
        if (
            membership.segment != Segment.BPU.value
            or (membership.sponsor_ref or "")
            or membership.pk in sponsored
        ):
            raise NotSelfPaying(kpj=membership.kpj)
    params = parameters()
    last_paid = dict(
        InvoiceLine.objects.filter(membership_id__in=ids, paid_on__isnull=False)
        .values("membership_id")
        .annotate(last=Max("period"))
        .values_list("membership_id", "last")
    )
    running: dict[Period, bool] = {}
    months: list[tuple[Membership, Period]] = []
    for membership in chosen:
        first = Period(membership.start_date.year, membership.start_date.month)
        if membership.pk in last_paid:
            first = max(first, Period.from_index(Period.parse(last_paid[membership.pk]).index + 1))
        if advance_months_max(first, params) < 1:
            raise AdvanceMonthsOutOfRange(value=1, max=advance_months_max(first, params))
        if advance_months_offered(first, params) < 1:
            continue
        if first not in running:
            try:
                _refuse_if_running([first])
                running[first] = False
            except RunInProgress:
                running[first] = True
        if not running[first]:
            months.append((membership, first))
    if not months:
        return 0
    with transaction.atomic():
        payer_ids = _payers_of([m for m, _ in months])
        billed = set(
            InvoiceLine.objects.filter(
                membership_id__in=[m.pk for m, _ in months],
                period__in={str(p) for _, p in months},
            ).values_list("membership_id", "period")
        )
        issues = [_Issue(m, payer_ids[m.pk], p) for m, p in months if (m.pk, str(p)) not in billed]
        _issue_many(issues, as_of)
        owed = list(
            Payer.objects.filter(pk__in={i.payer_id for i in issues}, credit_idr__gt=0).values_list(
                "pk", flat=True
            )
        )
        if owed:
            from jamsos.billing.services.payments import credits_apply

            credits_apply(sorted(owed), on=as_of)
    return len(months)


def _payers_of(memberships: list[Membership]) -> dict[int, int]:
    """Each participant's payer (membership id -> payer id), created as the run creates payers
    (one insert for the missing ones); locked for this transaction."""
    party = pl.DataFrame(
        {
            "payer_kind": [PayerKind.PARTICIPANT.value] * len(memberships),
            "party_id": [m.person_id for m in memberships],
            "sponsor_ref": [None] * len(memberships),
            "sponsor_name": [None] * len(memberships),
            "sponsor_kind": [None] * len(memberships),
            "office_id": [m.branch_office_id for m in memberships],
        },
        schema=PARTY_SCHEMA,
    )
    joined, _created = payers_ensure(party)
    payers = [int(p) for p in joined["payer_id"]]
    list(Payer.objects.select_for_update().filter(pk__in=set(payers)).order_by("pk"))
    return {m.pk: payer for m, payer in zip(memberships, payers, strict=True)}


def _payer_of(membership: Membership) -> Payer:
    """The participant's payer, created as the run creates payers; locked for this call."""
    return Payer.objects.select_for_update().get(pk=_payers_of([membership])[membership.pk])


@dataclass(frozen=True)
class _Issue:
    """One month to invoice for one participant."""

    membership: Membership
    payer_id: int
    period: Period


def _lines(issues: list[_Issue]) -> list[dict[str, int]]:
    """Each month's line, by the run's own computation (the legal engine's bulk path, one
    frame for all the months asked)."""
    frame = pl.DataFrame(
        {
            "membership_id": [i.membership.pk for i in issues],
            "segment": ["BPU"] * len(issues),
            "income_idr": [i.membership.declared_income_idr for i in issues],
            "optional_programs": [
                1 if "JHT" in (i.membership.programs or "").split(",") else 0 for i in issues
            ],
            "period": [i.period.index for i in issues],
            "order": list(range(len(issues))),
        },
        schema={
            "membership_id": pl.Int64(),
            "segment": pl.String(),
            "income_idr": pl.Int64(),
            "optional_programs": pl.Int64(),
            "period": pl.Int64(),
            "order": pl.Int64(),
        },
    )
    bases = slot_lines.CAPPED_BASES
    valid, rejects = pl.collect_all(list(contributions_and_rejects(frame, bases=bases)))
    if rejects.height or valid.height != len(issues):
        reason = rejects.row(0, named=True) if rejects.height else {}
        refused = issues[int(reason["order"])] if "order" in reason else issues[0]
        raise RuntimeError(
            f"BPU line of {refused.membership.kpj} for {refused.period} refused: {reason}"
        )
    lines = []
    for row in valid.sort("order").iter_rows(named=True):
        line = {
            column: int(sum(int(row[s] or 0) for s in slots))
            for column, slots in slot_lines.line_columns().items()
        }
        line["total_idr"] = sum(line[c] for c in slot_lines.billed_columns())
        capped = [row.get(base_column(kind)) for kind in bases]
        line["capped_base_idr"] = next((int(v) for v in capped if v is not None), 0)
        lines.append(line)
    return lines


def _issue_many(issues: list[_Issue], as_of: date) -> list[int]:
    """Write the invoices of ``issues`` (in their order) with their items, lines and ledger
    entries, set-based: one insert per table. A month whose payer already has a regular
    invoice (or gets one earlier in ``issues``) gets a correction invoice. Returns the ids."""
    if not issues:
        return []
    lines = _lines(issues)
    regular = set(
        Invoice.objects.filter(
            payer_id__in={i.payer_id for i in issues},
            period__in={str(i.period) for i in issues},
            kind=InvoiceKind.REGULAR,
        ).values_list("payer_id", "period")
    )
    ids = reserve_ids(Invoice, len(issues))
    income_accounts = slot_lines.income_accounts().items()
    invoices: list[Invoice] = []
    items: list[InvoiceItem] = []
    rows: list[InvoiceLine] = []
    entries: list[EntrySpec] = []
    for issue, line, invoice_id in zip(issues, lines, ids, strict=True):
        period, membership = issue.period, issue.membership
        due = due_date(Segment.BPU, period)
        key = (issue.payer_id, str(period))
        total = line["total_idr"]
        invoices.append(
            Invoice(
                id=invoice_id,
                number=f"{period.year:04d}{period.month:02d}{invoice_id:010d}",
                payer_id=issue.payer_id,
                period=str(period),
                kind=InvoiceKind.CORRECTION if key in regular else InvoiceKind.REGULAR,
                run=None,
                issued_on=as_of,
                due_date=due,
                contribution_idr=total,
                penalty_idr=0,
                total_idr=total,
                participants=1,
            )
        )
        regular.add(key)
        items.extend(
            InvoiceItem(
                invoice_id=invoice_id,
                kind=ItemKind.CONTRIBUTION,
                segment=Segment.BPU.value,
                program=program,
                rank=rank,
                due_date=due,
                amount_idr=amount,
            )
            for program, rank, columns in slot_lines.items()
            if (amount := sum(line[c] for c in columns)) > 0
        )
        rows.append(
            InvoiceLine(
                invoice_id=invoice_id,
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
        )
        income = {account: sum(line[c] for c in columns) for account, columns in income_accounts}
        entries.append(
            EntrySpec(
                kind=JournalKind.BILLING,
                booked_on=as_of,
                postings=[
                    (Account.CONTRIBUTION_RECEIVABLE.value, issue.payer_id, total, 0),
                    *((account, None, 0, amount) for account, amount in income.items()),
                ],
                memo=f"Tagihan iuran {period} (diterbitkan langsung)",
            )
        )
    Invoice.objects.bulk_create(invoices)
    InvoiceItem.objects.bulk_create(items)
    InvoiceLine.objects.bulk_create(rows)
    entries_post_many(entries)
    return ids
