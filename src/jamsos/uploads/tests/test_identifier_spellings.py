"""The bulk upload reads each spelling of a NIK as one NIK or refuses it: fullwidth digits,
spaces and zero-width characters are the same NIK (a duplicate in the file, the registered
person), a digit of another script is refused with the NIK's message in both languages."""

from __future__ import annotations

import pytest

from jamsos.core.tests.identifier_variants import refused_params, same_params, variant_params
from jamsos.membership.tests.factories import person_create
from jamsos.uploads.messages import reason_message
from jamsos.uploads.models import RowStatus
from jamsos.uploads.tests.conftest import worker
from jamsos.uploads.tests.test_validation import _check, _codes

NIK = worker(1)["nik"]


@pytest.mark.parametrize("xlsx", [False, True])
def test_every_spelling_in_one_file(world, xlsx):
    spellings = variant_params(NIK)
    _, rows = _check(world, [worker(1)] + [worker(1, nik=s) for _, s, _ in spellings], xlsx=xlsx)
    assert _codes(rows[2]) == ["uploads.duplicate_in_file"]
    for line, (name, _spelling, same) in enumerate(spellings, start=3):
        row = rows[line]
        assert row.status == RowStatus.REJECTED, name
        if same:
            assert row.nik == NIK, name
            assert _codes(row) == ["uploads.duplicate_in_file"], name
        else:
            assert _codes(row) == ["membership.invalid_nik"], name
            assert "hanya boleh memuat angka 0–9" in reason_message(row.reasons[0], "id")
            assert "may hold only the digits 0–9" in reason_message(row.reasons[0], "en")


@pytest.mark.parametrize(("name", "spelling"), same_params(NIK))
def test_a_spelling_of_a_registered_nik_is_the_registered_person(world, regions, name, spelling):
    person = person_create(domicile=regions.cileunyi_kulon, serial=1, name="Budi Registered")
    _, rows = _check(world, [worker(1, nik=spelling)])
    assert rows[2].status == RowStatus.VALID
    assert rows[2].nik == NIK
    assert rows[2].person_pk == person.pk


@pytest.mark.parametrize(("name", "spelling"), refused_params(NIK))
def test_another_scripts_digit_is_never_a_new_person(world, regions, name, spelling):
    person_create(domicile=regions.cileunyi_kulon, serial=1, name="Budi Registered")
    _, rows = _check(world, [worker(1, nik=spelling)])
    assert rows[2].status == RowStatus.REJECTED
    assert _codes(rows[2]) == ["membership.invalid_nik"]
    assert rows[2].person_pk is None


@pytest.mark.parametrize(("name", "spelling", "same"), variant_params("0812-3456-7890"))
def test_phone_cells(world, name, spelling, same):
    _, rows = _check(world, [worker(1, telepon=spelling)])
    if same:
        assert (rows[2].status, rows[2].phone) == (RowStatus.VALID, "+6281234567890")
    else:
        assert _codes(rows[2]) == ["membership.invalid_phone"]
