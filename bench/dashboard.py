"""Response times of the coverage pages (p50 / p95 / max over N requests), per view.

    .venv/bin/python bench/dashboard.py --database URL [--requests 50] [--label NAME]
                                        [--user NAME] [--period YYYY-MM]

The database holds coverage figures (``jamsos coverage build`` has run, e.g. by
bench/coverage.py on jamsos_bench_coverage). Each view is asked ``--requests`` times through
Django's test client in this process (no HTTP server, no network: the time is the view's,
templates and database included), after 3 warm-up requests: the nation, the province, regency,
district and village with the most registered participants under the previous one, the map
data of the nation and of that province, "where to go next", the branch offices, the
ecosystems, a segment slice, and the exports (CSV of the provinces, XLSX of the regency's
districts, CSV of the offices). Signs in as ``--user`` (default: the first administrator;
``bench-dashboard``, an administrator, is created when there is none). Appends a Markdown
section to bench/results/dashboard.md (``--out`` to change) and prints it.

The aim (issue 5): every view under 300 ms at p95 with 10 million memberships, because pages
read the precomputed coverage rows only.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import django_setup

AIM_MS = 300.0


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p95 of 50 samples is the 48th smallest)."""
    ordered = sorted(values)
    rank = max(1, int(-(-share * len(ordered) // 1)))
    return ordered[min(rank, len(ordered)) - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL"), required=False)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--label", default="")
    parser.add_argument("--user", default="")
    parser.add_argument("--period", default="")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).parent / "results" / "dashboard.md"
    )
    args = parser.parse_args(argv)
    if not args.database:
        parser.error("--database (or DATABASE_URL) is required")
    django_setup(args.database)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from jamsos.coverage.models import CoverageArea, CoverageFact, CoverageOffice
    from jamsos.coverage.selectors import latest_period

    period = args.period or latest_period()
    if not period:
        print("no coverage figures in this database: run `jamsos coverage build` first")
        return 1
    users = get_user_model().objects
    user = (
        users.get(username=args.user)
        if args.user
        else users.filter(is_superuser=True).order_by("pk").first()
        or users.filter(jamsos_access__role="admin").order_by("pk").first()
    )
    if user is None:
        user = users.create_superuser(username="bench-dashboard", password=None)
    client = Client()
    client.force_login(user)

    def busiest(parent: str) -> str:
        row = (
            CoverageArea.objects.filter(
                period=period, parent_code=parent, segment="", ecosystem="", channel=""
            )
            .order_by("-registered", "region_code")
            .values_list("region_code", flat=True)
            .first()
        )
        return row or parent

    province = (
        CoverageArea.objects.filter(period=period, level=1, segment="", ecosystem="", channel="")
        .order_by("-registered")
        .values_list("region_code", flat=True)
        .first()
        or "00"
    )
    regency = busiest(province)
    district = busiest(regency)
    village = busiest(district)
    q = f"&periode={period}"
    views = [
        ("nation", f"/cakupan/?periode={period}"),
        (f"province {province}", f"/cakupan/?wilayah={province}{q}"),
        (f"regency {regency}", f"/cakupan/?wilayah={regency}{q}"),
        (f"district {district}", f"/cakupan/?wilayah={district}{q}"),
        (f"village {village}", f"/cakupan/?wilayah={village}{q}"),
        ("nation, BPU x pasar", f"/cakupan/?segmen=BPU&ekosistem=pasar{q}"),
        ("map data, nation", f"/cakupan/peta.json?periode={period}"),
        (f"map data, province {province}", f"/cakupan/peta.json?wilayah={province}{q}"),
        ("where to go next (regencies)", f"/cakupan/prioritas/?periode={period}"),
        (
            f"where to go next (villages of {regency})",
            f"/cakupan/prioritas/?wilayah={regency}&tingkat=4{q}",
        ),
        ("branch offices", f"/cakupan/kantor/?periode={period}"),
        ("ecosystems, nation", f"/cakupan/ekosistem/?periode={period}"),
        ("export CSV, provinces", f"/cakupan/?format=csv{q}"),
        (f"export XLSX, districts of {regency}", f"/cakupan/?wilayah={regency}&format=xlsx{q}"),
        ("export CSV, offices", f"/cakupan/kantor/?format=csv{q}"),
        ("export CSV, series", f"/cakupan/?format=csv&tabel=series{q}"),
    ]
    results = []
    for name, url in views:
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        samples = []
        for _ in range(args.requests):
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        results.append(
            (
                name,
                url,
                statistics.median(samples),
                percentile(samples, 0.95),
                max(samples),
                len(response.content),
            )
        )
        print(f"{name:45s} p50 {results[-1][2]:7.1f} ms  p95 {results[-1][3]:7.1f} ms")

    vendor = connection.vendor
    areas = CoverageArea.objects.count()
    per_period = CoverageArea.objects.filter(period=period).count()
    months = CoverageArea.objects.values("period").annotate(n=Count("id")).count()
    facts = CoverageFact.objects.count()
    offices = CoverageOffice.objects.filter(period=period).count()
    nation = CoverageArea.objects.filter(
        period=period, region_code="00", segment="", ecosystem="", channel=""
    ).first()
    lines = [
        f"## {args.label or vendor} — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"- database: {vendor} (`{args.database.split('@')[-1]}`), month {period}; "
        f"{months} months of coverage rows, {areas:,} CoverageArea rows ({per_period:,} this "
        f"month), {facts:,} CoverageFact rows, {offices:,} office rows",
        f"- nation this month: {nation.registered:,} registered, {nation.active:,} active"
        if nation
        else "- nation: no row",
        f"- {args.requests} requests per view after 3 warm-up requests, Django test client in "
        f"one process (view + templates + queries; no HTTP server); Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, load average "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}",
        "",
        "| view | p50 ms | p95 ms | max ms | bytes | under 300 ms p95 |",
        "|---|---:|---:|---:|---:|:-:|",
    ]
    for name, _url, p50, p95, top, size in results:
        lines.append(
            f"| {name} | {p50:.1f} | {p95:.1f} | {top:.1f} | {size:,} | "
            f"{'yes' if p95 < AIM_MS else '**no**'} |"
        )
    lines.append("")
    text = "\n".join(lines)
    print()
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    new = not args.out.exists()
    with args.out.open("a", encoding="utf-8") as out:
        if new:
            out.write(
                "# Coverage dashboard response times\n\nWritten by `bench/dashboard.py` "
                "(see its docstring). Aim: every view under 300 ms at p95.\n\n"
            )
        out.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
