"""Arrears that can be worked: the list's filters and banner, the case page (phone revealed with
a reason and audited, contacts, promises kept or broken, assignment within the office), the
officer's counts, and the selectors' query counts (set-based, on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jamsos.access.models import AuditEvent, Role
from jamsos.access.scope import Scope
from jamsos.billing.errors import CaseDateOutOfRange, CaseOfficerNotOfOffice, PayerNotFound
from jamsos.billing.models import ArrearsCase, CaseContact, Payment, PaymentPromise
from jamsos.billing.selectors import (
    ArrearsFilter,
    PromiseState,
    arrears_follow_up,
    arrears_totals,
    data_stop_before,
    my_cases,
    promises_with_state,
)
from jamsos.billing.services.cases import case_assign, case_contact_log, promise_record
from jamsos.billing.tests.conftest import Site
from jamsos.core.clock import today_in_jakarta
from jamsos.membership.models import BranchOffice, Person
from jamsos.membership.services.accounts import user_access_grant

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return response.content.decode()


def officer_scope(site: Site, name: str = "cabang") -> Scope:
    access = site.users[name].jamsos_access
    return Scope(
        role=Role.BRANCH_OFFICER,
        user_id=site.users[name].pk,
        actor_name=name,
        branch_office_id=access.branch_office_id,
    )


ADMIN = Scope(role=Role.ADMIN, actor_name="admin")


def pay(payer: Any, amount: int, paid_on: Any, ref: str) -> None:
    Payment.objects.create(
        bank_ref=ref,
        payer=payer,
        virtual_account=payer.virtual_account,
        amount_idr=amount,
        paid_on=paid_on,
        received_at=timezone.now(),
        channel="api",
        to_credit_idr=amount,
    )


# --- the list: filters, banner, export ---------------------------------------------------------


def test_filters_narrow_the_list_by_kind_amount_age_office_and_village(site: Site) -> None:
    today = today_in_jakarta()
    everyone = arrears_follow_up(ADMIN, as_of=today)
    assert everyone.count == 3
    employers = arrears_follow_up(ADMIN, as_of=today, filters=ArrearsFilter(kind="employer"))
    assert {r.payer_id for r in employers.rows} == {site.home.pk, site.far.pk}
    large = arrears_follow_up(ADMIN, as_of=today, filters=ArrearsFilter(min_idr=100_000))
    assert [r.payer_id for r in large.rows] == [site.home.pk]
    assert large.totals.total_idr == 1_200_000
    assert large.count == 1
    small = ArrearsFilter(max_idr=77_777)
    assert {r.payer_id for r in arrears_follow_up(ADMIN, as_of=today, filters=small).rows} == {
        site.far.pk,
        site.person_payer.pk,
    }
    old = arrears_follow_up(ADMIN, as_of=today, filters=ArrearsFilter(band="d90_plus"))
    assert [r.payer_id for r in old.rows] == [site.far.pk]
    assert old.totals.d90_plus == 77_777
    assert old.totals.d31_60 == 0
    middle = arrears_totals(ADMIN, as_of=today, filters=ArrearsFilter(band="d31_60"))
    assert (middle.payers, middle.total_idr) == (1, 1_200_000)
    bandung = BranchOffice.objects.get(code="KC3204")
    office = arrears_follow_up(ADMIN, as_of=today, filters=ArrearsFilter(office_id=bandung.pk))
    assert [r.payer_id for r in office.rows] == [site.home.pk]
    village = site.world.employer.address_village.code
    by_village = arrears_follow_up(ADMIN, as_of=today, filters=ArrearsFilter(village_code=village))
    assert site.home.pk in {r.payer_id for r in by_village.rows}
    assert site.far.pk not in {r.payer_id for r in by_village.rows}


def test_an_officer_filtering_another_office_sees_nothing_of_it(site: Site) -> None:
    far_office = site.far.branch_office_id
    page = arrears_follow_up(
        officer_scope(site), as_of=today_in_jakarta(), filters=ArrearsFilter(office_id=far_office)
    )
    assert page.count == 0
    assert page.rows == []


def test_list_page_filters_banner_and_csv_keep_the_filters(site: Site) -> None:
    client = site.client("admin")
    body = text(client.get("/iuran/tunggakan/", {"jenis": "pemberi_kerja", "umur": "d90_plus"}))
    assert "PT Kaltara Jaya" in body
    assert "PT Maju Bersama" not in body
    assert 'id="data-stop"' in body
    assert "Tagihan terakhir: Maret 2025 — data berhenti sebelum hari ini" in body
    assert "jenis=pemberi_kerja" in body
    assert "umur=d90_plus" in body
    csv = client.get("/iuran/tunggakan/csv", {"jenis": "pemberi_kerja", "min": "100000"})
    rows = b"".join(csv.streaming_content).decode().splitlines()
    assert len(rows) == 2
    assert "PT Maju Bersama" in rows[1]
    event = AuditEvent.objects.filter(target_type="billing.arrears").latest("at")
    assert "jenis=pemberi_kerja" in event.detail["filters"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"min": "seratus"}, "Jumlah terkecil"),
        ({"min": "5", "maks": "1"}, "Jumlah terbesar"),
        ({"jenis": "bank"}, "Jenis pembayar"),
        ({"umur": "d1000"}, "Umur"),
        ({"kantor": "KC0000"}, "Kantor"),
        ({"desa": "desa-x"}, "Kode desa"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_field(
    site: Site, params: dict[str, str], field: str
) -> None:
    response = site.client("cabang").get("/iuran/tunggakan/", params)
    assert response.status_code == 400
    assert field in text(response)
    assert site.client("cabang").get("/iuran/tunggakan/csv", params).status_code == 400


def test_no_banner_when_billing_reaches_last_month(site: Site) -> None:
    today = today_in_jakarta()
    assert data_stop_before(today) is not None
    last = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    site.invoice.__class__.objects.filter(pk=site.invoice.pk).update(period=last)
    assert data_stop_before(today) is None
    assert 'id="data-stop"' not in text(site.client("cabang").get("/iuran/tunggakan/"))


# --- the case page -----------------------------------------------------------------------------


def _bpu_in_bandung(site: Site) -> Any:
    bandung = BranchOffice.objects.get(code="KC3204")
    site.person_payer.branch_office = bandung
    site.person_payer.save(update_fields=["branch_office"])
    Person.objects.filter(pk=site.world.bpu_person.pk).update(phone="+6281234567890")
    return site.person_payer


def test_case_page_is_scoped_to_the_office(site: Site) -> None:
    assert site.client("cabang").get(f"/iuran/tunggakan/{site.home.pk}/").status_code == 200
    assert site.client("cabang_b").get(f"/iuran/tunggakan/{site.home.pk}/").status_code == 404
    assert site.client("perusahaan").get(f"/iuran/tunggakan/{site.home.pk}/").status_code == 403
    response = site.client("cabang_b").post(
        f"/iuran/tunggakan/{site.home.pk}/",
        {
            "action": "contact",
            "contacted_on": "2025-05-01",
            "channel": "phone",
            "outcome": "reached",
        },
    )
    assert response.status_code == 404
    assert not CaseContact.objects.exists()
    with pytest.raises(PayerNotFound):
        promise_record(
            officer_scope(site, "cabang_b"),
            payer_id=site.home.pk,
            due_on=today_in_jakarta(),
            amount_idr=1,
        )


def test_phone_is_masked_until_revealed_with_a_reason_and_audited(site: Site) -> None:
    payer = _bpu_in_bandung(site)
    client = site.client("cabang")
    url = f"/iuran/tunggakan/{payer.pk}/"
    page = text(client.get(url))
    assert "+6281234567890" not in page
    assert "Tampilkan nomor telepon lengkap" in page
    assert not AuditEvent.objects.filter(action="view_full").exists()
    missing = client.post(url, {"action": "reveal"})
    assert missing.status_code == 400
    assert "+6281234567890" not in text(missing)
    assert not AuditEvent.objects.filter(action="view_full").exists()
    shown = client.post(url, {"action": "reveal", "reason": "telepon"})
    assert shown.status_code == 200
    assert "+6281234567890" in text(shown)
    event = AuditEvent.objects.get(action="view_full")
    assert event.detail["reason"] == "telepon"
    assert event.detail["fields"] == ["phone"]
    assert event.target_id == str(site.world.bpu_person.pk)
    assert "+6281234567890" not in text(client.get(url))  # once: the next visit is masked


def test_contacts_and_promises_are_logged_and_a_past_promise_is_broken(site: Site) -> None:
    client = site.client("cabang")
    url = f"/iuran/tunggakan/{site.home.pk}/"
    today = today_in_jakarta()
    response = client.post(
        url,
        {
            "action": "contact",
            "contacted_on": today.isoformat(),
            "channel": "visit",
            "outcome": "promised",
            "note": "Bertemu bagian keuangan",
        },
    )
    assert response.status_code == 302
    promise = client.post(
        url,
        {
            "action": "promise",
            "due_on": (today + timedelta(days=7)).isoformat(),
            "amount_idr": "500000",
        },
    )
    assert promise.status_code == 302
    page = text(client.get(url))
    assert "Bertemu bagian keuangan" in page
    assert "Kunjungan" in page
    assert "promise-open" in page
    # a promise whose date has passed without payment is broken; one paid in time is kept
    PaymentPromise.objects.create(
        payer=site.home,
        promised_on=today - timedelta(days=20),
        due_on=today - timedelta(days=10),
        amount_idr=300_000,
        recorded_at=timezone.now(),
    )
    PaymentPromise.objects.create(
        payer=site.home,
        promised_on=today - timedelta(days=40),
        due_on=today - timedelta(days=30),
        amount_idr=100_000,
        recorded_at=timezone.now(),
    )
    pay(site.home, 100_000, today - timedelta(days=35), "BRI-KEPT-1")
    states = dict(
        promises_with_state(PaymentPromise.objects.all(), today=today).values_list(
            "amount_idr", "state"
        )
    )
    assert states == {
        500_000: PromiseState.OPEN,
        300_000: PromiseState.BROKEN,
        100_000: PromiseState.KEPT,
    }
    page = text(client.get(url))
    assert "promise-broken" in page
    assert "Ingkar" in page


def test_bad_case_input_names_the_field_and_writes_nothing(site: Site) -> None:
    client = site.client("cabang")
    url = f"/iuran/tunggakan/{site.home.pk}/"
    future = (today_in_jakarta() + timedelta(days=3)).isoformat()
    response = client.post(
        url, {"action": "contact", "contacted_on": future, "channel": "phone", "outcome": "reached"}
    )
    assert response.status_code == 400
    assert "Tanggal kontak" in text(response)
    response = client.post(url, {"action": "promise", "due_on": "2020-01-01", "amount_idr": "5"})
    assert response.status_code == 400
    assert "Tanggal janji bayar" in text(response)
    response = client.post(url, {"action": "promise", "due_on": future, "amount_idr": "0"})
    assert response.status_code == 400
    assert not CaseContact.objects.exists()
    assert not PaymentPromise.objects.exists()
    with pytest.raises(CaseDateOutOfRange):
        case_contact_log(
            officer_scope(site),
            payer_id=site.home.pk,
            contacted_on=today_in_jakarta() + timedelta(days=1),
            channel="phone",
            outcome="reached",
        )


def test_a_case_is_assigned_only_to_an_officer_of_the_payers_office(site: Site) -> None:
    bandung = BranchOffice.objects.get(code="KC3204")
    colleague = user_access_grant(
        username="b-cabang-2", role=Role.BRANCH_OFFICER, branch_office=bandung
    ).user
    scope = officer_scope(site)
    with pytest.raises(CaseOfficerNotOfOffice):
        case_assign(scope, payer_id=site.home.pk, officer_id=site.users["cabang_b"].pk)
    assert not ArrearsCase.objects.exists()
    case_assign(scope, payer_id=site.home.pk, officer_id=colleague.pk)
    case = case_assign(scope, payer_id=site.home.pk, officer_id=site.users["cabang"].pk)
    assert (
        ArrearsCase.objects.get().assigned_to_id == site.users["cabang"].pk == case.assigned_to_id
    )
    event = AuditEvent.objects.filter(target_type="billing.arrearscase").latest("at")
    assert event.changes == {"assigned_to": [colleague.pk, site.users["cabang"].pk]}
    response = site.client("cabang").post(
        f"/iuran/tunggakan/{site.home.pk}/",
        {"action": "assign", "officer": str(site.users["cabang_b"].pk)},
    )
    assert response.status_code == 400  # not among the choices: nothing changes
    assert ArrearsCase.objects.get().assigned_to_id == site.users["cabang"].pk


def test_officer_counts_on_the_work_home_page(site: Site) -> None:
    scope = officer_scope(site)
    today = today_in_jakarta()
    case_assign(scope, payer_id=site.home.pk, officer_id=site.users["cabang"].pk)
    promise_record(scope, payer_id=site.home.pk, due_on=today + timedelta(days=3), amount_idr=9)
    PaymentPromise.objects.create(
        payer=site.home,
        promised_on=today - timedelta(days=9),
        due_on=today - timedelta(days=2),
        amount_idr=50,
        recorded_at=timezone.now(),
    )
    counts = my_cases(scope, today=today)
    assert (counts.assigned, counts.promises_open, counts.promises_broken) == (1, 1, 1)
    assert counts.promises_due_soon == 1
    assert my_cases(officer_scope(site, "cabang_b"), today=today).assigned == 0
    page = text(site.client("cabang").get("/kerja/"))
    assert 'id="my-cases"' in page
    assert "/iuran/tunggakan/?petugas=saya" in page


# --- set-based: queries do not grow with rows --------------------------------------------------


def test_list_and_case_queries_do_not_grow_with_rows(site: Site) -> None:
    scope = officer_scope(site)
    today = today_in_jakarta()

    def count(run: Any) -> int:
        with CaptureQueriesContext(connection) as queries:
            run()
        return len(queries)

    def case() -> Any:
        from jamsos.billing.selectors import arrears_case

        return arrears_case(scope, payer_id=site.home.pk, as_of=today)

    def listing() -> Any:
        return arrears_follow_up(scope, as_of=today, filters=ArrearsFilter(min_idr=1))

    few_case, few_list, few_mine = (
        count(case),
        count(listing),
        count(lambda: my_cases(scope, today=today)),
    )
    for n in range(15):
        promise_record(scope, payer_id=site.home.pk, due_on=today, amount_idr=n + 1)
        case_contact_log(
            scope, payer_id=site.home.pk, contacted_on=today, channel="phone", outcome="no_answer"
        )
    case_assign(scope, payer_id=site.home.pk, officer_id=site.users["cabang"].pk)
    assert count(case) == few_case
    assert count(listing) == few_list
    assert count(lambda: my_cases(scope, today=today)) == few_mine


def test_my_cases_filter_lists_only_the_cases_assigned_to_me(site: Site) -> None:
    client = site.client("cabang")
    assert "PT Maju Bersama" not in text(client.get("/iuran/tunggakan/", {"petugas": "saya"}))
    case_assign(officer_scope(site), payer_id=site.home.pk, officer_id=site.users["cabang"].pk)
    assert "PT Maju Bersama" in text(client.get("/iuran/tunggakan/", {"petugas": "saya"}))
    assert 'id="my-cases"' not in text(site.client("perusahaan").get("/kerja/"))


# --- the API -----------------------------------------------------------------------------------


def test_api_works_a_case_within_the_scope(site: Site) -> None:
    payer = _bpu_in_bandung(site)
    client = site.client("cabang")
    base = f"/api/v1/billing/cases/{payer.pk}"
    today = today_in_jakarta()
    contact = client.post(
        f"{base}/contacts",
        {"contacted_on": today.isoformat(), "channel": "phone", "outcome": "promised"},
        content_type="application/json",
    )
    assert contact.status_code == 201
    promise = client.post(
        f"{base}/promises",
        {"due_on": today.isoformat(), "amount_idr": 20_000},
        content_type="application/json",
    )
    assert promise.status_code == 201
    bad = client.post(
        f"{base}/promises",
        {"due_on": today.isoformat(), "amount_idr": 0},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "billing.amount_not_positive"
    assign = client.put(
        f"{base}/assignment",
        {"officer_id": site.users["cabang_b"].pk},
        content_type="application/json",
    )
    assert assign.status_code == 400
    assert assign.json()["code"] == "billing.case_officer_not_of_office"
    case = client.get(base).json()
    assert case["phone"] != "+6281234567890"
    assert [p["state"] for p in case["promises"]] == ["open"]
    assert len(case["contacts"]) == 1
    phone = client.post(f"{base}/phone", {"reason": "janji"}, content_type="application/json")
    assert phone.json()["phone"] == "+6281234567890"
    assert AuditEvent.objects.filter(action="view_full", detail__reason="janji").exists()
    assert site.client("cabang_b").get(base).status_code == 404
    assert site.client("perusahaan").get(base).status_code == 403
    assert client.get("/api/v1/billing/cases/mine").json()["assigned"] == 0
