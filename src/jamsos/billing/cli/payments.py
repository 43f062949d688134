"""``jamsos billing pay | statement | ledger-check``: money in, and the books' own check.

    jamsos billing pay --va VA --amount N --ref REF --date YYYY-MM-DD [--currency IDR] [--note T]
    jamsos billing statement FILE [--dry-run] [--lang id|en]
    jamsos billing ledger-check

Without ``--as`` the operator acts as an administrator named after the operating-system user
(``Scope.operator``), as the other commands do; with it, as that account (administrators and
branch officers may post). A refusal exits with status 2; a failed ledger check with status 1.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from rich.console import Console
from rich.table import Table

from jamsos.access.cli import common_options, scope_from_options
from jamsos.billing.errors import BadDate, StatementHasErrors
from jamsos.billing.models import PaymentChannel
from jamsos.billing.services.ledger import ledger_check
from jamsos.billing.services.payments import amount_parse, payment_post
from jamsos.billing.services.statements import statement_post
from jamsos.core.cli import number, refuse, rupiah
from jamsos.core.errors import ApplicationError
from jamsos.uploads.limits import read_capped


def register(sub: Any) -> None:
    """Add ``pay``, ``statement`` and ``ledger-check`` to the ``billing`` subcommands."""
    pay = sub.add_parser("pay", help="Post one payment received on a virtual account")
    pay.add_argument("--va", required=True, help="The payer's virtual account (16 digits)")
    pay.add_argument("--amount", required=True, help="Whole rupiah, e.g. 1250000 or 1.250.000")
    pay.add_argument("--ref", required=True, help="The bank's reference (idempotency key)")
    pay.add_argument("--date", required=True, help="Value date at the bank, YYYY-MM-DD")
    pay.add_argument("--currency", default="IDR")
    pay.add_argument("--note", default="")
    common_options(pay)
    pay.set_defaults(handler=_pay)

    stm = sub.add_parser("statement", help="Post a bank statement file (CSV): all lines or none")
    stm.add_argument("file", help="The CSV file (docs/billing/payments.md)")
    stm.add_argument("--dry-run", action="store_true", help="Check only; write nothing")
    common_options(stm)
    stm.set_defaults(handler=_statement)

    chk = sub.add_parser("ledger-check", help="Check the ledger balances and its invariants")
    chk.set_defaults(handler=_ledger_check)


def _console(command: BaseCommand) -> Console:
    return Console(file=command.stdout, width=120, highlight=False, soft_wrap=True)


def _pay(command: BaseCommand, options: dict[str, Any]) -> None:
    with translation.override(options.get("lang") or "id"):
        try:
            try:
                paid_on = date.fromisoformat(options["date"])
            except ValueError:
                raise BadDate(field="paid_on", value=options["date"]) from None
            result = payment_post(
                virtual_account=options["va"],
                amount_idr=amount_parse(options["amount"]),
                bank_ref=options["ref"],
                paid_on=paid_on,
                currency=options["currency"],
                channel=PaymentChannel.CLI,
                note=options["note"],
                by=scope_from_options(options),
            )
        except ApplicationError as exc:
            raise refuse(exc.message) from None
    p = result.payment
    state = "sudah dibukukan / already posted" if result.already_posted else "dibukukan / posted"
    command.stdout.write(
        f"{p.bank_ref}: {state}; {rupiah(p.amount_idr)} = dialokasikan / allocated "
        f"{rupiah(p.allocated_idr)} + titipan / credit {rupiah(p.to_credit_idr)}"
    )
    for allocation in result.allocations:
        command.stdout.write(f"  item {allocation.item_id}: {rupiah(allocation.amount_idr)}")
    penalties = sum(c.amount_idr for c in result.penalties)
    if penalties:
        command.stdout.write(f"  denda / penalty charged: {rupiah(penalties)}")


def _statement(command: BaseCommand, options: dict[str, Any]) -> None:
    language = options.get("lang") or "id"
    path = Path(options["file"])
    try:
        with path.open("rb") as stream:
            content = read_capped(stream, file_name=path.name)
    except OSError as exc:
        raise refuse(f"{path}: {exc.strerror}") from None
    except ApplicationError as exc:
        raise refuse(exc.message_in(language)) from None
    with translation.override(language):
        try:
            result = statement_post(
                content, name=path.name, by=scope_from_options(options), dry_run=options["dry_run"]
            )
        except StatementHasErrors as exc:
            table = Table(title=exc.message_in(language))
            for column in ("baris / line", "kolom / field", "kode / code", "pesan / message"):
                table.add_column(column)
            for error in exc.lines:  # type: ignore[attr-defined]
                message = error.message_en if language == "en" else error.message_id
                table.add_row(str(error.line), error.field, error.code, message)
            _console(command).print(table)
            raise refuse(exc.message_in(language)) from None
        except ApplicationError as exc:
            raise refuse(exc.message) from None
    if result.repeated:
        when = result.statement.uploaded_at if result.statement else ""
        command.stdout.write(
            f"{path.name}: berkas ini sudah dibukukan / this file was already posted ({when}); "
            "tidak ada yang dibukukan lagi / nothing posted again."
        )
        return
    verb = "akan dibukukan / would post" if result.dry_run else "dibukukan / posted"
    command.stdout.write(
        f"{path.name}: {len(result.lines)} baris / lines; {verb} {result.posted} "
        f"({rupiah(result.amount_idr)}); sudah ada / already posted {result.already_posted}."
    )


def _ledger_check(command: BaseCommand, options: dict[str, Any]) -> None:
    check = ledger_check()
    table = Table(title="Buku besar / ledger")
    table.add_column("akun / account")
    table.add_column("saldo / balance (debit - credit)", justify="right")
    for account, balance in sorted(check.balances.items()):
        table.add_row(account, number(balance))
    console = _console(command)
    console.print(table)
    console.print(
        f"entries {number(check.entries)}; debit {number(check.debit_idr)}; "
        f"credit {number(check.credit_idr)}; "
        f"payers checked {number(check.payers_checked)}"
    )
    if not check.ok:
        for problem in check.problems:
            console.print(f"GAGAL / FAILED: {problem}")
        raise CommandError("ledger check failed / pemeriksaan buku besar gagal", returncode=1)
    console.print("OK")
