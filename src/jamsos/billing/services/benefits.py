"""Benefits paid out, in the ledger (docs/billing/ledger.md "Benefits"; docs/claims.md).

The claims desk decides and pays; the books are billing's, so billing writes them here (one
writer per record). A benefit paid is one balanced entry: the program's benefit account
(5100 JKK, 5200 JKM, 5300 JHT, 5400 JP, 5500 JKP) is debited and cash (1000) credited. A JHT
withdrawal also debits the member's JHT account: a :class:`JhtEntry` of kind ``claim`` with a
negative amount, so the balance is still the sum of the account's entries.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.db import transaction

from jamsos.billing.models import Account, JhtEntry, JhtKind, JournalEntry, JournalKind
from jamsos.billing.services.ledger import entry_post

#: The ledger account of each program's benefits.
BENEFIT_ACCOUNTS: dict[str, str] = {
    "JKK": Account.BENEFIT_JKK,
    "JKM": Account.BENEFIT_JKM,
    "JHT": Account.BENEFIT_JHT,
    "JP": Account.BENEFIT_JP,
    "JKP": Account.BENEFIT_JKP,
}


@transaction.atomic
def benefit_post(
    amounts_by_program: Mapping[str, int],
    booked_on: date,
    *,
    memo: str,
    jht_person_id: int | None = None,
    jht_reference: str = "",
) -> JournalEntry:
    """Post benefits paid on ``booked_on``: one entry, a debit per program, one cash credit.

    ``amounts_by_program`` is ``{"JP": 1_234_000, ...}`` (a payroll posts every program of the
    month in one entry; a lump sum one program). With ``jht_person_id`` the JHT amount is also
    debited to that member's JHT account. Raises ``KeyError`` for an unknown program and
    :class:`~jamsos.billing.services.ledger.UnbalancedEntry` for a negative amount.
    """
    rows = [(BENEFIT_ACCOUNTS[p], None, int(a), 0) for p, a in sorted(amounts_by_program.items())]
    total = sum(r[2] for r in rows)
    entry = entry_post(
        JournalKind.BENEFIT, booked_on, [*rows, (Account.CASH, None, 0, total)], memo=memo
    )
    jht = int(amounts_by_program.get("JHT", 0))
    if jht_person_id is not None and jht:
        JhtEntry.objects.create(
            person_id=jht_person_id,
            kind=JhtKind.CLAIM,
            period=f"{booked_on:%Y-%m}",
            amount_idr=-jht,
            booked_on=booked_on,
            reference=jht_reference[:200],
        )
    return entry
