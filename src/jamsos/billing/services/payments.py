"""Posting payments and applying payer credit (docs/billing/payments.md).

A payment is idempotent by its bank reference: posted twice with the same content it is one
payment; with different content it is refused. Posting locks the payer row, so two processes
never allocate the same item amount; the unique bank reference makes a race between two
processes posting the same reference one payment (the loser re-reads the winner's).

Allocation (ADR 0104): the payer's open items, oldest due date first, then by invoice, then by
``rank`` (JKK, JKM, JHT, JP, PMI package, then penalties) within an invoice. What is left after
every due is paid is held as the payer's credit. A rupiah allocated to a fined contribution item
after its due date is charged the penalty months that its item has not yet charged on it
(:mod:`jamsos.billing.services.penalties`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.billing.bounds import AMOUNT_MAX_IDR, AMOUNT_MIN_IDR, PAID_ON_FIRST, rupiah_text
from jamsos.billing.errors import (
    AmountNotPositive,
    AmountOutOfRange,
    BankRefConflict,
    BankRefTaken,
    CurrencyNotIdr,
    PaidInFuture,
    PaidTooEarly,
    RequiredField,
    VirtualAccountInvalid,
    VirtualAccountUnknown,
)
from jamsos.billing.identifiers import virtual_account_compact, virtual_account_valid
from jamsos.billing.models import (
    Account,
    Allocation,
    Invoice,
    InvoiceItem,
    ItemKind,
    JournalKind,
    Payer,
    Payment,
    PaymentChannel,
    PenaltyCharge,
    StatementFile,
)
from jamsos.billing.policy import BILLING
from jamsos.billing.selectors import payers_visible
from jamsos.billing.services.ledger import PostingRow, entry_post
from jamsos.billing.services.notices import payment_received_notify, payments_received_notify
from jamsos.billing.services.penalties import charge_row, penalty_entry_post, penalty_terms
from jamsos.billing.services.settlement import invoices_settle
from jamsos.core.clock import today_in_jakarta
from jamsos.core.identifiers import is_ascii_digits
from jamsos.legal.deadlines import months_late

CURRENCY = "IDR"
MAX_BANK_REF = 64


def require_payment_poster(scope: Scope | None) -> None:
    """Refuse (403) a caller whose role may not post payments (BILLING's ``payment.post``:
    money received at the bank is bookkeeping of the branch and head office, not of
    employers, workers, partners or analysts); ``None`` is the system itself."""
    BILLING.require(scope, "payment.post")


@dataclass
class PaymentResult:
    """What :func:`payment_post` did: the payment, whether it was new, where the money went."""

    payment: Payment
    created: bool
    allocations: list[Allocation] = field(default_factory=list)
    penalties: list[PenaltyCharge] = field(default_factory=list)

    @property
    def already_posted(self) -> bool:
        return not self.created

    def as_dict(self) -> dict[str, Any]:
        p = self.payment
        return {
            "bank_ref": p.bank_ref,
            "virtual_account": p.virtual_account,
            "amount_idr": p.amount_idr,
            "paid_on": p.paid_on.isoformat(),
            "allocated_idr": p.allocated_idr,
            "to_credit_idr": p.to_credit_idr,
            "already_posted": self.already_posted,
            "allocations": [
                {"item": a.item_id, "amount_idr": a.amount_idr} for a in self.allocations
            ],
            "penalties_idr": sum(c.amount_idr for c in self.penalties),
        }


# ---------------------------------------------------------------------------------------------
# Validation, shared with the statement files and the API
# ---------------------------------------------------------------------------------------------


def amount_check(amount: object) -> int:
    """A whole, positive number of rupiah within the bounds (:mod:`jamsos.billing.bounds`);
    refuses bool, float, Decimal fractions and text (:class:`AmountNotPositive`) and an amount
    above :data:`AMOUNT_MAX_IDR` (:class:`AmountOutOfRange`)."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise AmountNotPositive(value=amount)
    if not AMOUNT_MIN_IDR <= amount <= AMOUNT_MAX_IDR:
        raise AmountOutOfRange(
            value=amount, min=rupiah_text(AMOUNT_MIN_IDR), max=rupiah_text(AMOUNT_MAX_IDR)
        )
    return amount


def amount_parse(text: str) -> int:
    """Rupiah from a statement or command line: digits, optionally grouped with ``.`` or ``,``
    in threes (``1.250.000``) or with a ``.00``/``,00`` decimal part of zeros."""
    raw = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    body = raw
    if len(body) > 3 and body[-3] in ".," and body[-2:] == "00":
        body = body[:-3]
    groups = body.replace(",", ".").split(".")
    if (
        not body
        or not all(is_ascii_digits(g) for g in groups)
        or (len(groups) > 1 and not all(len(g) == 3 for g in groups[1:]))
    ):
        raise AmountNotPositive(value=raw)
    digits = "".join(groups).lstrip("0") or "0"
    if len(digits) > len(str(AMOUNT_MAX_IDR)):  # never int() a thousand-digit text
        raise AmountOutOfRange(
            value=raw[:40], min=rupiah_text(AMOUNT_MIN_IDR), max=rupiah_text(AMOUNT_MAX_IDR)
        )
    return amount_check(int(digits))


def currency_check(currency: str) -> str:
    code = (currency or "").strip().upper()
    if code != CURRENCY:
        raise CurrencyNotIdr(value=currency)
    return code


def virtual_account_check(value: str) -> str:
    """The compact VA, or :class:`VirtualAccountInvalid` (format or check digit)."""
    va = virtual_account_compact(value)
    if not va:
        raise RequiredField(field="virtual_account")
    if not virtual_account_valid(va):
        raise VirtualAccountInvalid(value=value)
    return va


def bank_ref_check(value: str) -> str:
    ref = (value or "").strip()
    if not ref:
        raise RequiredField(field="bank_ref")
    if len(ref) > MAX_BANK_REF:
        raise RequiredField(field="bank_ref")
    return ref


def paid_on_check(paid_on: date, today: date | None = None) -> date:
    """A value date from :data:`PAID_ON_FIRST` to today in Jakarta."""
    today = today or today_in_jakarta()
    if paid_on > today:
        raise PaidInFuture(value=paid_on)
    if paid_on < PAID_ON_FIRST:
        raise PaidTooEarly(value=paid_on, first=PAID_ON_FIRST)
    return paid_on


def payer_in_scope(payer_id: int | None, scope: Scope | None) -> int | None:
    """``payer_id`` when ``scope`` may post to that payer (a branch officer its office's
    payers; an administrator or the system any), else None: out of scope reads as unknown."""
    if payer_id is None or scope is None or scope.is_admin:
        return payer_id
    return payer_id if payers_visible(scope).filter(pk=payer_id).exists() else None


def existing_payment(
    bank_ref: str, va: str, amount: int, paid_on: date, by: Scope | None = None
) -> Payment | None:
    """The payment already posted under ``bank_ref`` when its content is the same; raises
    :class:`BankRefConflict` when the reference was used for a different payment (naming that
    payment's virtual account and amount only when ``by`` may see its payer)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, virtual_account, amount_idr, paid_on, payer_id "
            f"FROM {Payment._meta.db_table} WHERE bank_ref = %s",
            [bank_ref],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    if (row[1], row[2], row[3]) != (va, amount, paid_on):
        visible = payer_in_scope(row[4], by) is not None
        raise bank_ref_conflict(bank_ref, other_va=row[1], other_amount=row[2], visible=visible)
    return Payment.objects.get(pk=row[0])


def bank_ref_conflict(
    bank_ref: str, *, other_va: str, other_amount: int, visible: bool
) -> BankRefConflict:
    """The refusal of a reused bank reference: with the other payment's virtual account and
    amount for a caller who may see its payer (``visible``), without them for any other (the
    reference is unique across offices, so its use is said; whose payment it was is not)."""
    if not visible:
        return BankRefTaken(value=bank_ref)
    return BankRefConflict(value=bank_ref, other_va=other_va, other_amount=other_amount)


def _payer_locked(va: str) -> int | None:
    """The id of the payer of ``va``, its row locked until the transaction ends (PostgreSQL
    ``FOR UPDATE``; SQLite holds the database's write lock from the transaction's start)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {Payer._meta.db_table} WHERE virtual_account = %s{lock}", [va]
        )
        row = cursor.fetchone()
    return row[0] if row else None


# ---------------------------------------------------------------------------------------------
# Allocation
# ---------------------------------------------------------------------------------------------


_PAYER_BATCH = 1000
_LOCK_BATCH = 5000


@dataclass
class _Applied:
    """Allocations of one source (payment or credit) for one payer, and their ledger sides."""

    allocations: list[Allocation] = field(default_factory=list)
    contribution_idr: int = 0
    penalty_idr: int = 0
    charges: list[PenaltyCharge] = field(default_factory=list)
    invoices: set[int] = field(default_factory=set)

    @property
    def total_idr(self) -> int:
        return self.contribution_idr + self.penalty_idr


def _open_items(payer_ids: list[int]) -> list[tuple[Any, ...]]:
    """The payers' open items in allocation order, one query (raw: this is the hot path)."""
    item, invoice = InvoiceItem._meta.db_table, Invoice._meta.db_table
    marks = ", ".join(["%s"] * len(payer_ids))
    sql = (
        f"SELECT i.id, i.invoice_id, i.kind, i.segment, i.due_date, i.amount_idr, i.paid_idr, "
        f"i.penalty_months, v.payer_id, v.period FROM {item} i "
        f"JOIN {invoice} v ON v.id = i.invoice_id "
        f"WHERE v.payer_id IN ({marks}) AND i.paid_idr < i.amount_idr "
        f"ORDER BY v.payer_id, i.due_date, i.invoice_id, i.rank, i.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, payer_ids)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


@dataclass
class _Plan:
    """Allocations decided for a set of payers, not yet written."""

    applied: dict[int, _Applied]
    updates: list[tuple[int, int]] = field(default_factory=list)  # (new paid_idr, item id)


def _plan(budgets: Mapping[int, int], paid_on: date | Mapping[int, date]) -> _Plan:
    """Decide how ``budgets`` (payer id -> rupiah) pay the payers' open items; one read per
    batch of payers, nothing written. The payers must be locked by the caller. ``paid_on`` is
    the day of every payer's money, or each payer's own day (payer id -> date)."""
    plan = _Plan({payer_id: _Applied() for payer_id in budgets})
    left = dict(budgets)
    ids = sorted(budgets)
    days: Mapping[int, date] | None = None if isinstance(paid_on, date) else paid_on
    fixed: date = paid_on if isinstance(paid_on, date) else date.min
    for start in range(0, len(ids), _PAYER_BATCH):
        for row in _open_items(ids[start : start + _PAYER_BATCH]):
            item_id, invoice_id, kind, segment, due, amount, paid, charged, payer_id, period = row
            budget = left[payer_id]
            if budget <= 0:
                continue
            on = fixed if days is None else days[payer_id]
            part = min(budget, amount - paid)
            left[payer_id] = budget - part
            plan.updates.append((paid + part, item_id))
            applied = plan.applied[payer_id]
            applied.allocations.append(Allocation(item_id=item_id, amount_idr=part, applied_on=on))
            applied.invoices.add(invoice_id)
            if kind == ItemKind.PENALTY:
                applied.penalty_idr += part
                continue
            applied.contribution_idr += part
            charge = _late_charge(payer_id, item_id, part, segment, period, due, on, charged)
            if charge is not None:
                applied.charges.append(charge)
    return plan


def _late_charge(
    payer_id: int,
    item_id: int,
    part: int,
    segment: str,
    period: str,
    due: date,
    on: date,
    charged: int,
) -> PenaltyCharge | None:
    """The penalty owed by ``part`` rupiah of a contribution item paid ``on``, or ``None``.
    The rupiah paid now have borne ``charged`` months (the item's ``penalty_months``); they owe
    months_late in all. The item's counter stays: its unpaid rest has still borne only
    ``charged`` months."""
    terms = penalty_terms(segment, period)
    if not terms.fined:
        return None
    delta = months_late(due, on) - charged
    if not delta:
        return None
    charge = charge_row(
        payer_id=payer_id, item_id=item_id, base_idr=part, months=delta, terms=terms, on=on
    )
    return charge if charge.amount_idr else None


def _plan_write(plan: _Plan, payments: Mapping[int, Payment] | None = None) -> None:
    """Write a plan: one ``executemany`` of item updates, one of allocation inserts. An
    allocation of a payer without a payment in ``payments`` comes from its credit."""
    payments = payments or {}
    inserts: list[tuple[int | None, int, int, date, bool]] = []
    for payer_id, applied in plan.applied.items():
        payment = payments.get(payer_id)
        for allocation in applied.allocations:
            allocation.payment = payment
            allocation.from_credit = payment is None
            inserts.append(
                (
                    payment.pk if payment else None,
                    allocation.item_id,
                    allocation.amount_idr,
                    allocation.applied_on,
                    payment is None,
                )
            )
    if not plan.updates:
        return
    item, table = InvoiceItem._meta.db_table, Allocation._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {item} SET paid_idr = %s WHERE id = %s", plan.updates)
        cursor.executemany(
            f"INSERT INTO {table} (payment_id, item_id, amount_idr, applied_on, from_credit) "
            f"VALUES (%s, %s, %s, %s, %s)",
            inserts,
        )


def _charges_save(applied: Iterable[_Applied], on: date, memo: str, **links: Any) -> None:
    charges = [c for a in applied for c in a.charges]
    if charges:
        PenaltyCharge.objects.bulk_create(charges, batch_size=5000)
        penalty_entry_post(charges, on, memo, **links)


# ---------------------------------------------------------------------------------------------
# Payments
# ---------------------------------------------------------------------------------------------


def payment_post(
    *,
    virtual_account: str,
    amount_idr: int,
    bank_ref: str,
    paid_on: date,
    currency: str = CURRENCY,
    channel: str,
    note: str = "",
    by: Scope | None = None,
    statement: StatementFile | None = None,
) -> PaymentResult:
    """Post money received on a virtual account, once per bank reference.

    Refuses: :class:`RequiredField` (empty reference), :class:`AmountNotPositive`,
    :class:`CurrencyNotIdr`, :class:`VirtualAccountInvalid`, :class:`PaidInFuture`,
    :class:`BankRefConflict` (reference used with another VA, amount or date),
    :class:`VirtualAccountUnknown` (also for a payer outside ``by``'s scope),
    :class:`AmountOutOfRange` and :class:`PaidTooEarly` (:mod:`jamsos.billing.bounds`).
    Posting an identical payment again returns it with ``already_posted`` true and writes
    nothing.
    """
    require_payment_poster(by)
    ref = bank_ref_check(bank_ref)
    amount = amount_check(amount_idr)
    currency_check(currency)
    va = virtual_account_check(virtual_account)
    if not isinstance(paid_on, date):
        raise RequiredField(field="paid_on")
    paid_on_check(paid_on)
    if channel not in PaymentChannel.values:
        raise ValueError(f"unknown payment channel {channel!r}")

    with transaction.atomic():
        payer_id = payer_in_scope(_payer_locked(va), by)
        if payer_id is None:
            existing_payment(ref, va, amount, paid_on, by)  # a conflict says more than "unknown"
            raise VirtualAccountUnknown(value=va)
        plan = _plan({payer_id: amount}, paid_on)
        applied = plan.applied[payer_id]
        excess = amount - applied.total_idr
        payment = Payment(
            bank_ref=ref,
            payer_id=payer_id,
            virtual_account=va,
            amount_idr=amount,
            paid_on=paid_on,
            received_at=timezone.now(),
            channel=channel,
            statement=statement,
            allocated_idr=applied.total_idr,
            to_credit_idr=excess,
            note=note[:200],
        )
        payment.pk = _payment_insert(payment)
        if payment.pk is not None:
            _payment_book(payment, plan, by)
    if payment.pk is None:
        # Posted before, or by another process a moment ago (its insert won the unique
        # reference; this one waited for it, then did nothing). Nothing was written here.
        found = existing_payment(ref, va, amount, paid_on, by)
        if found is None:  # pragma: no cover - the conflict was on another constraint
            raise IntegrityError(f"payment {ref} neither inserted nor found")
        return PaymentResult(found, created=False, allocations=list(found.allocations.all()))
    return PaymentResult(
        payment, created=True, allocations=applied.allocations, penalties=applied.charges
    )


def _payment_insert(payment: Payment) -> int | None:
    """Insert ``payment`` unless its bank reference exists (``ON CONFLICT DO NOTHING``, both
    engines): its id, or None. A concurrent insert of the same reference makes this wait for
    that transaction, then do nothing if it committed."""
    fields = [
        "bank_ref", "payer_id", "virtual_account", "amount_idr", "paid_on", "received_at",
        "channel", "statement_id", "allocated_idr", "to_credit_idr", "note",
    ]  # fmt: skip
    values = [
        getattr(payment, name) if name != "received_at" else _db_datetime(payment.received_at)
        for name in fields
    ]
    sql = (
        f"INSERT INTO {Payment._meta.db_table} ({', '.join(fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT (bank_ref) DO NOTHING RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    return row[0] if row else None


def _db_datetime(value: Any) -> Any:
    """A datetime as the backend stores it (SQLite: naive UTC text; PostgreSQL: aware)."""
    return connection.ops.adapt_datetimefield_value(value)


def _payment_book(payment: Payment, plan: _Plan, by: Scope | None) -> None:
    """Everything a new payment writes after its own row: allocations, credit, ledger,
    penalties, settlement, audit."""
    payer_id, paid_on, ref = payment.payer_id, payment.paid_on, payment.bank_ref
    applied = plan.applied[payer_id]
    excess = payment.to_credit_idr
    _plan_write(plan, {payer_id: payment})
    if excess:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Payer._meta.db_table} SET credit_idr = credit_idr + %s WHERE id = %s",
                [excess, payer_id],
            )
    rows: list[PostingRow] = [
        (Account.CASH, None, payment.amount_idr, 0),
        (Account.CONTRIBUTION_RECEIVABLE, payer_id, 0, applied.contribution_idr),
        (Account.PENALTY_RECEIVABLE, payer_id, 0, applied.penalty_idr),
        (Account.PAYER_CREDIT, payer_id, 0, excess),
    ]
    entry_post(JournalKind.PAYMENT, paid_on, rows, memo=f"Pembayaran {ref}", payment=payment)
    _charges_save([applied], paid_on, f"Denda pembayaran terlambat {ref}", payment=payment)
    invoices_settle(applied.invoices, paid_on)
    audit_record(
        by,
        AuditAction.CREATE,
        payment,
        detail={
            "bank_ref": ref,
            "virtual_account": payment.virtual_account,
            "amount_idr": payment.amount_idr,
            "paid_on": paid_on.isoformat(),
            "allocated_idr": applied.total_idr,
            "to_credit_idr": excess,
            "channel": payment.channel,
        },
    )
    payment_received_notify(payment.pk, paid_on)


def credits_apply(payer_ids: list[int], on: date) -> int:
    """Apply the credit of ``payer_ids`` to their open items, oldest due first; rupiah applied.

    Called by the billing run inside its transaction after the month's invoices exist, so an
    overpayment pays the next invoice. One read of the payers (locked), one of their items, one
    journal entry (Dr 2100 / Cr 1100 and 1200 per payer), then settlement.
    """
    if not payer_ids:
        return 0
    ids = sorted(set(payer_ids))
    with transaction.atomic():
        budgets: dict[int, int] = {}
        for start in range(0, len(ids), _LOCK_BATCH):
            budgets.update(
                Payer.objects.select_for_update()
                .filter(id__in=ids[start : start + _LOCK_BATCH], credit_idr__gt=0)
                .values_list("id", "credit_idr")
            )
        if not budgets:
            return 0
        plan = _plan(budgets, on)
        _plan_write(plan)
        applied = plan.applied
        rows: list[PostingRow] = []
        used: dict[int, int] = defaultdict(int)
        invoices: set[int] = set()
        for payer_id, a in applied.items():
            if not a.total_idr:
                continue
            used[payer_id] = a.total_idr
            invoices |= a.invoices
            rows += [
                (Account.PAYER_CREDIT, payer_id, a.total_idr, 0),
                (Account.CONTRIBUTION_RECEIVABLE, payer_id, 0, a.contribution_idr),
                (Account.PENALTY_RECEIVABLE, payer_id, 0, a.penalty_idr),
            ]
        if not used:
            return 0
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {Payer._meta.db_table} SET credit_idr = credit_idr - %s WHERE id = %s",
                [(amount, payer_id) for payer_id, amount in used.items()],
            )
        entry_post(JournalKind.CREDIT_USE, on, rows, memo=f"Titipan dipakai {on.isoformat()}")
        _charges_save(applied.values(), on, f"Denda atas titipan dipakai {on.isoformat()}")
        invoices_settle(invoices, on)
    return sum(used.values())


# ---------------------------------------------------------------------------------------------
# Many payments at once (bank statement files)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewPayment:
    """One payment of :func:`payments_post_many`, already checked (bank reference new)."""

    bank_ref: str
    virtual_account: str
    amount_idr: int
    paid_on: date
    note: str = ""


_PAYMENT_FIELDS = (
    "bank_ref", "payer_id", "virtual_account", "amount_idr", "paid_on", "received_at",
    "channel", "statement_id", "allocated_idr", "to_credit_idr", "note",
)  # fmt: skip


def payments_post_many(
    payments: list[NewPayment],
    *,
    channel: str,
    by: Scope | None = None,
    statement: StatementFile | None = None,
) -> int:
    """Post ``payments`` set-based, inside the caller's transaction, writing what
    :func:`payment_post` writes for each of them in turn (a test compares them): the payment,
    its allocations oldest due first, the credit of an excess, the payment's journal entry and
    its penalty entry, the penalty charges, the settled invoices, one audit record each.

    The payers are locked once, in id order, and their open items read once. The payments are
    then allocated in memory in the order given (a statement's: ``paid_on``, then line), each
    from where the payer's previous payment stopped: the items' order does not depend on what
    is paid, so this is the order of posting one by one. Then one write per table (payments,
    item amounts, allocations, entries and postings, charges, audit records, payer credit) and
    one settlement of every invoice touched (:func:`invoices_settle_many`). A bank reference
    posted by someone else since the caller checked it makes the payments insert fail
    (:class:`~django.db.IntegrityError`): the caller undoes the transaction and posts one by
    one. Raises :class:`VirtualAccountUnknown` for a virtual account not found in ``by``'s
    scope. Returns the payments posted.
    """
    from jamsos.access.audit import AuditEntry, audit_record_many
    from jamsos.billing.services.ledger import EntrySpec, entries_post_many
    from jamsos.billing.services.penalties import penalty_entry_rows
    from jamsos.billing.services.settlement import invoices_settle_many
    from jamsos.core import bulkwrite

    require_payment_poster(by)
    if not payments:
        return 0
    if channel not in PaymentChannel.values:
        raise ValueError(f"unknown payment channel {channel!r}")
    found = _payers_lock({p.virtual_account for p in payments}, by)
    for payment in payments:
        if payment.virtual_account not in found:
            raise VirtualAccountUnknown(value=payment.virtual_account)
    payer_of = [found[p.virtual_account][0] for p in payments]
    credit = dict(found.values())
    credit_before = dict(credit)
    alloc = _allocate(payments, payer_of)

    received_text = bulkwrite.timestamp_text(timezone.now())
    statement_id = statement.pk if statement is not None else None
    ids = bulkwrite.insert_with_ids(
        Payment,
        _PAYMENT_FIELDS,
        (
            (p.bank_ref, pk, p.virtual_account, p.amount_idr, p.paid_on.isoformat(),
             received_text, channel, statement_id, total, p.amount_idr - total, p.note[:200])
            for p, pk, total in zip(payments, payer_of, alloc.total, strict=True)
        ),
        key="bank_ref",
    )  # fmt: skip
    payment_ids = [ids[p.bank_ref] for p in payments]
    bulkwrite.analyze_if_grown(Payment, len(payments))
    bulkwrite.update_rows(InvoiceItem, ("paid_idr",), alloc.paid.items())
    bulkwrite.insert(
        Allocation,
        ("payment_id", "item_id", "amount_idr", "applied_on", "from_credit"),
        (
            (payment_ids[index], item_id, amount, on.isoformat(), False)
            for index, item_id, amount, on in alloc.allocations
        ),
    )
    entries: list[EntrySpec] = []
    audits: list[AuditEntry] = []
    label_of = Payment.__str__
    for index, p in enumerate(payments):
        pk, payment_id, total = payer_of[index], payment_ids[index], alloc.total[index]
        excess = p.amount_idr - total
        credit[pk] += excess
        entries.append(
            EntrySpec(
                JournalKind.PAYMENT,
                p.paid_on,
                [
                    (Account.CASH, None, p.amount_idr, 0),
                    (Account.CONTRIBUTION_RECEIVABLE, pk, 0, total - alloc.penalty[index]),
                    (Account.PENALTY_RECEIVABLE, pk, 0, alloc.penalty[index]),
                    (Account.PAYER_CREDIT, pk, 0, excess),
                ],
                memo=f"Pembayaran {p.bank_ref}",
                payment_id=payment_id,
            )
        )
        charges = alloc.charges.get(index)
        if charges:
            penalty_rows = penalty_entry_rows(charges)
            if any(d or c for _, _, d, c in penalty_rows):
                entries.append(
                    EntrySpec(
                        JournalKind.PENALTY,
                        p.paid_on,
                        penalty_rows,
                        memo=f"Denda pembayaran terlambat {p.bank_ref}",
                        payment_id=payment_id,
                    )
                )
        audits.append(
            AuditEntry(
                AuditAction.CREATE,
                Payment._meta.label_lower,
                str(payment_id),
                label=label_of(p)[:200],  # type: ignore[arg-type]  # bank_ref, amount_idr
                detail={
                    "bank_ref": p.bank_ref,
                    "virtual_account": p.virtual_account,
                    "amount_idr": p.amount_idr,
                    "paid_on": p.paid_on.isoformat(),
                    "allocated_idr": total,
                    "to_credit_idr": excess,
                    "channel": channel,
                },
            )
        )
    entries_post_many(entries)
    bulkwrite.insert(
        PenaltyCharge,
        ("payer_id", "source_item_id", "base_idr", "months", "rate", "amount_idr", "accrued_on",
         "reference"),
        (
            (c.payer_id, c.source_item_id, c.base_idr, c.months, str(c.rate), c.amount_idr,
             c.accrued_on.isoformat(), c.reference)
            for index in sorted(alloc.charges)
            for c in alloc.charges[index]
        ),
    )  # fmt: skip
    invoices_settle_many(alloc.touched, alloc.completed)
    audit_record_many(by, audits)
    payments_received_notify(zip(payment_ids, (p.paid_on for p in payments), strict=True))
    changed = [(pk, value) for pk, value in credit.items() if value != credit_before[pk]]
    bulkwrite.update_rows(Payer, ("credit_idr",), changed)
    return len(payments)


def _payers_lock(accounts: set[str], by: Scope | None) -> dict[str, tuple[int, int]]:
    """``{virtual account: (payer id, credit)}`` of the payers of ``accounts`` in ``by``'s
    scope, their rows locked in id order (batches of :data:`_LOCK_BATCH` accounts)."""
    payers = Payer.objects.all() if by is None or by.is_admin else payers_visible(by)
    listed = sorted(accounts)
    found: dict[str, tuple[int, int]] = {}
    for start in range(0, len(listed), _LOCK_BATCH):
        locked = (
            payers.select_for_update(of=("self",))
            .filter(virtual_account__in=listed[start : start + _LOCK_BATCH])
            .order_by("pk")
            .values_list("virtual_account", "pk", "credit_idr")
        )
        found.update({va: (pk, credit) for va, pk, credit in locked})
    return found


@dataclass
class _Allocated:
    """What :func:`_allocate` decided for many payments (indexed as the payments)."""

    total: list[int]
    penalty: list[int]
    #: (payment index, item id, rupiah, applied on), in posting order
    allocations: list[tuple[int, int, int, date]] = field(default_factory=list)
    #: payment index -> its penalty charges (unsaved)
    charges: dict[int, list[PenaltyCharge]] = field(default_factory=dict)
    #: item id -> its new paid amount
    paid: dict[int, int] = field(default_factory=dict)
    #: invoice id -> (value date of the first payment allocated to it, of the last)
    touched: dict[int, tuple[date, date]] = field(default_factory=dict)
    #: (invoice id, segment) -> value date of the payment that paid its last contribution item
    completed: dict[tuple[int, str], date] = field(default_factory=dict)


def _allocate(payments: list[NewPayment], payer_of: list[int]) -> _Allocated:
    """Allocate ``payments`` (of the locked payers ``payer_of``) in memory, in the order given,
    as :func:`_plan` would for each in turn: one read of the payers' open items (oldest due
    first), a cursor per payer that moves on as items are paid, a penalty charge for each
    rupiah paid late on a fined contribution item."""
    out = _Allocated(total=[0] * len(payments), penalty=[0] * len(payments))
    ids = sorted(set(payer_of))
    items: dict[int, list[list[Any]]] = defaultdict(list)
    open_contributions: dict[tuple[int, str], int] = defaultdict(int)
    for start in range(0, len(ids), _PAYER_BATCH):
        for row in _open_items(ids[start : start + _PAYER_BATCH]):
            items[row[8]].append(list(row))
            if row[2] == ItemKind.CONTRIBUTION:
                open_contributions[(row[1], row[3])] += 1
    at: dict[int, int] = defaultdict(int)
    penalty_kind = ItemKind.PENALTY
    for index, (p, payer_id) in enumerate(zip(payments, payer_of, strict=True)):
        budget, on = p.amount_idr, p.paid_on
        queue, position = items[payer_id], at[payer_id]
        while budget > 0 and position < len(queue):
            state = queue[position]
            item_id, invoice_id, kind, segment, due, amount, paid, charged, _, period = state
            part = min(budget, amount - paid)
            budget -= part
            state[6] = paid = paid + part
            out.paid[item_id] = paid
            out.allocations.append((index, item_id, part, on))
            out.total[index] += part
            seen = out.touched.get(invoice_id)
            out.touched[invoice_id] = (seen[0] if seen else on, on)
            if paid == amount:
                position += 1
            if kind == penalty_kind:
                out.penalty[index] += part
                continue
            if paid == amount:
                key = (invoice_id, segment)
                open_contributions[key] -= 1
                if not open_contributions[key]:
                    out.completed[key] = on
            charge = _late_charge(payer_id, item_id, part, segment, period, due, on, charged)
            if charge is not None:
                out.charges.setdefault(index, []).append(charge)
        at[payer_id] = position
    return out
