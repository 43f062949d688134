"""What a BPU worker sees about paying: the monthly amount, the virtual account, the months
to pay ahead with their due dates, a QR code of the payment details, and "protected until".

Amounts and invoices come from billing
(:func:`jamsos.billing.services.participants.participant_bill`), which issues the virtual
account and the invoices at once; this module only reads and shapes.

The QR code is a plain payment-details text, not a QRIS payload: QRIS needs the merchant
account of the collecting bank (its national merchant id and acquirer), which the scheme has
not been given. Format (lines, UTF-8)::

    BPJSTK-VA/1
    VA:<16-digit virtual account>
    AMT:<amount in whole rupiah>
    REF:<KPJ>
    DUE:<YYYY-MM-DD, the first due date>

A banking app that cannot read it still shows the text; the page shows the same details to
copy (docs/workers.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import segno

from jamsos.access.scope import Scope
from jamsos.billing.models import Invoice
from jamsos.billing.selectors import protected_until
from jamsos.billing.services.participants import (
    ParticipantBill,
    first_unpaid_period,
    participant_bill,
    self_paying,
)
from jamsos.core.clock import today_in_jakarta
from jamsos.legal.advance import advance_months_offered
from jamsos.membership.models import Membership, Person, Status
from jamsos.selfservice.errors import NoBpuMembership

QR_HEADER = "BPJSTK-VA/1"


@dataclass(frozen=True)
class DueMonth:
    period: str
    due_date: date
    amount_idr: int


@dataclass(frozen=True)
class PaymentDetails:
    membership: Membership
    virtual_account: str
    monthly_idr: int
    months: int
    months_offered: int
    amount_idr: int
    due: list[DueMonth]
    qr_text: str
    protected_until: date | None


def bpu_membership_of(person: Person) -> Membership:
    """The person's active BPU membership paid by themselves; :class:`NoBpuMembership` else."""
    for membership in Membership.objects.filter(
        person=person, segment="BPU", status=Status.ACTIVE
    ).order_by("-start_date", "-pk"):
        if self_paying(membership):
            return membership
    raise NoBpuMembership()


def qr_text(*, virtual_account: str, amount_idr: int, kpj: str, due: date | None) -> str:
    lines = [QR_HEADER, f"VA:{virtual_account}", f"AMT:{amount_idr}", f"REF:{kpj}"]
    if due is not None:
        lines.append(f"DUE:{due.isoformat()}")
    return "\n".join(lines)


def qr_svg(text: str) -> str:
    """The QR code of ``text`` as an inline SVG (error correction M, scalable)."""
    code = segno.make(text, error="m", micro=False)
    return str(code.svg_inline(scale=4, border=2, omitsize=True, title="QR"))


def qr_png(text: str) -> bytes:
    import io

    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def _details(
    membership: Membership, bill: ParticipantBill, months: int, today: date
) -> PaymentDetails:
    invoices: list[Invoice] = bill.invoices
    due = [
        DueMonth(period=i.period, due_date=i.due_date, amount_idr=i.outstanding_idr)
        for i in invoices
    ]
    first_due = due[0].due_date if due else None
    monthly = invoices[-1].total_idr if invoices else 0
    offered = advance_months_offered(first_unpaid_period(membership))
    return PaymentDetails(
        membership=membership,
        virtual_account=bill.payer.virtual_account,
        monthly_idr=monthly,
        months=months,
        months_offered=offered,
        amount_idr=bill.amount_idr,
        due=due,
        qr_text=qr_text(
            virtual_account=bill.payer.virtual_account,
            amount_idr=bill.amount_idr,
            kpj=membership.kpj,
            due=first_due,
        ),
        protected_until=protected_until(membership, today=today),
    )


def payment_details(
    membership: Membership, *, months: int = 1, by: Scope | None = None, today: date | None = None
) -> PaymentDetails:
    """Issue (when needed) and read what to pay for ``months`` months from the first unpaid one."""
    today = today or today_in_jakarta()
    bill = participant_bill(membership, months=months, as_of=today, by=by)
    return _details(membership, bill, months, today)
