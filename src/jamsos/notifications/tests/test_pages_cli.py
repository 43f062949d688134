"""The outbox pages (administrators, branch officers), the choices page (every signed-in role
but the analyst), and the operators' commands: scoped, masked, Indonesian first."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from jamsos.access.models import AuditEvent, Role
from jamsos.membership.models import BranchOffice
from jamsos.membership.services import branch_office_create
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.factories import person_create
from jamsos.notifications.models import Message, Preference
from jamsos.notifications.services import Recipient, notify
from jamsos.notifications.services.delivery import deliver_message

pytestmark = pytest.mark.django_db

PAID = {
    "name": "Siti Aminah",
    "amount": 150_000,
    "virtual_account": "8888801234567890",
    "paid_on": "2025-05-15",
    "bank_ref": "BNI-0001",
}
PHONE = "+6281234567890"


@pytest.fixture
def site(regions):
    bandung = BranchOffice.objects.get(code="KC3204")
    bulungan = branch_office_create(
        code="KC6501", name="Kantor Cabang Bulungan", regencies=[regions.bulungan]
    )
    worker = person_create(domicile=regions.sukarasa, phone=PHONE)
    users = {
        "admin": user_access_grant(username="n-admin", role=Role.ADMIN).user,
        "cabang": user_access_grant(
            username="n-cabang", role=Role.BRANCH_OFFICER, branch_office=bandung
        ).user,
        "cabang_b": user_access_grant(
            username="n-cabang-b", role=Role.BRANCH_OFFICER, branch_office=bulungan
        ).user,
        "peserta": user_access_grant(username="n-peserta", role=Role.WORKER, person=worker).user,
        "analis": user_access_grant(username="n-analis", role=Role.ANALYST).user,
    }
    message = notify(
        "billing.payment_received",
        recipient=Recipient(
            name="Siti", phone=PHONE, person_id=worker.pk, branch_office_id=bandung.pk
        ),
        context=PAID,
        idempotency_key="p:1",
        channels=("sms",),
    )
    return users, message, worker


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_outbox_shows_masked_addresses_in_indonesian_first(site):
    users, message, _worker = site
    deliver_message(message.pk)
    page = _client(users["admin"]).get("/pesan/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Kotak keluar" in html
    assert "Pembayaran diterima" in html
    assert "0812****7890" in html
    assert "81234567890" not in html
    detail = _client(users["admin"]).get(f"/pesan/{message.pk}/").content.decode()
    assert "Riwayat pengiriman" in detail
    assert "Terkirim" in detail
    assert "81234567890" not in detail
    client = _client(users["admin"])
    client.cookies["django_language"] = "en"
    english = client.get("/pesan/").content.decode()
    assert "Outbox" in english
    assert "Payment received" in english


def test_a_branch_officer_sees_only_its_offices_messages(site):
    users, message, _worker = site
    assert _client(users["cabang"]).get(f"/pesan/{message.pk}/").status_code == 200
    assert _client(users["cabang_b"]).get(f"/pesan/{message.pk}/").status_code == 404
    other = _client(users["cabang_b"]).get("/pesan/").content.decode()
    assert "Belum ada pesan." in other
    assert "0812****7890" not in other
    assert _client(users["peserta"]).get("/pesan/").status_code == 403
    assert _client(users["analis"]).get("/pesan/").status_code == 403
    assert Client().get("/pesan/").status_code == 302


def test_only_an_administrator_sends_a_failed_message_again(site):
    users, message, _worker = site
    Message.objects.filter(pk=message.pk).update(status="failed")
    assert _client(users["cabang"]).post(f"/pesan/{message.pk}/kirim-ulang/").status_code == 403
    response = _client(users["admin"]).post(f"/pesan/{message.pk}/kirim-ulang/")
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == "queued"
    assert AuditEvent.objects.filter(target_id=str(message.pk)).exists()


def test_a_worker_sets_its_own_choices(site):
    users, _message, worker = site
    client = _client(users["peserta"])
    page = client.get("/pesan/pilihan/")
    assert page.status_code == 200
    assert "Pilihan pesan saya" in page.content.decode()
    bad = client.post("/pesan/pilihan/", {"language": "en", "email": "not-an-address"})
    assert bad.status_code == 400
    assert "Surel bukan alamat surel yang sah." in bad.content.decode()
    assert not Preference.objects.exists()
    ok = client.post(
        "/pesan/pilihan/", {"language": "en", "email": "siti@example.id", "sms_on": "on"}
    )
    assert ok.status_code == 302
    pref = Preference.objects.get(person=worker)
    assert (pref.language, pref.email) == ("en", "siti@example.id")
    assert (pref.sms_off, pref.whatsapp_off, pref.email_off) == (False, True, True)
    assert _client(users["analis"]).get("/pesan/pilihan/").status_code == 403


def test_the_pages_fit_a_phone(site):
    """390 px: every table turns into labelled rows, long values wrap (the stylesheet)."""
    users, _message, _worker = site
    html = _client(users["admin"]).get("/pesan/").content.decode()
    cells = re.findall(r"<td(?: [^>]*)?>", html)
    assert cells
    assert all("data-label" in c or "colspan" in c for c in cells)
    css = (
        __import__("pathlib").Path(__file__).parents[1]
        / "static"
        / "notifications"
        / "notifications.css"
    ).read_text()
    assert "overflow-wrap: anywhere" in css


def test_the_commands(site, settings):
    _users, message, _worker = site
    out = StringIO()
    call_command("notifications", "list", stdout=out)
    text = out.getvalue()
    assert "billing.payment_received" in text
    assert "0812****7890" in text
    assert "81234567890" not in text
    out = StringIO()
    call_command("notifications", "deliver", stdout=out)
    assert "Terkirim / sent 1" in out.getvalue()
    out = StringIO()
    call_command("notifications", "send-due", "--today", "2025-06-01", stdout=out)
    assert "Pengingat iuran BPU: antre / queued 0" in out.getvalue()
    out = StringIO()
    call_command("notifications", "list", "--status", "sent", stdout=out)
    assert str(message.pk) in out.getvalue()
