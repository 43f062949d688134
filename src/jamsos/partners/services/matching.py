"""Matching listed workers against each other and against the registry (docs/partners/pendataan.md).

``match_rows`` takes a whole batch (a campaign's prospects, a partner's enrolment list) and
answers, for every row, in a few queries whatever the batch size:

1. NIK invalid (``jamsos.membership.identifiers.nik_parse``): not matched; ``match_status`` is
   null and ``match_reason`` is ``nik_invalid`` (the caller reports the row).
2. The same NIK earlier in the batch: ``duplicate`` (the first occurrence is kept and matched;
   ``duplicate_of`` gives its row position).
3. The same NIK in the registry: the person. Their memberships decide:

   - ``covered``: an open membership whose latest billed month is paid (``covered_paid``), or an
     open PU/BPU membership that has not been billed yet because it started after the latest
     finished billing run (``covered_not_yet_billed``), or an open Jakon or PMI membership
     (billed once per project or placement, ``covered_open``);
   - ``reactivation``: only ended memberships (``reactivation_ended``) or open ones whose
     latest billed month is unpaid, or that were never billed although a later month was
     (``reactivation_unpaid``);
   - a person on file without any membership is ``new`` (``new_person_on_file``), with the
     person id, so registration reuses the record.
4. No NIK match, but a person with the same normalised name (``membership.checks.search_name_of``,
   the ``Person.search_name`` rule), the same birth date and the same domicile village:
   ``possible_match`` (``possible_match_name_birth_village``: "nama, tanggal lahir dan desa sama").
   Without a birth date the NIK's date is used (century: 20YY when that makes the person at least
   10 years old, else 19YY).
5. Else ``new``.

Queries: the batch's keys go into a temporary table (COPY on PostgreSQL, ``executemany`` on
SQLite), then one join for the NIK matches with their memberships and billing summary, one for
the possible matches, one for the latest finished billing run. Never one query per row.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.db.models import Max

from jamsos.core.clock import today_in_jakarta
from jamsos.membership.checks import search_name_of
from jamsos.membership.identifiers import nik_compact, nik_parse
from jamsos.partners.models import MatchStatus

REASONS: dict[str, dict[str, str]] = {
    "nik_invalid": {"id": "NIK tidak sah", "en": "invalid NIK"},
    "duplicate": {
        "id": "NIK sama dengan baris sebelumnya dalam daftar",
        "en": "same NIK as an earlier row of the list",
    },
    "covered_paid": {
        "id": "peserta aktif: iuran bulan terakhir sudah dibayar",
        "en": "active member: the latest billed month is paid",
    },
    "covered_not_yet_billed": {
        "id": "peserta baru, belum ditagih",
        "en": "new member, not billed yet",
    },
    "covered_open": {
        "id": "peserta aktif (Jakon/PMI)",
        "en": "active member (construction/migrant)",
    },
    "reactivation_ended": {
        "id": "kepesertaan sudah berakhir",
        "en": "membership has ended",
    },
    "reactivation_unpaid": {
        "id": "kepesertaan menunggak: iuran bulan terakhir belum dibayar",
        "en": "membership in arrears: the latest billed month is unpaid",
    },
    "possible_match_name_birth_village": {
        "id": "nama, tanggal lahir dan desa sama",
        "en": "same name, birth date and village",
    },
    "new_person_on_file": {
        "id": "orang sudah tercatat, belum pernah menjadi peserta",
        "en": "person on file, never a member",
    },
    "new": {"id": "belum terdaftar", "en": "not registered"},
}

OUTPUT_COLUMNS = ("match_status", "match_reason", "person_id", "membership_id", "duplicate_of")


def match_reason_text(code: str | None, language: str = "id") -> str:
    """The reason of a code in Bahasa Indonesia (``id``) or English; the code if unknown."""
    if not code:
        return ""
    texts = REASONS.get(code)
    if texts is None:
        return code
    return texts["en" if str(language).startswith("en") else "id"]


def _birth_from_nik(nik: str, today: date) -> date | None:
    parts, _ = nik_parse(nik)
    if parts is None:
        return None
    year = 2000 + parts.year2
    if year > today.year - 10:
        year -= 100
    try:
        return date(year, parts.month, parts.day)
    except ValueError:
        return None


def _niks(column: pl.Series, today: date) -> tuple[list[str], list[bool], list[date | None]]:
    """NIKs compacted, whether each is valid, and the birth date each implies.

    Vectorised for the usual 16-digit cell, with the rules of
    ``membership.identifiers.nik_parse`` (16 digits, serial not 0000, day 1-31 or 41-71, a
    date that exists in 19YY or 20YY); any other cell goes through ``nik_parse`` itself.
    """
    text = column.cast(pl.Utf8, strict=False).fill_null("").str.strip_chars()
    frame = pl.DataFrame({"nik": text}).with_columns(
        plain=pl.col("nik").str.contains(r"^[0-9]{16}$"),
    )
    day_raw = pl.col("nik").str.slice(6, 2).cast(pl.Int32, strict=False)
    year2 = pl.col("nik").str.slice(10, 2).cast(pl.Int32, strict=False)
    century = pl.when(2000 + year2 > today.year - 10).then(1900).otherwise(2000)
    frame = frame.with_columns(
        day=day_raw % 40,
        day_ok=((day_raw >= 1) & (day_raw <= 31)) | ((day_raw >= 41) & (day_raw <= 71)),
        serial_ok=pl.col("nik").str.slice(12, 4) != "0000",
        month=pl.col("nik").str.slice(8, 2),
        year2=year2,
        century=century,
    ).with_columns(
        leap_date=pl.format(
            "20{}-{}-{}",
            pl.col("nik").str.slice(10, 2),
            pl.col("month"),
            pl.col("day").cast(pl.Utf8).str.zfill(2),
        ).str.to_date("%Y-%m-%d", strict=False),
        birth=pl.format(
            "{}-{}-{}",
            (pl.col("century") + pl.col("year2")).cast(pl.Utf8),
            pl.col("month"),
            pl.col("day").cast(pl.Utf8).str.zfill(2),
        ).str.to_date("%Y-%m-%d", strict=False),
    )
    frame = frame.with_columns(
        valid=pl.col("plain")
        & pl.col("day_ok")
        & pl.col("serial_ok")
        & pl.col("leap_date").is_not_null()
    )
    niks = frame.get_column("nik").to_list()
    valid = frame.get_column("valid").to_list()
    derived = frame.get_column("birth").to_list()
    for i in frame.with_row_index().filter(~pl.col("plain")).get_column("index").to_list():
        raw = niks[i]
        compact = nik_compact(raw) if raw else ""
        niks[i] = compact
        valid[i] = bool(compact) and nik_parse(compact)[0] is not None
        derived[i] = _birth_from_nik(compact, today) if valid[i] else None
    for i, ok in enumerate(valid):
        if ok and derived[i] is None:  # 29 February of a 19YY year that was not leap
            derived[i] = _birth_from_nik(niks[i], today)
    return niks, valid, derived


def _village_code_dotted(value: Any) -> str:
    text = "".join(ch for ch in str(value or "") if ch.isdigit())
    if len(text) != 10:
        return ""
    return f"{text[:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"


def _village_ids(codes: set[str]) -> dict[str, int]:
    """Region ids of dotted village codes in the current edition (one query)."""
    from jamsos.registry.models import Level, Region

    codes = {c for c in codes if c}
    if not codes:
        return {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT r.code, r.id FROM {Region._meta.db_table} r "
                "JOIN registry_regionedition e ON e.id = r.edition_id AND e.is_current "
                "WHERE r.level = %s AND r.code = ANY(%s)",
                [Level.VILLAGE.value, list(codes)],
            )
            return dict(cursor.fetchall())
    found: dict[str, int] = {}
    items = sorted(codes)
    for start in range(0, len(items), 500):
        found.update(
            Region.objects.filter(
                edition__is_current=True, level=Level.VILLAGE, code__in=items[start : start + 500]
            ).values_list("code", "id")
        )
    return found


def _empty_result(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.lit(None, dtype=pl.Utf8).alias("match_status"),
        pl.lit(None, dtype=pl.Utf8).alias("match_reason"),
        pl.lit(None, dtype=pl.Int64).alias("person_id"),
        pl.lit(None, dtype=pl.Int64).alias("membership_id"),
        pl.lit(None, dtype=pl.Int64).alias("duplicate_of"),
    )


def match_rows(rows: pl.DataFrame, *, today: date | None = None) -> pl.DataFrame:
    """Match a batch; returns ``rows`` (same order, same columns) plus ``match_status``
    (:class:`MatchStatus` value, null for an invalid NIK), ``match_reason`` (a code of
    :data:`REASONS`, rendered by :func:`match_reason_text`), ``person_id``, ``membership_id``
    and ``duplicate_of`` (0-based position of the first row with the same NIK).

    Columns read: ``nik``, ``name``, ``birth_date`` (date or null), ``village_code`` (dotted
    ``32.04.01.2001`` or 10 digits) or ``village_id`` (region id; wins when present).
    """
    today = today or today_in_jakarta()
    height = rows.height
    if height == 0:
        return _empty_result(rows)
    niks, valid, derived = _niks(rows.get_column("nik"), today)
    names = rows.get_column("name").to_list() if "name" in rows.columns else [""] * height
    births = (
        rows.get_column("birth_date").to_list() if "birth_date" in rows.columns else [None] * height
    )
    if "village_id" in rows.columns:
        villages = [int(v) if v is not None else None for v in rows.get_column("village_id")]
    elif "village_code" in rows.columns:
        dotted = [_village_code_dotted(v) for v in rows.get_column("village_code")]
        ids = _village_ids(set(dotted))
        villages = [ids.get(c) for c in dotted]
    else:
        villages = [None] * height

    status: list[str | None] = [None] * height
    reason: list[str | None] = ["nik_invalid"] * height
    person: list[int | None] = [None] * height
    membership: list[int | None] = [None] * height
    duplicate_of: list[int | None] = [None] * height

    first_seen: dict[str, int] = {}
    keys: list[tuple[int, str, str, date | None, int | None]] = []
    for i in range(height):
        if not valid[i]:
            continue
        nik = niks[i]
        if nik in first_seen:
            status[i] = MatchStatus.DUPLICATE.value
            reason[i] = "duplicate"
            duplicate_of[i] = first_seen[nik]
            continue
        first_seen[nik] = i
        birth = births[i]
        if birth is not None and not isinstance(birth, date):
            birth = None
        if birth is None:
            birth = derived[i]
        keys.append((i, nik, search_name_of(str(names[i] or "")), birth, villages[i]))

    if keys:
        by_nik, possible, last_run = _query(keys)
        for i, _nik, _name, _birth, _village in keys:
            found = by_nik.get(i)
            if found is not None:
                person[i] = found["person_id"]
                st, why, mid = _judge(found["memberships"], last_run)
                status[i], reason[i], membership[i] = st, why, mid
            elif i in possible:
                status[i] = MatchStatus.POSSIBLE_MATCH.value
                reason[i] = "possible_match_name_birth_village"
                person[i] = possible[i]
            else:
                status[i] = MatchStatus.NEW.value
                reason[i] = "new"

    return rows.with_columns(
        pl.Series("match_status", status, dtype=pl.Utf8),
        pl.Series("match_reason", reason, dtype=pl.Utf8),
        pl.Series("person_id", person, dtype=pl.Int64),
        pl.Series("membership_id", membership, dtype=pl.Int64),
        pl.Series("duplicate_of", duplicate_of, dtype=pl.Int64),
    )


def _judge(memberships: list[dict[str, Any]], last_run: str | None) -> tuple[str, str, int | None]:
    """Status, reason and the membership it rests on, for one person's memberships."""
    if not memberships:
        return MatchStatus.NEW.value, "new_person_on_file", None
    newest_first = sorted(memberships, key=lambda m: (m["start_date"], m["id"]), reverse=True)
    for m in newest_first:
        if m["status"] != "active":
            continue
        if m["segment"] in ("JAKON", "PMI"):
            return MatchStatus.COVERED.value, "covered_open", m["id"]
        if m["last_billed"] is not None:
            if m["last_paid"] is not None and m["last_paid"] == m["last_billed"]:
                return MatchStatus.COVERED.value, "covered_paid", m["id"]
            continue
        start_month = m["start_date"].strftime("%Y-%m")
        if last_run is None or start_month > last_run:
            return MatchStatus.COVERED.value, "covered_not_yet_billed", m["id"]
    latest = newest_first[0]
    if any(m["status"] == "active" for m in memberships):
        latest = next(m for m in newest_first if m["status"] == "active")
        return MatchStatus.REACTIVATION.value, "reactivation_unpaid", latest["id"]
    return MatchStatus.REACTIVATION.value, "reactivation_ended", latest["id"]


def _query(
    keys: list[tuple[int, str, str, date | None, int | None]],
) -> tuple[dict[int, dict[str, Any]], dict[int, int], str | None]:
    """Run the three queries over a temporary table of the batch's keys."""
    from jamsos.billing.models import BillingRun, InvoiceLine, RunStatus
    from jamsos.membership.models import Membership, Person

    table = f"pendataan_keys_{uuid.uuid4().hex[:12]}"
    person_t = Person._meta.db_table
    membership_t = Membership._meta.db_table
    line_t = InvoiceLine._meta.db_table
    by_nik: dict[int, dict[str, Any]] = {}
    possible: dict[int, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {table} (row_idx integer PRIMARY KEY, nik varchar(16), "
            "search_name varchar(120), birth_date date, village_id bigint)"
        )
        try:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(
                    f"COPY {table} (row_idx, nik, search_name, birth_date, village_id) FROM STDIN"
                ) as copy:
                    for key in keys:
                        copy.write_row(key)
                cursor.execute(f"ANALYZE {table}")
                cursor.execute("SET LOCAL jit = off")
            else:
                cursor.executemany(
                    f"INSERT INTO {table} (row_idx, nik, search_name, birth_date, village_id) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    keys,
                )
            last_run = BillingRun.objects.filter(status=RunStatus.FINISHED).aggregate(
                last=Max("period")
            )["last"]
            cursor.execute(
                f"""
                SELECT k.row_idx, p.id, m.id, m.segment, m.status, m.start_date,
                  (SELECT max(l.period) FROM {line_t} l WHERE l.membership_id = m.id),
                  (SELECT max(l.period) FROM {line_t} l
                    WHERE l.membership_id = m.id AND l.paid_on IS NOT NULL)
                FROM {table} k
                JOIN {person_t} p ON p.nik = k.nik
                LEFT JOIN {membership_t} m ON m.person_id = p.id
                """
            )
            for row_idx, person_id, mid, segment, mstatus, start, billed, paid in cursor.fetchall():
                entry = by_nik.setdefault(row_idx, {"person_id": person_id, "memberships": []})
                if mid is not None:
                    if isinstance(start, str):
                        start = date.fromisoformat(start)
                    entry["memberships"].append(
                        {
                            "id": mid,
                            "segment": segment,
                            "status": mstatus,
                            "start_date": start,
                            "last_billed": billed,
                            "last_paid": paid,
                        }
                    )
            if connection.vendor == "postgresql":
                # One hash join over the people beats a lookup per row through the village
                # or name index (each returns hundreds of people to filter).
                cursor.execute("SET LOCAL enable_nestloop = off")
            cursor.execute(
                f"""
                SELECT k.row_idx, min(p.id)
                FROM {table} k
                JOIN {person_t} p ON p.search_name = k.search_name
                  AND p.birth_date = k.birth_date AND p.domicile_id = k.village_id
                WHERE k.village_id IS NOT NULL AND k.birth_date IS NOT NULL
                  AND k.search_name <> ''
                GROUP BY k.row_idx
                """
            )
            possible = {i: pid for i, pid in cursor.fetchall() if i not in by_nik}
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            if connection.vendor == "postgresql":
                cursor.execute("RESET enable_nestloop")
                cursor.execute("RESET jit")
    return by_nik, possible, last_run
