"""Benchmark of the coverage job: 12 months of a demo population, per month, on PostgreSQL.

    .venv/bin/python bench/coverage.py --database URL [--label NAME] [--synthesise]
                                       [--from 2024-03] [--to 2025-02]

The database holds a demo population (``jamsos setup_demo --workers N``, as of 2025-02-28).
Billing and paying 12 months of 10 million memberships for real is out of reach of a benchmark
session, so ``--synthesise`` writes the invoice lines directly, set-based, one
``INSERT ... SELECT`` per month:

- one synthetic payer (a sponsor, reference ``BENCH-COVERAGE``) and one invoice per month;
- one line per PU and BPU membership open in the month (``start_date`` on or before its last
  day, ``end_date`` empty or on or after its first day), every amount 0 (the job reads only
  ``membership_id``, ``period``, ``segment`` and ``paid_on``);
- ``paid_on`` set (the 10th of the next month) or empty by a fixed rule on the membership id
  and the month index ``i`` (0 = first month), so that every count has cases:
  ``id % 20 = 0``: never pays; ``id % 20 = 1``: pays until month ``(id / 20) % 12``, then
  stops; ``id % 20 = 2``: pays only the months ``i % 5 = 4`` (runs of 4 unpaid months, then a
  paid one: lapsed, then reactivated); otherwise unpaid when ``(id * 31 + i * 17) % 10 = 0``.

The inserts run with ``session_replication_role = replica`` (the foreign-key triggers are
skipped: the rows are valid by construction). Lines already in the table for those months
(and the synthetic payer's invoices) are deleted first. PMI and Jakon lines are not
synthesised (their active counts come from whatever the database holds). Then
``coverage_build(from, to)`` runs once over the 12 months (each month is
its own transaction), then once for the last month alone (the monthly job, cold: it reads its
look-back months itself). Per month: seconds, memberships open per second; the process's
peak RSS; the machine's load average. Appends a Markdown section to
bench/results/coverage.md and prints it.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from benchlib import django_setup

RESULTS = Path(__file__).parent / "results"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthesise(first: str, last: str) -> list[tuple[str, int, float]]:
    from django.db import connection, transaction
    from django.utils import timezone

    from jamsos.billing.identifiers import virtual_account_for
    from jamsos.billing.models import Invoice, InvoiceLine, Payer, PayerKind
    from jamsos.core.partitions import partition_ensure
    from jamsos.legal.periods import Period
    from jamsos.membership.models import Membership

    q = connection.ops.quote_name
    lines, _invoices = q(InvoiceLine._meta.db_table), q(Invoice._meta.db_table)
    members = q(Membership._meta.db_table)
    start, end = Period.parse(first), Period.parse(last)
    months = [Period.from_index(i) for i in range(start.index, end.index + 1)]
    payer = Payer.objects.filter(sponsor_ref="BENCH-COVERAGE").first()
    if payer is None:
        payer = Payer.objects.create(
            kind=PayerKind.SPONSOR,
            sponsor_ref="BENCH-COVERAGE",
            name="Benchmark coverage",
            virtual_account=virtual_account_for(PayerKind.SPONSOR, 9_999_001),
        )
    done = []
    with connection.cursor() as cursor:
        for i, month in enumerate(months):
            started = time.perf_counter()
            with transaction.atomic():
                # The synthetic rows are valid by construction: skip the per-row deferred
                # foreign-key triggers (superuser only), which cost more than the insert.
                cursor.execute("SET LOCAL session_replication_role = replica")
                partition_ensure(InvoiceLine, str(month))  # the month's partition (ADR 0107)
                cursor.execute(f"DELETE FROM {lines} WHERE period = %s", [str(month)])
                Invoice.objects.filter(payer=payer, period=str(month)).delete()
                invoice = Invoice.objects.create(
                    number=f"B{month.year}{month.month:02d}{payer.pk:010d}"[:20],
                    payer=payer,
                    period=str(month),
                    issued_on=month.last_day,
                    due_date=month.last_day,
                )
                paid = month.next().first_day.replace(day=10)
                cursor.execute(
                    f"INSERT INTO {lines} (invoice_id, membership_id, person_id_copy, period, "
                    "segment, base_idr, jkk_idr, jkm_idr, jht_employer_idr, jht_worker_idr, "
                    "jp_employer_idr, jp_worker_idr, package_idr, jkp_government_idr, total_idr, "
                    "parameters_ref, paid_on) "
                    "SELECT %s, m.id, m.person_id, %s, m.segment, "
                    "0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '', "
                    "CASE WHEN mod(m.id, 20) = 0 THEN NULL "
                    "WHEN mod(m.id, 20) = 1 AND %s >= mod(m.id / 20, 12) THEN NULL "
                    "WHEN mod(m.id, 20) = 2 AND mod(%s, 5) <> 4 THEN NULL "
                    "WHEN mod(m.id, 20) > 2 AND mod(m.id * 31 + %s * 17, 10) = 0 THEN NULL "
                    "ELSE %s::date END "
                    f"FROM {members} m WHERE m.segment IN ('PU', 'BPU') AND m.start_date <= %s "
                    "AND (m.end_date IS NULL OR m.end_date >= %s)",
                    [invoice.pk, str(month), i, i, i, paid, month.last_day, month.first_day],
                )
                count = cursor.rowcount
            done.append((str(month), count, time.perf_counter() - started))
            print(f"synthesised {month}: {count:,} lines in {done[-1][2]:.1f} s", flush=True)
        cursor.execute(f"ANALYZE {lines}")
    _ = timezone
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--plain-write",
        action="store_true",
        help="write the month by plain inserts into the indexed table (the path before ADR 0107)",
    )
    parser.add_argument("--synthesise", action="store_true")
    parser.add_argument("--from", dest="first", default="2024-03")
    parser.add_argument("--to", dest="last", default="2025-02")
    args = parser.parse_args()
    django_setup(args.database)
    if args.plain_write:
        import importlib

        from benchlib import plain_partition_write

        module = importlib.import_module("jamsos.coverage.services.build")
        module.partition_write = plain_partition_write  # type: ignore[attr-defined]
    from django.db import connection

    from jamsos.coverage.services.build import coverage_build
    from jamsos.membership.models import Membership

    memberships = Membership.objects.count()
    synthesised = synthesise(args.first, args.last) if args.synthesise else []
    load_before = os.getloadavg()
    started = time.perf_counter()
    run = coverage_build(args.first, args.last, by="bench")
    total = time.perf_counter() - started
    rss_range = _peak_rss_mb()
    started = time.perf_counter()
    single = coverage_build(args.last, by="bench")
    single_seconds = time.perf_counter() - started
    load_after = os.getloadavg()
    by_month = run.counts["by_month"]
    lines = [
        f"\n## {args.label or connection.vendor}: {memberships:,} memberships, "
        f"{args.first}..{args.last} ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)\n",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}, "
        f"{connection.vendor}; load average before {load_before[0]:.2f}, "
        f"after {load_after[0]:.2f} (1 min; other work was running)",
        f"- 12-month run: {total:.1f} s in all ({total / len(by_month):.1f} s per month), "
        f"stage totals {run.timings.get('read', 0):.1f} s read, "
        f"{run.timings.get('compute', 0):.1f} s compute, "
        f"{run.timings.get('write', 0):.1f} s write; "
        f"peak RSS {rss_range:,.0f} MB",
        f"- the monthly job alone ({args.last}, cold: reads its own look-back months): "
        f"{single_seconds:.1f} s; peak RSS after both {_peak_rss_mb():,.0f} MB",
    ]
    if synthesised:
        rows = sum(n for _, n, _ in synthesised)
        secs = sum(s for _, _, s in synthesised)
        lines.append(
            f"- synthesised lines: {rows:,} in {secs:.1f} s ({rows / secs:,.0f} rows/s), "
            "not part of the job's time"
        )
    lines += [
        "",
        "| month | registered | active | new | lapsed | reactivated | facts | areas | s | "
        "registered/s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for period, c in by_month.items():
        seconds = float(run.timings.get(period, 0))
        lines.append(
            f"| {period} | {c['registered']:,} | {c['active']:,} | {c['new']:,} | "
            f"{c['lapsed']:,} | {c['reactivated']:,} | {c['facts']:,} | {c['areas']:,} | "
            f"{seconds:.1f} | {c['registered'] / seconds:,.0f} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "coverage.md"
    if not out.exists():
        out.write_text(
            "# Coverage job benchmark (bench/coverage.py)\n\n"
            "What is synthesised and how it is timed: see the docstring of bench/coverage.py.\n"
        )
    with out.open("a") as handle:
        handle.write(text)
    _ = single


if __name__ == "__main__":
    main()
