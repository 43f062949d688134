"""``jamsos coverage build | runs``: recompute the coverage facts of some months, list the runs.

    jamsos coverage build --from 2025-01 [--to 2025-04] [--no-progress] [--lang en]
                          [--engine spark]
    jamsos coverage build --since-last [--from 2025-01]
    jamsos coverage runs [--limit 20]

``build`` shows a progress bar over the months (and the stage of the current one) and ends with
a table per month: registered, active, new, lapsed and reactivated participants nationwide,
the rows written and the seconds taken. A refusal (bad period, a run already in progress) exits
with status 2 and its message in Bahasa Indonesia (English with ``--lang en``).
"""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.console import Console
from rich.table import Table

from jamsos.core.spark import SparkUnavailable
from jamsos.coverage.errors import CoverageError
from jamsos.coverage.models import CoverageRun
from jamsos.coverage.services.build import coverage_build
from jamsos.jobs.cli import UnitBar

#: Stage names as the operator reads them (Bahasa Indonesia first).
STAGES = {
    "read": "Baca data / read",
    "compute": "Hitung / compute",
    "write": "Tulis / write",
    "done": "Selesai / done",
}


def number(value: int) -> str:
    """``1234567`` as ``1.234.567``."""
    return f"{int(value):,}".replace(",", ".")


def register(sub: Any) -> None:
    """Add ``build`` and ``runs`` to the ``coverage`` subcommands."""
    build = sub.add_parser("build", help="Recompute the coverage facts of one or more months")
    build.add_argument("--from", dest="period_from", help="First month, YYYY-MM")
    build.add_argument("--to", dest="period_to", help="Last month, YYYY-MM (default: --from)")
    build.add_argument(
        "--since-last",
        action="store_true",
        help="Only the months whose billing, payments or memberships changed since the last run",
    )
    build.add_argument("--no-progress", action="store_true", help="No progress bar")
    build.add_argument(
        "--engine",
        choices=["local", "spark"],
        default="local",
        help="Compute the facts here (local) or on Apache Spark (the spark extra; docs/scale.md)",
    )
    build.add_argument("--lang", choices=["id", "en"], default="id")
    build.set_defaults(handler=_build)

    runs = sub.add_parser("runs", help="List coverage runs, newest first")
    runs.add_argument("--limit", type=int, default=20)
    runs.set_defaults(handler=_runs)


def _console(command: BaseCommand) -> Console:
    return Console(file=command.stdout, width=120, highlight=False, soft_wrap=True)


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operator"


def _build(command: BaseCommand, options: dict[str, Any]) -> None:
    lang = options.get("lang") or "id"
    if not options.get("period_from") and not options.get("since_last"):
        text = (
            "Give --from YYYY-MM (or --since-last)."
            if lang == "en"
            else "Isi --from TTTT-BB (atau --since-last)."
        )
        raise CommandError(text, returncode=2)
    bar = UnitBar("Bulan / months", STAGES, width=34, disable=options.get("no_progress", False))
    try:
        with bar:
            run = coverage_build(
                options.get("period_from"),
                options.get("period_to"),
                by=_operator(),
                progress=bar.callback,
                since_last=options.get("since_last", False),
                engine=options.get("engine") or "local",
            )
    except (CoverageError, SparkUnavailable) as exc:
        raise CommandError(exc.message_in(lang), returncode=2) from None
    _summary(_console(command), run)


def _summary(console: Console, run: CoverageRun) -> None:
    months = run.counts.get("by_month", {})
    seconds = sum(float(v) for k, v in run.timings.items() if k in months)
    if not months:
        console.print(
            f"Tidak ada bulan yang perlu dihitung ulang / nothing to recompute (run {run.pk})."
        )
        return
    console.print(
        f"Kepesertaan {run.period_from}..{run.period_to} selesai / coverage run finished "
        f"(run {run.pk}, {len(months)} bulan / months, {seconds:.1f} s)."
    )
    table = Table(title="Nasional per bulan / nationwide by month")
    columns = (
        "periode",
        "terdaftar / registered",
        "aktif / active",
        "baru / new",
        "nonaktif / lapsed",
        "aktif kembali / reactivated",
        "baris / rows",
        "detik / s",
    )
    for column in columns:
        table.add_column(column, justify="right")
    for period, c in months.items():
        table.add_row(
            period,
            number(c.get("registered", 0)),
            number(c.get("active", 0)),
            number(c.get("new", 0)),
            number(c.get("lapsed", 0)),
            number(c.get("reactivated", 0)),
            number(c.get("facts", 0) + c.get("areas", 0) + c.get("offices", 0)),
            f"{float(run.timings.get(period, 0)):.1f}".replace(".", ","),
        )
    console.print(table)
    unplaced = sum(c.get("unplaced", 0) for c in months.values())
    if unplaced:
        console.print(
            f"{number(unplaced)} kepesertaan tanpa desa domisili dilewati / "
            "memberships without a domicile village skipped."
        )


def _runs(command: BaseCommand, options: dict[str, Any]) -> None:
    table = Table(title="Penghitungan kepesertaan / coverage runs")
    for column in ("id", "periode", "status", "mulai / started", "tahap / stage",
                   "bulan / months", "oleh / by", "galat / error"):  # fmt: skip
        table.add_column(column)
    for run in CoverageRun.objects.all()[: options.get("limit") or 20]:
        table.add_row(
            str(run.pk),
            f"{run.period_from}..{run.period_to}",
            run.status,
            timezone.localtime(run.started_at).strftime("%Y-%m-%d %H:%M:%S"),
            run.stage,
            f"{run.progress_done}/{run.progress_total}",
            run.started_by,
            run.error[:60],
        )
    _console(command).print(table)
