"""`jamsos enrolment`: bulk and sponsored enrolment lists from the command line.

    jamsos enrolment upload FILE --partner CODE --kind association|election|sponsored --key KEY
                            [--term-from DATE --term-until DATE] [--sponsor-kind K]
                            [--sponsor-ref REF] [--sponsor-name NAME] [--agreement NUMBER]
                            --as USERNAME
    jamsos enrolment status BATCH [--rows] [--as USERNAME]
    jamsos enrolment list [--pending] [--as USERNAME]
    jamsos enrolment approve BATCH --as USERNAME [--note TEXT]
    jamsos enrolment reject BATCH --note TEXT --as USERNAME
    jamsos enrolment result BATCH --out F.xlsx|F.csv [--as USERNAME]
    jamsos enrolment end-terms [--on DATE]

The uploader and the checker are accounts (maker-checker): ``upload``, ``approve`` and
``reject`` need ``--as``. Without ``--as`` the reading commands act as the operator (an
administrator). A refusal exits with status 2 and its reason.
"""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from jamsos.access.scope import Scope, scope_for_user
from jamsos.core.errors import ApplicationError
from jamsos.core.formatting import format_number
from jamsos.membership.services.terms import terms_end
from jamsos.partners.models import BatchKind
from jamsos.partners.selectors.enrolment import batch_get, batch_list, batch_rows, batches_pending
from jamsos.partners.services.enrolment import (
    BATCH_STATUS_TEXT,
    STATUS_TEXT,
    batch_approve,
    batch_reject,
    batch_result_file,
    batch_stage,
    row_reasons,
)
from jamsos.uploads.parsing import read_capped


def _refuse(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _refuse(f"Tanggal tidak sah / invalid date: {value!r} (YYYY-MM-DD)") from None


class EnrolmentCommand(BaseCommand):
    help = (
        "Bulk and sponsored enrolment lists: upload, status, list, approve, reject, result, "
        "end-terms"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        up = sub.add_parser("upload", help="Stage and check a list (nobody is enrolled yet)")
        up.add_argument("file")
        up.add_argument("--partner", required=True, help="The partner's code")
        up.add_argument("--kind", required=True, choices=[k.value for k in BatchKind])
        up.add_argument("--key", required=True, help="Idempotency key (same key = same batch)")
        up.add_argument("--term-from", type=_day)
        up.add_argument("--term-until", type=_day)
        up.add_argument("--sponsor-kind", default="", help="regional_budget, csr or zakat")
        up.add_argument("--sponsor-ref", default="")
        up.add_argument("--sponsor-name", default="")
        up.add_argument("--agreement", default="", help="The agreement's number (PKS)")
        self._who(up)
        st = sub.add_parser("status", help="A batch's status and counts")
        st.add_argument("batch", type=int)
        st.add_argument("--rows", action="store_true", help="List every row")
        self._who(st)
        ls = sub.add_parser("list", help="Batches in scope")
        ls.add_argument("--pending", action="store_true", help="Only those waiting for approval")
        self._who(ls)
        ap = sub.add_parser("approve", help="Approve and enrol the valid rows (checker)")
        ap.add_argument("batch", type=int)
        ap.add_argument("--note", default="")
        self._who(ap)
        rj = sub.add_parser("reject", help="Reject a batch with a note (checker)")
        rj.add_argument("batch", type=int)
        rj.add_argument("--note", required=True)
        self._who(rj)
        rs = sub.add_parser("result", help="Write the result file (XLSX or CSV)")
        rs.add_argument("batch", type=int)
        rs.add_argument("--out", required=True)
        self._who(rs)
        et = sub.add_parser("end-terms", help="End fixed-term memberships whose term is over")
        et.add_argument("--on", type=_day, help="The day (default: today in Jakarta)")

    @staticmethod
    def _who(parser: CommandParser) -> None:
        parser.add_argument("--as", dest="username", help="Act as this account")
        parser.add_argument("--lang", choices=["id", "en"], default="id")

    def _scope(self, options: dict[str, Any]) -> Scope:
        username = options.get("username")
        if not username:
            try:
                name = getpass.getuser()
            except (KeyError, OSError):
                name = "operator"
            return Scope.operator(name)
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise _refuse(f"Tidak ada akun / no account named {username}.")
        return scope_for_user(user)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        language = options.get("lang") or "id"
        with translation.override(language):
            try:
                getattr(self, "_" + action.replace("-", "_"))(options, language)
            except ApplicationError as exc:
                raise _refuse(exc.message) from None

    def _counts(self, batch: Any, language: str) -> None:
        idn, en = BATCH_STATUS_TEXT[batch.status]
        self.stdout.write(
            f"#{batch.pk} {batch.partner.code} {batch.kind} key={batch.idempotency_key} "
            f"status={idn if language == 'id' else en}"
        )
        counts = batch.counts or {}
        parts = []
        for status, (s_id, s_en) in STATUS_TEXT.items():
            value = counts.get(status, 0)
            if value:
                parts.append(f"{s_id if language == 'id' else s_en}: {format_number(value)}")
        self.stdout.write(f"  {format_number(counts.get('rows', 0))} rows; " + ", ".join(parts))
        if batch.decision_note:
            self.stdout.write(f"  note: {batch.decision_note}")

    def _upload(self, options: dict[str, Any], language: str) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise _refuse(f"Berkas tidak ada / no file at {path}")
        with path.open("rb") as stream:
            content = read_capped(stream, file_name=path.name)
        result = batch_stage(
            scope=self._scope(options),
            partner_code=options["partner"],
            kind=options["kind"],
            idempotency_key=options["key"],
            file_name=path.name,
            content=content,
            term_from=options.get("term_from"),
            term_until=options.get("term_until"),
            sponsor_kind=options.get("sponsor_kind") or "",
            sponsor_ref=options.get("sponsor_ref") or "",
            sponsor_name=options.get("sponsor_name") or "",
            agreement_number=options.get("agreement") or "",
        )
        if not result.created:
            self.stdout.write(
                "Kunci yang sama, berkas yang sama: daftar yang sudah ada."
                if language == "id"
                else "Same key, same file: the existing batch."
            )
        self._counts(result.batch, language)

    def _status(self, options: dict[str, Any], language: str) -> None:
        scope = self._scope(options)
        batch = batch_get(scope, options["batch"])
        self._counts(batch, language)
        if options.get("rows"):
            for row in batch_rows(batch, limit=1_000_000):
                s_id, s_en = STATUS_TEXT[row.status]
                self.stdout.write(
                    f"  {row.row_number:>6} {row.name[:30]:<30} "
                    f"{s_id if language == 'id' else s_en}: {row_reasons(row, language)}"
                )

    def _list(self, options: dict[str, Any], language: str) -> None:
        scope = self._scope(options)
        batches = batches_pending(scope) if options.get("pending") else batch_list(scope)
        for batch in batches:
            self._counts(batch, language)
        if not batches:
            self.stdout.write("Tidak ada daftar." if language == "id" else "No batches.")

    def _approve(self, options: dict[str, Any], language: str) -> None:
        result = batch_approve(
            scope=self._scope(options), batch_id=options["batch"], note=options.get("note") or ""
        )
        self._counts(result.batch, language)
        self.stdout.write(
            f"  {format_number(result.enrolled)} enrolled in {result.seconds} s"
            + (f"; sponsorship #{result.sponsorship_id}" if result.sponsorship_id else "")
        )

    def _reject(self, options: dict[str, Any], language: str) -> None:
        batch = batch_reject(
            scope=self._scope(options), batch_id=options["batch"], note=options["note"]
        )
        self._counts(batch, language)

    def _result(self, options: dict[str, Any], language: str) -> None:
        out_path = Path(options["out"])
        out = batch_result_file(
            scope=self._scope(options),
            batch_id=options["batch"],
            file_format=out_path.suffix or "xlsx",
        )
        out_path.write_bytes(out.content)
        self.stdout.write(f"{out_path} ({format_number(len(out.content))} bytes)")

    def _end_terms(self, options: dict[str, Any], language: str) -> None:
        ended = terms_end(options.get("on"))
        self.stdout.write(
            f"{format_number(ended)} kepesertaan berakhir (masa selesai)"
            if language == "id"
            else f"{format_number(ended)} memberships ended (term over)"
        )
