"""Benchmark of a partner's enrolment list: stage (read, check, match) and approve (enrol).

    .venv/bin/python bench/enrolment.py [--rows 10000] [--kind sponsored|association|market]
                                        [--database URL]

Uses a fresh database (default: a new SQLite file under var/; with ``--database`` a PostgreSQL
URL whose database is dropped and created again), migrates it, loads a few real regions, one
branch office, a partner with its agreement and two accounts (uploader and checker), writes a
CSV of N new workers (NIKs consistent with district, birth date and sex) and times:

1. ``batch_stage``: parse, validate every row, match against the registry, keep the rows;
2. ``batch_approve``: enrol every valid row, set-based (people, memberships with KPJ blocks,
   one event and one audit record per person and per membership, written with COPY on
   PostgreSQL and ``executemany`` on SQLite) and, for a sponsored list, record the sponsorship.

Appends a Markdown line to bench/results/enrolment.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _prepare(url: str) -> None:
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        path.unlink(missing_ok=True)
    else:
        base, name = url.rsplit("/", 1)
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", f"{base}/postgres", "-c", sql], check=True, capture_output=True)
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([str(ROOT / ".venv/bin/jamsos"), "migrate", "-v", "0"], check=True, env=env)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument(
        "--kind", default="sponsored", choices=["sponsored", "association", "market"]
    )
    parser.add_argument("--database", default=f"sqlite:///{ROOT / 'var/bench-enrolment.sqlite3'}")
    args = parser.parse_args()
    _prepare(args.database)
    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsos.config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from jamsos.access.scope import Scope, scope_for_user
    from jamsos.membership.identifiers import nik_make, npwp_make
    from jamsos.membership.models import Association, BranchOffice
    from jamsos.membership.services import branch_office_create, employer_register
    from jamsos.membership.services.accounts import user_access_grant
    from jamsos.membership.tests.fixtures import REGIONS
    from jamsos.partners.services.agreements import agreement_create, agreement_sign
    from jamsos.partners.services.enrolment import batch_approve, batch_stage
    from jamsos.partners.services.partners import partner_create
    from jamsos.registry.models import Region
    from jamsos.registry.services.editions import edition_get_or_create
    from jamsos.registry.services.regions import region_row, regions_write

    today = date(2025, 3, 15)
    admin = Scope.operator("bench")
    edition, _ = edition_get_or_create(name="bench", make_current=True)
    regions_write(edition=edition, rows=[region_row(c, n) for c, n in REGIONS])
    by_code = {r.code: r for r in Region.objects.filter(edition=edition)}
    branch_office_create(
        code="KC3204", name="KC Bandung", regencies=[by_code["32.04"], by_code["32.73"]]
    )
    office = BranchOffice.objects.get(code="KC3204")
    association = Association.objects.create(code="assoc", name="Asosiasi")
    employer = employer_register(
        npwp=npwp_make(taxpayer_type=1, serial=7, tax_office=428),
        legal_name="PT Bench",
        size="large",
        sector="C",
        risk_class=2,
        address_village=by_code["32.04.05.2001"],
        registered_on=date(2020, 1, 2),
    )
    employer.associations.add(association)
    partner = partner_create(
        scope=admin,
        code="bench",
        name="Mitra Bench",
        kind={"sponsored": "zakat_body", "market": "platform"}.get(
            args.kind, "employer_association"
        ),
        region=by_code["32.04"],
        branch_office="KC3204",
        association=association if args.kind == "association" else None,
    )
    agreement = agreement_create(
        scope=admin,
        number="PKS-B",
        title="PKS",
        partner=partner,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        branch_office="KC3204",
    )
    agreement_sign(scope=admin, agreement=agreement, signed_on=date(2025, 1, 1), today=today)
    users = {}
    for name, extra in (
        (
            "maker",
            {
                "role": "partner_user",
                "partner_ref": "bench",
                "partner_regions": [by_code["32.04"], by_code["32.73"]],
            },
        ),
        ("checker", {"role": "branch_officer", "branch_office": office}),
    ):
        access = user_access_grant(username=name, password="x", **extra)
        users[name] = get_user_model().objects.get(pk=access.user_id)
    villages = ["32.04.05.2001", "32.04.05.2002", "32.73.01.1001"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    header = ["nik", "nama", "kode_desa"]
    if args.kind == "association":
        header += ["npp", "upah"]
    writer.writerow(header)
    for i in range(args.rows):
        birth = date(1970 + i % 35, 1 + i % 12, 1 + i % 28)
        sex = "M" if i % 2 else "F"
        nik = nik_make(
            district_code_nodot="320405", birth_date=birth, sex=sex, serial=1 + i // 420 % 9999
        )
        row = [nik, f"Pekerja {i}", villages[i % 3]]
        if args.kind == "association":
            row += [employer.npp, "4500000"]
        writer.writerow(row)
    content = buffer.getvalue().encode()
    started = time.perf_counter()
    batch = batch_stage(
        scope=scope_for_user(users["maker"]),
        partner_code="bench",
        kind=args.kind,
        idempotency_key="bench",
        file_name="bench.csv",
        content=content,
        term_from=None if args.kind == "market" else date(2025, 3, 1),
        term_until=None if args.kind == "market" else date(2025, 12, 31),
        today=today,
    ).batch
    stage_s = time.perf_counter() - started
    if not batch.counts.get("valid"):
        first = batch.rows.exclude(reason="").first()
        raise SystemExit(f"no valid row: {batch.counts} {first.reason if first else ''}")
    started = time.perf_counter()
    result = batch_approve(scope=scope_for_user(users["checker"]), batch_id=batch.pk, today=today)
    approve_s = time.perf_counter() - started
    line = (
        f"| {connection.vendor} | {args.kind} | {args.rows:,} | {batch.counts['valid']:,} | "
        f"{stage_s:.1f} s | {result.enrolled:,} | {approve_s:.1f} s | "
        f"{result.enrolled / approve_s:,.0f}/s | {platform.python_version()} |"
    )
    print(line)
    out = ROOT / "bench/results/enrolment.md"
    if not out.exists():
        out.write_text(
            "# Enrolment lists: stage and approve\n\n"
            "`bench/enrolment.py` on this 2-core machine. Stage = read, check, match and keep "
            "every row; approve = one registration service call per row (person, membership, "
            "event, audit) plus the sponsorship.\n\n"
            "| engine | kind | rows | valid | stage | enrolled | approve | rate | python |\n"
            "|---|---|---|---|---|---|---|---|---|\n"
        )
    with out.open("a") as handle:
        handle.write(line + "\n")
    sys.exit(0)


if __name__ == "__main__":
    main()
