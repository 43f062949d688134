from datetime import date

import pytest

from jamsos.core.masking import mask_nik, mask_phone
from jamsos.membership.identifiers import (
    kpj_is_valid,
    kpj_make,
    nik_make,
    nik_parse,
    npp_is_valid,
    npp_make,
    npwp_make,
    npwp_normalise,
    phone_normalise,
)


def test_kpj_has_year_serial_and_luhn_check_digit():
    # given / when
    kpj = kpj_make(year=2025, serial=1)
    # then
    assert kpj == "25000000015"
    assert kpj_is_valid(kpj)


@pytest.mark.parametrize("position", range(11))
def test_kpj_check_digit_catches_every_single_digit_typo(position):
    kpj = kpj_make(year=2019, serial=4_567_321)
    for digit in "0123456789":
        typo = kpj[:position] + digit + kpj[position + 1 :]
        assert kpj_is_valid(typo) == (typo == kpj)


def test_kpj_refuses_wrong_length_and_letters():
    assert not kpj_is_valid("2500000001")
    assert not kpj_is_valid("25000000O15")


def test_npp_has_province_serial_and_check_digit():
    npp = npp_make(province_code="32", serial=1)
    assert npp == "3200000010"
    assert npp_is_valid(npp)
    assert not npp_is_valid("3200000011")


def test_serials_out_of_range_are_bugs():
    with pytest.raises(ValueError, match="KPJ serial"):
        kpj_make(year=2025, serial=0)
    with pytest.raises(ValueError, match="NPP serial"):
        npp_make(province_code="32", serial=10_000_000)
    with pytest.raises(ValueError, match="NIK serial"):
        nik_make(district_code_nodot="320405", birth_date=date(1990, 1, 1), sex="M", serial=0)


def test_nik_make_adds_40_to_the_day_for_women():
    nik = nik_make(district_code_nodot="320405", birth_date=date(1995, 8, 5), sex="F", serial=12)
    assert nik == "3204054508950012"
    parts, problem = nik_parse(nik)
    assert problem == ""
    assert (parts.day, parts.month, parts.year2, parts.sex) == (5, 8, 95, "F")


@pytest.mark.parametrize(
    ("nik", "problem"),
    [
        ("320405170890001", "format"),  # 15 digits
        ("32040517089000a1", "format"),
        ("3204051708900000", "serial"),
        ("3204053208900001", "date"),  # day 32
        ("3204057208900001", "date"),  # women's day 72 = 32
        ("3204051713900001", "date"),  # month 13
        ("3204053002900001", "date"),  # 30 February
    ],
)
def test_nik_parse_refuses_what_cannot_be_a_nik(nik, problem):
    assert nik_parse(nik) == (None, problem)


def test_nik_parse_accepts_separators():
    parts, _ = nik_parse("3204.0517.0890.0001")
    assert parts.nik == "3204051708900001"


def test_npwp_15_and_16_digit_forms_are_one_number():
    assert npwp_normalise("01.312.166.0-091.000") == "0013121660091000"
    assert npwp_normalise("0013121660091000") == "0013121660091000"
    assert npwp_normalise("01.312.166.1-091.000") is None  # check digit
    assert npwp_normalise("12345") is None


def test_npwp_make_is_valid():
    assert npwp_normalise(npwp_make(taxpayer_type=2, serial=345678, tax_office=428)) is not None


def test_phone_normalise_to_e164_and_absent_is_none():
    assert phone_normalise("0812-3456-7890") == ("+6281234567890", "")
    assert phone_normalise("+62 857 1234 5678") == ("+6285712345678", "")
    assert phone_normalise("") == (None, "")
    assert phone_normalise(None) == (None, "")
    phone, problem = phone_normalise("12345")
    assert phone is None
    assert problem


def test_masks_keep_just_enough_to_recognise():
    assert mask_nik("3204051708900001") == "3204********0001"
    assert mask_phone("+6281234567890") == "0812****7890"
    assert mask_phone(None) == ""
