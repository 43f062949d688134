"""``jamsos claims ...`` subcommands.

    jamsos claims check|submit --nik NIK --program P --case C --date YYYY-MM-DD [...]
    jamsos claims queue [--status S] [--program P] [--overdue]
    jamsos claims show NUMBER
    jamsos claims verify|approve NUMBER
    jamsos claims reject NUMBER --reason TEXT
    jamsos claims pay NUMBER --key KEY
    jamsos claims transfer-file OUT.csv
    jamsos claims payroll --period YYYY-MM
    jamsos claims stmb-end NUMBER --on YYYY-MM-DD
    jamsos claims report [--year YYYY]

Without ``--as`` the operator acts as an administrator (``Scope.operator``); with it, as that
account. A refusal exits with status 2 and its message in ``--lang`` (id by default).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from jamsos.access.cli import common_options, scope_from_options
from jamsos.claims.selectors import QueueFilter, claim_get, claim_queue, claims_report, timer_of
from jamsos.claims.services.intake import ClaimInput, assess, claim_submit
from jamsos.claims.services.payment import TRANSFER_COLUMNS, claim_pay, transfer_rows
from jamsos.claims.services.payroll import payroll_run, stmb_end
from jamsos.claims.services.workflow import claim_approve, claim_reject, claim_verify
from jamsos.core.cli import refuse, rupiah, text_table
from jamsos.core.errors import ApplicationError
from jamsos.core.exports import write_csv_to
from jamsos.core.masking import mask_nik

Handler = Callable[[BaseCommand, dict[str, Any]], None]


def _claim_args(parser: Any) -> None:
    parser.add_argument("--nik", required=True)
    parser.add_argument("--program", required=True, help="JKK, JKM, JHT, JP or JKP")
    parser.add_argument("--case", required=True)
    parser.add_argument("--date", required=True, help="Event date YYYY-MM-DD")
    parser.add_argument("--ground", default="", help="Full JHT: age_56, stopped_work, ...")
    parser.add_argument("--claimant", default="", help="The claimant's name (an heir)")
    parser.add_argument("--relationship", default="", help="spouse, child, parent, ...")
    parser.add_argument("--no-higher-heir", action="store_true")
    parser.add_argument("--months-unable", type=int)
    parser.add_argument("--disability-percent", type=int)
    parser.add_argument("--children", default="", help="School levels, e.g. SD,SMP")
    parser.add_argument("--bank", default="", help="Bank code, e.g. 014")
    parser.add_argument("--account", default="")
    parser.add_argument("--account-name", default="")


def _input(options: dict[str, Any]) -> ClaimInput:
    return ClaimInput(
        nik=options["nik"],
        program=options["program"],
        case=options["case"],
        event_date=options["date"],
        ground=options["ground"],
        claimant_name=options["claimant"],
        relationship=options["relationship"],
        no_higher_heir=options["no_higher_heir"],
        months_unable=options["months_unable"],
        disability_percent=options["disability_percent"],
        children=options["children"],
        bank_code=options["bank"],
        account_number=options["account"],
        account_name=options["account_name"],
    )


def _guarded(work: Handler) -> Handler:
    def run(command: BaseCommand, options: dict[str, Any]) -> None:
        with translation.override(options.get("lang") or "id"):
            try:
                work(command, options)
            except ApplicationError as exc:
                raise refuse(exc.message) from None

    return run


def register(sub: Any) -> None:
    def add(name: str, help_text: str, work: Handler, *, number: bool = False) -> Any:
        parser = sub.add_parser(name, help=help_text)
        if number:
            parser.add_argument("number", help="The claim number")
        common_options(parser)
        parser.set_defaults(handler=_guarded(work))
        return parser

    _claim_args(add("check", "Eligibility and amounts from the records (writes nothing)", _check))
    _claim_args(add("submit", "Submit a claim on someone's behalf", _submit))
    queue = add("queue", "Open claims, the soonest due first", _queue)
    queue.add_argument("--status", default="")
    queue.add_argument("--program", default="")
    queue.add_argument("--overdue", action="store_true")
    add("show", "One claim with its trace (JSON)", _show, number=True)
    add("verify", "Verify a submitted claim (documents complete)", _verify, number=True)
    add("approve", "Approve a verified claim", _approve, number=True)
    reject = add("reject", "Reject an open claim with a reason", _reject, number=True)
    reject.add_argument("--reason", required=True)
    pay = add("pay", "Pay an approved claim (idempotent by --key)", _pay, number=True)
    pay.add_argument("--key", required=True, help="Idempotency key, e.g. the bank's reference")
    transfer = add("transfer-file", "Write the bank transfer file (CSV)", _transfer)
    transfer.add_argument("out", help="Output file, or - for standard output")
    payroll = add(
        "payroll", "Pay a month's recurring benefits (pensions, STMB, scholarships)", _payroll
    )
    payroll.add_argument("--period", required=True, help="YYYY-MM")
    stop = add("stmb-end", "Record the end of a worker's incapacity (STMB)", _stmb_end, number=True)
    stop.add_argument("--on", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    report = add("report", "Claims and amounts paid per program and month", _report)
    report.add_argument("--year", type=int)


def _check(command: BaseCommand, options: dict[str, Any]) -> None:
    found = assess(scope_from_options(options), _input(options))
    state = "memenuhi syarat / eligible" if found.eligible else "tidak / not eligible"
    command.stdout.write(f"{found.program} {found.case}: {state}, {rupiah(found.amount_idr)}")
    for line in found.result["lines"]:
        command.stdout.write(f"  {line['benefit']}: {line['amount_idr']} ({line['reference']})")
    for reason in found.reasons:
        command.stdout.write(f"  - {reason}")


def _submit(command: BaseCommand, options: dict[str, Any]) -> None:
    claim = claim_submit(scope_from_options(options), _input(options))
    command.stdout.write(f"{claim.number}: {claim.status}, {rupiah(claim.amount_idr)}")


def _queue(command: BaseCommand, options: dict[str, Any]) -> None:
    rows = claim_queue(
        scope_from_options(options),
        QueueFilter(
            status=options["status"], program=options["program"].upper(), overdue=options["overdue"]
        ),
    )
    table = []
    for claim in rows[:200]:
        timer = timer_of(claim)
        table.append(
            [
                claim.number,
                claim.program,
                claim.case,
                mask_nik(claim.person.nik),
                claim.status,
                rupiah(claim.amount_idr),
                f"{claim.due_at:%Y-%m-%d %H:%M}" + (" !" if timer.overdue else ""),
            ]
        )
    command.stdout.write(
        text_table(table, ["nomor", "program", "jenis", "NIK", "status", "jumlah", "batas waktu"])
    )


def _show(command: BaseCommand, options: dict[str, Any]) -> None:
    claim = claim_get(scope_from_options(options), options["number"])
    body = {
        "number": claim.number,
        "status": claim.status,
        "program": claim.program,
        "case": claim.case,
        "amount_idr": claim.amount_idr,
        "eligibility": claim.eligibility,
        "trace": claim.trace,
        "events": [
            [e.at.isoformat(), e.status_from, e.status_to, e.actor_name, e.note]
            for e in claim.events.all()
        ],
    }
    command.stdout.write(json.dumps(body, indent=2, ensure_ascii=False))


def _verify(command: BaseCommand, options: dict[str, Any]) -> None:
    claim = claim_verify(scope_from_options(options), options["number"])
    command.stdout.write(f"{claim.number}: {claim.status}")


def _approve(command: BaseCommand, options: dict[str, Any]) -> None:
    claim = claim_approve(scope_from_options(options), options["number"])
    command.stdout.write(f"{claim.number}: {claim.status}")


def _reject(command: BaseCommand, options: dict[str, Any]) -> None:
    claim = claim_reject(scope_from_options(options), options["number"], reason=options["reason"])
    command.stdout.write(f"{claim.number}: {claim.status}")


def _pay(command: BaseCommand, options: dict[str, Any]) -> None:
    result = claim_pay(
        scope_from_options(options), options["number"], idempotency_key=options["key"]
    )
    state = "dibayar / paid" if result.created else "sudah dibayar / already paid"
    command.stdout.write(
        f"{result.claim.number}: {state}, {rupiah(result.lump_sum_idr)}"
        + "".join(f" + {rupiah(b.amount_idr)}/bln" for b in result.monthly)
    )


def _transfer(command: BaseCommand, options: dict[str, Any]) -> None:
    rows = transfer_rows(scope_from_options(options))
    if options["out"] == "-":
        count = write_csv_to(sys.stdout, rows, TRANSFER_COLUMNS)
    else:
        with Path(options["out"]).open("w", encoding="utf-8", newline="") as handle:
            count = write_csv_to(handle, rows, TRANSFER_COLUMNS)
    command.stderr.write(f"{count} baris / rows")


def _payroll(command: BaseCommand, options: dict[str, Any]) -> None:
    run = payroll_run(options["period"], by=scope_from_options(options))
    command.stdout.write(f"{run.period}: {run.counts} {run.totals}")


def _stmb_end(command: BaseCommand, options: dict[str, Any]) -> None:
    ended = stmb_end(scope_from_options(options), options["number"], on=options["on"])
    command.stdout.write(f"{ended.claim.number}: STMB berhenti / ends {ended.ends_on}")


def _report(command: BaseCommand, options: dict[str, Any]) -> None:
    rows = claims_report(scope_from_options(options), year=options["year"])
    command.stdout.write(
        text_table(
            [
                [r.month, r.program, str(r.claims), str(r.paid_claims), rupiah(r.paid_idr)]
                for r in rows
            ],
            ["bulan", "program", "klaim", "dibayar", "jumlah dibayar"],
        )
    )
