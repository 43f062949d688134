"""Checks on a person's identity data, shared by one-at-a-time registration and bulk validation.

Each check returns :class:`Reason` values rather than raising, so that a bulk upload can report
every problem of every row; ``services.people.person_register`` raises the first one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jamsos.core.masking import mask_nik
from jamsos.membership.identifiers import (
    NikParts,
    nik_matches_birth_date,
    nik_parse,
    phone_normalise,
)
from jamsos.membership.messages import render

SEX_LABELS = {"M": {"id": "laki-laki", "en": "male"}, "F": {"id": "perempuan", "en": "female"}}
_NOT_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Reason:
    """Why a row is refused: the error code (``membership.invalid_nik``), field and parameters."""

    code: str
    field: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return self.code.removeprefix("membership.")

    def message(self, language: str = "id") -> str:
        return render(self.reason, language, field=self.field, **self.params)


SEX_ALIASES = {"M": "M", "L": "M", "F": "F", "P": "F"}


def sex_normalise(value: object) -> str | None:
    """``M``/``F``; the Indonesian ``L`` (laki-laki) and ``P`` (perempuan) are accepted too."""
    text = str(getattr(value, "value", value) or "").strip().upper()[:1]
    return SEX_ALIASES.get(text)


def clean_name(value: str | None) -> str:
    return _SPACES.sub(" ", str(value or "")).strip()


def search_name_of(name: str) -> str:
    """Lower-case ASCII words for searching: ``"Ni Made Ayu Ariani"`` → ``"ni made ayu ariani"``."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    text = text.replace("'", "").replace("’", "")
    return _SPACES.sub(" ", _NOT_ALNUM.sub(" ", text)).strip()


def nik_reasons(
    nik: str,
    *,
    birth_date: date | None,
    sex: str | None,
    today: date,
    known_districts: set[str] | None = None,
) -> tuple[NikParts | None, list[Reason]]:
    """Check a NIK against the holder's birth date and sex, and its district (when given).

    ``known_districts`` holds the district codes (6 digits) of the current region edition that
    may appear; ``None`` skips the place check.
    """
    reasons: list[Reason] = []
    parts, problem = nik_parse(nik)
    if parts is None:
        reasons.append(
            Reason("membership.invalid_nik", "nik", {"value": nik, "problem_code": problem})
        )
        if birth_date is not None and birth_date > today:
            reasons.append(_future(birth_date))
        return None, reasons
    # The masked NIK only goes into a reason: most rows have none (a bulk upload checks
    # 100,000 of them).
    if known_districts is not None and parts.district_code_nodot not in known_districts:
        reasons.append(
            Reason(
                "membership.nik_region_unknown",
                "nik",
                {"nik": mask_nik(parts.nik), "district": parts.district_code_nodot},
            )
        )
    if birth_date is not None:
        if birth_date > today:
            reasons.append(_future(birth_date))
        if not nik_matches_birth_date(parts, birth_date):
            reasons.append(
                Reason(
                    "membership.nik_birth_date_mismatch",
                    "birth_date",
                    {
                        "nik": mask_nik(parts.nik),
                        "nik_date": parts.birth_text,
                        "birth_date": birth_date,
                    },
                )
            )
    if sex in SEX_LABELS and sex != parts.sex:
        reasons.append(
            Reason(
                "membership.nik_sex_mismatch",
                "sex",
                {
                    "nik": mask_nik(parts.nik),
                    "nik_sex": SEX_LABELS[parts.sex],
                    "sex": SEX_LABELS[sex],
                },
            )
        )
    return parts, reasons


def _future(birth_date: date) -> Reason:
    return Reason("membership.birth_date_in_future", "birth_date", {"birth_date": birth_date})


def phone_reasons(value: str | None) -> tuple[str | None, list[Reason]]:
    phone, problem = phone_normalise(value)
    if problem:
        return None, [
            Reason("membership.invalid_phone", "phone", {"value": value, "problem": problem})
        ]
    return phone, []


def duplicate_reason(*, nik: str, name: str, kpj: str | None) -> Reason:
    suffix = {"id": f", KPJ {kpj}", "en": f", KPJ {kpj}"} if kpj else ""
    return Reason(
        "membership.duplicate_nik", "nik", {"nik": mask_nik(nik), "name": name, "kpj": suffix}
    )
