"""``jamsos billing lapsed | arrears | jht-return | jht-statement``: what the books say.

    jamsos billing lapsed --period 2025-05 [--office KC3204 ...] [--csv FILE]
    jamsos billing arrears [--date YYYY-MM-DD] [--office KC3204] [--kind bpu] [--age d90_plus]
                           [--min 1000000] [--max ...] [--village 32.04.01.2001] [--mine]
                           [--csv FILE]
    jamsos billing jht-return --year 2016
    jamsos billing jht-statement --nik NIK [--year YYYY] [--pdf FILE]

Without ``--as`` the operator acts as an administrator named after the operating-system user
(``Scope.operator``); with it, as that account, within its scope. A refusal exits with status 2.
CSV files carry names and KPJ (no NIK) and are written to the audit trail as exports.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from jamsos.access.audit import audit_record
from jamsos.access.cli import common_options, scope_from_options
from jamsos.access.models import AuditAction, Role
from jamsos.access.scope import Scope
from jamsos.billing.errors import BadDate, BadPeriod
from jamsos.billing.policy import BILLING
from jamsos.billing.selectors import (
    BUCKET_KEYS,
    KIND_FILTER,
    arrears_filter_parse,
    arrears_iter,
    arrears_totals,
    lapsed_memberships,
)
from jamsos.billing.services.documents import jht_statement_pdf
from jamsos.billing.services.jht import jht_return_credit, jht_statement
from jamsos.core.cli import refuse, rupiah
from jamsos.core.clock import today_in_jakarta
from jamsos.core.errors import ApplicationError
from jamsos.core.exports import write_csv_to
from jamsos.core.masking import mask_nik
from jamsos.legal.periods import Period
from jamsos.membership.models import BranchOffice
from jamsos.membership.selectors import person_get_by_nik

LAPSED_HEADER = [
    "kpj",
    "name",
    "segment",
    "office",
    "months_unpaid",
    "first_unpaid",
    "last_billed",
]


def register(sub: Any) -> None:
    """Add ``lapsed``, ``arrears``, ``jht-return`` and ``jht-statement``."""
    lapsed = sub.add_parser("lapsed", help="Open memberships with their last months unpaid")
    lapsed.add_argument("--period", required=True, help="The month to judge, YYYY-MM")
    lapsed.add_argument("--office", action="append", help="Only these branch offices (code)")
    lapsed.add_argument("--csv", help="Write every row to this CSV file")
    common_options(lapsed)
    lapsed.set_defaults(handler=_lapsed)

    arrears = sub.add_parser("arrears", help="Payers in arrears, by days past due")
    arrears.add_argument("--date", help="As of this day, YYYY-MM-DD (default: today)")
    arrears.add_argument("--office", help="As this branch office's officer would see it")
    arrears.add_argument(
        "--kind", choices=sorted(KIND_FILTER), help="Only this kind of payer (as on the page)"
    )
    arrears.add_argument(
        "--age", choices=BUCKET_KEYS, help="Only payers whose oldest overdue amount is this old"
    )
    arrears.add_argument("--min", help="Total arrears at least this many rupiah")
    arrears.add_argument("--max", help="Total arrears at most this many rupiah")
    arrears.add_argument("--village", help="Employer's address or participant's domicile (code)")
    arrears.add_argument("--mine", action="store_true", help="Only the cases assigned to --as")
    arrears.add_argument("--csv", help="Write every row to this CSV file")
    common_options(arrears)
    arrears.set_defaults(handler=_arrears)

    ret = sub.add_parser("jht-return", help="Credit a year's JHT development return")
    ret.add_argument("--year", type=int, required=True)
    common_options(ret)
    ret.set_defaults(handler=_jht_return)

    stm = sub.add_parser("jht-statement", help="A person's JHT statement")
    stm.add_argument("--nik", required=True)
    stm.add_argument("--year", type=int)
    stm.add_argument("--pdf", help="Also write the statement as PDF to this file")
    common_options(stm)
    stm.set_defaults(handler=_jht_statement)


def _lapsed(command: BaseCommand, options: dict[str, Any]) -> None:
    with translation.override(options.get("lang") or "id"):
        try:
            try:
                period = Period.parse(options["period"])
            except ValueError:
                raise BadPeriod(value=options["period"]) from None
            scope = scope_from_options(options)
            rows = lapsed_memberships(scope, period, office_codes=options.get("office"))
        except ApplicationError as exc:
            raise refuse(exc.message) from None
        target = options.get("csv")
        if target:
            with Path(target).open("w", newline="", encoding="utf-8") as handle:
                count = write_csv_to(
                    handle,
                    ([row[key] for key in LAPSED_HEADER] for row in rows.iterator(chunk_size=5000)),
                    LAPSED_HEADER,
                )
            audit_record(
                scope,
                AuditAction.EXPORT,
                target_type="billing.lapsed",
                target_id=str(period),
                label=f"lapsed {period}",
                detail={"rows": count, "offices": options.get("office") or []},
            )
            command.stdout.write(f"{count} kepesertaan nonaktif / lapsed memberships -> {target}")
            return
        for row in rows[:50]:
            command.stdout.write(
                f"{row['kpj']}  {row['segment']:<4} {row['office'] or '-':<8} "
                f"{row['months_unpaid']} bln/months ({row['first_unpaid']}..{row['last_billed']})"
                f"  {row['name']}"
            )
        total = rows.count()
        command.stdout.write(
            f"{total} kepesertaan nonaktif / lapsed memberships per {period}"
            + (" (50 ditampilkan / shown; --csv for all)" if total > 50 else "")
        )


def _office_scope(scope: Scope, code: str | None) -> Scope:
    """An administrator may look at one office's list as its officer sees it."""
    if not code:
        return scope
    if not scope.is_admin:
        raise refuse("--office hanya untuk administrator / --office is for administrators.")
    office = BranchOffice.objects.filter(code=code.strip().upper()).first()
    if office is None:
        raise refuse(f"Kantor cabang {code} tidak ada / no branch office {code}.")
    return replace(scope, role=Role.BRANCH_OFFICER, branch_office_id=office.pk)


def _arrears(command: BaseCommand, options: dict[str, Any]) -> None:
    text = options.get("date")
    try:
        try:
            as_of = date.fromisoformat(text) if text else today_in_jakarta()
        except ValueError:
            raise BadDate(field="as_of", value=text) from None
    except ApplicationError as exc:
        raise refuse(exc.message) from None
    scope = _office_scope(scope_from_options(options), options.get("office"))
    if not BILLING.allows(scope, "arrears.follow_up"):
        raise refuse("Peran ini tidak menindaklanjuti tunggakan / this role has no arrears list.")
    with translation.override(options.get("lang") or "id"):
        try:
            filters = arrears_filter_parse(
                {
                    "jenis": options.get("kind"),
                    "umur": options.get("age"),
                    "min": options.get("min"),
                    "maks": options.get("max"),
                    "desa": options.get("village"),
                    "petugas": "saya" if options.get("mine") else None,
                },
                user_id=scope.user_id,
            )
        except ApplicationError as exc:
            raise refuse(exc.message) from None
    totals = arrears_totals(scope, as_of=as_of, filters=filters)
    target = options.get("csv")
    if target:
        header = ["payer_id", "name", "virtual_account", *BUCKET_KEYS, "total_idr", "oldest_due"]
        with Path(target).open("w", newline="", encoding="utf-8") as handle:
            count = write_csv_to(
                handle,
                (
                    [
                        row.payer_id,
                        row.payer.name if row.payer else "",
                        row.payer.virtual_account if row.payer else "",
                        *row.buckets,
                        row.total_idr,
                        row.oldest_due.isoformat(),
                    ]
                    for row in arrears_iter(scope, as_of=as_of, filters=filters)
                ),
                header,
            )
        audit_record(
            scope,
            AuditAction.EXPORT,
            target_type="billing.arrears",
            target_id=as_of.isoformat(),
            label=f"arrears {as_of.isoformat()}",
            detail={"rows": count, "filters": _filter_detail(options)},
        )
    names = ("1-30", "31-60", "61-90", ">90")
    command.stdout.write(f"Tunggakan / arrears per {as_of.isoformat()}: {totals.payers} pembayar")
    for name, amount in zip(names, totals.buckets, strict=True):
        command.stdout.write(f"  {name:>6} hari/days  {rupiah(amount):>22}")
    command.stdout.write(f"  {'total':>16}  {rupiah(totals.total_idr):>22}")


def _filter_detail(options: dict[str, Any]) -> dict[str, Any]:
    """The filters an export was narrowed by, for its audit event."""
    names = ("office", "kind", "age", "min", "max", "village", "mine")
    return {name: options[name] for name in names if options.get(name)}


def _jht_return(command: BaseCommand, options: dict[str, Any]) -> None:
    with translation.override(options.get("lang") or "id"):
        try:
            summary = jht_return_credit(options["year"], by=scope_from_options(options))
        except ApplicationError as exc:
            raise refuse(exc.message) from None
    command.stdout.write(
        f"Hasil pengembangan JHT {summary.year} ({summary.rate * 100}%, {summary.reference}): "
        f"{summary.credited} dari {summary.accounts} akun / accounts, {rupiah(summary.amount_idr)}"
    )


def _jht_statement(command: BaseCommand, options: dict[str, Any]) -> None:
    language = options.get("lang") or "id"
    with translation.override(language):
        try:
            person = person_get_by_nik(scope_from_options(options), nik=options["nik"])
        except ApplicationError as exc:
            raise refuse(exc.message) from None
    statement = jht_statement(person, options.get("year"))
    year = statement.year or "semua / all"
    command.stdout.write(f"JHT {person.name} (NIK {mask_nik(person.nik)}), {year}")
    command.stdout.write(f"  saldo awal / opening   {rupiah(statement.opening_idr):>20}")
    for entry in statement.entries:
        command.stdout.write(
            f"  {entry.booked_on.isoformat()} {entry.kind:<12} {entry.period} "
            f"{rupiah(entry.amount_idr):>20}"
        )
    command.stdout.write(f"  saldo akhir / closing  {rupiah(statement.closing_idr):>20}")
    target = options.get("pdf")
    if target:
        Path(target).write_bytes(jht_statement_pdf(statement, language=language))
        command.stdout.write(f"PDF -> {target}")
