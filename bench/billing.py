"""Benchmark of the monthly billing run, end to end, per stage, and its re-run.

    .venv/bin/python bench/billing.py --database URL [--label NAME] [--period 2025-03]
                                      [--as-of 2025-04-01] [--reset] [--build N]

The database holds a demo population (as ``jamsos setup_demo --workers N`` builds it, as of
2025-02-28 with wage reports for 2024-12..2025-02, without the demo's billed months; ``--build N``
builds it first). For example::

    createdb -h 127.0.0.1 -U postgres jamsos_bench_billing1m
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jamsos_bench_billing1m jamsos migrate
    .venv/bin/python bench/billing.py --build 1000000 \\
        --database postgres://postgres@127.0.0.1:5432/jamsos_bench_billing1m --label pg-1m
    .venv/bin/python bench/billing.py --database sqlite:////tmp/bench/billing1m.sqlite3 \\
        --label sqlite-1m --reset

What it does, in this process: ``--reset`` removes every billing row (payers, invoices, lines,
ledger, runs) so that the first run creates the payers as a first month does; then
``billing_run(period)`` (first run: payers created, nothing to replace) and the same run again
(re-run: every draft replaced, written again), each timed end to end with its stage timings
from the run record, lines per second and the process's peak RSS (``resource.getrusage``; the
peak is the process's, so the re-run's figure includes the first run's). Appends a Markdown
section to bench/results/billing-<label>.md and prints it.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from benchlib import billing_reset, django_setup

RESULTS = Path(__file__).parent / "results"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _one(period: str, as_of: date) -> dict[str, Any]:
    from jamsos.billing.services.run import billing_run

    started = time.perf_counter()
    run = billing_run(period, as_of=as_of)
    seconds = time.perf_counter() - started
    timings = dict(run.timings)
    # What the run record cannot time itself: the commit (PostgreSQL checks the deferred
    # foreign keys there, one lookup per new row) and writing the record.
    timings["commit"] = round(seconds - sum(timings.values()), 3)
    return {
        "seconds": seconds,
        "timings": timings,
        "counts": run.counts,
        "totals": run.totals,
        "rss_mb": _peak_rss_mb(),
    }


def _section(label: str, database: str, rows: list[tuple[str, dict[str, Any]]]) -> str:
    from django.db import connection

    from jamsos.membership.models import Membership

    memberships = Membership.objects.count()
    stages = list(dict.fromkeys(s for _, r in rows for s in r["timings"]))
    out = [
        f"## {label}: {connection.vendor}, {memberships:,} memberships "
        f"({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}. Database: `{database.split('@')[-1]}`.",
        "",
        "| run | total s | lines | lines/s | invoices | payers new | replaced | peak RSS MB | "
        + " | ".join(f"{s} s" for s in stages)
        + " |",
        "|---|---:|---:|---:|---:|---:|---:|---:|" + "---:|" * len(stages),
    ]
    for name, r in rows:
        c = r["counts"]
        lines = c.get("lines", 0)
        out.append(
            f"| {name} | {r['seconds']:.1f} | {lines:,} | {lines / r['seconds']:,.0f} | "
            f"{c.get('invoices', 0):,} | {c.get('payers_new', 0):,} | "
            f"{c.get('replaced_invoices', 0):,} | {r['rss_mb']:,.0f} | "
            + " | ".join(f"{r['timings'].get(s, 0):.1f}" for s in stages)
            + " |"
        )
    first = rows[0][1]
    out += [
        "",
        f"Rejected: {first['counts'].get('rejected_by_reason')}. Grand total: Rp "
        f"{first['totals'].get('grand_total', 0):,}; identical on the re-run: "
        f"{rows[0][1]['totals'] == rows[-1][1]['totals']}.",
        "",
    ]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--plain-write",
        action="store_true",
        help="write the month by plain inserts into the indexed table (the path before ADR 0107)",
    )
    parser.add_argument("--period", default="2025-03")
    parser.add_argument("--as-of", default="2025-04-01")
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--build", type=int, default=0, help="build an N-worker population first")
    parser.add_argument("--no-rerun", action="store_true")
    args = parser.parse_args()
    if not args.database:
        parser.error("--database or DATABASE_URL is required")
    if args.build:
        env = {**os.environ, "DATABASE_URL": args.database}
        jamsos = str(Path(sys.executable).with_name("jamsos"))
        subprocess.run([jamsos, "migrate", "-v0"], env=env, check=True)
    django_setup(args.database)
    if args.plain_write:
        import importlib

        from benchlib import plain_partition_write

        module = importlib.import_module("jamsos.billing.services.run")
        module.partition_write = plain_partition_write  # type: ignore[attr-defined]
    if args.build:
        # The population only: setup_demo would also bill and pay the demo months.
        from jamsos.demo.population import demo_population_build
        from jamsos.registry.services import reference_data_load

        reference_data_load(progress=False)
        demo_population_build(workers=args.build, progress=False)
    if args.reset:
        billing_reset()
    as_of = date.fromisoformat(args.as_of)
    rows = [("first run", _one(args.period, as_of))]
    if not args.no_rerun:
        rows.append(("re-run", _one(args.period, as_of)))
    label = args.label or "billing"
    text = _section(label, args.database, rows)
    print(text)
    path = RESULTS / f"billing-{label}.md"
    with path.open("a") as handle:
        handle.write(text + "\n")


if __name__ == "__main__":
    main()
