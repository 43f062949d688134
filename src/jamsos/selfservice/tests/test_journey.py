"""A new BPU worker, from registration to the card "protected until", through the pages and
the API: registers → amount, virtual account and QR at once → a bank payment posted on the
virtual account → protected until the end of the months paid → creates the account with NIK,
birth date, KPJ and a one-time code → signs in → sees the card."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from jamsos.access.models import Role, UserAccess
from jamsos.billing.models import Invoice, Payer
from jamsos.membership.identifiers import nik_make
from jamsos.membership.models import Membership
from jamsos.notifications.models import Message
from jamsos.selfservice.models import OneTimeCode

pytestmark = pytest.mark.django_db

NIK = nik_make(district_code_nodot="320405", birth_date=date(1988, 7, 9), sex="F", serial=321)
PASSWORD = "Sawah-Hijau-2026!"


def public_form(**changes: object) -> dict[str, object]:
    data = {
        "nik": NIK,
        "name": "Neneng Hasanah",
        "birth_date": "1988-07-09",
        "sex": "F",
        "phone": "0812 7777 1234",
        "domicile": "32.04.05.2001",
        "declared_income": "1.000.000",
        "ecosystem": "pasar",
        "jht": "on",
        "agree": "on",
    }
    data.update(changes)
    return data


def text(response) -> str:
    return unescape(response.content.decode())


def last_code() -> str:
    message = Message.objects.filter(kind="access.one_time_code").latest("pk")
    return str(message.context["code"])


def api(client: Client, path: str, body: dict[str, object], lang: str = "id"):
    return client.post(f"/api/v1/workers{path}?lang={lang}", body, content_type="application/json")


def test_register_pay_sign_up_sign_in_and_see_protected_until(regions):
    browser = Client()
    # Registers on the public form: the card page shows the amount, the VA and the QR at once.
    response = browser.post("/daftar-bpu/", public_form())
    assert response.status_code == 302
    assert response["Location"] == "/peserta/"
    page = text(browser.get("/peserta/"))
    membership = Membership.objects.get(person__nik=NIK)
    payer = Payer.objects.get(person=membership.person)
    assert "Belum terlindungi" in page
    assert payer.virtual_account in page
    assert "Rp36.800" in page.replace(" ", "").replace("\xa0", "")
    assert "<svg" in page
    # The account exists from registration, without a password yet.
    access = UserAccess.objects.get(person=membership.person, role=Role.WORKER)
    assert not access.user.has_usable_password()

    # Three months ahead: the amount, the due dates and the QR follow.
    page = text(browser.get("/peserta/?months=3"))
    assert "15 Apr 2026" in page or "15 Apr. 2026" in page
    assert Invoice.objects.filter(payer=payer).count() == 3

    # The bank's payment on the VA, posted by the command line.
    call_command(
        "billing", "pay", "--va", payer.virtual_account, "--amount", "110400",
        "--ref", "BRI-778899", "--date", "2026-03-03", stdout=StringIO(),
    )  # fmt: skip

    # Signs up: NIK, birth date, KPJ, then the code sent to the phone on record.
    anonymous = Client()
    response = anonymous.post(
        "/peserta/buat-akun/",
        {"nik": NIK, "birth_date": "1988-07-09", "kpj": membership.kpj, "channel": "phone"},
    )
    assert response.status_code == 302, text(response)
    code = last_code()
    assert re.fullmatch(r"[0-9]{6}", code)
    stored = OneTimeCode.objects.get()
    assert code not in stored.code_hash  # only its keyed hash is kept
    response = anonymous.post(
        "/peserta/kode/", {"code": code, "password": PASSWORD, "password_again": PASSWORD}
    )
    assert response.status_code == 302
    # Signs in another day with the NIK and the password.
    phone = Client()
    response = phone.post("/peserta/masuk/", {"identifier": NIK, "password": PASSWORD})
    assert response.status_code == 302, text(response)
    page = text(phone.get("/peserta/"))
    assert "Terlindungi sampai 31 Mei 2026" in page
    assert "Rp110.400" not in page.replace(" ", "")

    # The API says the same to the signed-in worker.
    body = phone.get("/api/v1/workers/me/payment").json()
    assert body["protected_until"] == "2026-05-31"
    assert body["due"][0]["period"] == "2026-06"
    assert body["qr_text"].startswith("BPJSTK-VA/1\nVA:")


def test_api_registration_then_payment_by_identity_then_code_and_password(regions):
    client = Client()
    response = client.post(
        "/api/v1/registrations/bpu",
        {
            "nik": NIK,
            "name": "Neneng Hasanah",
            "birth_date": "1988-07-09",
            "sex": "F",
            "domicile": "32.04.05.2001",
            "phone": "081277771234",
            "declared_income_idr": 1_000_000,
            "programs": ["JKK", "JKM"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    kpj = response.json()["membership"]["kpj"]
    identity = {"nik": NIK, "birth_date": "1988-07-09", "kpj": kpj}
    body = api(client, "/payment", {**identity, "months": 2}).json()
    assert body["monthly_idr"] == 16_800
    assert body["amount_idr"] == 33_600
    assert [d["due_date"] for d in body["due"]] == ["2026-03-16", "2026-04-15"]

    refused = api(client, "/payment", {**identity, "months": 13}, lang="en")
    assert refused.status_code == 400
    assert refused.json()["code"] == "billing.advance_months_out_of_range"
    assert "Months" in refused.json()["message"]

    sent = api(client, "/account/code", {**identity, "purpose": "signup"})
    assert sent.status_code == 202
    assert sent.json()["sent_to"] != "081277771234"
    ticket = sent.json()["ticket"]
    weak = api(
        client, "/account/password", {"ticket": ticket, "code": last_code(), "password": "123"}
    )
    assert weak.status_code == 400
    assert weak.json()["code"] == "selfservice.password_rejected"
    done = api(
        client, "/account/password", {"ticket": ticket, "code": last_code(), "password": PASSWORD}
    )
    assert done.status_code == 200
    # Single use.
    again = api(
        client, "/account/password", {"ticket": ticket, "code": last_code(), "password": PASSWORD}
    )
    assert again.status_code == 410
    signed = api(Client(), "/session", {"identifier": kpj, "password": PASSWORD})
    assert signed.status_code == 200


def test_wrong_identity_names_nothing_and_writes_nothing(regions):
    client = Client()
    client.post("/daftar-bpu/", public_form())
    kpj = Membership.objects.get(person__nik=NIK).kpj
    for wrong in (
        {"nik": NIK, "birth_date": "1988-07-10", "kpj": kpj},
        {"nik": NIK, "birth_date": "1988-07-09", "kpj": "12345678901"},
    ):
        response = api(client, "/account/code", {**wrong, "purpose": "signup"})
        assert response.status_code == 400
        assert response.json()["code"] == "selfservice.identity_not_matched"
        assert response.json()["fields"] == {}
    page = text(
        client.post(
            "/peserta/buat-akun/",
            {"nik": NIK, "birth_date": "1988-07-10", "kpj": kpj, "channel": "phone"},
        )
    )
    assert "tidak cocok" in page
    assert not OneTimeCode.objects.exists()


def test_codes_expire_after_five_wrong_tries_and_tries_are_limited_per_nik(regions):
    client = Client()
    client.post("/daftar-bpu/", public_form())
    kpj = Membership.objects.get(person__nik=NIK).kpj
    identity = {"nik": NIK, "birth_date": "1988-07-09", "kpj": kpj, "purpose": "signup"}
    ticket = api(client, "/account/code", identity).json()["ticket"]
    right = last_code()
    wrong = "000000" if right != "000000" else "111111"
    answers = [
        api(client, "/account/password", {"ticket": ticket, "code": wrong, "password": PASSWORD})
        for _ in range(5)
    ]
    assert [a.status_code for a in answers] == [400, 400, 400, 400, 410]
    assert "Sisa percobaan: 1" in answers[3].json()["message"]
    late = api(client, "/account/password", {"ticket": ticket, "code": right, "password": PASSWORD})
    assert late.status_code == 410
    # A new code replaces the old; after 5 requests per NIK in the hour: 429.
    statuses = [api(client, "/account/code", identity).status_code for _ in range(5)]
    assert statuses == [202, 202, 202, 202, 429]
    assert OneTimeCode.objects.filter(replaced=False, used_at__isnull=True).count() == 1


def test_an_expired_code_is_refused(regions, monkeypatch, fixed_clock):
    from datetime import timedelta

    from django.utils import timezone

    client = Client()
    client.post("/daftar-bpu/", public_form())
    kpj = Membership.objects.get(person__nik=NIK).kpj
    identity = {"nik": NIK, "birth_date": "1988-07-09", "kpj": kpj, "purpose": "recovery"}
    ticket = api(client, "/account/code", identity).json()["ticket"]
    code = last_code()
    monkeypatch.setattr(timezone, "now", lambda: fixed_clock + timedelta(minutes=11))
    response = api(
        client,
        "/account/password",
        {"ticket": ticket, "code": code, "password": PASSWORD},
        lang="en",
    )
    assert response.status_code == 410
    assert "Ask for a new code" in response.json()["message"]
