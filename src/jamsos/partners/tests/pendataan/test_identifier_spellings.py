"""Door-to-door listing reads each spelling of a NIK as one NIK or refuses it, on the form and
in an imported file: fullwidth digits, spaces and zero-width characters are the NIK already
listed; a digit of another script is refused, in Bahasa Indonesia and English."""

from __future__ import annotations

import pytest

from jamsos.core.tests.identifier_variants import refused_params, same_params, variant_params
from jamsos.partners.models import Prospect
from jamsos.partners.services.prospects import (
    AlreadyListed,
    ProspectInvalid,
    prospect_record,
    prospects_import,
)
from jamsos.partners.tests.pendataan.world import TODAY, World

NIK = "3204051705900101"


def record(world: World, nik: str, **values: str) -> Prospect:
    return prospect_record(
        scope=world.officer,
        campaign="ck-2025",
        values={"nik": nik, "name": "Asep Sunandar", "consent_contact": "ya", **values},
        today=TODAY,
    )


@pytest.mark.parametrize(("name", "spelling"), same_params(NIK))
def test_form_a_spelling_of_a_listed_nik_is_already_listed(world: World, name, spelling):
    record(world, NIK)
    with pytest.raises(AlreadyListed):
        record(world, spelling)
    assert list(Prospect.objects.values_list("nik", flat=True)) == [NIK]


@pytest.mark.parametrize(("name", "spelling"), same_params(NIK))
def test_form_a_spelling_is_stored_in_ascii(world: World, name, spelling):
    assert record(world, spelling).nik == NIK


@pytest.mark.parametrize(("name", "spelling"), refused_params(NIK))
def test_form_refuses_another_scripts_digit(world: World, name, spelling):
    record(world, NIK)
    with pytest.raises(ProspectInvalid) as caught:
        record(world, spelling)
    assert caught.value.field == "nik"
    assert "hanya boleh memuat angka 0–9" in caught.value.message_in("id")
    assert "may hold only the digits 0–9" in caught.value.message_in("en")
    assert Prospect.objects.count() == 1


@pytest.mark.parametrize(("name", "spelling", "same"), variant_params("081234567801"))
def test_form_phone(world: World, name, spelling, same):
    if same:
        assert record(world, NIK, phone=spelling).phone == "+6281234567801"
    else:
        with pytest.raises(ProspectInvalid) as caught:
            record(world, NIK, phone=spelling)
        assert caught.value.field == "phone"


def test_import_every_spelling_in_one_file(world: World):
    spellings = variant_params(NIK)
    lines = ["nik;nama;setuju_dihubungi", f"{NIK};Asep Sunandar;ya"]
    lines += [f"{spelling};Asep {name};ya" for name, spelling, _ in spellings]
    result = prospects_import(
        scope=world.officer,
        campaign="ck-2025",
        content="\n".join(lines).encode(),
        file_name="pendataan.csv",
        today=TODAY,
        accept_valid=True,
    )
    rows = {r.line: r for r in result.rows}
    assert rows[2].status == "stored"
    for line, (name, _spelling, same) in enumerate(spellings, start=3):
        problems = [(p.field, p.message("en")) for p in rows[line].problems]
        if same:
            assert problems == [("nik", "same NIK as row 2")], name
        else:
            assert len(problems) == 1, name
            assert problems[0][0] == "nik"
            assert "may hold only the digits 0–9" in problems[0][1]
    assert list(Prospect.objects.values_list("nik", flat=True)) == [NIK]
