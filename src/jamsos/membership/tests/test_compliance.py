"""The compliance selector: few workers, programs missing, wages below the minimum, months not
reported; scoped to the officer's office."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.legal.periods import Period
from jamsos.membership import errors
from jamsos.membership.compliance import (
    ComplianceFilter,
    Problem,
    employer_compliance,
    latest_reported_period,
)
from jamsos.membership.models import BranchOffice, Membership
from jamsos.membership.services import branch_office_create, pu_worker_register, wages_report
from jamsos.membership.tests.factories import employer_create, person_create

OPERATOR = Scope.operator("test")
FEB, MAR = Period(2025, 2), Period(2025, 3)


def _hire(employer, regions, n, wage=5_000_000, start=date(2025, 1, 1)):
    out = []
    for _ in range(n):
        person = person_create(domicile=regions.cileunyi_kulon)
        out.append(
            pu_worker_register(
                employer=employer, person=person, wage_idr=wage, start_date=start, by=OPERATOR
            )
        )
    return out


@pytest.fixture
def employers(regions):
    """Kota Bandung (UMK 2025 Rp 4,482,914.09) and Bulungan, Kaltara (no minimum known)."""
    branch_office_create(code="KC6501", name="Kantor Cabang Bulungan", regencies=[regions.bulungan])
    good = employer_create(village=regions.sukarasa, size="small", legal_name="PT Patuh")
    big = employer_create(village=regions.sukarasa, size="large", legal_name="PT Besar Sedikit")
    low = employer_create(village=regions.sukarasa, size="medium", legal_name="PT Upah Rendah")
    silent = employer_create(village=regions.sukarasa, size="small", legal_name="PT Diam")
    far = employer_create(village=regions.tanjung_palas_hulu, size="small", legal_name="PT Jauh")
    for employer in (good, silent, far):
        _hire(employer, regions, 5)
    _hire(big, regions, 3)
    low_members = _hire(low, regions, 20)
    for employer in (good, big, low, far):
        members = Membership.objects.filter(employer=employer)
        wages = {m.kpj: 5_000_000 for m in members}
        if employer is low:
            wages |= {m.kpj: 3_000_000 for m in low_members[:4]}
        wages_report(employer=employer, period=FEB, wages=wages, by=OPERATOR)
        wages_report(employer=employer, period=MAR, wages=wages, by=OPERATOR)
    # PT Diam reports February only.
    wages_report(
        employer=silent,
        period=FEB,
        wages={m.kpj: 5_000_000 for m in Membership.objects.filter(employer=silent)},
        by=OPERATOR,
    )
    # One of PT Upah Rendah's workers lacks JP, which a medium employer must give.
    Membership.objects.filter(pk=low_members[5].pk).update(programs="JKK,JKM,JHT")
    return {"good": good, "big": big, "low": low, "silent": silent, "far": far}


def _problems(rows):
    return {row.legal_name: set(row.problems) for row in rows}


def test_each_rule_trips_its_employer(employers):
    rows = employer_compliance(OPERATOR, ComplianceFilter(period=MAR, months=2))
    found = _problems(rows)
    assert "PT Patuh" not in found
    assert found["PT Besar Sedikit"] == {Problem.FEW_WORKERS}
    assert found["PT Upah Rendah"] == {Problem.BELOW_MINIMUM, Problem.PROGRAMS_MISSING}
    assert found["PT Diam"] == {Problem.MONTHS_NOT_REPORTED}
    by_name = {row.legal_name: row for row in rows}
    low = by_name["PT Upah Rendah"]
    assert (low.below_minimum, low.minimum_basis, low.programs_missing) == (4, "UMK", {"JP": 1})
    assert by_name["PT Besar Sedikit"].workers_expected == 100
    assert by_name["PT Diam"].months_not_reported == ["2025-03"]


def test_a_region_without_a_minimum_is_listed_as_unknown_for_a_medium_employer(employers, regions):
    far_medium = employer_create(
        village=regions.tanjung_palas_hulu, size="medium", legal_name="PT Kaltara Menengah"
    )
    members = _hire(far_medium, regions, 20)
    wages_report(
        employer=far_medium, period=MAR, wages={m.kpj: 150_000 for m in members}, by=OPERATOR
    )
    rows = employer_compliance(OPERATOR, ComplianceFilter(period=MAR, months=1))
    row = next(r for r in rows if r.legal_name == "PT Kaltara Menengah")
    assert row.problems == [Problem.MINIMUM_UNKNOWN]
    assert row.below_minimum == 0
    # Small PT Jauh in the same region is exempt, so it is not listed.
    assert "PT Jauh" not in _problems(rows)


def test_filter_by_problem_and_search(employers):
    only = employer_compliance(
        OPERATOR, ComplianceFilter(period=MAR, months=2, problem="months_not_reported")
    )
    assert [r.legal_name for r in only] == ["PT Diam"]
    searched = employer_compliance(OPERATOR, ComplianceFilter(period=MAR, search="besar"))
    assert [r.legal_name for r in searched] == ["PT Besar Sedikit"]


def test_scoped_to_the_officers_office(employers):
    bulungan = BranchOffice.objects.get(code="KC6501")
    officer = Scope(role=Role.BRANCH_OFFICER, branch_office_id=bulungan.pk)
    rows = employer_compliance(officer, ComplianceFilter(period=MAR, months=2))
    assert {r.branch_office for r in rows} <= {"KC6501"}
    assert "PT Besar Sedikit" not in _problems(rows)
    employer_user = Scope(role=Role.EMPLOYER_USER, employer_id=employers["big"].pk)
    with pytest.raises(errors.NotPermitted):
        employer_compliance(employer_user, ComplianceFilter(period=MAR))


def test_a_fixed_number_of_queries(employers, regions):
    with CaptureQueriesContext(connection) as few:
        employer_compliance(OPERATOR, ComplianceFilter(period=MAR, months=3))
    for _ in range(5):
        extra = employer_create(village=regions.sukarasa, size="large")
        _hire(extra, regions, 2)
    with CaptureQueriesContext(connection) as many:
        employer_compliance(OPERATOR, ComplianceFilter(period=MAR, months=3))
    assert len(many) == len(few)
    assert latest_reported_period(OPERATOR) == MAR


def test_the_page_lists_filters_and_exports(employers):
    from django.test import Client

    from jamsos.membership.services.accounts import user_access_grant

    bandung = BranchOffice.objects.get(code="KC3204")
    officer = user_access_grant(
        username="t-kepatuhan", role=Role.BRANCH_OFFICER, branch_office=bandung
    ).user
    client = Client()
    client.force_login(officer)
    home = client.get("/kerja/").content.decode()
    assert 'href="/kerja/kepatuhan/"' in home
    page = client.get("/kerja/kepatuhan/?period=2025-03&months=2").content.decode()
    assert "PT Upah Rendah" in page
    assert "PT Diam" in page
    assert "Upah di bawah minimum" in page
    assert "PT Jauh" not in page  # another office's employer
    only = client.get("/kerja/kepatuhan/?period=2025-03&months=2&problem=few_workers")
    assert "PT Diam" not in only.content.decode()
    export = client.get("/kerja/kepatuhan/?period=2025-03&months=2&format=csv")
    assert export["Content-Type"].startswith("text/csv")
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("NPP,Pemberi kerja,Skala usaha,Kantor cabang")
    assert any("PT Upah Rendah" in line and ",4,UMK," in line for line in lines)
    employer_user = user_access_grant(
        username="t-pemberi", role=Role.EMPLOYER_USER, employer=employers["big"]
    ).user
    client.force_login(employer_user)
    assert client.get("/kerja/kepatuhan/").status_code == 403


def test_the_api_and_the_cli_give_the_same_rows(employers):
    from django.core.management import call_command
    from django.test import Client

    from jamsos.membership.services.accounts import user_access_grant

    bandung = BranchOffice.objects.get(code="KC3204")
    officer = user_access_grant(username="t-api", role=Role.BRANCH_OFFICER, branch_office=bandung)
    client = Client()
    client.force_login(officer.user)
    response = client.get("/api/v1/compliance/employers?period=2025-03&months=2")
    assert response.status_code == 200, response.content
    body = response.json()
    by_npp = {item["npp"]: item for item in body["items"]}
    low = by_npp[employers["low"].npp]
    assert (low["wages_below_minimum"], low["minimum_basis"]) == (4, "UMK")
    assert low["programs_missing"] == {"JP": 1}
    assert body["count"] == len(body["items"]) == 3
    bad = client.get("/api/v1/compliance/employers?period=2025-13")
    assert bad.status_code == 400
    assert bad.json()["code"] == "membership.invalid_period"
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/compliance/employers" in schema["paths"]

    import io

    out = io.StringIO()
    call_command(
        "compliance",
        "employers",
        "--period",
        "2025-03",
        "--months",
        "2",
        "--as",
        "t-api",
        "--csv",
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("npp,legal_name")
    assert {line.split(",")[0] for line in lines[1:]} == set(by_npp)
    table = io.StringIO()
    call_command("compliance", "employers", "--period", "2025-03", stdout=table)
    assert "PT Upah Rendah" in table.getvalue()
