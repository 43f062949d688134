import itertools
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.membership import errors
from jamsos.membership.identifiers import nik_make
from jamsos.membership.models import BranchOffice, Person
from jamsos.membership.selectors import person_get_by_nik, person_search
from jamsos.membership.services import bpu_self_register, person_register, pu_worker_register
from jamsos.membership.tests.factories import employer_create
from jamsos.membership.tests.fixtures import TODAY

OPERATOR = Scope.operator("test")


def register(regions, **overrides):
    values = {
        "nik": "3204051705900001",
        "name": "Budi  Santoso",
        "birth_date": date(1990, 5, 17),
        "sex": "M",
        "domicile": regions.cileunyi_kulon,
        "phone": "0812-3456-7890",
        "today": TODAY,
    }
    values.update(overrides)
    return person_register(**values)


def test_person_register_stores_clean_values(regions):
    # when
    person = register(regions)
    # then
    person.refresh_from_db()
    assert person.nik == "3204051705900001"
    assert person.name == "Budi Santoso"
    assert person.search_name == "budi santoso"
    assert person.phone == "+6281234567890"
    assert person_get_by_nik(OPERATOR, nik="3204 0517 0590 0001") == person


def test_woman_has_day_plus_40_and_no_phone_is_stored_as_null(regions):
    person = register(regions, nik="3204055705900002", sex="F", phone="  ")
    assert person.sex == "F"
    assert person.phone is None


def test_indonesian_sex_letters_are_accepted(regions):
    assert register(regions, sex="L").sex == "M"


def test_district_missing_from_stdnum_tables_is_accepted_when_in_the_edition(regions):
    # Kalimantan Utara (65) is not in python-stdnum's place table; the edition has it.
    person = register(regions, nik="6501011705900001", domicile=regions.tanjung_palas_hulu)
    assert person.nik.startswith("650101")


@pytest.mark.parametrize(
    "nik",
    ["320405170590001", "32040517059000X1", "3204051705900000", "3204053305900001"],
)
def test_malformed_nik_is_refused(regions, nik):
    with pytest.raises(errors.InvalidNik) as caught:
        register(regions, nik=nik)
    assert caught.value.code == "membership.invalid_nik"
    assert caught.value.fields == {"nik": [caught.value.message]}
    assert not Person.objects.exists()


def test_unknown_district_is_refused(regions):
    # 32.04.01 is not a district of the 2025 edition.
    with pytest.raises(errors.NikRegionUnknown) as caught:
        register(regions, nik="3204011705900001")
    assert "320401" in caught.value.message_in("en")
    assert "320401" in caught.value.message_in("id")


def test_birth_date_mismatch_is_refused(regions):
    with pytest.raises(errors.NikBirthDateMismatch) as caught:
        register(regions, birth_date=date(1990, 5, 18))
    assert caught.value.field == "birth_date"
    assert "17-05-90" in caught.value.message_in("en")


def test_century_cannot_be_told_so_1925_and_2025_both_match(regions):
    nik = nik_make(district_code_nodot="320405", birth_date=date(1925, 1, 2), sex="M", serial=7)
    assert register(regions, nik=nik, birth_date=date(1925, 1, 2)).birth_date.year == 1925


def test_sex_mismatch_is_refused(regions):
    with pytest.raises(errors.NikSexMismatch) as caught:
        register(regions, sex="F")
    assert caught.value.code == "membership.nik_sex_mismatch"
    assert "perempuan" in caught.value.message_in("id")


def test_future_birth_date_is_refused(regions):
    nik = nik_make(district_code_nodot="320405", birth_date=date(2025, 4, 1), sex="M", serial=1)
    with pytest.raises(errors.BirthDateInFuture):
        register(regions, nik=nik, birth_date=date(2025, 4, 1))


def test_unparseable_phone_is_refused(regions):
    with pytest.raises(errors.InvalidPhone) as caught:
        register(regions, phone="12345")
    assert caught.value.field == "phone"


def test_domicile_must_be_a_village(regions):
    with pytest.raises(errors.WrongRegionLevel) as caught:
        register(regions, domicile=regions.cileunyi)
    assert caught.value.field == "domicile"


def test_second_registration_names_the_existing_record(regions):
    # given
    person = register(regions)
    membership = bpu_self_register(
        person=person, declared_income_idr=2_000_000, start_date=date(2024, 1, 1), today=TODAY
    )
    # when / then
    with pytest.raises(errors.DuplicateNik) as caught:
        register(regions, name="Budi S.")
    message = caught.value.message_in("id")
    assert "3204********0001" in message
    assert "Budi Santoso" in message
    assert membership.kpj in message
    assert caught.value.http_status == 409
    assert Person.objects.count() == 1


def test_message_follows_the_active_language(regions):
    with translation.override("en"), pytest.raises(errors.NikSexMismatch) as caught:
        register(regions, sex="F")
    assert caught.value.message.startswith("NIK 3204********0001 says sex male")


def test_database_refuses_a_duplicate_nik_whatever_the_entry_point(regions):
    register(regions)
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(
            nik="3204051705900001",
            name="X",
            birth_date=date(1990, 5, 17),
            sex="M",
            domicile=regions.cileunyi_kulon,
        )


def test_database_refuses_a_short_nik_and_a_phone_not_in_e164(regions):
    for values in ({"nik": "320405"}, {"nik": "3204051705900009", "phone": "0812"}):
        fields = {
            "name": "X",
            "birth_date": date(1990, 5, 17),
            "sex": "M",
            "domicile": regions.cileunyi_kulon,
            **values,
        }
        with pytest.raises(IntegrityError), transaction.atomic():
            Person.objects.create(**fields)


def test_person_get_by_nik_refuses_unknown(regions):
    with pytest.raises(errors.PersonNotFound) as caught:
        person_get_by_nik(OPERATOR, nik="3204051705900001")
    assert caught.value.http_status == 404
    assert "3204********0001" in caught.value.message


def test_person_search_matches_words_in_any_case(regions):
    register(regions, nik="3204051705900001", name="Ni Made Ayu Ariani", sex="M")
    register(regions, nik="3204051705900002", name="Budi Santoso")
    assert [p.name for p in person_search(OPERATOR, name="ayu")] == ["Ni Made Ayu Ariani"]
    assert [p.name for p in person_search(OPERATOR, name="SANTOSO budi")] == ["Budi Santoso"]
    assert person_search(OPERATOR, name="  ") == []


def _search_by_one_query(scope, name, limit):
    """The search as one query (before it was split in two): the reference for the new one."""
    from django.db.models import Q

    from jamsos.membership.checks import search_name_of
    from jamsos.membership.selectors import people_visible

    first, *rest = search_name_of(name).split()
    query = people_visible(scope).filter(
        Q(search_name__startswith=first) | Q(search_name__contains=f" {first}")
    )
    for word in rest:
        query = query.filter(search_name__contains=word)
    return list(query.order_by("search_name", "nik")[:limit])


def test_person_search_finds_what_one_query_finds(regions):
    # given: names with "siti" first, later, inside a word, and names without it; a third of
    # the people live outside the Bandung office's area, some of those work for an employer
    # it serves (a branch officer sees them through the membership), the rest it never sees
    names = [
        "Siti Aminah", "Siti", "Ani Siti Rahma", "Sitiawati", "Nur Sitiawati", "Zainab Siti",
        "Budi Santoso", "Asiti Lestari", "Siti Aminah", "Dewi Siti Nurhaliza", "Sitti Rohani",
        "Siti Zubaedah", "Aa Siti", "Siti Nur", "Rini Wati", "Sitia", "Ani", "Nur Siti",
    ]  # fmt: skip
    people = [
        register(
            regions,
            nik=f"3204055705{900000 + serial:06d}",
            name=name,
            sex="F",
            domicile=regions.tanjung_palas_hulu if serial % 3 == 0 else regions.cileunyi_kulon,
        )
        for serial, name in enumerate(names, start=1)
    ]
    employer = employer_create(village=regions.cileunyi_kulon)
    for person in people[2::6] + people[4::6]:
        pu_worker_register(
            employer=employer, person=person, wage_idr=5_000_000, start_date=date(2025, 1, 1)
        )
    office = BranchOffice.objects.get(code="KC3204")
    scopes = [
        OPERATOR,
        Scope(role=Role.WORKER, actor_name="siti", person_id=people[11].pk),
        Scope(
            role=Role.BRANCH_OFFICER,
            actor_name="kc",
            branch_office_id=office.pk,
            regency_codes=frozenset({"32.04", "32.73"}),
        ),
        Scope(role=Role.BRANCH_OFFICER, actor_name="kc", branch_office_id=office.pk),
        Scope(
            role=Role.BRANCH_OFFICER,
            actor_name="kc",
            regency_codes=frozenset({"65.01"}),
        ),
        Scope(role=Role.EMPLOYER_USER, actor_name="pt", employer_id=employer.pk),
    ]
    # then: the same people in the same order, whatever the limit and the scope
    for scope, query, limit in itertools.product(
        scopes,
        ("siti", "SITI nur", "siti aminah", "sitia", "asiti", "zz", "s", "nu", "a", "ni s"),
        (1, 3, 5, 50),
    ):
        found = person_search(scope, name=query, limit=limit)
        assert found == _search_by_one_query(scope, query, limit), (scope, query, limit)
    seen = {p.pk for p in person_search(scopes[2], name="s")}
    assert people[5].pk not in seen  # outside the area, no membership of the office
    assert people[2].pk in seen  # outside the area, a membership of the office
    assert person_search(scopes[1], name="siti") == [people[11]]
    assert [p.name for p in person_search(OPERATOR, name="siti", limit=4)] == [
        "Aa Siti", "Ani Siti Rahma", "Dewi Siti Nurhaliza", "Nur Siti",
    ]  # fmt: skip
