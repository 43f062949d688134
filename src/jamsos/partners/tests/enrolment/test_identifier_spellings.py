"""The enrolment list reads each spelling of a NIK as one NIK or refuses it: fullwidth digits,
spaces and zero-width characters are a repeat of the row above or the member already
registered; a digit of another script is refused, never a second person."""

from __future__ import annotations

from datetime import date

from jamsos.core.tests.identifier_variants import variant_params
from jamsos.membership.models import Person
from jamsos.membership.services import bpu_self_register
from jamsos.membership.tests.factories import person_create
from jamsos.partners.models import EnrolmentRow, RowStatus
from jamsos.partners.services.enrolment import batch_stage
from jamsos.partners.tests.enrolment.test_enrolment import (
    BPU_HEADER,
    TODAY,
    World,
    csv_bytes,
    nik,
)


def test_every_spelling_of_a_new_and_a_registered_nik(world: World) -> None:
    member = bpu_self_register(
        person=person_create(domicile=world.regions.cileunyi_kulon, name="Sudah Peserta"),
        declared_income_idr=1_000_000,
        start_date=date(2025, 3, 1),
        today=TODAY,
    )
    new = nik(101)
    rows = [[new, "Asep Sunandar", "17-05-1990", "L", "32.04.05.2001", ""]]
    expected: list[tuple[str, str, bool, str]] = []
    member_sex = "L" if member.person.sex == "M" else "P"
    for number, who, sex in ((new, "Asep", "L"), (member.person.nik, "Sudah Peserta", member_sex)):
        for name, spelling, same in variant_params(number):
            rows.append([spelling, who, "", sex, "32.04.05.2001", ""])
            expected.append((name, number, same, who))
    people_before = Person.objects.count()
    staged = batch_stage(
        scope=world.scope("mitra_baznas"),
        partner_code="baznas-bandung",
        kind="sponsored",
        idempotency_key="baznas-spellings",
        file_name="rentan.csv",
        content=csv_bytes(BPU_HEADER, rows),
        term_from=date(2025, 3, 1),
        term_until=date(2025, 12, 31),
        today=TODAY,
    )
    by_row = {r.row_number: r for r in EnrolmentRow.objects.filter(batch=staged.batch)}
    assert by_row[2].status == RowStatus.VALID
    seen: set[str] = set()
    for row_number, (name, number, same, who) in enumerate(expected, start=3):
        row = by_row[row_number]
        if not same:
            assert row.status == RowStatus.INVALID, name
            assert row.reason_code == "membership.invalid_nik", name
            assert "hanya boleh memuat angka 0–9" in row.reason, name
        elif who == "Asep" or number in seen:
            assert (row.status, row.nik) == (RowStatus.DUPLICATE, number), name
        else:  # the first spelling of the member's NIK in the file is the member
            assert (row.status, row.nik) == (RowStatus.EXISTING, number), name
            assert member.kpj in row.reason
            seen.add(number)
    assert Person.objects.count() == people_before
