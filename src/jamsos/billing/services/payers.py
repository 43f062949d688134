"""Payers, created set-based when a billing run first needs them (ADR 0104).

A payer is an employer (its PU workers and Jakon projects), a participant paying for themselves
(BPU, PMI) or a sponsor named by ``Membership.sponsor_ref``. The run hands over the parties of
the month as a frame and gets back their payer ids; the missing ones are written in one insert.

Virtual accounts. The payer number in the virtual account is the payer's own primary key: the
ids are reserved first (``nextval`` over the table's sequence on PostgreSQL, after the largest
id under the transaction's write lock on SQLite:
:func:`jamsos.core.bulkwrite.reserve_ids`), so the number is unique without a second
counter and the account can be computed before the insert. The Luhn check digit is computed
over the whole column at once (:func:`virtual_accounts`); it equals
:func:`jamsos.billing.identifiers.virtual_account_for` digit for digit (tested).
"""

from __future__ import annotations

import polars as pl
from django.db import connection
from django.utils import timezone

from jamsos.billing.identifiers import KIND_DIGIT, PREFIX
from jamsos.billing.models import Payer, PayerKind
from jamsos.core.bulkwrite import (
    analyze_if_grown,
    read_frame,
    reserve_ids,
    table,
    timestamp_text,
    write_frame,
)
from jamsos.membership.models import Employer, Person

#: The columns :func:`payers_ensure` takes.
PARTY_SCHEMA = pl.Schema(
    {
        "payer_kind": pl.String(),
        "party_id": pl.Int64(),  # employer id or person id; null for a sponsor
        "sponsor_ref": pl.String(),  # sponsors only
        "sponsor_name": pl.String(),
        "sponsor_kind": pl.String(),
        "office_id": pl.Int64(),  # branch office for a new participant or sponsor payer
    }
)


def virtual_accounts(kind: pl.Expr, number: pl.Expr) -> pl.Expr:
    """The 16-digit virtual account of each (kind, payer number), as
    :func:`~jamsos.billing.identifiers.virtual_account_for` makes it, over a whole column."""
    digit = kind.replace_strict({k: int(v) for k, v in KIND_DIGIT.items()}, return_dtype=pl.Int64)
    body = int(PREFIX) * 10**13 + digit * 10**12 + number.cast(pl.Int64)
    total = pl.lit(0, dtype=pl.Int64)
    for position in range(15):  # from the right: the rightmost body digit is doubled
        d = (body // 10**position) % 10
        if position % 2 == 0:
            d = d * 2 - pl.when(d * 2 > 9).then(9).otherwise(0)
        total = total + d
    check = (10 - total % 10) % 10
    return (body * 10 + check).cast(pl.String).str.zfill(16)


def _existing() -> pl.DataFrame:
    """Every payer: kind, party (employer or person id), sponsor reference, id."""
    sql = f"SELECT kind, COALESCE(employer_id, person_id), sponsor_ref, id FROM {table(Payer)}"
    schema = {
        "payer_kind": pl.String(),
        "party_id": pl.Int64(),
        "sponsor_ref": pl.String(),
        "payer_id": pl.Int64(),
    }
    return read_frame(sql, [], schema)


def _names(model: type[Employer] | type[Person], column: str, ids: list[int]) -> pl.DataFrame:
    """``(party_id, name[, office_id])`` of the given employers or persons, one query."""
    extra = ", branch_office_id" if model is Employer else ", NULL"
    schema = {"party_id": pl.Int64(), "name": pl.String(), "party_office_id": pl.Int64()}
    if not ids:
        return pl.DataFrame(schema=schema)
    if connection.vendor == "postgresql":
        sql = f"SELECT id, {column}{extra} FROM {table(model)} WHERE id = ANY(%s)"
        return read_frame(sql, [ids], schema)
    parts = []
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        marks = ", ".join(["%s"] * len(chunk))
        sql = f"SELECT id, {column}{extra} FROM {table(model)} WHERE id IN ({marks})"
        parts.append(read_frame(sql, chunk, schema))
    return pl.concat(parts)


def payers_ensure(parties: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """The payer id of every party, creating the missing payers in one insert.

    ``parties`` has the columns of :data:`PARTY_SCHEMA`, a row per party (duplicates allowed:
    the first row's office and sponsor name count). Returns ``(parties with a payer_id column,
    number of payers created)``. New payers are named after the employer's legal name, the
    person's name or the sponsor's name; their branch office is the employer's office, or the
    ``office_id`` given (the membership's office) for participants and sponsors.
    """
    key = ["payer_kind", "party_id", "sponsor_ref"]
    wanted = parties.select(list(PARTY_SCHEMA)).cast(PARTY_SCHEMA).unique(key, keep="first")
    found = wanted.join(_existing(), on=key, how="left", nulls_equal=True)
    missing = found.filter(pl.col("payer_id").is_null()).drop("payer_id")
    ids = found.filter(pl.col("payer_id").is_not_null()).select(*key, "payer_id")
    if missing.height:
        ids = pl.concat([ids, _create(missing).select(*key, payer_id="id")])
    joined = parties.join(ids, on=key, how="left", nulls_equal=True)
    return joined, missing.height


def _create(missing: pl.DataFrame) -> pl.DataFrame:
    """Write the missing payers; returns them with their new ``id`` and key columns."""
    employers = missing.filter(pl.col("payer_kind") == PayerKind.EMPLOYER.value)
    persons = missing.filter(pl.col("payer_kind") == PayerKind.PARTICIPANT.value)
    sponsors = missing.filter(pl.col("payer_kind") == PayerKind.SPONSOR.value)
    employer_names = _names(Employer, "legal_name", employers["party_id"].to_list())
    person_names = _names(Person, "name", persons["party_id"].to_list())
    rows = pl.concat(
        [
            employers.join(employer_names, on="party_id", how="left").with_columns(
                office_id=pl.col("party_office_id")
            ),
            persons.join(person_names, on="party_id", how="left"),
            sponsors.with_columns(
                name=pl.coalesce("sponsor_name", "sponsor_ref"), party_office_id=pl.lit(None)
            ),
        ],
        how="diagonal_relaxed",
    )
    ids = reserve_ids(Payer, rows.height)
    now = timestamp_text(timezone.now())
    is_employer = pl.col("payer_kind") == PayerKind.EMPLOYER.value
    is_person = pl.col("payer_kind") == PayerKind.PARTICIPANT.value
    frame = rows.with_columns(id=pl.Series(ids, dtype=pl.Int64)).select(
        "id",
        kind="payer_kind",
        employer_id=pl.when(is_employer).then("party_id"),
        person_id=pl.when(is_person).then("party_id"),
        sponsor_ref="sponsor_ref",
        sponsor_kind=pl.col("sponsor_kind").fill_null(""),
        name=pl.col("name").fill_null("").str.slice(0, 200),
        virtual_account=virtual_accounts(pl.col("payer_kind"), pl.col("id")),
        branch_office_id="office_id",
        credit_idr=pl.lit(0, dtype=pl.Int64),
        created_at=pl.lit(now),
    )
    written = write_frame(Payer, frame)
    analyze_if_grown(Payer, written)
    return frame.select("id", payer_kind="kind", sponsor_ref="sponsor_ref").with_columns(
        party_id=pl.coalesce(frame["employer_id"], frame["person_id"])
    )
