"""``jamsos billing run | runs``: bill a month, and list the run records.

    jamsos billing run --period 2025-03 [--as-of 2025-04-01] [--no-progress] [--engine spark]
    jamsos billing runs [--period 2025-03] [--limit 20]

``run`` shows a progress bar per stage and ends with a summary: payers, invoices, lines, totals
by program and by payer kind, penalties carried, and the memberships refused with their reason.
The operator acts as an administrator named after the operating-system user
(``Scope.operator``). A refusal (bad period, a run already in progress) exits with status 2 and
its message in Bahasa Indonesia (English with ``--lang en``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.console import Console
from rich.table import Table

from jamsos.access.cli import operator_scope
from jamsos.billing.errors import BadDate, BillingError
from jamsos.billing.models import BillingRun
from jamsos.billing.services.run import billing_run, period_check
from jamsos.core.cli import number, rupiah
from jamsos.core.spark import SparkUnavailable
from jamsos.jobs.cli import StageBars

#: Stage names as the operator reads them (Bahasa Indonesia first).
STAGES = {
    "penalties": "Denda / penalties",
    "replace": "Ganti draf / replace drafts",
    "read": "Baca data / read",
    "compute": "Hitung iuran / compute",
    "payers": "Pembayar / payers",
    "invoices": "Tagihan / invoices",
    "lines": "Rincian / lines",
    "rejects": "Ditolak / rejects",
    "ledger": "Jurnal / ledger",
    "credits": "Titipan / credits",
}


def register(sub: Any) -> None:
    """Add ``run`` and ``runs`` to the ``billing`` subcommands."""
    run = sub.add_parser("run", help="Bill one month (YYYY-MM) for every payer")
    run.add_argument("--period", required=True, help="The month to bill, YYYY-MM")
    run.add_argument("--as-of", help="Issue date, YYYY-MM-DD (default: today in Jakarta)")
    run.add_argument("--no-progress", action="store_true", help="No progress bar")
    run.add_argument(
        "--engine",
        choices=["local", "spark"],
        default="local",
        help="Compute the lines here (local) or on Apache Spark (the spark extra; docs/scale.md)",
    )
    run.add_argument("--lang", choices=["id", "en"], default="id")
    run.set_defaults(handler=_run)

    runs = sub.add_parser("runs", help="List billing runs, newest first")
    runs.add_argument("--period", help="Only this month, YYYY-MM")
    runs.add_argument("--limit", type=int, default=20)
    runs.add_argument("--lang", choices=["id", "en"], default="id")
    runs.set_defaults(handler=_runs)


def _console(command: BaseCommand) -> Console:
    return Console(file=command.stdout, width=120, highlight=False, soft_wrap=True)


def _refuse(error: BillingError | SparkUnavailable, options: dict[str, Any]) -> CommandError:
    return CommandError(error.message_in(options.get("lang") or "id"), returncode=2)


def _as_of(options: dict[str, Any]) -> date | None:
    text = options.get("as_of")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _refuse(BadDate(field="as_of", value=text), options) from None


def _run(command: BaseCommand, options: dict[str, Any]) -> None:
    as_of = _as_of(options)
    try:
        period_check(options["period"])
    except BillingError as exc:
        raise _refuse(exc, options) from None
    bars = StageBars(STAGES, width=30, disable=options.get("no_progress", False))
    try:
        with bars:
            run = billing_run(
                options["period"],
                as_of=as_of,
                by=operator_scope(),
                progress=bars.callback,
                engine=options.get("engine") or "local",
            )
    except (BillingError, SparkUnavailable) as exc:
        raise _refuse(exc, options) from None
    _summary(_console(command), run)


def _summary(console: Console, run: BillingRun) -> None:
    c, t = run.counts, run.totals
    seconds = sum(run.timings.values())
    console.print(
        f"Penagihan {run.period} selesai / billing run finished (run {run.pk}, as of "
        f"{run.as_of}, {seconds:.1f} s)."
    )
    table = Table(title="Ringkasan / summary", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    for label, value in (
        ("Pembayar / payers", c.get("payers", 0)),
        ("Pembayar baru / new payers", c.get("payers_new", 0)),
        ("Tagihan / invoices", c.get("invoices", 0)),
        ("  koreksi / corrections", c.get("correction_invoices", 0)),
        ("  hanya denda / penalty only", c.get("penalty_only_invoices", 0)),
        ("Rincian peserta / lines", c.get("lines", 0)),
        ("Draf diganti / drafts replaced", c.get("replaced_invoices", 0)),
        ("Tagihan dipertahankan / kept (paid)", c.get("kept_invoices", 0)),
        ("Sudah ditagih / already billed", c.get("already_billed", 0)),
        ("Denda baru / penalties accrued", c.get("penalties_accrued", 0)),
    ):
        table.add_row(label, number(value))
    console.print(table)
    money = Table(title="Jumlah / totals")
    money.add_column("")
    money.add_column("Rp", justify="right")
    for program, amount in t.get("by_program", {}).items():
        money.add_row(f"Program {program}", rupiah(amount))
    for kind, amount in t.get("by_payer_kind", {}).items():
        money.add_row(f"Pembayar / payer: {kind}", rupiah(amount))
    money.add_row("Iuran / contributions", rupiah(t.get("contributions", 0)))
    money.add_row("Denda / penalties", rupiah(t.get("penalties", 0)))
    money.add_row("Total tagihan / grand total", rupiah(t.get("grand_total", 0)))
    money.add_row(
        "JKP pemerintah (tidak ditagih) / government JKP", rupiah(t.get("jkp_government", 0))
    )
    console.print(money)
    rejected = c.get("rejected_by_reason") or {}
    if rejected:
        refused = Table(title="Kepesertaan ditolak / rejected memberships")
        refused.add_column("Alasan / reason (field:code)")
        refused.add_column("Jumlah / count", justify="right")
        for reason, count in sorted(rejected.items(), key=lambda kv: -kv[1]):
            refused.add_row(reason, number(count))
        console.print(refused)
    else:
        console.print("Tidak ada kepesertaan ditolak / no memberships rejected.")


def _runs(command: BaseCommand, options: dict[str, Any]) -> None:
    runs = BillingRun.objects.all()
    if options.get("period"):
        try:
            runs = runs.filter(period=str(period_check(options["period"])))
        except BillingError as exc:
            raise _refuse(exc, options) from None
    table = Table(title="Penagihan / billing runs")
    for column in ("id", "periode", "status", "mulai / started", "tahap / stage", "rincian / lines",
                   "tagihan / invoices", "total", "oleh / by", "galat / error"):  # fmt: skip
        table.add_column(column)
    for run in runs[: options.get("limit") or 20]:
        table.add_row(
            str(run.pk),
            run.period,
            run.status,
            timezone.localtime(run.started_at).strftime("%Y-%m-%d %H:%M:%S"),
            run.stage,
            number(run.counts.get("lines", 0)),
            number(run.counts.get("invoices", 0)),
            rupiah(run.totals.get("grand_total", 0)),
            run.started_by,
            run.error[:60],
        )
    _console(command).print(table)
