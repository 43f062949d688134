"""Late-payment penalties (denda): accrual at billing runs and at late allocations.

The rule (ADR 0104, docs/billing/payments.md "Penalties"): a contribution item of a fined segment
(``penalty.segments``) that is not fully paid by its due date bears the rate in force for its
contribution month (``penalty.late_rate``) for every started month of delay, on the amount still
outstanding. ``InvoiceItem.penalty_months`` is the number of months already charged on the item's
*outstanding* amount; a run charges the months started since, on that amount, and advances it; an
allocation charges the rupiah it pays for the months between ``penalty_months`` and its payment
date and leaves it alone (the rest of the item has still borne only ``penalty_months``). So every
rupiah paid late bears ``rate x months late`` once, as :func:`jamsos.legal.late_penalty` computes.

Charges are :class:`PenaltyCharge` rows with ``billed_on`` empty until the next run carries them
onto an invoice as a penalty item; each accrual posts Dr 1200 (per payer) / Cr 4200.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import TypedDict, Unpack

from django.db import transaction
from django.db.models import F, QuerySet

from jamsos.billing.models import (
    Account,
    BillingRun,
    InvoiceItem,
    ItemKind,
    JournalKind,
    Payer,
    Payment,
    PenaltyCharge,
)
from jamsos.billing.services.ledger import entry_post
from jamsos.legal import Period, parameters
from jamsos.legal.deadlines import months_late
from jamsos.legal.money import apply_rate

_CHUNK = 5000


@dataclass(frozen=True)
class PenaltyTerms:
    """Whether a segment's month is fined, and at which rate with which citation."""

    fined: bool
    rate: Decimal
    reference: str


@lru_cache(maxsize=4096)
def penalty_terms(segment: str, period: str) -> PenaltyTerms:
    """The penalty terms of ``segment``'s contribution for ``period`` (read at its legal date)."""
    params = parameters()
    on = Period.parse(period).legal_date
    fined = segment in params.get("penalty.segments", on).value
    rate = params.get("penalty.late_rate", on)
    return PenaltyTerms(fined, Decimal(rate.value), rate.reference_text[:200])


def fined_segments() -> set[str]:
    """Every segment ever listed in ``penalty.segments`` (a coarse SQL pre-filter)."""
    out: set[str] = set()
    for value in parameters().parameter("penalty.segments").values:
        out.update(value.value)
    return out


def charge_row(
    *, payer_id: int, item_id: int, base_idr: int, months: int, terms: PenaltyTerms, on: date
) -> PenaltyCharge:
    """An unsaved charge of ``terms.rate x months`` on ``base_idr``, rounded half up once.

    A negative ``months`` is a reversal (months charged by a run after the payment's value
    date): it is stored with a negative base and amount and positive months, so the sum of a
    payer's charges stays what the rupiah paid late owe.
    """
    sign = -1 if months < 0 else 1
    amount = apply_rate(base_idr * abs(months), terms.rate)
    return PenaltyCharge(
        payer_id=payer_id,
        source_item_id=item_id,
        base_idr=sign * base_idr,
        months=abs(months),
        rate=terms.rate,
        amount_idr=sign * amount,
        accrued_on=on,
        reference=terms.reference,
    )


class _EntryLinks(TypedDict, total=False):
    """What a journal entry may point at (see :func:`entry_post`)."""

    run: BillingRun | None
    payment: Payment | None


def penalty_entry_post(
    charges: list[PenaltyCharge], on: date, memo: str, **links: Unpack[_EntryLinks]
) -> None:
    """Dr 1200 per payer / Cr 4200 for ``charges`` (reversals swap the sides)."""
    rows = penalty_entry_rows(charges)
    if any(d or c for _, _, d, c in rows):
        entry_post(JournalKind.PENALTY, on, rows, memo=memo, **links)


def penalty_entry_rows(charges: list[PenaltyCharge]) -> list[tuple[str, int | None, int, int]]:
    """The postings of :func:`penalty_entry_post` for ``charges``."""
    by_payer: dict[int, int] = defaultdict(int)
    for charge in charges:
        by_payer[charge.payer_id] += charge.amount_idr
    rows: list[tuple[str, int | None, int, int]] = []
    for payer_id, amount in sorted(by_payer.items()):
        if amount > 0:
            rows.append((Account.PENALTY_RECEIVABLE, payer_id, amount, 0))
        elif amount < 0:
            rows.append((Account.PENALTY_RECEIVABLE, payer_id, 0, -amount))
    net = sum(by_payer.values())
    if net > 0:
        rows.append((Account.PENALTY_INCOME, None, 0, net))
    elif net < 0:
        rows.append((Account.PENALTY_INCOME, None, -net, 0))
    return rows


def penalties_accrue(*, on: date, payer_ids: Iterable[int] | None = None) -> int:
    """Charge the months of delay started up to ``on`` on every overdue fined item; the count.

    One pass over the overdue items (one query, or one per 5,000 payers when ``payer_ids`` is
    given), one bulk insert of charges, one UPDATE of ``penalty_months`` per due date (ids in
    chunks) and one journal entry. The payers concerned are locked first (``SELECT ... FOR
    UPDATE`` on PostgreSQL) so that a payment posted at the same moment cannot charge the same
    months on the same rupiah.
    """
    overdue = InvoiceItem.objects.filter(
        kind=ItemKind.CONTRIBUTION,
        segment__in=fined_segments(),
        due_date__lt=on,
        paid_idr__lt=F("amount_idr"),
    )
    if payer_ids is None:
        batches = [overdue]
    else:
        ids = sorted(set(payer_ids))
        batches = [
            overdue.filter(invoice__payer_id__in=ids[start : start + _CHUNK])
            for start in range(0, len(ids), _CHUNK)
        ]
    charges: list[PenaltyCharge] = []
    advance: dict[int, list[int]] = defaultdict(list)
    with transaction.atomic():
        for items in batches:
            list(
                Payer.objects.select_for_update()
                .filter(id__in=items.values("invoice__payer_id"))
                .values_list("id", flat=True)
            )
            _charges_of(items, on, charges, advance)
        if not charges:
            return 0
        PenaltyCharge.objects.bulk_create(charges, batch_size=_CHUNK)
        for months, item_ids in advance.items():
            for start in range(0, len(item_ids), _CHUNK):
                InvoiceItem.objects.filter(id__in=item_ids[start : start + _CHUNK]).update(
                    penalty_months=months
                )
        penalty_entry_post(charges, on, f"Denda keterlambatan s.d. {on.isoformat()}")
    return len(charges)


def _charges_of(
    items: QuerySet[InvoiceItem],
    on: date,
    charges: list[PenaltyCharge],
    advance: dict[int, list[int]],
) -> None:
    """Append the charges due on ``items`` at ``on``; ``advance[months]`` gets their ids."""
    rows = items.values_list(
        "id",
        "invoice__payer_id",
        "invoice__period",
        "segment",
        "due_date",
        "amount_idr",
        "paid_idr",
        "penalty_months",
    ).order_by("id")
    for item_id, payer_id, period, segment, due, amount, paid, charged in rows.iterator(
        chunk_size=_CHUNK
    ):
        terms = penalty_terms(segment, period)
        if not terms.fined:
            continue
        months = months_late(due, on)
        if months - charged <= 0:
            continue
        charges.append(
            charge_row(
                payer_id=payer_id,
                item_id=item_id,
                base_idr=amount - paid,
                months=months - charged,
                terms=terms,
                on=on,
            )
        )
        advance[months].append(item_id)
