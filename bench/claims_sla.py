"""Benchmark of the JHT fast lane (docs/claims.md "Service-level timers"): a JHT claim under
Rp 10,000,000 is decided the same working day. Measures what the desk's own work costs per
claim (intake with its eligibility and engine computation, document checks, verify, approve,
pay with its ledger entries) and checks every claim's decision against its ``due_at``.

    .venv/bin/python bench/claims_sla.py --database URL [--claims 200] [--label NAME]

The database is a migrated one (bench/claims_payroll.py's will do). The script writes an
employer, ``--claims`` workers with 120 paid months and a JHT balance under Rp 10 M each, then
files a 10 % JHT claim for each and takes it to paid, timing each step; it removes what it wrote
at the end. Appends a section to bench/results/claims-sla-<label>.md and prints it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from benchlib import django_setup

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--claims", type=int, default=200)
    parser.add_argument("--label", default="local")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    django_setup(args.database)

    from django.db import transaction
    from django.utils import timezone

    from jamsos.access.scope import Scope
    from jamsos.billing.models import JhtEntry, JhtKind
    from jamsos.claims.services.documents import document_add
    from jamsos.claims.services.intake import ClaimInput, claim_submit
    from jamsos.claims.services.payment import claim_pay
    from jamsos.claims.services.workflow import claim_approve, claim_verify
    from jamsos.claims.tests.conftest import PDF, paid_months
    from jamsos.membership.models import BranchOffice
    from jamsos.membership.services import branch_office_create, pu_worker_register
    from jamsos.membership.tests.factories import employer_create, person_create
    from jamsos.registry.models import Region

    officer = Scope.operator("bench-officer")
    village = Region.objects.filter(level=4).first()
    if village is None:
        raise SystemExit("run bench/claims_payroll.py on this database first (regions)")
    if not BranchOffice.objects.filter(code="KCBENCH").exists():
        regency = Region.objects.get(code=village.code[:5], edition=village.edition)
        branch_office_create(code="KCBENCH", name="Bench", regencies=[regency])
    today = date(2026, 11, 20)
    steps: dict[str, list[float]] = {"intake": [], "documents": [], "decide": [], "pay": []}
    on_time = 0
    with transaction.atomic():
        employer = employer_create(village=village, size="large", risk_class=1)
        workers = []
        for i in range(args.claims):
            person = person_create(
                domicile=village,
                birth_date=date(1975, 1, 1 + i % 28),
                name=f"Pekerja Bench {i}",
                serial=5000 + i,
            )
            m = pu_worker_register(
                employer=employer,
                person=person,
                wage_idr=5_000_000,
                start_date=date(2015, 7, 1),
                today=date(2015, 7, 2),
            )
            paid_months(m, date(2015, 7, 1), 125, 5_000_000)
            JhtEntry.objects.create(
                person=person,
                kind=JhtKind.CONTRIBUTION,
                period="2026-10",
                amount_idr=50_000_000,
                booked_on=date(2026, 10, 1),
            )
            workers.append(m)
        for m in workers:
            t0 = time.perf_counter()
            claim = claim_submit(
                officer,
                ClaimInput(
                    nik=m.person.nik,
                    program="JHT",
                    case="partial_10",
                    event_date=today,
                    bank_code="014",
                    account_number="1234567890",
                    account_name=m.person.name,
                ),
                today=today,
            )
            t1 = time.perf_counter()
            for kind in ("ktp", "bank_book"):
                document_add(officer, claim.number, kind=kind, name="d.pdf", content=PDF)
            t2 = time.perf_counter()
            claim_verify(officer, claim.number)
            claim = claim_approve(officer, claim.number)
            t3 = time.perf_counter()
            claim_pay(officer, claim.number, idempotency_key=f"sla-{claim.pk}", paid_on=today)
            t4 = time.perf_counter()
            on_time += claim.decided_at is not None and claim.decided_at <= claim.due_at
            for key, seconds in zip(steps, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                steps[key].append(seconds * 1000)
        transaction.set_rollback(True)  # leave the database as it was
    total = [sum(v) for v in zip(*steps.values(), strict=True)]
    lines = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {args.label} · {args.claims} JHT claims "
        "under Rp 10 M",
        "",
        f"Target: decided the same working day (by 16:00 Jakarta). Decided before due: "
        f"{on_time}/{args.claims} (decisions taken as they were filed, at "
        f"{timezone.localtime():%Y-%m-%d %H:%M} Jakarta).",
        "",
        "| step | median ms | p95 ms |",
        "|---|---:|---:|",
    ]
    for key, values in [*steps.items(), ("whole claim", total)]:
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        lines.append(f"| {key} | {statistics.median(values):.1f} | {p95:.1f} |")
    text = "\n".join([*lines, ""])
    RESULTS.mkdir(exist_ok=True)
    with (RESULTS / f"claims-sla-{args.label}.md").open("a", encoding="utf-8") as out:
        out.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
