"""Matching a checked list against the registry: a row becomes a duplicate of an earlier row,
the person on file (when the file agrees with the registry), or ``existing`` when that person
already has the open membership the list would make."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from jamsos.core.masking import mask_nik
from jamsos.legal.types import Segment
from jamsos.membership.checks import SEX_LABELS
from jamsos.membership.models import Membership, Person, Status
from jamsos.partners.models import BatchKind, EnrolmentBatch, MatchStatus, RowStatus
from jamsos.partners.services.enrolment.checks import Row
from jamsos.partners.services.enrolment.columns import reason
from jamsos.partners.services.matching import match_rows

_NO_SEX = {"id": "-", "en": "-"}


def open_memberships(
    batch: EnrolmentBatch, person_ids: list[int]
) -> dict[tuple[int, int | None], str]:
    """Open memberships that make a row ``existing``: (person, employer) → KPJ for PU lists,
    (person, None) → KPJ of the open BPU membership for BPU lists. One query."""
    if not person_ids:
        return {}
    found: dict[tuple[int, int | None], str] = {}
    if batch.kind == BatchKind.ASSOCIATION_WORKERS:
        query = Membership.objects.filter(
            person_id__in=person_ids, segment=Segment.PU.value, status=Status.ACTIVE
        ).values_list("person_id", "employer_id", "kpj")
        for person_id, employer_id, kpj in query:
            found[(person_id, employer_id)] = kpj
        return found
    for person_id, kpj in Membership.objects.filter(
        person_id__in=person_ids, segment=Segment.BPU.value, status=Status.ACTIVE
    ).values_list("person_id", "kpj"):
        found[(person_id, None)] = kpj
    return found


def existing_key(
    batch: EnrolmentBatch, person_id: int | None, data: dict[str, Any]
) -> tuple[int, int | None]:
    """The key of :func:`open_memberships` a row (its person and checked ``data``) would take."""
    employer = data.get("_employer_id")
    if batch.kind == BatchKind.ASSOCIATION_WORKERS:
        return (person_id or 0, int(employer) if employer else None)
    return (person_id or 0, None)


def match_batch(batch: EnrolmentBatch, rows: list[Row], *, today: date) -> None:
    """Match the rows against the registry and give each its status."""
    frame = pl.DataFrame(
        {
            "nik": [r.nik for r in rows],
            "name": [r.name for r in rows],
            "birth_date": [r.birth_date for r in rows],
            "village_id": [r.village_id for r in rows],
        },
        schema={"nik": pl.Utf8, "name": pl.Utf8, "birth_date": pl.Date, "village_id": pl.Int64},
    )
    matched = match_rows(frame, today=today)
    person_ids = matched["person_id"].to_list()
    registered: dict[int, tuple[str, date, str]] = {
        pk: (name, birth, sex)
        for pk, name, birth, sex in Person.objects.filter(
            pk__in=[p for p in person_ids if p is not None]
        ).values_list("pk", "name", "birth_date", "sex")
    }
    for row, status, reason_code, person_id, first in zip(
        rows,
        matched["match_status"].to_list(),
        matched["match_reason"].to_list(),
        person_ids,
        matched["duplicate_of"].to_list(),
        strict=True,
    ):
        if status == MatchStatus.DUPLICATE:
            row.status = RowStatus.DUPLICATE
            other = str(rows[first].line) if first is not None else "-"
            row.reasons.append(
                reason("uploads.duplicate_in_file", "nik", nik=mask_nik(row.nik), other_rows=other)
            )
        elif status == MatchStatus.POSSIBLE_MATCH:
            row.notes.append(reason(f"matching.{reason_code}", "nik"))
        elif person_id is not None and status is not None:
            _take_person(row, person_id, registered[person_id], reason_code)
    _mark_existing(batch, rows)


def _take_person(
    row: Row, person_id: int, registered: tuple[str, date, str], reason_code: str
) -> None:
    """The row is the person on file, unless the file's birth date or sex differs from it."""
    name, birth, sex = registered
    if (row.birth_date is not None and row.raw.get("birth_date") and row.birth_date != birth) or (
        row.raw.get("sex") and row.sex and row.sex != sex
    ):
        row.reasons.append(
            reason(
                "uploads.registered_person_differs",
                "nik",
                nik=mask_nik(row.nik),
                name=name,
                registered_birth_date=birth,
                registered_sex=SEX_LABELS.get(sex, _NO_SEX),
                birth_date=row.birth_date or "-",
                sex=SEX_LABELS.get(row.sex, _NO_SEX),
            )
        )
        return
    row.person_id = person_id
    row.notes.append(reason(f"matching.{reason_code}", "nik"))


def _mark_existing(batch: EnrolmentBatch, rows: list[Row]) -> None:
    """A valid row with reasons is invalid; one whose person has the open membership already
    is ``existing``."""
    open_ = open_memberships(batch, [r.person_id for r in rows if r.person_id])
    for row in rows:
        if row.status != RowStatus.VALID:
            continue
        if row.reasons:
            row.status = RowStatus.INVALID
            continue
        kpj = open_.get(existing_key(batch, row.person_id, row.raw)) if row.person_id else None
        if kpj is not None:
            row.status = RowStatus.EXISTING
            row.notes.append(reason("enrolment.already_member", "nik", kpj=kpj))
