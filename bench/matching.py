"""Benchmark of matching listed workers against the registry (``partners.services.matching``).

    .venv/bin/python bench/matching.py --database postgres://postgres@127.0.0.1:5432/DB
                                       [--rows 100000] [--rounds 3] [--baseline 2000]

Reads the registry only (people, memberships, invoice lines, billing runs); the batch goes into
a temporary table of the session, so the database is left as it was. Needs a populated
registry (``jamsos demo --workers N`` and, for paid status, a billing run).

The batch of ``--rows`` prospects (deterministic, seed 6):

- 40 % NIKs of people on file (covered, reactivation or person-only, as the registry says);
- 10 % possible matches: a person's name (upper-cased, doubled spaces), birth date and village,
  with another NIK of the same district and birth date;
- 5 % repeats of an earlier row of the batch (in-batch duplicates);
- 1 % malformed NIKs;
- the rest new NIKs (district and birth date of a person on file, serials 9000-9999).

Times ``match_rows`` over the whole batch (median of ``--rounds``), and, as the baseline a
naive implementation would be, one query per row for ``--baseline`` rows, extrapolated.
Prints a Markdown table and appends it to bench/results/matching.md.
"""

from __future__ import annotations

import argparse
import platform
import random
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import django_setup


def _batch(rows: int, seed: int = 6) -> tuple[list[dict[str, object]], int]:
    from django.db import connection

    from jamsos.membership.identifiers import nik_make

    rng = random.Random(seed)
    need = int(rows * 0.5) + 1000
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM membership_person")
        top = cursor.fetchone()[0] or 0
        step = max(1, top // need)
        cursor.execute(
            "SELECT p.nik, p.name, p.birth_date, p.sex, r.code FROM membership_person p "
            "JOIN registry_region r ON r.id = p.domicile_id WHERE p.id %% %s = 0 LIMIT %s",
            [step, need],
        )
        people = cursor.fetchall()
    rng.shuffle(people)
    batch: list[dict[str, object]] = []
    n_existing = int(rows * 0.40)
    n_possible = int(rows * 0.10)
    n_dup = int(rows * 0.05)
    n_bad = int(rows * 0.01)
    n_new = rows - n_existing - n_possible - n_dup - n_bad
    it = iter(people)
    for _ in range(n_existing):
        nik, name, birth, _sex, village = next(it)
        batch.append({"nik": nik, "name": name, "birth_date": birth, "village_code": village})
    for _ in range(n_possible):
        nik, name, birth, sex, village = next(it)
        other = nik_make(
            district_code_nodot=nik[:6], birth_date=birth, sex=sex, serial=rng.randint(9000, 9999)
        )
        batch.append(
            {
                "nik": other,
                "name": "  ".join(str(name).upper().split()),
                "birth_date": birth,
                "village_code": village,
            }
        )
    for _ in range(n_new):
        nik, _name, birth, sex, village = people[rng.randrange(len(people))]
        new = nik_make(
            district_code_nodot=nik[:6], birth_date=birth, sex=sex, serial=rng.randint(9000, 9999)
        )
        batch.append(
            {
                "nik": new,
                "name": f"Warga Baru {rng.randint(1, 10**6)}",
                "birth_date": None,
                "village_code": village,
            }
        )
    for _ in range(n_bad):
        batch.append(
            {
                "nik": str(rng.randint(10**10, 10**11)),
                "name": "Salah",
                "birth_date": None,
                "village_code": "",
            }
        )
    for _ in range(n_dup):
        batch.append(dict(batch[rng.randrange(len(batch))]))
    rng.shuffle(batch)
    return batch, top


def _naive(batch: list[dict[str, object]], count: int) -> float:
    """One query (or three) per row, as a loop over the ORM would do."""
    from jamsos.billing.models import InvoiceLine
    from jamsos.membership.checks import search_name_of
    from jamsos.membership.models import Membership, Person

    start = time.perf_counter()
    for row in batch[:count]:
        person = Person.objects.filter(nik=row["nik"]).values_list("id", flat=True).first()
        if person is not None:
            for mid in Membership.objects.filter(person_id=person).values_list("id", flat=True):
                InvoiceLine.objects.filter(membership_id=mid).order_by("-period").values_list(
                    "period", "paid_on"
                ).first()
        elif row["birth_date"] is not None:
            Person.objects.filter(
                search_name=search_name_of(str(row["name"])),
                birth_date=row["birth_date"],
                domicile__code=row["village_code"],
            ).values_list("id", flat=True).first()
    return (time.perf_counter() - start) / count * len(batch)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=int, default=2000)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "matching.md"))
    args = parser.parse_args()
    django_setup(args.database)
    import polars as pl
    from django.db import connection

    from jamsos.partners.services.matching import match_rows

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM membership_person")
        people = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM membership_membership")
        memberships = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM billing_invoiceline")
        lines = cursor.fetchone()[0]
    t0 = time.perf_counter()
    batch, _ = _batch(args.rows)
    build = time.perf_counter() - t0
    frame = pl.DataFrame(batch, schema_overrides={"birth_date": pl.Date})
    times = []
    out = None
    for _ in range(args.rounds):
        t = time.perf_counter()
        out = match_rows(frame, today=date(2025, 6, 15))
        times.append(time.perf_counter() - t)
    assert out is not None
    counts = dict(
        out.group_by("match_status").len().sort("match_status").iter_rows()  # type: ignore[arg-type]
    )
    naive = _naive(batch, args.baseline) if args.baseline else 0.0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    engine = connection.vendor
    today = date.today()  # noqa: DTZ011
    lines_md = [
        f"\n## {args.rows:,} prospects against {people:,} people ({engine}, {today})\n",
        f"Registry: {people:,} people, {memberships:,} memberships, {lines:,} invoice lines. "
        f"Host: {platform.machine()}, Python {platform.python_version()}.\n",
        "| step | seconds |",
        "|---|---|",
        f"| `match_rows` (median of {args.rounds}: {', '.join(f'{x:.2f}' for x in times)}) | "
        f"**{statistics.median(times):.2f}** |",
        f"| rows/s | {args.rows / statistics.median(times):,.0f} |",
        f"| baseline: one query per row, {args.baseline:,} rows extrapolated to {args.rows:,} | "
        f"{naive:.1f} |",
        f"| building the batch (not timed above) | {build:.2f} |",
        f"| peak RSS of the process | {rss:,.0f} MB |",
        "",
        "Outcome: " + ", ".join(f"{k}: {v:,}" for k, v in counts.items()),
        "",
    ]
    text = "\n".join(lines_md)
    print(text)
    path = Path(args.out)
    if not path.exists():
        path.write_text(
            "# Matching listed workers against the registry\n\n"
            "Produced by `bench/matching.py` (see its docstring for the batch). Each section is "
            "one run.\n"
        )
    with path.open("a") as handle:
        handle.write(text)


if __name__ == "__main__":
    main()
