"""The register of regional policy work: instruments and commitments, scoped by region
(services, selectors, pages, API, command line, the seed rows)."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from jamsos.access.models import AuditEvent, Role
from jamsos.access.scope import Scope, scope_for_user
from jamsos.access.services import api_token_issue
from jamsos.core.errors import ApplicationError
from jamsos.membership.models import BranchOffice
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.fixtures import Regions
from jamsos.partners.models import Commitment, CommitmentStatus, RegionalInstrument
from jamsos.partners.selectors.regional import commitments_visible, instruments_visible
from jamsos.partners.services.regional import (
    commitment_create,
    commitment_done,
    instrument_save,
    regional_load,
    seed_file,
)
from jamsos.registry.services.regions import region_row, regions_write

OPERATOR = Scope.operator("test")


@pytest.fixture
def places(regions: Regions) -> Regions:
    """The tests' regions plus those the seed rows name (Sulawesi Selatan, Sidosermo)."""
    rows = [
        ("73", "Sulawesi Selatan"),
        ("35", "Jawa Timur"),
        ("35.78", "Kota Surabaya"),
        ("35.78.02", "Wonocolo"),
        ("35.78.02.1001", "Sidosermo"),
    ]
    regions_write(
        edition=regions.jabar.edition, rows=[region_row(code, name) for code, name in rows]
    )
    return regions


def officer() -> Scope:
    office = BranchOffice.objects.get(code="KC3204")  # Kabupaten and Kota Bandung
    user = user_access_grant(
        username="kc-bandung", role=Role.BRANCH_OFFICER, branch_office=office
    ).user
    return scope_for_user(user)


def instrument(
    scope: Scope, region: str, title: str = "Pergub", **extra: object
) -> RegionalInstrument:
    values = {
        "kind": "regulation",
        "title": title,
        "region_code": region,
        "issuer": "Gubernur",
        "status": "in_force",
        **extra,
    }
    return instrument_save(scope, **values)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_the_seed_rows_load_once_with_their_numbers_and_sources(places: Regions) -> None:
    first = regional_load(OPERATOR, seed_file())
    assert first.instruments_created == 4
    assert first.commitments_created == 5
    again = regional_load(OPERATOR, seed_file())
    assert again.instruments_created == 0
    assert again.commitments_created == 0
    assert again.unchanged == 9
    assert again.skipped == []
    pergub = RegionalInstrument.objects.get(number="135 Tahun 2018")
    assert pergub.region_code == "73"
    assert pergub.status == "in_force"
    assert "seed 002" in pergub.source
    assert RegionalInstrument.objects.get(number="560/8594/BKAD").kind == "circular"
    inpres = RegionalInstrument.objects.get(number="2 Tahun 2021")
    assert inpres.region_code == "00"
    assert inpres.kind == "instruction"
    ad_hoc = Commitment.objects.get(instrument=inpres)
    assert ad_hoc.due_on == date(2024, 11, 27)
    sidosermo = Commitment.objects.get(region_code="35.78.02.1001")
    assert sidosermo.made_on == date(2024, 12, 18)
    assert "Cabang Juanda" in sidosermo.who
    assert sidosermo.status == CommitmentStatus.OPEN


@pytest.mark.django_db
def test_a_branch_officer_sees_the_nation_its_province_and_its_regencies(places: Regions) -> None:
    instrument(OPERATOR, "00", "Inpres")
    instrument(OPERATOR, "32", "Pergub Jawa Barat")
    instrument(OPERATOR, "32.04", "Perbup Bandung")
    instrument(OPERATOR, "32.04.05", "Instruksi Camat Cileunyi")
    instrument(OPERATOR, "73", "Pergub Sulsel")
    instrument(OPERATOR, "65.01", "Perbup Bulungan")
    scope = officer()
    titles = {i.title for i in instruments_visible(scope)}
    assert titles == {"Inpres", "Pergub Jawa Barat", "Perbup Bandung", "Instruksi Camat Cileunyi"}
    # A region filter keeps the region, what is below it, and what applies above it.
    in_district = {i.title for i in instruments_visible(scope, region="32.04.05")}
    assert in_district == {"Inpres", "Pergub Jawa Barat", "Instruksi Camat Cileunyi"}
    assert len(instruments_visible(OPERATOR)) == 6


@pytest.mark.django_db
def test_a_branch_officer_records_only_in_its_regencies(places: Regions) -> None:
    scope = officer()
    made = instrument(scope, "3204", "Perbup Bandung", kind="budget_line", budget_idr=1_500_000_000)
    assert made.region_code == "32.04"
    assert made.budget_idr == 1_500_000_000
    assert AuditEvent.objects.filter(target_type="partners.regionalinstrument").exists()
    with pytest.raises(ApplicationError) as outside:
        instrument(scope, "73", "Pergub Sulsel")
    assert outside.value.code == "partners.regional_region_outside"
    with pytest.raises(ApplicationError) as national:
        instrument(scope, "00", "Inpres")
    assert national.value.code == "partners.regional_region_outside"
    with pytest.raises(ApplicationError) as unknown:
        instrument(scope, "99.99", "Nowhere")
    assert unknown.value.code == "partners.regional_unknown_region"
    with pytest.raises(ApplicationError) as dates:
        instrument(
            scope,
            "32.04",
            "Backwards",
            in_force_from=date(2025, 1, 1),
            in_force_until=date(2024, 1, 1),
        )
    assert dates.value.code == "partners.regional_bad_value"
    assert "Berlaku sampai" in dates.value.message_in("id")


@pytest.mark.django_db
def test_a_commitment_is_tracked_to_done_once(places: Regions) -> None:
    scope = officer()
    commitment = commitment_create(
        scope,
        what="Pendataan pekerja informal di Cileunyi Kulon",
        who="KC Bandung; Desa Cileunyi Kulon",
        region_code="32.04.05.2001",
        made_on=date(2025, 2, 1),
        made_at="FGD Desa Cileunyi Kulon",
        due_on=date(2025, 3, 31),
    )
    assert [c.pk for c in commitments_visible(scope, status="open")] == [commitment.pk]
    done = commitment_done(scope, commitment, done_on=date(2025, 3, 20), note="212 pekerja terdata")
    assert done.status == CommitmentStatus.DONE
    assert done.done_on == date(2025, 3, 20)
    assert commitments_visible(scope, status="open").count() == 0
    with pytest.raises(ApplicationError) as twice:
        commitment_done(scope, done, done_on=date(2025, 3, 21))
    assert twice.value.code == "partners.regional_already_done"
    with pytest.raises(ApplicationError) as early:
        commitment_create(
            scope,
            what="x",
            who="y",
            region_code="32.04",
            made_on=date(2025, 2, 1),
            made_at="z",
            due_on=date(2025, 1, 1),
        )
    assert early.value.code == "partners.regional_bad_value"


@pytest.mark.django_db
def test_employer_users_and_workers_are_refused(places: Regions) -> None:
    from jamsos.membership.tests.factories import employer_create

    employer = employer_create(village=places.cileunyi_kulon, legal_name="PT Regional")
    user = user_access_grant(username="pt", role=Role.EMPLOYER_USER, employer=employer).user
    with pytest.raises(ApplicationError) as refused:
        instruments_visible(scope_for_user(user))
    assert refused.value.http_status == 403
    client = Client()
    client.force_login(user)
    assert client.get("/mitra/regional/").status_code == 403


@pytest.mark.django_db
def test_pages_list_record_and_mark_done(places: Regions) -> None:
    regional_load(OPERATOR, seed_file())
    scope = officer()
    client = Client()
    client.force_login(scope_user(scope))
    page = client.get("/mitra/regional/").content.decode()
    assert "Kebijakan daerah" in page
    assert "Pergub Sulawesi Selatan" not in page  # outside the Bandung office's area
    assert "Inpres" in page  # national
    assert "Menggandeng tokoh Kabupaten Bandung" in page
    response = client.post(
        "/mitra/regional/instrumen/tambah/",
        {
            "kind": "budget_line",
            "title": "Anggaran iuran BPU pekerja rentan",
            "region_code": "32.04",
            "issuer": "Bupati Bandung",
            "status": "signed",
            "budget_idr": "2.500.000.000",
            "number": "APBD 2025",
        },
    )
    assert response.status_code == 302
    made = RegionalInstrument.objects.get(number="APBD 2025")
    assert made.budget_idr == 2_500_000_000
    detail = client.get(f"/mitra/regional/instrumen/{made.pk}/").content.decode()
    assert "Rp2.500.000.000" in detail
    refused = client.post(
        "/mitra/regional/instrumen/tambah/",
        {"kind": "regulation", "title": "x", "region_code": "73", "issuer": "y", "status": "draft"},
    )
    assert refused.status_code == 403
    bandung = Commitment.objects.get(region_code="32.04")
    done = client.post(
        f"/mitra/regional/komitmen/{bandung.pk}/selesai/",
        {"done_on": "2025-01-10", "done_note": "Tokoh desa dilibatkan", "next": "/mitra/regional/"},
    )
    assert done.status_code == 302
    bandung.refresh_from_db()
    assert bandung.status == CommitmentStatus.DONE
    assert bandung.done_note == "Tokoh desa dilibatkan"
    shown = client.get("/mitra/regional/?komitmen=done").content.decode()
    assert "Tokoh desa dilibatkan" in shown


def scope_user(scope: Scope):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=scope.user_id)


@pytest.mark.django_db
def test_api_lists_records_and_marks_done(places: Regions) -> None:
    regional_load(OPERATOR, seed_file())
    access = user_access_grant(username="api-admin", role=Role.ADMIN)
    raw = api_token_issue(user=access.user, name="t").raw
    client = Client(headers={"authorization": f"Bearer {raw}", "accept-language": "en"})
    rows = client.get("/api/v1/partners/regional/instruments?region=73").json()
    assert {r["number"] for r in rows} >= {"135 Tahun 2018", "560/8594/BKAD", "2 Tahun 2021"}
    created = client.post(
        "/api/v1/partners/regional/instruments",
        {"kind": "circular", "title": "SE Bupati", "region_code": "32.04", "issuer": "Bupati"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "draft"
    open_rows = client.get("/api/v1/partners/regional/commitments?status=open").json()
    assert len(open_rows) == 5
    target = open_rows[0]["id"]
    done = client.post(
        f"/api/v1/partners/regional/commitments/{target}/done",
        {"done_on": "2025-04-01", "note": "selesai"},
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done"
    again = client.post(
        f"/api/v1/partners/regional/commitments/{target}/done",
        {"done_on": "2025-04-02"},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert again.json()["code"] == "partners.regional_already_done"


@pytest.mark.django_db
def test_the_command_line_loads_lists_and_marks_done(places: Regions) -> None:
    out = StringIO()
    call_command("regional", "load", stdout=out)
    assert "instruments=4 commitments=5 unchanged=0 skipped=0" in out.getvalue()
    out = StringIO()
    call_command("regional", "list", "--region", "73", stdout=out)
    assert "560/8594/BKAD" in out.getvalue()
    commitment = Commitment.objects.get(region_code="35.78.02.1001")
    out = StringIO()
    call_command("regional", "done", str(commitment.pk), "--on", "2025-01-15", stdout=out)
    assert "done\t2025-01-15" in out.getvalue()
    out = StringIO()
    call_command("regional", "commitments", "--status", "open", stdout=out)
    assert "Sidosermo" not in out.getvalue()
    assert len(out.getvalue().strip().splitlines()) == 4


@pytest.mark.django_db
def test_rows_of_regions_not_in_the_list_are_skipped_and_named(regions: Regions) -> None:
    result = regional_load(OPERATOR, seed_file())
    # Sulawesi Selatan (73) and Surabaya (35.78) are not among the tests' regions.
    assert result.instruments_created == 1  # the Inpres (national)
    assert result.commitments_created == 2  # national and Kabupaten Bandung
    assert len(result.skipped) == 6
    assert any("560/8594" not in s and "Sidosermo" in s for s in result.skipped)
