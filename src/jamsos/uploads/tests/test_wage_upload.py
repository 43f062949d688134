"""A month's wages of existing workers from a file: every bad row named, nothing half-written."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from jamsos.access.scope import scope_for_user
from jamsos.core.exports import write_csv
from jamsos.legal.periods import Period
from jamsos.membership.models import Membership, WageReport
from jamsos.membership.services import pu_worker_register
from jamsos.membership.tests.factories import person_create
from jamsos.membership.tests.pages.test_pages import World, client_for, html, world_build
from jamsos.uploads.wage_reports import wage_file_import, wage_file_template

PERIOD = Period(2024, 3)


@pytest.fixture
def staff(regions) -> World:
    world = world_build(regions)
    second = person_create(domicile=world.worker_a.domicile, name="Bambang", serial=31)
    pu_worker_register(
        employer=world.employer_a,
        person=second,
        wage_idr=4_000_000,
        start_date=date(2024, 1, 1),
        today=date(2025, 3, 15),
    )
    return world


def _kpjs(world: World) -> dict[str, str]:
    return {m.person.name: m.kpj for m in Membership.objects.filter(employer=world.employer_a)}


def _csv(rows: list[tuple[object, ...]]) -> bytes:
    return write_csv(rows, ("KPJ", "Nama", "Upah"))


def test_a_good_file_reports_every_row(staff):
    kpjs = _kpjs(staff)
    scope = scope_for_user(staff.users["perusahaan"])
    content = _csv(
        [(kpjs["Asep Sunandar"], "Asep", "5.100.000"), (kpjs["Bambang"], "B", "4200000")]
    )
    result = wage_file_import(
        scope, employer=staff.employer_a, period=PERIOD, content=content, file_name="upah.csv"
    )
    assert result.problems == []
    assert result.written == 2
    march = dict(
        WageReport.objects.filter(period="2024-03").values_list("membership__kpj", "wage_idr")
    )
    assert march == {kpjs["Asep Sunandar"]: 5_100_000, kpjs["Bambang"]: 4_200_000}
    assert set(WageReport.objects.filter(period="2024-03").values_list("source", flat=True)) == {
        "bulk_upload"
    }


def test_every_bad_row_is_named_and_nothing_is_written(staff):
    kpjs = _kpjs(staff)
    scope = scope_for_user(staff.users["perusahaan"])
    content = _csv(
        [
            (kpjs["Asep Sunandar"], "Asep", "5000000"),  # good
            (kpjs["Bambang"], "Bambang", "100"),  # absurd wage
            ("", "Nobody", "5000000"),  # no KPJ
            (staff.pu_b.kpj, "Rina", "5000000"),  # another employer's worker
            (kpjs["Asep Sunandar"], "Asep again", "5000000"),  # twice
            ("12345678901", "Typo", "lima juta"),  # unreadable wage
        ]
    )
    result = wage_file_import(
        scope,
        employer=staff.employer_a,
        period=PERIOD,
        content=content,
        file_name="upah.csv",
        language="en",
    )
    assert result.written == 0
    by_line = {p.line: p.message for p in result.problems}
    assert sorted(by_line) == [3, 4, 5, 6, 7]
    assert "too small for a monthly wage" in by_line[3]
    assert "KPJ cannot be read" in by_line[4]
    assert "not an active wage earner" in by_line[5]
    assert "also on row 2" in by_line[6]
    assert "not a whole rupiah" in by_line[7]
    assert not WageReport.objects.filter(period="2024-03").exists()


def test_template_lists_active_workers_with_last_wage(staff):
    scope = scope_for_user(staff.users["perusahaan"])
    book = load_workbook(
        io.BytesIO(wage_file_template(scope, employer=staff.employer_a, file_format="xlsx"))
    )
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == ("KPJ", "Nama", "Upah")
    assert sorted(r[1:] for r in rows[1:]) == [("Asep Sunandar", 5_000_000), ("Bambang", 4_000_000)]


def test_wage_page_links_to_the_wage_upload_not_the_worker_upload(staff):
    client = client_for(staff, "perusahaan")
    npp = staff.employer_a.npp
    page = html(client.get(f"/kerja/pemberi-kerja/{npp}/upah/?period=2024-03"))
    assert f'href="/unggah/upah/{npp}/"' in page
    assert 'href="/unggah/"' not in page
    template = client.get(f"/unggah/upah/{npp}/templat.csv")
    assert template.status_code == 200
    assert _kpjs(staff)["Bambang"] in template.content.decode("utf-8-sig")


def test_upload_page_shows_every_bad_row(staff):
    kpjs = _kpjs(staff)
    client = client_for(staff, "perusahaan")
    url = f"/unggah/upah/{staff.employer_a.npp}/"
    bad = SimpleUploadedFile("upah.csv", _csv([(kpjs["Bambang"], "B", "100")]), "text/csv")
    refused = client.post(url, {"period": "2024-03", "file": bad})
    assert refused.status_code == 400
    assert "terlalu kecil untuk upah sebulan" in html(refused)
    good = SimpleUploadedFile("upah.csv", _csv([(kpjs["Bambang"], "B", "4.100.000")]), "text/csv")
    done = client.post(url, {"period": "2024-03", "file": good})
    assert done.status_code == 302
    assert WageReport.objects.get(membership__kpj=kpjs["Bambang"], period="2024-03").wage_idr == (
        4_100_000
    )
    # Another employer's user may not upload for this employer.
    other = client_for(staff, "cabang_b").get(url)
    assert other.status_code in (403, 404)
