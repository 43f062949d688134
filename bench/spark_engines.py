"""Benchmark of the Spark engine against the single-machine path: billing run and coverage build.

    .venv/bin/python bench/spark_engines.py --database URL [--label NAME] [--period 2025-03]
                                            [--as-of 2025-04-01] [--from 2024-12] [--to 2025-02]
                                            [--skip-billing] [--skip-coverage]

Needs the ``spark`` extra (``pip install -e '.[spark]'``) and Java 17 or 21. The database holds
a demo population (``bench/billing.py --build N`` builds one). The Spark session is the one the
commands use (``JAMSOS_SPARK_MASTER``, ``local[2]`` by default: this machine's two cores).

Billing: every billing row is removed (``benchlib.billing_reset``, when any), the month is
billed on one machine (payers created, as a first month), its lines, invoices and items are
read into frames; the same month is billed again with ``engine="spark"`` (every draft replaced) and
read again; the frames must be equal row for row (ids and invoice numbers aside). Then a second
single-machine run, so that the re-run of each engine is timed on equal terms.

Coverage: the invoice lines of ``--from``..``--to`` are synthesised as ``bench/coverage.py
--synthesise`` does; the build of those months runs on one machine, its fact, area and office
rows are read, the same build runs with ``engine="spark"``; the rows must be equal.

Per run: seconds end to end, the run record's stage timings, the Spark step's own seconds
(snapshot, Spark job, read-back) and the snapshot's bytes, and the process's peak RSS (the
Spark JVM is another process: its memory is not in the figure). Appends a Markdown section to
bench/results/spark-<label>.md and prints it.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from benchlib import billing_reset, django_setup

RESULTS = Path(__file__).parent / "results"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _frame(model: Any, skip: set[str], joins: str = "", extra: str = "") -> Any:
    """Every row of ``model`` but the ``skip`` columns (and the id), sorted, as a frame."""
    import polars as pl
    from django.db import connection

    from jamsos.core.bulkwrite import read_frame, table

    fields = [f for f in model._meta.concrete_fields if f.attname not in skip | {"id"}]
    q = connection.ops.quote_name
    columns = [f"t.{q(f.column)}" for f in fields]
    names = [f.attname for f in fields]
    if extra:
        columns.append(extra)
        names.append("extra")
    schema = {name: pl.String() for name in names}
    cast = [f"CAST({c} AS TEXT)" for c in columns]
    sql = f"SELECT {', '.join(cast)} FROM {table(model)} t {joins}"
    return read_frame(sql, [], schema).sort(names, nulls_last=True)


def _billing_rows(period: str) -> dict[str, Any]:
    from jamsos.billing.models import Invoice, InvoiceItem, InvoiceLine
    from jamsos.core.bulkwrite import table

    invoice = f"JOIN {table(Invoice)} i ON i.id = t.invoice_id"
    return {
        "lines": _frame(InvoiceLine, {"invoice_id"}, invoice, "i.payer_id"),
        "invoices": _frame(Invoice, {"number", "run_id"}),
        "items": _frame(InvoiceItem, {"invoice_id"}, invoice, "i.payer_id"),
    }


def _equal(left: dict[str, Any], right: dict[str, Any]) -> dict[str, str]:
    out = {}
    for name, frame in left.items():
        other = right[name]
        same = frame.height == other.height and frame.equals(other)
        out[name] = f"{frame.height:,} rows {'equal' if same else 'DIFFER'}"
        if not same:
            raise SystemExit(f"{name}: the engines differ ({frame.height} vs {other.height})")
    return out


def _timed(call: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def billing(period: str, as_of: date) -> list[tuple[str, float, Any]]:
    from jamsos.billing.models import BillingRun
    from jamsos.billing.services.run import billing_run

    if BillingRun.objects.exists():
        billing_reset()
    rows = []
    local, seconds = _timed(lambda: billing_run(period, as_of=as_of))
    rows.append(("billing, one machine (first run)", seconds, local))
    expected = _billing_rows(period)
    spark, seconds = _timed(lambda: billing_run(period, as_of=as_of, engine="spark"))
    rows.append(("billing, Spark (re-run: drafts replaced)", seconds, spark))
    # The ledger's postings are checked by the tests (each run's entry replaces the last).
    got = _billing_rows(period)
    checked = _equal(expected, got)
    assert spark.totals == local.totals, "totals differ"
    again, seconds = _timed(lambda: billing_run(period, as_of=as_of))
    rows.append(("billing, one machine (re-run)", seconds, again))
    _equal(got, _billing_rows(period))
    rows.append(("billing rows checked", 0.0, checked))
    return rows


def synthesise(first: str, last: str) -> None:
    """One line per PU and BPU membership open in each month, paid or not by the rule of
    ``bench/coverage.py --synthesise`` (every amount 0: the job reads the status only)."""
    from django.db import connection, transaction

    from jamsos.billing import lines as slot_lines
    from jamsos.billing.identifiers import virtual_account_for
    from jamsos.billing.models import Invoice, InvoiceLine, Payer, PayerKind
    from jamsos.core.bulkwrite import table
    from jamsos.legal.periods import Period
    from jamsos.membership.models import Membership

    payer, _ = Payer.objects.get_or_create(
        sponsor_ref="BENCH-COVERAGE",
        defaults={
            "kind": PayerKind.SPONSOR,
            "name": "Benchmark coverage",
            "virtual_account": virtual_account_for(PayerKind.SPONSOR, 9_999_001),
        },
    )
    amounts = ["base_idr", *slot_lines.line_columns(), "total_idr"]
    start, end = Period.parse(first), Period.parse(last)
    for i in range(end.index - start.index + 1):
        month = Period.from_index(start.index + i)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table(InvoiceLine)} WHERE period = %s", [str(month)])
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
                f"INSERT INTO {table(InvoiceLine)} (invoice_id, membership_id, person_id_copy, "
                f"period, segment, parameters_ref, {', '.join(amounts)}, paid_on) "
                f"SELECT %s, m.id, m.person_id, %s, m.segment, '', "
                f"{', '.join('0' for _ in amounts)}, "
                "CASE WHEN mod(m.id, 20) = 0 THEN NULL "
                "WHEN mod(m.id, 20) = 1 AND %s >= mod(m.id / 20, 12) THEN NULL "
                "WHEN mod(m.id, 20) = 2 AND mod(%s, 5) <> 4 THEN NULL "
                "WHEN mod(m.id, 20) > 2 AND mod(m.id * 31 + %s * 17, 10) = 0 THEN NULL "
                "ELSE %s::date END "
                f"FROM {table(Membership)} m WHERE m.segment IN ('PU', 'BPU') "
                "AND m.start_date <= %s AND (m.end_date IS NULL OR m.end_date >= %s)",
                [invoice.pk, str(month), i, i, i, paid, month.last_day, month.first_day],
            )
            print(f"synthesised {month}: {cursor.rowcount:,} lines", flush=True)


def coverage(first: str, last: str) -> list[tuple[str, float, Any]]:
    from jamsos.coverage.models import CoverageArea, CoverageFact, CoverageOffice
    from jamsos.coverage.services.build import coverage_build

    synthesise(first, last)

    def written() -> dict[str, Any]:
        return {m.__name__: _frame(m, set()) for m in (CoverageFact, CoverageArea, CoverageOffice)}

    rows = []
    local, seconds = _timed(lambda: coverage_build(first, last))
    rows.append((f"coverage {first}..{last}, one machine", seconds, local))
    expected = written()
    spark, seconds = _timed(lambda: coverage_build(first, last, engine="spark"))
    rows.append((f"coverage {first}..{last}, Spark", seconds, spark))
    rows.append(("coverage rows checked", 0.0, _equal(expected, written())))
    return rows


def _section(label: str, database: str, rows: list[tuple[str, float, Any]]) -> str:
    from jamsos.core.spark import spark_session
    from jamsos.membership.models import Membership

    master = spark_session().sparkContext.master
    out = [
        f"## {label}: {Membership.objects.count():,} memberships "
        f"({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the end. "
        f"Database: `{database.split('@')[-1]}`. Spark master `{master}`.",
        "",
        "| run | s | stages (s) | Spark step (s) | snapshot bytes |",
        "|---|---:|---|---|---|",
    ]
    for name, seconds, run in rows:
        if isinstance(run, dict):
            out.append(f"| {name} | | {run} | | |")
            continue
        counts = run.counts
        stages = ", ".join(f"{k} {v:.1f}" for k, v in run.timings.items())
        spark = counts.get("spark_seconds", "")
        size = counts.get("spark_bytes", "")
        out.append(f"| {name} | {seconds:.1f} | {stages} | {spark} | {size} |")
    out += ["", f"Peak RSS of this process: {_rss_mb():,.0f} MB.", ""]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--label", default="spark")
    parser.add_argument("--period", default="2025-03")
    parser.add_argument("--as-of", default="2025-04-01")
    parser.add_argument("--from", dest="first", default="2024-12")
    parser.add_argument("--to", dest="last", default="2025-02")
    parser.add_argument("--skip-billing", action="store_true")
    parser.add_argument("--skip-coverage", action="store_true")
    args = parser.parse_args()
    if not args.database:
        parser.error("--database or DATABASE_URL is required")
    django_setup(args.database)
    rows: list[tuple[str, float, Any]] = []
    if not args.skip_billing:
        rows += billing(args.period, date.fromisoformat(args.as_of))
        print(_section(args.label, args.database, rows), flush=True)
    if not args.skip_coverage:
        rows += coverage(args.first, args.last)
    text = _section(args.label, args.database, rows)
    print(text)
    with (RESULTS / f"spark-{args.label}.md").open("a") as handle:
        handle.write(text + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
