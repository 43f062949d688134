"""``jamsos participant bill --kpj KPJ [--months N]``; ``jamsos participant opening-balance
import FILE``: JHT balances from before these records (selfservice/services/opening.py).

``participant bill``: a self-paying BPU participant's virtual
account, the invoices of N months from the first unpaid one (issued at once when missing),
their due dates, the total and the QR code's text (docs/workers.md).

For a branch officer at the counter or on the phone with a worker. Without ``--as`` the
operator acts as an administrator; a refusal exits with status 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from jamsos.access.cli import common_options, scope_from_options
from jamsos.access.scope import Scope
from jamsos.core.cli import refuse, rupiah
from jamsos.core.clock import today_in_jakarta
from jamsos.core.errors import ApplicationError
from jamsos.membership.selectors import membership_get_by_kpj
from jamsos.selfservice.payment import payment_details
from jamsos.selfservice.services.opening import opening_balances_import
from jamsos.uploads.limits import read_capped


class Command(BaseCommand):
    help = "A BPU participant paying for themselves: virtual account, months ahead, due dates"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        bill = sub.add_parser("bill", help="Issue and show what to pay for N months")
        bill.add_argument("--kpj", required=True)
        bill.add_argument("--months", type=int, default=1, help="1 to 12 (bpu.advance_months)")
        common_options(bill)
        opening = sub.add_parser(
            "opening-balance", help="JHT balances from before these records, with date and source"
        )
        opening_sub = opening.add_subparsers(
            dest="opening_action", required=True, parser_class=CommandParser
        )
        load = opening_sub.add_parser(
            "import", help="Import a CSV or XLSX file: kpj, saldo, per_tanggal, sumber"
        )
        load.add_argument("file")
        common_options(load)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options.get("lang") or "id"):
            scope = scope_from_options(options)
            if options["action"] == "opening-balance":
                self._opening_import(scope, options["file"])
                return
            try:
                membership = membership_get_by_kpj(scope, kpj=options["kpj"])
                details = payment_details(membership, months=options["months"], by=scope)
            except ApplicationError as exc:
                raise refuse(exc.message) from None
        until = details.protected_until.isoformat() if details.protected_until else "-"
        self.stdout.write(f"KPJ {membership.kpj}  VA {details.virtual_account}")
        self.stdout.write(f"terlindungi sampai / protected until: {until}")
        self.stdout.write(f"per bulan / monthly: {rupiah(details.monthly_idr)}")
        for due in details.due:
            self.stdout.write(
                f"  {due.period}  {due.due_date.isoformat()}  {rupiah(due.amount_idr)}"
            )
        self.stdout.write(f"total: {rupiah(details.amount_idr)}")
        self.stdout.write("QR:\n" + details.qr_text)

    def _opening_import(self, scope: Scope, file: str) -> None:
        path = Path(file)
        try:
            with path.open("rb") as stream:
                content = read_capped(stream, file_name=path.name)
            done = opening_balances_import(
                scope, content=content, file_name=path.name, today=today_in_jakarta()
            )
        except OSError as exc:
            raise refuse(f"{path}: {exc.strerror}") from None
        except ApplicationError as exc:
            raise refuse(exc.message) from None
        self.stdout.write(
            f"{done.rows} saldo awal JHT diimpor / JHT opening balances imported "
            f"({done.replaced} diganti / replaced) dari / from {done.file_name}"
        )
