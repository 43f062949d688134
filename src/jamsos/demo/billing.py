"""Billing for the demo population: five months billed, paid the way payers really pay.

``demo_billing_build`` bills December 2024 to April 2025 (each issued on the 1st of the next
month) and posts the payments of each month before the next run (most payers on time and in
full, some in part, some late, some stopping: a fixed seed, so every demo is the same). The
pages then show invoices, payments, credit, penalties, arrears in every bucket, active months,
lapsed members and JHT balances, and the coverage dashboard a five-month series. December 2024
is the first month the demo's wage reports cover (the last three months up to its as-of date,
28 February 2025). Idempotent: it does nothing when one of these months has been billed.

Payers keep a habit from month to month (drawn once per payer; a demo assumption, not a
published figure): about 65% pay on time and in full, 10% sometimes in part, 10% late (in the
following month), 10% stop paying from some month on and 5% never pay; on top of the habit, a
reliable payer is late now and then. Payments go to the oldest open items first (ADR 0104), so
a payer who resumes pays their arrears before the month at hand.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from jamsos.access.scope import Scope
from jamsos.billing.models import (
    BillingRun,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    RunStatus,
)
from jamsos.billing.services.payments import payment_post
from jamsos.billing.services.run import billing_run

SEED = 20250301
OPERATOR = Scope.operator("demo")


@dataclass(frozen=True)
class _Month:
    period: str
    as_of: date
    on_time: date
    late: date | None


MONTHS = (
    _Month("2024-12", date(2025, 1, 1), date(2025, 1, 10), date(2025, 2, 20)),
    _Month("2025-01", date(2025, 2, 1), date(2025, 2, 10), date(2025, 3, 20)),
    _Month("2025-02", date(2025, 3, 1), date(2025, 3, 10), date(2025, 4, 22)),
    _Month("2025-03", date(2025, 4, 1), date(2025, 4, 10), date(2025, 5, 20)),
    _Month("2025-04", date(2025, 5, 1), date(2025, 5, 12), None),
)
#: The billed months, first to last (the coverage job of the demo runs over them).
PERIODS = tuple(month.period for month in MONTHS)


def _habit(key: str) -> tuple[str, int]:
    """A payer's habit and the month (index in :data:`MONTHS`) a stopping payer stops, drawn
    from the payer's natural key (NPP, NIK or sponsor reference), not from ids that depend on
    the order rows were written in."""
    rng = random.Random(f"{SEED}-{key}")
    draw = rng.random()
    stop = rng.randrange(len(MONTHS))
    if draw < 0.65:
        return "reliable", stop
    if draw < 0.75:
        return "partial", stop
    if draw < 0.85:
        return "late", stop
    if draw < 0.95:
        return "stopping", stop
    return "never", stop


def _plan(month: _Month, index: int) -> tuple[list[tuple[str, int, date]], dict[str, int]]:
    """The demo payments of one billed month: ``(bank_ref, VA, amount, date)`` per paying
    invoice, and the counts by behaviour."""
    counts = {"on_time": 0, "partial": 0, "late": 0, "unpaid": 0}
    planned: list[Any] = []
    invoices = (
        Invoice.objects.filter(period=month.period, kind=InvoiceKind.REGULAR)
        .order_by("id")
        .values_list(
            "number",
            "total_idr",
            "payer__virtual_account",
            "payer__employer__npp",
            "payer__person__nik",
            "payer__sponsor_ref",
        )
    )
    for number, total, va, npp, nik, sponsor in invoices:
        key = npp or nik or sponsor or va
        habit, stop = _habit(key)
        draw = random.Random(f"{SEED}-{key}-{month.period}").random()
        if habit == "never" or (habit == "stopping" and index >= stop):
            kind = "unpaid"
        elif habit == "partial" and draw < 0.5:
            kind = "partial"
        elif (habit == "late" or draw < 0.05) and month.late is not None:
            kind = "late"
        elif habit == "late":
            kind = "unpaid"  # the last month: its late payment is not due yet
        else:
            kind = "on_time"
        counts[kind] += 1
        if kind == "unpaid":
            continue
        amount = max(1, total // 2) if kind == "partial" else total
        on = month.late if kind == "late" else month.on_time
        planned.append((f"DEMO-{number}", va, amount, on))
    return planned, counts


def _post(payments: list[Any]) -> None:
    """Post the payments in date order, in one transaction (one commit instead of one per
    payment: on SQLite each commit is a disk sync)."""
    with transaction.atomic():
        for ref, va, amount, on in sorted(payments, key=lambda p: p[3]):
            _post_one(ref, va, amount, on)


def _post_one(ref: str, va: str, amount: int, on: date) -> None:
    payment_post(
        virtual_account=va,
        amount_idr=amount,
        bank_ref=ref,
        paid_on=on,
        channel="cli",
        note="demo",
        by=OPERATOR,
    )


def demo_billing_build() -> dict[str, Any]:
    """Bill and pay December 2024 to April 2025 for the demo population (once), in date order:
    every payment dated before the next run is posted before it."""
    if BillingRun.objects.filter(period__in=PERIODS, status=RunStatus.FINISHED).exists():
        return {"billing": "already built"}
    summary: dict[str, Any] = {}
    pending: list[Any] = []
    for index, month in enumerate(MONTHS):
        _post([p for p in pending if p[3] < month.as_of])
        pending = [p for p in pending if p[3] >= month.as_of]
        run = billing_run(month.period, as_of=month.as_of, by=OPERATOR)
        summary[f"billed {month.period}"] = (
            f"{run.counts.get('invoices', 0)} invoices, {run.counts.get('lines', 0)} lines"
        )
        planned, counts = _plan(month, index)
        summary[f"paid {month.period}"] = counts
        pending.extend(planned)
    _post(pending)
    return summary


#: Months of contributions paid before the demo's first billed month, for the few members who
#: have them (:func:`demo_history_build`): with the demo's own months, 12 or more of the 24
#: before a job loss in spring 2025, as JKP asks (PP 37/2021, PP 6/2025).
HISTORY_MONTHS = 12


def _month_before(period: str, back: int) -> tuple[str, date]:
    year, month = int(period[:4]), int(period[5:])
    index = year * 12 + month - 1 - back
    return f"{index // 12:04d}-{index % 12 + 1:02d}", date(index // 12, index % 12 + 1, 1)


def demo_history_build(membership_ids: list[int]) -> int:
    """The paid months of these members before the demo's billing: the :data:`HISTORY_MONTHS`
    months before December 2024, each paid on the 10th of the next month, at the amounts of
    their December 2024 line (same wage, same rates). One paid correction invoice per member
    (number ``RWY-<membership>``), written in two bulk inserts; the books are not touched (the
    money came in before the demo's books begin). Returns the months written; a member who
    already has a history, or no December 2024 line, is skipped."""
    first = PERIODS[0]
    done = set(
        Invoice.objects.filter(number__in=[f"RWY-{pk}" for pk in membership_ids]).values_list(
            "number", flat=True
        )
    )
    lines = (
        InvoiceLine.objects.filter(
            membership_id__in=membership_ids, period=first, invoice__kind=InvoiceKind.REGULAR
        )
        .select_related("invoice")
        .order_by("membership_id", "id")
    )
    seen: set[int] = set()
    pairs: list[tuple[Invoice, list[InvoiceLine]]] = []
    for line in lines:
        pk = line.membership_id
        if pk is None or pk in seen or f"RWY-{pk}" in done:
            continue
        seen.add(pk)
        start_period, start = _month_before(first, HISTORY_MONTHS)
        total = line.total_idr * HISTORY_MONTHS
        last_paid = _month_before(first, 0)[1].replace(day=10)
        invoice = Invoice(
            number=f"RWY-{pk}",
            payer_id=line.invoice.payer_id,
            period=start_period,
            kind=InvoiceKind.CORRECTION,
            issued_on=start,
            due_date=start,
            contribution_idr=total,
            penalty_idr=0,
            total_idr=total,
            paid_idr=total,
            paid_on=last_paid,
            status=InvoiceStatus.PAID,
            participants=1,
        )
        months = []
        for back in range(HISTORY_MONTHS, 0, -1):
            period, _ = _month_before(first, back)
            paid_on = _month_before(first, back - 1)[1].replace(day=10)
            months.append(
                InvoiceLine(
                    membership_id=pk,
                    person_id_copy=line.person_id_copy,
                    period=period,
                    segment=line.segment,
                    base_idr=line.base_idr,
                    capped_base_idr=line.capped_base_idr,
                    jkk_idr=line.jkk_idr,
                    jkm_idr=line.jkm_idr,
                    jht_employer_idr=line.jht_employer_idr,
                    jht_worker_idr=line.jht_worker_idr,
                    jp_employer_idr=line.jp_employer_idr,
                    jp_worker_idr=line.jp_worker_idr,
                    package_idr=line.package_idr,
                    jkp_government_idr=line.jkp_government_idr,
                    total_idr=line.total_idr,
                    paid_on=paid_on,
                    parameters_ref=line.parameters_ref,
                )
            )
        pairs.append((invoice, months))
    with transaction.atomic():
        Invoice.objects.bulk_create([invoice for invoice, _ in pairs])
        saved = dict(
            Invoice.objects.filter(number__in=[i.number for i, _ in pairs]).values_list(
                "number", "id"
            )
        )
        rows = []
        for invoice, months in pairs:
            for row in months:
                row.invoice_id = saved[invoice.number]
                rows.append(row)
        InvoiceLine.objects.bulk_create(rows)
    return len(rows)
