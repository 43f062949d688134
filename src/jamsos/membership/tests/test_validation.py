from datetime import date

import pytest

from jamsos.membership.identifiers import nik_make
from jamsos.membership.services import bpu_self_register, validate_people
from jamsos.membership.tests.factories import person_create
from jamsos.membership.tests.fixtures import TODAY


def row(nik, **overrides):
    values = {
        "nik": nik,
        "name": "Siti Rahayu",
        "birth_date": date(1990, 5, 17),
        "sex": "F",
        "phone": "0812-3456-7890",
    }
    values.update(overrides)
    return values


def nik(serial, *, district="320405", born=date(1990, 5, 17), sex="F"):
    return nik_make(district_code_nodot=district, birth_date=born, sex=sex, serial=serial)


@pytest.fixture
def registered(regions):
    person = person_create(
        domicile=regions.cileunyi_kulon, name="Dewi Lestari", sex="F", serial=900
    )
    membership = bpu_self_register(
        person=person, declared_income_idr=1_000_000, start_date=date(2024, 1, 1), today=TODAY
    )
    return person, membership


def test_every_reason_of_every_row(regions, registered):
    # given
    person, membership = registered
    rows = [
        row(nik(1)),  # 1 valid
        row("320405571990001"),  # 2 format
        row(nik(2, district="320401")),  # 3 district not in the edition
        row(nik(3), birth_date=date(1990, 5, 18)),  # 4 birth date
        row(nik(4), sex="M"),  # 5 sex
        row(nik(5), phone="12345"),  # 6 phone
        row(nik(1)),  # 7 repeats row 1
        row(person.nik, name="Dewi L."),  # 8 registered already
        row(nik(6, born=date(2025, 4, 1)), birth_date=date(2025, 4, 1)),  # 9 future
        row(nik(7, sex="M"), sex="L", phone=None, birth_date="1990-05-17"),  # 10 valid
        row(nik(8), name=" ", birth_date="17/05/1990", sex="X"),  # 11 name, date, sex
    ]
    # when
    result = validate_people(rows, today=TODAY)
    # then
    assert result.total == 11
    assert result.valid == 2
    assert result.ok(1)
    assert result.ok(10)
    assert result.codes(2) == ["membership.invalid_nik"]
    assert result.codes(3) == ["membership.nik_region_unknown"]
    assert result.codes(4) == ["membership.nik_birth_date_mismatch"]
    assert result.codes(5) == ["membership.nik_sex_mismatch"]
    assert result.codes(6) == ["membership.invalid_phone"]
    assert result.codes(7) == ["membership.duplicate_in_batch"]
    assert result.codes(8) == ["membership.duplicate_nik"]
    assert result.codes(9) == ["membership.birth_date_in_future"]
    assert result.codes(11) == [
        "membership.required",
        "membership.invalid_date",
        "membership.invalid_choice",
    ]
    messages = result.messages("id")
    assert "baris 1" in messages[7][0]
    assert "Dewi Lestari" in messages[8][0]
    assert membership.kpj in messages[8][0]
    assert "3204********0900" in messages[8][0]
    assert result.messages("en")[3][0].startswith("NIK 3204********0002: district code 320401")
    assert [r for r, _ in result.valid_rows()] == [1, 10]
    assert dict(result.valid_rows())[10]["phone"] is None
    assert dict(result.valid_rows())[1]["phone"] == "+6281234567890"


def test_one_registry_query_per_batch_not_per_row(regions, registered, django_assert_num_queries):
    # given: 40 valid rows in 4 batches of 10, one row already registered
    person, _ = registered
    rows = [row(nik(n)) for n in range(1, 40)] + [row(person.nik, name="Dewi Lestari")]
    # when / then: per batch one query for its districts and one for registered NIKs
    with django_assert_num_queries(8):
        result = validate_people(rows, today=TODAY, batch_size=10)
    assert result.rejected == 1
    assert result.codes(40) == ["membership.duplicate_nik"]


def test_a_thousand_rows_take_two_queries(regions, django_assert_num_queries):
    rows = [row(nik(n)) for n in range(1, 1001)]
    with django_assert_num_queries(2):
        result = validate_people(rows, today=TODAY)
    assert result.valid == 1000


def test_duplicates_across_batches_are_found(regions):
    rows = [row(nik(1)), row(nik(2)), row(nik(1))]
    result = validate_people(rows, today=TODAY, batch_size=2)
    assert result.codes(3) == ["membership.duplicate_in_batch"]


def test_malformed_rows_need_no_query(regions, django_assert_num_queries):
    with django_assert_num_queries(0):
        result = validate_people([row("123"), row(None)], today=TODAY)
    assert result.rejected == 2
