"""Several processes post thousands of payments to a few payers at once (PostgreSQL only).

Each child process is started with ``spawn``, sets up Django against the test database and
posts its share, some bank references being posted by more than one process. Afterwards: each
reference is one payment, no item is over-allocated, every rupiah is allocated or held as
credit, and the ledger balances. Module-level imports stay free of models so that the children
can import this module before ``django.setup()``.
"""

from __future__ import annotations

import multiprocessing
import os
import random
from datetime import date

import pytest
from django.db import connection

PROCESSES = 4
PAYERS = 5
PAYMENTS = 2400  # references; about 1 in 8 is posted twice, by two processes


def _worker(database_url: str, jobs: list[tuple[str, str, int, str]]) -> tuple[int, int]:
    """Post ``jobs`` (ref, VA, amount, ISO date) in a fresh process; (posted, already)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("JAMSOS_TEST_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsos.config.settings")
    import django

    django.setup()
    from jamsos.billing.services.payments import payment_post

    posted = already = 0
    for ref, va, amount, paid_on in jobs:
        result = payment_post(
            virtual_account=va,
            amount_idr=amount,
            bank_ref=ref,
            paid_on=date.fromisoformat(paid_on),
            channel="api",
        )
        posted += result.created
        already += result.already_posted
    return posted, already


def _url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_processes_post_at_once():
    if connection.vendor != "postgresql":
        pytest.skip("several writer processes need PostgreSQL (SQLite serialises writers)")
    from django.db.models import F, Sum

    from jamsos.billing.models import Allocation, InvoiceItem, Payer, Payment
    from jamsos.billing.services.ledger import ledger_check
    from jamsos.billing.tests.conftest import invoice_make, payer_make
    from jamsos.billing.tests.test_ledger_helpers import billed

    payers = [payer_make(sponsor_ref=f"CONC-{n}") for n in range(PAYERS)]
    for payer in payers:
        for month in range(1, 13):
            invoice = invoice_make(
                payer,
                f"2024-{month:02d}",
                due_date=date(2024, month, 15),
                items=[("BPU", "JKK", 40_000), ("BPU", "JKM", 30_000), ("BPU", "JHT", 200_000)],
            )
            billed(invoice)

    rng = random.Random(20250401)
    jobs = [
        (f"CC-{n:05d}", rng.choice(payers).virtual_account, rng.randint(1, 9_000), "2024-12-20")
        for n in range(PAYMENTS)
    ]
    shares: list[list[tuple[str, str, int, str]]] = [[] for _ in range(PROCESSES)]
    for n, job in enumerate(jobs):
        shares[n % PROCESSES].append(job)
        if n % 8 == 0:  # the same reference, also sent by the next process
            shares[(n + 1) % PROCESSES].append(job)
    for share in shares:
        rng.shuffle(share)

    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        outcomes = pool.starmap(_worker, [(_url(), share) for share in shares])

    posted = sum(p for p, _ in outcomes)
    assert posted == PAYMENTS
    assert sum(a for _, a in outcomes) == sum(len(s) for s in shares) - PAYMENTS
    assert Payment.objects.count() == PAYMENTS
    assert Payment.objects.values("bank_ref").distinct().count() == PAYMENTS
    assert not InvoiceItem.objects.filter(paid_idr__gt=F("amount_idr")).exists()
    paid = Payment.objects.aggregate(s=Sum("amount_idr"))["s"]
    assert paid == sum(amount for _, _, amount, _ in jobs)
    allocated = Allocation.objects.aggregate(s=Sum("amount_idr"))["s"] or 0
    credit = Payer.objects.aggregate(s=Sum("credit_idr"))["s"]
    assert allocated + credit == paid
    assert InvoiceItem.objects.aggregate(s=Sum("paid_idr"))["s"] == allocated
    assert Payment.objects.aggregate(s=Sum("to_credit_idr"))["s"] == credit
    check = ledger_check()
    assert check.ok, check.problems
