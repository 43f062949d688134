"""The double-entry ledger: balanced entries and the check of the books (docs/billing/ledger.md).

Every money event posts one :class:`JournalEntry` whose postings balance. Per-payer accounts
(receivables, payer credit) carry the payer on each posting, so a payer's balance is one indexed
sum; income and cash are posted once per entry, without a payer, or per payer where a split is
useful. :func:`ledger_check` proves the invariants the rest of billing relies on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from jamsos.billing.models import (
    Account,
    BillingRun,
    InvoiceItem,
    ItemKind,
    JournalEntry,
    JournalKind,
    Payer,
    Payment,
    PenaltyCharge,
    Posting,
)
from jamsos.core import bulkwrite

#: (account, payer id or None, debit, credit)
PostingRow = tuple[str, int | None, int, int]


#: The accounts of the chart (the enum's ``values`` is rebuilt at each access).
_ACCOUNTS = frozenset(Account.values)


class UnbalancedEntry(ValueError):
    """A programming error: an entry whose debits and credits differ is never written."""


def _balanced(kind: str, postings: Sequence[PostingRow]) -> list[PostingRow]:
    """The non-zero rows of an entry, or :class:`UnbalancedEntry` (see :func:`entry_post`)."""
    rows = [(str(a), p, int(d), int(c)) for a, p, d, c in postings if d or c]
    for account, _, debit, credit in rows:
        if account not in _ACCOUNTS:
            raise UnbalancedEntry(f"unknown account {account!r}")
        if debit < 0 or credit < 0 or (debit and credit):
            raise UnbalancedEntry(f"a posting is a debit or a credit, not both: {account}")
    debits = sum(r[2] for r in rows)
    credits = sum(r[3] for r in rows)
    if debits != credits:
        raise UnbalancedEntry(f"{kind} entry does not balance: debit {debits} != credit {credits}")
    if not rows:
        raise UnbalancedEntry(f"{kind} entry has no postings")
    return rows


@dataclass(frozen=True)
class EntrySpec:
    """One entry of :func:`entries_post_many`."""

    kind: str
    booked_on: date
    postings: Sequence[PostingRow]
    memo: str = ""
    payment_id: int | None = None


def entries_post_many(entries: Sequence[EntrySpec]) -> int:
    """Write many balanced entries at once, each as :func:`entry_post` writes it (the same
    checks, all made before anything is written), set-based (:mod:`jamsos.core.bulkwrite`):
    one insert of the entries, one of their postings. Returns the entries written."""
    checked = [(spec, _balanced(spec.kind, spec.postings)) for spec in entries]
    if not checked:
        return 0
    ids = bulkwrite.reserve_ids(JournalEntry, len(checked))
    at = bulkwrite.timestamp_text(timezone.now())
    bulkwrite.insert(
        JournalEntry,
        ("id", "at", "booked_on", "kind", "run_id", "payment_id", "memo"),
        (
            (pk, at, spec.booked_on.isoformat(), spec.kind, None, spec.payment_id, spec.memo[:200])
            for pk, (spec, _) in zip(ids, checked, strict=True)
        ),
    )
    bulkwrite.insert(
        Posting,
        ("entry_id", "account", "payer_id", "debit_idr", "credit_idr"),
        (
            (pk, account, payer_id, debit, credit)
            for pk, (_, rows) in zip(ids, checked, strict=True)
            for account, payer_id, debit, credit in rows
        ),
    )
    return len(checked)


def entry_post(
    kind: str,
    booked_on: date,
    postings: Sequence[PostingRow],
    *,
    memo: str = "",
    run: BillingRun | None = None,
    payment: Payment | None = None,
) -> JournalEntry:
    """Write one balanced journal entry with its postings (one INSERT for the postings).

    Zero rows are dropped; a row with both a debit and a credit, a negative amount, or an entry
    whose debits differ from its credits raises :class:`UnbalancedEntry` before anything is
    written, so an unbalanced ledger cannot be produced by this function.
    """
    rows = _balanced(kind, postings)
    entry = JournalEntry.objects.create(
        at=timezone.now(), booked_on=booked_on, kind=kind, run=run, payment=payment, memo=memo[:200]
    )
    Posting.objects.bulk_create(
        [
            Posting(entry=entry, account=a, payer_id=p, debit_idr=d, credit_idr=c)
            for a, p, d, c in rows
        ],
        batch_size=5000,
    )
    return entry


def payer_balances(payer_ids: Iterable[int] | None = None) -> dict[tuple[int, str], int]:
    """``{(payer id, account): debit - credit}`` of the per-payer accounts, in one query."""
    qs = Posting.objects.filter(payer__isnull=False)
    if payer_ids is not None:
        qs = qs.filter(payer_id__in=list(payer_ids))
    rows = qs.values("payer_id", "account").annotate(d=Sum("debit_idr"), c=Sum("credit_idr"))
    return {(r["payer_id"], r["account"]): r["d"] - r["c"] for r in rows}


@dataclass
class LedgerCheck:
    """What :func:`ledger_check` found: ``ok`` and a list of failed invariants (readable)."""

    debit_idr: int = 0
    credit_idr: int = 0
    entries: int = 0
    payers_checked: int = 0
    balances: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _outstanding_by_payer(kind: str) -> dict[int, int]:
    rows = (
        InvoiceItem.objects.filter(kind=kind, paid_idr__lt=F("amount_idr"))
        .values("invoice__payer_id")
        .annotate(open=Sum(F("amount_idr") - F("paid_idr")))
    )
    return {r["invoice__payer_id"]: r["open"] for r in rows}


def ledger_check(limit: int = 20) -> LedgerCheck:
    """Check the books against themselves and against the operational tables.

    Invariants (each a handful of aggregate queries, never a scan per payer):

    1. total debits = total credits, and every entry balances;
    2. per payer, contributions receivable (1100) = the payer's open contribution items;
    3. per payer, penalties receivable (1200) = open penalty items + charges not yet billed;
    4. per payer, payer credit (2100, a liability: credit - debit) = ``Payer.credit_idr``;
    5. cash (1000) = the sum of payments less the benefits paid out (journal kind ``benefit``);
       penalty income (4200) = the sum of penalty charges.

    Up to ``limit`` problems of each kind are listed.
    """
    out = LedgerCheck()
    totals = Posting.objects.aggregate(
        d=Coalesce(Sum("debit_idr"), 0), c=Coalesce(Sum("credit_idr"), 0)
    )
    out.debit_idr, out.credit_idr = totals["d"], totals["c"]
    out.entries = JournalEntry.objects.count()
    if out.debit_idr != out.credit_idr:
        out.problems.append(f"debits {out.debit_idr} != credits {out.credit_idr}")
    bad = (
        Posting.objects.values("entry_id")
        .annotate(d=Sum("debit_idr"), c=Sum("credit_idr"))
        .exclude(d=F("c"))
        .order_by("entry_id")[:limit]
    )
    for row in bad:
        out.problems.append(f"entry {row['entry_id']} unbalanced: {row['d']} != {row['c']}")

    by_account = Posting.objects.values("account").annotate(d=Sum("debit_idr"), c=Sum("credit_idr"))
    out.balances = {r["account"]: r["d"] - r["c"] for r in by_account}

    balances = payer_balances()
    contrib_open = _outstanding_by_payer(ItemKind.CONTRIBUTION)
    penalty_open = _outstanding_by_payer(ItemKind.PENALTY)
    for row in (
        PenaltyCharge.objects.filter(billed_on__isnull=True)
        .values("payer_id")
        .annotate(s=Sum("amount_idr"))
    ):
        penalty_open[row["payer_id"]] = penalty_open.get(row["payer_id"], 0) + row["s"]
    credits = dict(Payer.objects.filter(credit_idr__gt=0).values_list("id", "credit_idr"))
    payers = {p for p, _ in balances} | set(contrib_open) | set(penalty_open) | set(credits)
    out.payers_checked = len(payers)
    found = 0
    for payer in sorted(payers):
        checks = (
            ("1100", balances.get((payer, Account.CONTRIBUTION_RECEIVABLE), 0),
             contrib_open.get(payer, 0), "open contribution items"),
            ("1200", balances.get((payer, Account.PENALTY_RECEIVABLE), 0),
             penalty_open.get(payer, 0), "open penalties"),
            ("2100", -balances.get((payer, Account.PAYER_CREDIT), 0),
             credits.get(payer, 0), "Payer.credit_idr"),
        )  # fmt: skip
        for account, booked, expected, what in checks:
            if booked != expected and found < limit:
                found += 1
                out.problems.append(
                    f"payer {payer}: account {account} is {booked}, {what} are {expected}"
                )
            elif booked != expected:
                found += 1
    if found > limit:
        out.problems.append(f"... and {found - limit} more per-payer differences")

    paid = Payment.objects.aggregate(s=Coalesce(Sum("amount_idr"), 0))["s"]
    paid -= Posting.objects.filter(entry__kind=JournalKind.BENEFIT, account=Account.CASH).aggregate(
        s=Coalesce(Sum("credit_idr"), 0)
    )["s"]
    if out.balances.get(Account.CASH, 0) != paid:
        out.problems.append(f"cash {out.balances.get(Account.CASH, 0)} != payments {paid}")
    charged = PenaltyCharge.objects.aggregate(s=Coalesce(Sum("amount_idr"), 0))["s"]
    if -out.balances.get(Account.PENALTY_INCOME, 0) != charged:
        out.problems.append(
            f"penalty income {-out.balances.get(Account.PENALTY_INCOME, 0)} != charges {charged}"
        )
    return out
