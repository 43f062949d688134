"""JHT opening balances: a member's savings from before the records held here, imported from a
file (``jamsos participant opening-balance import FILE``), each with the day it was stated for
and its source.

The file is read through the one upload reader (:func:`jamsos.uploads.parsing.read_table`, with
its limits on size, rows and cells); every row is checked before anything is written, and a
file with any bad row is refused as a whole, naming the rows. The rows are then written at
once (one insert, replacing an earlier balance of the same person) and audited at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from jamsos.access.audit import AuditEntry, audit_record_many
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.billing.policy import BILLING
from jamsos.core.identifiers import ascii_digits
from jamsos.membership.models import Membership
from jamsos.selfservice.errors import OpeningBalancesRefused
from jamsos.selfservice.models import OpeningBalance
from jamsos.uploads.parsing import ColumnSpec, read_table

COLUMNS = ColumnSpec(
    names={
        "kpj": ("kpj", "kpj_number", "nomor_kpj"),
        "balance": ("saldo", "balance", "saldo_jht", "jht_balance"),
        "as_of": ("per_tanggal", "as_of", "tanggal"),
        "source": ("sumber", "source"),
    },
    required=("kpj", "balance", "as_of", "source"),
    optional=(),
)
#: A balance above this is taken for a typing error (Rp 100 billion).
MAX_BALANCE_IDR = 100_000_000_000
SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class Imported:
    file_name: str
    rows: int
    replaced: int


def _date(text: str) -> date | None:
    text = text.strip()[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _amount(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    text = str(value if value is not None else "").strip()
    digits = ascii_digits(text.replace("Rp", "").replace("rp", ""), deletechars=" .,\u00a0")
    return int(digits) if digits else None


def opening_balances_import(by: Scope, *, content: bytes, file_name: str, today: date) -> Imported:
    """Read and write every row of the file, or none: returns the count written. Who may
    credit JHT accounts may import their opening balances (billing's ``jht.credit_return``)."""
    BILLING.require(by, "jht.credit_return")
    table = read_table(content, file_name=file_name, columns=COLUMNS)
    problems: list[str] = []
    parsed: list[tuple[int, str, int, date, str]] = []
    for row in table.rows:
        cells = {k: str(v if v is not None else "").strip() for k, v in row.values.items()}
        kpj = ascii_digits(cells.get("kpj", "")) or ""
        amount = _amount(row.values.get("balance"))
        as_of = _date(cells.get("as_of", ""))
        source = cells.get("source", "")
        wrong = []
        if len(kpj) != 11:
            wrong.append("KPJ")
        if amount is None or amount > MAX_BALANCE_IDR:
            wrong.append("saldo / balance")
        if as_of is None or as_of > today:
            wrong.append("per_tanggal / as_of")
        if not source or len(source) > 200:
            wrong.append("sumber / source")
        if wrong:
            problems.append(f"{row.line}: {', '.join(wrong)}")
            continue
        assert amount is not None
        assert as_of is not None
        parsed.append((row.line, kpj, amount, as_of, source))
    people = dict(
        Membership.objects.filter(kpj__in={p[1] for p in parsed}).values_list("kpj", "person_id")
    )
    seen: dict[int, int] = {}
    for line, kpj, *_rest in parsed:
        person = people.get(kpj)
        if person is None:
            problems.append(f"{line}: KPJ {kpj} ?")
        elif person in seen:
            problems.append(f"{line}: KPJ {kpj} = {seen[person]}")
        else:
            seen[person] = line
    if not parsed and not problems:
        problems.append("-: 0")
    if problems:
        raise OpeningBalancesRefused(
            file_name=file_name,
            count=len(problems),
            problems="; ".join(problems[:SHOWN_PROBLEMS]),
        )
    now = timezone.now()
    rows = [
        OpeningBalance(
            person_id=people[kpj],
            balance_idr=amount,
            as_of=as_of,
            source=source,
            file_name=file_name[:200],
            imported_at=now,
        )
        for _line, kpj, amount, as_of, source in parsed
    ]
    with transaction.atomic():
        earlier = OpeningBalance.objects.filter(person_id__in=seen)
        before = dict(earlier.values_list("person_id", "balance_idr"))
        OpeningBalance.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["person"],
            update_fields=["balance_idr", "as_of", "source", "file_name", "imported_at"],
        )
        audit_record_many(
            by,
            [
                AuditEntry(
                    action=AuditAction.IMPORT,
                    target_type="membership.person",
                    target_id=str(r.person_id),
                    label="JHT opening balance",
                    changes={"opening_balance_idr": [before.get(r.person_id), r.balance_idr]},
                    detail={"as_of": r.as_of.isoformat(), "source": r.source, "file": file_name},
                )
                for r in rows
            ],
        )
    return Imported(file_name=file_name, rows=len(rows), replaced=len(before))
