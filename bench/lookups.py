"""Benchmark of the registry's lookups and scoped lists on a loaded population.

    DATABASE_URL=... .venv/bin/python bench/lookups.py [--samples N]

Needs a database with a population (``jamsos setup_demo --workers 1000000``). Times, through the
same scoped selectors the pages, the API and the CLI call:

- a lookup by NIK (administrator; branch officer, whose scope adds the service-area and
  membership conditions), and by KPJ;
- a search by name within a branch office;
- the first page and a deep page (offset up to 1,000) of a branch office's memberships, an
  employer's memberships and a partner's registrations, 50 rows each, newest first.

Each query is run ``--samples`` times on random keys after a warm-up; the table gives p50, p95
and p99 in milliseconds and is written to bench/results/lookups-<engine>.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsos.config.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from jamsos.access.models import Role  # noqa: E402
from jamsos.access.scope import Scope  # noqa: E402
from jamsos.membership.models import Membership, Person  # noqa: E402
from jamsos.membership.selectors import (  # noqa: E402
    membership_get_by_kpj,
    membership_list,
    person_get_by_nik,
    person_search,
)

RESULTS = Path(__file__).parent / "results"
PAGE = 50


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return q[49], q[94], q[98]


def _time(fn: Callable[[object], object], keys: list[object], warmup: int = 5) -> list[float]:
    for key in keys[:warmup]:
        fn(key)
    out = []
    for key in keys:
        t0 = time.perf_counter()
        fn(key)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _office_scope() -> Scope:
    (office_id,) = (
        Membership.objects.values("branch_office_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("branch_office_id", flat=True)[:1]
    )
    from jamsos.membership.models import BranchOffice

    office = BranchOffice.objects.get(pk=office_id)
    return Scope(
        role=Role.BRANCH_OFFICER,
        actor_name="bench",
        branch_office_id=office.pk,
        regency_codes=frozenset(office.service_area.values_list("code", flat=True)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(7)
    people = Person.objects.count()
    if people < 1000:
        sys.exit("Load a population first: jamsos setup_demo --workers 1000000")
    admin = Scope.operator("bench")
    office = _office_scope()
    employer_id = (
        Membership.objects.filter(employer__isnull=False)
        .values("employer_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("employer_id", flat=True)
        .first()
    )
    employer = Scope(role=Role.EMPLOYER_USER, actor_name="bench", employer_id=employer_id)
    partner_ref = (
        Membership.objects.filter(partner_ref__isnull=False)
        .values("partner_ref")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("partner_ref", flat=True)
        .first()
    )
    partner = Scope(role=Role.PARTNER_USER, actor_name="bench", partner_ref=partner_ref or "")
    n = args.samples
    max_id = Person.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ids = [rng.randrange(1, max_id + 1) for _ in range(n * 2)]
    niks = list(Person.objects.filter(id__in=ids).values_list("nik", flat=True)[:n])
    office_niks = list(
        Membership.objects.filter(branch_office_id=office.branch_office_id).values_list(
            "person__nik", flat=True
        )[: n * 5]
    )
    office_niks = rng.sample(office_niks, min(n, len(office_niks)))
    kpjs = list(
        Membership.objects.filter(branch_office_id=office.branch_office_id).values_list(
            "kpj", flat=True
        )[: n * 5]
    )
    kpjs = rng.sample(kpjs, min(n, len(kpjs)))
    names = [
        name.split()[0]
        for name in Person.objects.filter(id__in=ids[:200]).values_list("name", flat=True)
    ]
    office_rows = membership_list(office).count()
    employer_rows = membership_list(employer).count()
    partner_rows = membership_list(partner).count()

    def page(scope: Scope, rows: int) -> Callable[[object], object]:
        def run(offset: object) -> object:
            return list(membership_list(scope)[int(offset) : int(offset) + PAGE])  # type: ignore[call-overload]

        return run

    def offsets(rows: int) -> list[object]:
        top = max(0, min(rows - PAGE, 1000))
        return [rng.randrange(0, top + 1) for _ in range(n)]

    cases: list[tuple[str, Callable[[object], object], list[object]]] = [
        ("NIK lookup, administrator", lambda k: person_get_by_nik(admin, nik=k), niks),
        ("NIK lookup, branch officer", lambda k: person_get_by_nik(office, nik=k), office_niks),
        ("KPJ lookup, branch officer", lambda k: membership_get_by_kpj(office, kpj=k), kpjs),
        ("First page (50), branch office's memberships", page(office, office_rows), [0] * n),
        (
            "Page at offset ≤ 1,000, branch office's memberships",
            page(office, office_rows),
            offsets(office_rows),
        ),
        ("First page (50), employer's memberships", page(employer, employer_rows), [0] * n),
        ("First page (50), partner's registrations", page(partner, partner_rows), [0] * n),
        (
            "Name search (50), branch officer",
            lambda k: person_search(office, name=str(k)),
            [rng.choice(names) for _ in range(min(n, 40))],
        ),
    ]
    engine = connection.vendor
    lines = [
        f"Engine: {engine}; {people:,} people, {Membership.objects.count():,} memberships; "
        f"branch office with {office_rows:,} memberships, employer with {employer_rows:,}, "
        f"partner with {partner_rows:,}. {platform.python_implementation()} "
        f"{platform.python_version()}; {n} samples per row.",
        "",
        "| query | samples | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, fn, keys in cases:
        samples = _time(fn, keys)
        p50, p95, p99 = _percentiles(samples)
        lines.append(f"| {label} | {len(samples)} | {p50:.2f} | {p95:.2f} | {p99:.2f} |")
        print(lines[-1], flush=True)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"lookups-{engine}.md"
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:1]))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
