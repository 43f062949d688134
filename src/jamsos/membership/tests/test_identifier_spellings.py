"""Every spelling of a NIK, KPJ, NPP, NPWP or phone number reads as one ASCII number or is refused.

A NIK with a Bengali digit (``317504410193000১``) used to register a second person beside the
same NIK in ASCII digits. The table of spellings is ``jamsos.core.tests.identifier_variants``;
these tests try it on the membership entry paths: the identifier functions, the per-person
registration service, the worker search, the registry API and the self-registration page.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from jamsos.access.models import UserAccess
from jamsos.access.scope import Scope
from jamsos.core.identifiers import compact_identifier
from jamsos.core.tests.identifier_variants import (
    refused_params,
    same_params,
    variant_params,
    variants,
)
from jamsos.membership import errors
from jamsos.membership.identifiers import (
    kpj_is_valid,
    kpj_make,
    nik_parse,
    npp_is_valid,
    npp_make,
    npwp_make,
    npwp_normalise,
    phone_normalise,
)
from jamsos.membership.models import Person
from jamsos.membership.selectors import employer_get_by_npp, person_get_by_nik, worker_search
from jamsos.membership.services import bpu_self_register, person_register
from jamsos.membership.tests.factories import employer_create
from jamsos.membership.tests.fixtures import TODAY
from jamsos.membership.tests.pages.test_pages import field_error, html

OPERATOR = Scope.operator("test")
NIK = "3204051705900001"
KPJ = kpj_make(year=2024, serial=123)
NPP = npp_make(province_code="32", serial=77)
NPWP = npwp_make(taxpayer_type=1, serial=234567, tax_office=901)
PHONE = "081234567890"
NAMES = sorted(variants(NIK))


def register(regions, nik: str = NIK):
    return person_register(
        nik=nik,
        name="Budi Santoso",
        birth_date=date(1990, 5, 17),
        sex="M",
        domicile=regions.cileunyi_kulon,
        phone="0812-3456-7890",
        today=TODAY,
    )


def assert_script_refusal(error: errors.MembershipError) -> None:
    assert error.code == "membership.invalid_nik"
    assert error.field == "nik"
    assert "hanya boleh memuat angka 0–9" in error.message_in("id")
    assert "may hold only the digits 0–9" in error.message_in("en")


# --- the identifiers themselves ----------------------------------------------------------------


@pytest.mark.parametrize(("name", "spelling", "same"), variant_params(NIK))
def test_nik_parse_reads_one_nik_or_refuses_another_script(name, spelling, same):
    parts, problem = nik_parse(spelling)
    if same:
        assert parts is not None
        assert parts.nik == NIK
    else:
        assert parts is None
        assert problem == "script"


@pytest.mark.parametrize(("name", "spelling", "same"), variant_params(KPJ))
def test_kpj_check_is_on_ascii_digits(name, spelling, same):
    assert kpj_is_valid(compact_identifier(spelling)) is same
    assert compact_identifier(spelling) == KPJ or not same


@pytest.mark.parametrize(("name", "spelling", "same"), variant_params(NPP))
def test_npp_check_is_on_ascii_digits(name, spelling, same):
    assert npp_is_valid(compact_identifier(spelling)) is same


@pytest.mark.parametrize(("name", "spelling", "same"), variant_params(NPWP))
def test_npwp_normalises_to_one_number_or_none(name, spelling, same):
    assert npwp_normalise(spelling) == (NPWP if same else None)


@pytest.mark.parametrize(("name", "spelling", "same"), variant_params(PHONE))
def test_phone_normalises_to_one_number_or_says_why_not(name, spelling, same):
    phone, problem = phone_normalise(spelling)
    if same:
        assert (phone, problem) == ("+6281234567890", "")
    else:
        assert phone is None
        assert "0–9" in problem


# --- the per-person registration service -------------------------------------------------------


@pytest.mark.parametrize(("name", "spelling"), same_params(NIK))
def test_a_spelling_of_a_registered_nik_is_the_same_person(regions, name, spelling):
    register(regions)
    with pytest.raises(errors.DuplicateNik):
        register(regions, nik=spelling)
    assert list(Person.objects.values_list("nik", flat=True)) == [NIK]


@pytest.mark.parametrize(("name", "spelling"), refused_params(NIK))
def test_a_nik_with_another_scripts_digit_never_makes_a_second_person(regions, name, spelling):
    register(regions)
    with pytest.raises(errors.InvalidNik) as caught:
        register(regions, nik=spelling)
    assert_script_refusal(caught.value)
    assert list(Person.objects.values_list("nik", flat=True)) == [NIK]


def test_a_fullwidth_nik_is_stored_in_ascii(regions):
    person = register(regions, nik="３２０４ ０５１７\u200b０５９０ ０００１")
    assert person.nik == NIK


# --- the worker search and the look-ups by number ----------------------------------------------


@pytest.mark.parametrize(("name", "spelling", "same"), variant_params(NIK))
def test_worker_search_by_nik(regions, name, spelling, same):
    person = register(regions)
    if same:
        found = worker_search(OPERATOR, text=spelling)
        assert (found.kind, found.people) == ("nik", [person])
    else:
        with pytest.raises(errors.InvalidNik) as caught:
            worker_search(OPERATOR, text=spelling)
        assert caught.value.code == "membership.invalid_nik"


@pytest.mark.parametrize("name", NAMES)
def test_worker_search_by_kpj(regions, name):
    person = register(regions)
    membership = bpu_self_register(
        person=person, declared_income_idr=2_000_000, start_date=date(2024, 1, 1), today=TODAY
    )
    spelling, same = variants(membership.kpj)[name]
    if same:
        found = worker_search(OPERATOR, text=spelling)
        assert (found.kind, found.people) == ("kpj", [person])
    else:
        with pytest.raises(errors.InvalidNik):
            worker_search(OPERATOR, text=spelling)


@pytest.mark.parametrize("name", NAMES)
def test_employer_by_npp(regions, name):
    employer = employer_create(village=regions.cileunyi_kulon)
    spelling, same = variants(employer.npp)[name]
    if same:
        assert employer_get_by_npp(OPERATOR, npp=spelling) == employer
    else:
        with pytest.raises(errors.EmployerNotFound):
            employer_get_by_npp(OPERATOR, npp=spelling)


@pytest.mark.parametrize(("name", "spelling", "same"), variant_params(NIK))
def test_person_by_nik_and_the_users_command(regions, name, spelling, same):
    person = register(regions)
    if same:
        assert person_get_by_nik(OPERATOR, nik=spelling) == person
        call_command("users", "grant", "budi", "--role", "worker", "--person", spelling)
        assert UserAccess.objects.get(user__username="budi").person == person
    else:
        with pytest.raises(errors.InvalidNik) as caught:
            person_get_by_nik(OPERATOR, nik=spelling)
        assert_script_refusal(caught.value)
        with pytest.raises(CommandError) as refused:
            call_command("users", "grant", "budi", "--role", "worker", "--person", spelling)
        assert "hanya boleh memuat angka 0–9" in str(refused.value)
        assert not UserAccess.objects.exists()


def test_the_refusal_reads_in_the_active_language(regions):
    with translation.override("en"), pytest.raises(errors.InvalidNik) as caught:
        register(regions, nik="٣٢٠٤٠٥١٧٠٥٩٠٠٠٠١")
    assert "may hold only the digits 0–9" in caught.value.message


# --- the self-registration page ----------------------------------------------------------------


def public_form(nik: str) -> dict[str, str]:
    return {
        "nik": nik,
        "name": "Budi Santoso",
        "birth_date": "1990-05-17",
        "sex": "M",
        "phone": "0812 7777 1234",
        "domicile": "32.04.05.2001",
        "declared_income": "2.000.000",
        "ecosystem": "pasar",
        "jht": "on",
        "agree": "on",
    }


@pytest.mark.parametrize(("name", "spelling", "same"), variant_params(NIK))
def test_self_registration_page(regions, name, spelling, same):
    register(regions)
    response = Client().post("/daftar-bpu/", public_form(spelling))
    assert response.status_code == 200
    assert Person.objects.count() == 1
    shown = field_error(html(response), "nik")
    if same:
        assert "NIK ini sudah terdaftar" in shown
    else:
        assert "hanya boleh memuat angka 0–9" in shown
