"""The machine's anchors for the billing and coverage rows, measured on the same database in the
same session as bench/billing.py and bench/coverage.py (docs/benchmarks.md).

    .venv/bin/python bench/anchors.py --database URL [--label NAME] [--rows N]

Three hand-written baselines from ../shared/reference/performance.md, over the database's own
memberships (the first ``--rows``, default all):

- ``COPY`` in: a line-shaped frame (id, period, 12 bigints) written by COPY into a fresh table
  without indexes (the write ceiling of the billing run's lines);
- ``INSERT ... SELECT`` lines + ``GROUP BY``: one line per membership computed in SQL (a
  flat 5.7 % of a fixed wage by integer basis points, round half up), then summed by branch
  office: the set-based billing floor;
- two-stage rollup: memberships counted by village, then the village rows rolled up to district,
  regency and province (the coverage job's floor).

Each is timed once per call (the machine is shared and noisy: run it beside the job, not
instead of it). Appends a section to bench/results/anchors-<label>.md and prints it.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from benchlib import django_setup

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--label", default="anchors")
    parser.add_argument("--rows", type=int, default=0)
    args = parser.parse_args()
    django_setup(args.database)
    import polars as pl
    from django.db import connection, transaction

    limit = f"LIMIT {args.rows}" if args.rows else ""
    results: list[tuple[str, int, float]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE anchor_m AS SELECT m.id, m.branch_office_id, "
            f"COALESCE(p.domicile_id, 0) AS village_id FROM membership_membership m "
            f"JOIN membership_person p ON p.id = m.person_id ORDER BY m.id {limit}"
        )
        cursor.execute("SELECT count(*) FROM anchor_m")
        n = int(cursor.fetchone()[0])
        # 1. COPY in a line-shaped frame.
        frame = pl.DataFrame({"id": range(n)}).with_columns(
            period=pl.lit("2025-03"),
            **{f"a{i}": (pl.col("id") * (i + 3)) % 1_000_000 for i in range(12)},
        )
        columns = ", ".join(
            ["id bigint", "period varchar(7)"] + [f"a{i} bigint" for i in range(12)]
        )
        cursor.execute(f"CREATE TABLE anchor_copy ({columns})")
        started = time.perf_counter()
        with cursor.copy("COPY anchor_copy FROM STDIN (FORMAT csv)") as copy:
            for part in frame.iter_slices(500_000):
                copy.write(part.write_csv(include_header=False))
        results.append(
            ("COPY in, line-shaped rows (14 columns), no index", n, time.perf_counter() - started)
        )
        # 2. INSERT ... SELECT + GROUP BY.
        cursor.execute(
            "CREATE TABLE anchor_lines (id bigint, office bigint, jht bigint, jkk bigint)"
        )
        started = time.perf_counter()
        cursor.execute(
            "INSERT INTO anchor_lines SELECT id, branch_office_id, "
            "(5000000::bigint * 570 + 5000) / 10000, (5000000::bigint * 24 + 5000) / 10000 "
            "FROM anchor_m"
        )
        cursor.execute("SELECT office, sum(jht), sum(jkk) FROM anchor_lines GROUP BY office")
        cursor.fetchall()
        results.append(
            ("INSERT ... SELECT lines + GROUP BY office", n, time.perf_counter() - started)
        )
        # 3. Two-stage rollup.
        started = time.perf_counter()
        cursor.execute(
            "CREATE TEMP TABLE anchor_v AS SELECT village_id, count(*) AS n FROM anchor_m "
            "GROUP BY village_id"
        )
        cursor.execute(
            "SELECT r.province_code, r.regency_code, r.district_code, sum(v.n) FROM anchor_v v "
            "JOIN registry_region r ON r.id = v.village_id "
            "GROUP BY ROLLUP (r.province_code, r.regency_code, r.district_code)"
        )
        groups = len(cursor.fetchall())
        results.append(
            (
                f"two-stage rollup (village, then {groups:,} groups)",
                n,
                time.perf_counter() - started,
            )
        )
        transaction.set_rollback(True)
    out = [
        f"## {args.label} ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load {os.getloadavg()[0]:.1f})",
        "",
        "| anchor | rows | s | rows/s |",
        "|---|---:|---:|---:|",
    ]
    for name, rows, seconds in results:
        out.append(f"| {name} | {rows:,} | {seconds:.2f} | {rows / seconds:,.0f} |")
    text = "\n".join(out) + "\n"
    print(text)
    with (RESULTS / f"anchors-{args.label}.md").open("a") as handle:
        handle.write(text + "\n")


if __name__ == "__main__":
    main()
