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
from jamsos.billing.models import BillingRun, Invoice, InvoiceKind, RunStatus
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
