from datetime import date

import pytest
from django.db import IntegrityError, transaction

from jamsos.membership import errors
from jamsos.membership.identifiers import npp_is_valid, npwp_make
from jamsos.membership.models import Employer
from jamsos.membership.services import (
    association_get_or_create,
    branch_office_create,
)
from jamsos.membership.tests.factories import employer_create


def test_employer_register_gives_an_npp_and_the_branch_serving_its_regency(branch_office, regions):
    # given
    association = association_get_or_create(code="apindo-test", name="Asosiasi Uji")
    # when
    employer = employer_create(village=regions.sukarasa, associations=[association])
    second = employer_create(village=regions.cileunyi_kulon)
    # then
    assert employer.npp.startswith("32")
    assert npp_is_valid(employer.npp)
    assert int(second.npp[2:9]) == int(employer.npp[2:9]) + 1
    assert employer.branch_office == branch_office
    assert list(employer.associations.all()) == [association]


def test_npwp_is_validated_and_stored_in_16_digits(branch_office, regions):
    employer = employer_create(village=regions.sukarasa, npwp="01.312.166.0-091.000")
    assert employer.npwp == "0013121660091000"
    with pytest.raises(errors.InvalidNpwp) as caught:
        employer_create(village=regions.sukarasa, npwp="01.312.166.1-091.000")
    assert caught.value.field == "npwp"


def test_same_npwp_in_the_other_form_is_a_duplicate(branch_office, regions):
    first = employer_create(village=regions.sukarasa, npwp="0013121660091000")
    with pytest.raises(errors.DuplicateNpwp) as caught:
        employer_create(village=regions.sukarasa, npwp="01.312.166.0-091.000")
    assert first.npp in caught.value.message_in("en")


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("size", "huge", errors.InvalidChoice),
        ("sector", "Z", errors.InvalidChoice),
        ("industry", "shipbuilding", errors.InvalidChoice),
        ("risk_class", 6, errors.OutOfRange),
        ("legal_name", "  ", errors.RequiredField),
    ],
)
def test_bad_employer_fields_are_refused_naming_the_field(
    branch_office, regions, field, value, error
):
    with pytest.raises(error) as caught:
        employer_create(village=regions.sukarasa, **{field: value})
    assert caught.value.field == field


def test_without_a_branch_office_for_the_regency_registration_is_refused(regions):
    with pytest.raises(errors.NoBranchOffice):
        employer_create(village=regions.tanjung_palas_hulu)


def test_branch_office_serves_regencies_only_and_codes_are_unique(regions, branch_office):
    with pytest.raises(errors.WrongRegionLevel):
        branch_office_create(code="KC9", name="X", regencies=[regions.cileunyi])
    with pytest.raises(errors.DuplicateBranchOffice):
        branch_office_create(code="kc3204", name="Lain", regencies=[regions.kab_bandung])


def test_database_refuses_risk_class_out_of_range(branch_office, regions):
    with pytest.raises(IntegrityError), transaction.atomic():
        Employer.objects.create(
            npp="3200000010",
            npwp=npwp_make(taxpayer_type=1, serial=1, tax_office=1),
            legal_name="X",
            size="micro",
            sector="G",
            risk_class=9,
            address_village=regions.sukarasa,
            branch_office=branch_office,
            registered_on=date(2024, 1, 1),
        )
