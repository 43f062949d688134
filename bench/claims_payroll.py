"""Benchmark of the monthly pension payroll (docs/claims.md "Payroll"): N JP pensions paid in
one run, set-based; aim: 1,000,000 pensioners on PostgreSQL in under 2 minutes.

    .venv/bin/python bench/claims_payroll.py --database URL [--pensioners 1000000] [--label NAME]

For example::

    createdb -h 127.0.0.1 -U postgres jamsos_bench_claims
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jamsos_bench_claims jamsos migrate
    .venv/bin/python bench/claims_payroll.py \\
        --database postgres://postgres@127.0.0.1:5432/jamsos_bench_claims --label pg-1m

What it does: removes earlier bench rows (claims, benefits, payments, payroll runs, benefit
journal entries), writes one insured person with 1,000 paid survivor claims and ``N`` pensions
spread over them (COPY through :mod:`jamsos.core.bulkwrite`; one in five a child's benefit, a
few of them reaching 23 in the month; half of them not yet indexed for the year), then runs
``payroll_run`` for March (stop + indexation + pay + ledger) and for April (stop + pay + ledger),
each timed end to end with its stage timings. Appends a section to
bench/results/claims-payroll-<label>.md and prints it.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from benchlib import django_setup

RESULTS = Path(__file__).parent / "results"
CLAIMS = 1_000


def _reset() -> None:
    from django.db import connection

    from jamsos.billing.models import JournalEntry, JournalKind, Posting
    from jamsos.claims.models import Benefit, BenefitPayment, Claim, ClaimEvent, PayrollRun
    from jamsos.jobs.models import Job

    with connection.cursor() as cursor:
        for model in (BenefitPayment, Benefit, ClaimEvent):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
    Claim.objects.filter(number__startswith="BENCH").delete()
    entries = JournalEntry.objects.filter(kind=JournalKind.BENEFIT)
    Posting.objects.filter(entry__in=entries).delete()
    entries.delete()
    runs = list(PayrollRun.objects.values_list("pk", flat=True))
    PayrollRun.objects.all().delete()
    Job.objects.filter(pk__in=runs).delete()


def _build(pensioners: int) -> float:
    from django.db import transaction
    from django.utils import timezone

    from jamsos.claims.models import Benefit, Claim
    from jamsos.core import bulkwrite
    from jamsos.membership.identifiers import nik_make
    from jamsos.membership.models import Person
    from jamsos.registry.models import Region
    from jamsos.registry.services.editions import edition_get_or_create
    from jamsos.registry.services.regions import region_row, regions_write

    started = time.perf_counter()
    with transaction.atomic():
        person = Person.objects.filter(name="Bench Pensiunan").first()
        if person is None:
            village = Region.objects.filter(level=4).first()
            if village is None:
                edition, _ = edition_get_or_create(name="bench", make_current=True)
                regions_write(
                    edition=edition,
                    rows=[
                        region_row(c, n)
                        for c, n in (
                            ("32", "Jawa Barat"),
                            ("32.04", "Kab. Bandung"),
                            ("32.04.05", "Cileunyi"),
                            ("32.04.05.2001", "Cileunyi Kulon"),
                        )
                    ],
                )
                village = Region.objects.get(code="32.04.05.2001")
            person = Person.objects.create(
                domicile=village,
                nik=nik_make(
                    district_code_nodot="320405", birth_date=date(1960, 1, 1), sex="M", serial=9999
                ),
                name="Bench Pensiunan",
                birth_date=date(1960, 1, 1),
                sex="M",
            )
        now = timezone.now()
        claims = [
            Claim(
                number=f"BENCH{i:07d}",
                person=person,
                program="JP",
                case="death",
                event_date=date(2025, 1, 1),
                channel="officer",
                claimant_name="Ahli waris",
                status="paid",
                submitted_at=now,
                due_at=now,
                submitted_by="bench",
            )
            for i in range(CLAIMS)
        ]
        Claim.objects.bulk_create(claims, batch_size=1000)
        ids = list(Claim.objects.filter(number__startswith="BENCH").values_list("pk", flat=True))
        fields = (
            "claim",
            "kind",
            "program",
            "beneficiary_name",
            "relationship",
            "beneficiary_birth_date",
            "age_limit_on",
            "amount_idr",
            "starts_on",
            "indexed_year",
            "school_level",
            "bank_code",
            "account_number",
            "end_reason",
        )

        def rows() -> Any:
            for i in range(pensioners):
                child = i % 5 == 4
                birth = date(2003, 3 + (i % 2), 10) if child else date(1960, 1, 1)
                limit = date(birth.year + 23, birth.month, birth.day) if child else None
                yield (
                    ids[i % len(ids)],
                    "pension",
                    "JP",
                    f"Penerima {i}",
                    "child" if child else "spouse",
                    birth,
                    limit,
                    400_000 + (i % 4000) * 1000,
                    date(2025, 2, 1),
                    2025 if i % 2 else 2026,
                    "",
                    "014",
                    f"{i:010d}",
                    "",
                )

        bulkwrite.insert(Benefit, [f if f != "claim" else "claim_id" for f in fields], rows())
    bulkwrite.analyze_if_grown(Benefit, pensioners)
    return time.perf_counter() - started


def _one(period: str) -> dict[str, Any]:
    from jamsos.claims.services.payroll import payroll_run

    started = time.perf_counter()
    run = payroll_run(period, paid_on=date.fromisoformat(f"{period}-01"))
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "counts": run.counts,
        "timings": run.totals.get("timings", {}),
        "amount": sum(v for k, v in run.totals.items() if k != "timings"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--pensioners", type=int, default=1_000_000)
    parser.add_argument("--label", default="local")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    django_setup(args.database)
    _reset()
    build = _build(args.pensioners)
    march = _one("2026-03")
    april = _one("2026-04")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {args.label} · {args.pensioners:,} pensions",
        "",
        f"Machine: {platform.node()}, Python {platform.python_version()}; "
        f"database {args.database.split('://')[0]}. Build (COPY): {build:.1f} s.",
        "",
        "| run | seconds | paid | indexed | stopped | amount (Rp) | stages (s) |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, r in (("2026-03 (with indexation)", march), ("2026-04", april)):
        c = r["counts"]
        stages = ", ".join(f"{k} {v}" for k, v in r["timings"].items())
        lines.append(
            f"| {name} | {r['seconds']:.1f} | {c['paid']:,} | {c['indexed']:,} | "
            f"{c['stopped']:,} | {r['amount']:,} | {stages} |"
        )
    lines += ["", f"Peak RSS {peak:.0f} MB.", ""]
    text = "\n".join(lines)
    RESULTS.mkdir(exist_ok=True)
    with (RESULTS / f"claims-payroll-{args.label}.md").open("a", encoding="utf-8") as out:
        out.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
