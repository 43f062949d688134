"""Benchmark of the desk's name search on a loaded population: common first names, full names.

    DATABASE_URL=... .venv/bin/python bench/name_search.py [--samples 40]

Needs a database with a population (``jamsos setup_demo --workers 1000000``). Times
:func:`jamsos.membership.selectors.person_search` (bounded searches of the name and trigram
indexes in one query, and one to read the people found) beside the same search as one query
(names starting with the word or holding it later, in scope, ordered, first 50: what the search
was before), for an administrator and a branch officer, on
the ten most common first names and on full names of random people. Both give the same people
(checked on every sample). p50 and p95 in milliseconds, written to
bench/results/name-search-<engine>.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsos.config.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402

from jamsos.access.models import Role  # noqa: E402
from jamsos.access.scope import Scope  # noqa: E402
from jamsos.membership.checks import search_name_of  # noqa: E402
from jamsos.membership.models import BranchOffice, Membership, Person  # noqa: E402
from jamsos.membership.selectors import SEARCH_LIMIT, people_visible, person_search  # noqa: E402

RESULTS = Path(__file__).parent / "results"


def one_query(scope: Scope, name: str) -> list[Person]:
    """The search as one query (the way it was before)."""
    words = search_name_of(name).split()
    first, *rest = words
    query = people_visible(scope).filter(
        Q(search_name__startswith=first) | Q(search_name__contains=f" {first}")
    )
    for word in rest:
        query = query.filter(search_name__contains=word)
    return list(query.select_related("domicile").order_by("search_name", "nik")[:SEARCH_LIMIT])


def _time(
    fn: Callable[[str], list[Person]], keys: list[str]
) -> tuple[list[float], list[list[int]]]:
    fn(keys[0])  # warm-up
    samples, found = [], []
    for key in keys:
        started = time.perf_counter()
        result = fn(key)
        samples.append((time.perf_counter() - started) * 1000)
        found.append([p.pk for p in result])
    return samples, found


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=40)
    args = parser.parse_args()
    rng = random.Random(7)
    people = Person.objects.count()
    if people < 1000:
        sys.exit("Load a population first: jamsos setup_demo --workers 1000000")
    office_id = (
        Membership.objects.values("branch_office_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("branch_office_id", flat=True)
        .first()
    )
    office = BranchOffice.objects.get(pk=office_id)
    scopes = {
        "administrator": Scope.operator("bench"),
        "branch officer": Scope(
            role=Role.BRANCH_OFFICER,
            actor_name="bench",
            branch_office_id=office.pk,
            regency_codes=frozenset(office.service_area.values_list("code", flat=True)),
        ),
    }
    max_id = Person.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ids = [rng.randrange(1, max_id + 1) for _ in range(20_000)]
    names = list(Person.objects.filter(id__in=ids).values_list("search_name", flat=True))
    common = [name for name, _ in Counter(n.split()[0] for n in names if n).most_common(10)]
    full = rng.sample([n for n in names if " " in n], args.samples)
    cases = {
        "a common first name (the ten most common)": [
            common[i % len(common)] for i in range(args.samples)
        ],
        "a full name": full,
    }
    lines = [
        f"Engine: {connection.vendor}; {people:,} people. Ten most common first names: "
        f"{', '.join(common)}. {args.samples} samples per row, after one warm-up.",
        "",
        "| scope | name | one query p50 / p95 ms | bounded searches p50 / p95 ms | same people |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for scope_name, scope in scopes.items():
        for case, keys in cases.items():
            old, old_found = _time(lambda k, s=scope: one_query(s, k), keys)
            new, new_found = _time(lambda k, s=scope: person_search(s, name=k), keys)
            lines.append(
                f"| {scope_name} | {case} | {statistics.median(old):.1f} / {_p(old, 0.95):.1f} "
                f"| {statistics.median(new):.1f} / {_p(new, 0.95):.1f} "
                f"| {'yes' if old_found == new_found else 'NO'} |"
            )
            print(lines[-1], flush=True)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"name-search-{connection.vendor}.md"
    out.write_text("\n".join(lines) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
