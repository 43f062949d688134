"""Benchmark of payment posting: payments per second, one process or several.

    .venv/bin/python bench/payments.py --database URL [--payers 2000] [--payments 10000]
                                       [--processes 1] [--label NAME]

The database must be migrated and may be otherwise empty; the benchmark removes every billing
row first, then writes ``--payers`` sponsor payers with two invoices each (2025-02 and 2025-03,
four BPU items each: JKK, JKM, JHT, JP) and the billing entry a run would post, and posts
``--payments`` payments to random payers through ``payment_post`` (about one in five after the
due date, so that the penalty path is measured too; a payment that exceeds what is due goes to
credit). With ``--processes N`` the payments are split over N processes started with ``spawn``,
each posting its share at the same moment (PostgreSQL: payer rows locked; SQLite serialises
writers). Afterwards it checks the ledger (``ledger_check``) and that every payment was posted
once. Appends a Markdown section to bench/results/payments.md and prints it. For example::

    createdb -h 127.0.0.1 -U postgres jamsos_bench_payments
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jamsos_bench_payments jamsos migrate
    .venv/bin/python bench/payments.py --label pg-1 \\
        --database postgres://postgres@127.0.0.1:5432/jamsos_bench_payments
    .venv/bin/python bench/payments.py --label pg-2 --processes 2 \\
        --database postgres://postgres@127.0.0.1:5432/jamsos_bench_payments
    DATABASE_URL=sqlite:////tmp/bench/payments.sqlite3 jamsos migrate
    .venv/bin/python bench/payments.py --database sqlite:////tmp/bench/payments.sqlite3 \\
        --label sqlite-1
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from benchlib import billing_reset, django_setup

RESULTS = Path(__file__).parent / "results"
SEED = 20250410
Job = tuple[str, str, int, str]


def _setup(payers: int) -> list[str]:
    """Payers, invoices and items in bulk (a few statements); their virtual accounts."""
    from django.db import transaction

    from jamsos.billing.identifiers import virtual_account_for
    from jamsos.billing.models import Account, Invoice, InvoiceItem, JournalKind, Payer
    from jamsos.billing.services.ledger import entry_post

    programs = [("JKK", 1, 10_000), ("JKM", 2, 6_800), ("JHT", 3, 20_000), ("JP", 4, 30_000)]
    total = sum(a for _, _, a in programs)
    with transaction.atomic():
        rows = Payer.objects.bulk_create(
            [
                Payer(
                    kind="sponsor",
                    sponsor_ref=f"BENCH-{n}",
                    name=f"Bench sponsor {n}",
                    virtual_account=virtual_account_for("sponsor", n),
                )
                for n in range(1, payers + 1)
            ],
            batch_size=5000,
        )
        invoices = Invoice.objects.bulk_create(
            [
                Invoice(
                    number=f"B{period.replace('-', '')}{p.pk:08d}",
                    payer=p,
                    period=period,
                    issued_on=due,
                    due_date=due,
                    contribution_idr=total,
                    total_idr=total,
                )
                for p in rows
                for period, due in (("2025-02", date(2025, 2, 15)), ("2025-03", date(2025, 3, 15)))
            ],
            batch_size=5000,
        )
        InvoiceItem.objects.bulk_create(
            [
                InvoiceItem(
                    invoice=inv,
                    kind="contribution",
                    segment="BPU",
                    program=program,
                    rank=rank,
                    due_date=inv.due_date,
                    amount_idr=amount,
                )
                for inv in invoices
                for program, rank, amount in programs
            ],
            batch_size=5000,
        )
        entry_post(
            JournalKind.BILLING,
            date(2025, 3, 1),
            [(Account.CONTRIBUTION_RECEIVABLE, p.pk, 2 * total, 0) for p in rows]
            + [(Account.CONTRIBUTION_INCOME, None, 0, 2 * total * len(rows))],
            memo="bench billing",
        )
    return [p.virtual_account for p in rows]


def _post(database: str, jobs: list[Job]) -> tuple[int, float]:
    """Post ``jobs`` in this process (Django set up here when started by ``spawn``)."""
    from django.conf import settings

    if not settings.configured:
        django_setup(database)
    from jamsos.billing.services.payments import payment_post

    start = time.perf_counter()
    posted = 0
    for ref, va, amount, paid_on in jobs:
        result = payment_post(
            virtual_account=va,
            amount_idr=amount,
            bank_ref=ref,
            paid_on=date.fromisoformat(paid_on),
            channel="api",
        )
        posted += result.created
    return posted, time.perf_counter() - start


def _queries_per_payment(va: str) -> int:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from jamsos.billing.services.payments import payment_post

    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        payment_post(
            virtual_account=va,
            amount_idr=50_000,
            bank_ref="BENCH-QUERIES",
            paid_on=date(2025, 4, 1),
            channel="api",
        )
        transaction.set_rollback(True)
    return len(ctx.captured_queries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--payers", type=int, default=2000)
    parser.add_argument("--payments", type=int, default=10_000)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--statement",
        choices=("bulk", "one_by_one"),
        help="Post the payments as one bank statement file (statement_post), set-based or "
        "line by line, instead of one payment_post each",
    )
    args = parser.parse_args(argv)
    django_setup(args.database)
    from django.db import connection

    from jamsos.billing.models import Payment
    from jamsos.billing.services.ledger import ledger_check

    t0 = time.perf_counter()
    billing_reset()
    vas = _setup(args.payers)
    setup_s = time.perf_counter() - t0
    queries = _queries_per_payment(vas[0])
    rng = random.Random(SEED)
    days = ["2025-04-10"] * 4 + ["2025-05-20"]
    jobs: list[Job] = [
        (f"BENCH-{n:07d}", rng.choice(vas), rng.randint(10_000, 150_000), rng.choice(days))
        for n in range(args.payments)
    ]
    shares = [jobs[i :: args.processes] for i in range(args.processes)]
    start = time.perf_counter()
    if args.statement:
        from jamsos.billing.services import statements

        statements.POSTING = args.statement
        header = "bank_ref,virtual_account,amount,currency,paid_on"
        content = "\n".join(
            [header, *(f"{ref},{va},{amount},IDR,{day}" for ref, va, amount, day in jobs)]
        ).encode()
        start = time.perf_counter()
        result = statements.statement_post(content, name="bench.csv")
        outcomes = [(result.posted, time.perf_counter() - start)]
    elif args.processes == 1:
        outcomes = [_post(args.database, jobs)]
    else:
        connection.close()
        context = multiprocessing.get_context("spawn")
        with context.Pool(args.processes) as pool:
            outcomes = pool.starmap(_post, [(args.database, share) for share in shares])
    wall = time.perf_counter() - start
    posted = sum(p for p, _ in outcomes)
    check = ledger_check()
    assert posted == args.payments == Payment.objects.count(), (posted, args.payments)
    assert check.ok, check.problems

    engine = connection.vendor
    section = "\n".join(
        [
            f"## {args.label or engine} ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
            "",
            f"- engine: {engine}; {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {sys.version.split()[0]}",
            f"- payers: {args.payers:,} (2 invoices x 4 items each); payments: "
            f"{args.payments:,}; processes: {args.processes}"
            + (f"; one statement file, posted {args.statement}" if args.statement else ""),
            f"- setup (reset + payers, invoices, items, billing entry): {setup_s:.1f} s",
            f"- queries per payment (one payment, measured): {queries}",
            "",
            "| processes | payments | wall s | payments/s | per process: s |",
            "|---|---|---|---|---|",
            f"| {args.processes} | {posted:,} | {wall:.1f} | {posted / wall:,.0f} | "
            + ", ".join(f"{s:.1f}" for _, s in outcomes)
            + " |",
            "",
            f"Ledger check after the run: ok ({check.entries:,} entries, "
            f"debit = credit = {check.debit_idr:,}).",
            "",
        ]
    )
    RESULTS.mkdir(exist_ok=True)
    with open(RESULTS / "payments.md", "a", encoding="utf-8") as out:
        out.write(section + "\n")
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
