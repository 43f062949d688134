"""``jamsos jakon register`` and ``jamsos pmi register``: the same services as the API; a
refusal names the field, exits with status 2 and writes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jamsos.membership.models import ConstructionProject, Membership, Placement
from jamsos.membership.tests.factories import PersonDataFactory, employer_create, person_create


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def contractor(regions):
    return employer_create(village=regions.cileunyi_kulon, legal_name="PT Karya Beton")


def jakon(contractor, regions, **change: str) -> list[str]:
    options = {
        "--npp": contractor.npp,
        "--name": "Gedung Sekolah",
        "--value": "600.000.000",
        "--village": regions.cileunyi_kulon.code,
        "--start": "2026-06-01",
        "--end": "2026-12-31",
        **change,
    }
    return ["jakon", "register", *(x for pair in options.items() for x in pair)]


def test_jakon_register_writes_the_project_and_prints_the_contribution(contractor, regions):
    out = run(*jakon(contractor, regions))
    project = ConstructionProject.objects.get()
    assert project.contract_value_idr == 600_000_000
    assert project.contractor == contractor
    # 100 M x 0.24 % + 400 M x 0.19 % + 100 M x 0.15 % = 240.000 + 760.000 + 150.000.
    assert "Rp 1.150.000" in out
    assert "Gedung Sekolah" in out


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"--value": "enam ratus"}, "Nilai kontrak"),
        ({"--value": "0"}, "Nilai kontrak"),
        ({"--start": "2026-13-01"}, "Tanggal mulai"),
        ({"--end": "2026-05-01"}, "Tanggal berakhir"),
        ({"--village": "32.04.05"}, "village"),
        ({"--npp": "9999999999"}, "9999999999"),
    ],
)
def test_jakon_refusals_name_the_field_and_write_nothing(contractor, regions, change, words):
    with pytest.raises(CommandError) as caught:
        run(*jakon(contractor, regions, **change))
    assert caught.value.returncode == 2
    assert words.lower() in str(caught.value).lower()
    assert not ConstructionProject.objects.exists()


def test_pmi_register_a_new_person_prints_the_package(regions):
    data = PersonDataFactory(domicile=regions.cileunyi_kulon, serial=8101)
    out = run(
        "pmi", "register", "--nik", data.nik, "--country", "SG", "--months", "6",
        "--start", "2026-06-01", "--name", data.name,
        "--birth-date", data.birth_date.isoformat(), "--sex", data.sex,
        "--domicile", regions.cileunyi_kulon.code,
    )  # fmt: skip
    membership = Membership.objects.get(segment="PMI")
    assert membership.placement is not None
    assert membership.placement.destination_country == "SG"
    # Pre-placement 37.500 + the 6-month package 108.000.
    assert "Rp 145.500" in out
    assert membership.kpj in out


def test_pmi_register_a_registered_person_by_nik(regions):
    person = person_create(domicile=regions.cileunyi_kulon, name="Euis Komala")
    run(
        "pmi", "register", "--nik", person.nik, "--country", "TW", "--months", "24",
        "--start", "2026-06-01", "--lang", "en",
    )  # fmt: skip
    assert Placement.objects.get().person == person


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (["--months", "dua"], "Lama penempatan"),
        (["--months", "121"], "Lama penempatan"),
        (["--country", "Malaysia"], "Negara tujuan"),
        (["--start", "kemarin"], "Tanggal mulai"),
    ],
)
def test_pmi_refusals_name_the_field_and_write_nothing(regions, change, words):
    person = person_create(domicile=regions.cileunyi_kulon, name="Euis Komala")
    args = {"--country": "MY", "--months": "12", "--start": "2026-06-01"}
    args[change[0]] = change[1]
    with pytest.raises(CommandError) as caught:
        run("pmi", "register", "--nik", person.nik, *(x for p in args.items() for x in p))
    assert caught.value.returncode == 2
    assert words in str(caught.value)
    assert not Placement.objects.exists()
    assert not Membership.objects.filter(segment="PMI").exists()


def test_a_new_person_needs_the_domicile(regions):
    data = PersonDataFactory(domicile=regions.cileunyi_kulon, serial=8102)
    with pytest.raises(CommandError) as caught:
        run(
            "pmi", "register", "--nik", data.nik, "--country", "SG", "--months", "6",
            "--start", "2026-06-01", "--name", data.name,
            "--birth-date", data.birth_date.isoformat(), "--sex", data.sex,
        )  # fmt: skip
    assert "domisili" in str(caught.value).lower() or "desa" in str(caught.value).lower()
