"""``jamsos participant bill --kpj KPJ [--months N]``: a self-paying BPU participant's virtual
account, the invoices of N months from the first unpaid one (issued at once when missing),
their due dates, the total and the QR code's text (docs/workers.md).

For a branch officer at the counter or on the phone with a worker. Without ``--as`` the
operator acts as an administrator; a refusal exits with status 2.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from jamsos.access.cli import common_options, scope_from_options
from jamsos.core.cli import refuse, rupiah
from jamsos.core.errors import ApplicationError
from jamsos.membership.selectors import membership_get_by_kpj
from jamsos.selfservice.payment import payment_details


class Command(BaseCommand):
    help = "A BPU participant paying for themselves: virtual account, months ahead, due dates"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        bill = sub.add_parser("bill", help="Issue and show what to pay for N months")
        bill.add_argument("--kpj", required=True)
        bill.add_argument("--months", type=int, default=1, help="1 to 12 (bpu.advance_months)")
        common_options(bill)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options.get("lang") or "id"):
            scope = scope_from_options(options)
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
