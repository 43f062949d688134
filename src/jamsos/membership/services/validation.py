"""Set-based validation of people before a bulk upload writes them.

``validate_people`` checks every row the way ``person_register`` checks one person, and reports
every reason of every row instead of stopping at the first. Database access is per batch, never
per row: for each batch of up to ``batch_size`` rows, one query for the districts its NIKs name
and one for the NIKs already registered (with the name and latest KPJ of each, for the message).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import OuterRef, Subquery

from jamsos.core.clock import today_in_jakarta
from jamsos.core.identifiers import is_ascii_digits
from jamsos.core.masking import mask_nik
from jamsos.membership.checks import (
    Reason,
    clean_name,
    duplicate_reason,
    nik_reasons,
    phone_reasons,
    sex_normalise,
)
from jamsos.membership.identifiers import nik_compact
from jamsos.membership.models import Membership, Person
from jamsos.membership.services.people import districts_known

BATCH_SIZE = 5_000


@dataclass
class PeopleValidation:
    """Reasons by row number (1 = first row given); rows without reasons are valid."""

    total: int
    reasons: dict[int, list[Reason]] = field(default_factory=dict)
    normalised: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def rejected(self) -> int:
        return len(self.reasons)

    @property
    def valid(self) -> int:
        return self.total - self.rejected

    def ok(self, row: int) -> bool:
        return row not in self.reasons

    def codes(self, row: int) -> list[str]:
        return [reason.code for reason in self.reasons.get(row, [])]

    def messages(self, language: str = "id") -> dict[int, list[str]]:
        return {
            row: [reason.message(language) for reason in reasons]
            for row, reasons in sorted(self.reasons.items())
        }

    def valid_rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(row number, cleaned values) of the rows without reasons, in input order."""
        for row in sorted(self.normalised):
            if row not in self.reasons:
                yield row, self.normalised[row]


def _birth_date(value: Any) -> tuple[date | None, Reason | None]:
    if isinstance(value, date):
        return value, None
    text = str(value or "").strip()
    if not text:
        return None, Reason("membership.required", "birth_date")
    try:
        return date.fromisoformat(text), None
    except ValueError:
        return None, Reason("membership.invalid_date", "birth_date", {"value": text})


def validate_people(
    rows: Iterable[Mapping[str, Any]],
    *,
    today: date | None = None,
    batch_size: int = BATCH_SIZE,
) -> PeopleValidation:
    """Check ``rows`` (mappings with ``nik``, ``name``, ``birth_date``, ``sex``, ``phone``).

    Reasons use the error codes of the one-at-a-time services (``membership.invalid_nik``,
    ``membership.nik_region_unknown``, ``membership.nik_birth_date_mismatch``,
    ``membership.nik_sex_mismatch``, ``membership.birth_date_in_future``,
    ``membership.invalid_phone``, ``membership.duplicate_nik``), plus
    ``membership.duplicate_in_batch`` for a NIK given twice (every repeat after the first).
    """
    today = today or today_in_jakarta()
    items = list(rows)
    result = PeopleValidation(total=len(items))
    first_seen: dict[str, int] = {}
    for start in range(0, len(items), batch_size):
        batch = list(enumerate(items[start : start + batch_size], start=start + 1))
        _validate_batch(batch, result, first_seen, today)
    return result


def _validate_batch(
    batch: list[tuple[int, Mapping[str, Any]]],
    result: PeopleValidation,
    first_seen: dict[str, int],
    today: date,
) -> None:
    compact = {row: nik_compact(str(values.get("nik") or "")) for row, values in batch}
    known = districts_known(n[:6] for n in compact.values() if len(n) == 16 and is_ascii_digits(n))
    well_formed: dict[int, str] = {}
    for row, values in batch:
        reasons: list[Reason] = []
        name = clean_name(values.get("name"))
        if not name:
            reasons.append(Reason("membership.required", "name"))
        birth_date, problem = _birth_date(values.get("birth_date"))
        if problem:
            reasons.append(problem)
        sex = sex_normalise(values.get("sex"))
        if sex is None:
            reasons.append(
                Reason(
                    "membership.invalid_choice",
                    "sex",
                    {"value": str(values.get("sex") or ""), "choices": "M, F (L, P)"},
                )
            )
        parts, nik_problems = nik_reasons(
            compact[row], birth_date=birth_date, sex=sex, today=today, known_districts=known
        )
        reasons.extend(nik_problems)
        phone, phone_problems = phone_reasons(values.get("phone"))
        reasons.extend(phone_problems)
        if parts is not None:
            first = first_seen.setdefault(parts.nik, row)
            if first != row:
                reasons.append(
                    Reason(
                        "membership.duplicate_in_batch",
                        "nik",
                        {"nik": mask_nik(parts.nik), "first_row": first},
                    )
                )
            else:
                well_formed[row] = parts.nik
        result.normalised[row] = {
            "nik": compact[row],
            "name": name,
            "birth_date": birth_date,
            "sex": sex,
            "phone": phone,
        }
        if reasons:
            result.reasons[row] = reasons
    if not well_formed:
        return
    latest_kpj = (
        Membership.objects.filter(person=OuterRef("pk"))
        .order_by("-start_date", "-id")
        .values("kpj")[:1]
    )
    registered = {
        nik: (name, kpj)
        for nik, name, kpj in Person.objects.filter(nik__in=set(well_formed.values()))
        .annotate(latest_kpj=Subquery(latest_kpj))
        .values_list("nik", "name", "latest_kpj")
    }
    for row, nik in well_formed.items():
        if nik in registered:
            name, kpj = registered[nik]
            result.reasons.setdefault(row, []).append(duplicate_reason(nik=nik, name=name, kpj=kpj))
