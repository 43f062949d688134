"""Employer self-registration: the public application, the branch office's verification (NPP,
account, e-mail with the password link) or rejection, on the pages, the API and the CLI."""

from __future__ import annotations

import re
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from jamsos.access.models import AuditEvent, Role, UserAccess
from jamsos.access.scope import Scope, scope_for_user
from jamsos.access.services import api_token_issue
from jamsos.core.errors import NotPermitted
from jamsos.employer_signup.errors import (
    AlreadyDecided,
    ApplicationNotFound,
    FieldInvalid,
    NpwpRegistered,
    ReasonRequired,
)
from jamsos.employer_signup.models import ApplicationStatus, EmployerApplication
from jamsos.employer_signup.services import (
    ApplicationData,
    application_reject,
    application_submit,
    application_verify,
)
from jamsos.membership.identifiers import nik_make, npwp_make
from jamsos.membership.models import BranchOffice, Employer
from jamsos.membership.services import branch_office_create
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.factories import employer_create
from jamsos.membership.tests.fixtures import Regions
from jamsos.notifications.models import Message

pytestmark = pytest.mark.django_db
ADMIN = Scope.operator("test")
PIC_NIK = nik_make(district_code_nodot="320405", birth_date=date(1980, 1, 2), sex="M", serial=12)


@pytest.fixture
def world(regions: Regions):
    office = BranchOffice.objects.get(code="KC3204")
    other = branch_office_create(code="KC6501", name="KC Bulungan", regencies=[regions.bulungan])
    users = {}
    for name, role, extra in [
        ("petugas", Role.BRANCH_OFFICER, {"branch_office": office}),
        ("petugas_lain", Role.BRANCH_OFFICER, {"branch_office": other}),
    ]:
        access = user_access_grant(username=name, role=role, password="x", **extra)
        users[name] = get_user_model().objects.get(pk=access.user_id)
    return {"regions": regions, "users": users, "office": office}


def _scope(world, name: str) -> Scope:
    return scope_for_user(world["users"][name])


def _form(world, npwp: str, name: str = "PT Maju Bersama") -> dict[str, str]:
    return {
        "legal_name": name,
        "npwp": npwp,
        "address": "Jl. Raya Cileunyi 10",
        "address_village": "32.04.05.2001",
        "sector": "C",
        "risk_class": "3",
        "size": "small",
        "contact_name": "Rina Wati",
        "contact_email": "rina@maju.example",
        "contact_phone": "0812-3456-7890",
        "pic_nik": PIC_NIK,
    }


def _data(world, npwp: str, **changes: object) -> ApplicationData:
    fields: dict[str, object] = {
        "legal_name": "PT Maju Bersama",
        "npwp": npwp,
        "address_village": world["regions"].cileunyi_kulon,
        "sector": "C",
        "risk_class": 3,
        "size": "small",
        "contact_name": "Rina Wati",
        "contact_email": "rina@maju.example",
        "contact_phone": "081234567890",
        "pic_nik": PIC_NIK,
    }
    fields.update(changes)
    return ApplicationData(**fields)  # type: ignore[arg-type]


NPWP = npwp_make(taxpayer_type=1, serial=123456, tax_office=425)


def test_a_company_applies_and_the_office_verifies_it(world) -> None:
    client = Client()
    page = client.post("/perusahaan/daftar/", _form(world, NPWP))
    assert page.status_code == 200
    text = page.content.decode()
    application = EmployerApplication.objects.get()
    assert application.reference in text
    assert "Nomor permohonan Anda" in text  # in Bahasa Indonesia
    assert application.status == ApplicationStatus.PENDING
    assert application.branch_office == world["office"]
    assert application.contact_phone == "+6281234567890"
    assert not Employer.objects.filter(npwp=application.npwp).exists()

    officer = Client()
    officer.force_login(world["users"]["petugas"])
    home = officer.get("/kerja/").content.decode()
    assert "/perusahaan/permohonan/" in home
    assert application.reference in officer.get("/perusahaan/permohonan/").content.decode()
    outsider = Client()
    outsider.force_login(world["users"]["petugas_lain"])
    assert outsider.get(f"/perusahaan/permohonan/{application.pk}/").status_code == 404

    response = officer.post(
        f"/perusahaan/permohonan/{application.pk}/putusan/", {"decision": "verify"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.VERIFIED
    employer = application.employer
    assert employer is not None
    assert len(employer.npp) == 10
    assert employer.branch_office == world["office"]
    assert (employer.sector, employer.risk_class, employer.size) == ("C", 3, "small")
    access = UserAccess.objects.get(employer=employer)
    assert access.role == Role.EMPLOYER_USER
    assert access.user.email == "rina@maju.example"
    assert not access.user.has_usable_password()
    message = Message.objects.get(kind="employer_signup.verified")
    assert message.address == "rina@maju.example"
    assert employer.npp in message.body
    link = re.search(r"https?://\S+/perusahaan/sandi/\S+/", message.body)
    assert link is not None
    trail = AuditEvent.objects.filter(
        target_type="employer_signup.employerapplication", target_id=str(application.pk)
    )
    assert trail.count() == 2

    # The link lets the account set its password, once.
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    setter = Client()
    first = setter.get("/" + path)
    assert first.status_code == 302
    done = setter.post(
        first.url, {"new_password1": "Kopi-Susu-Panas-77", "new_password2": "Kopi-Susu-Panas-77"}
    )
    assert done.status_code == 302
    access.user.refresh_from_db()
    assert access.user.check_password("Kopi-Susu-Panas-77")
    again = Client().get("/" + path)
    assert again.status_code == 200  # the page says the link is no longer valid
    assert b"new_password1" not in again.content


def test_the_answer_is_the_same_for_a_registered_npwp(world) -> None:
    taken = employer_create(village=world["regions"].cileunyi_kulon, legal_name="PT Sudah Ada")
    client = Client()
    fresh = client.post("/perusahaan/daftar/", _form(world, NPWP))
    known = client.post("/perusahaan/daftar/", _form(world, taken.npwp))
    strip = re.compile(r"PK-[0-9A-F]{10}|csrfmiddlewaretoken\" value=\"[^\"]+\"")
    assert fresh.status_code == known.status_code == 200
    assert strip.sub("", fresh.content.decode()) == strip.sub("", known.content.decode())
    application = EmployerApplication.objects.get(npwp=taken.npwp)
    # Only the officer learns it: on the list and the application, before verifying ...
    officer = Client()
    officer.force_login(world["users"]["petugas"])
    listed = officer.get("/perusahaan/permohonan/").content.decode()
    assert f"NPWP sudah terdaftar (NPP {taken.npp})" in listed
    assert listed.count("NPWP juga ada di permohonan lain yang menunggu") == 0
    detail = officer.get(f"/perusahaan/permohonan/{application.pk}/").content.decode()
    assert f"NPWP sudah terdaftar (NPP {taken.npp})" in detail
    # ... and a second pending application with the same new NPWP marks both
    client.post("/perusahaan/daftar/", _form(world, NPWP, name="PT Maju Bersama Lagi"))
    listed = officer.get("/perusahaan/permohonan/").content.decode()
    assert listed.count("NPWP juga ada di permohonan lain yang menunggu") == 2
    # ... and verifying is refused.
    with pytest.raises(NpwpRegistered):
        application_verify(scope=_scope(world, "petugas"), application_id=application.pk)


def test_the_form_refuses_bad_fields(world) -> None:
    with pytest.raises(FieldInvalid) as bad_npwp:
        application_submit(_data(world, "01.234.567.8-999.000"))
    assert bad_npwp.value.field == "npwp"
    with pytest.raises(FieldInvalid) as bad_nik:
        application_submit(_data(world, NPWP, pic_nik="1234"))
    assert bad_nik.value.field == "pic_nik"
    with pytest.raises(FieldInvalid) as bad_mail:
        application_submit(_data(world, NPWP, contact_email="rina@"))
    assert bad_mail.value.field == "contact_email"
    page = Client().post("/perusahaan/daftar/", {**_form(world, "12345"), "pic_nik": "1"})
    assert page.status_code == 200
    assert not EmployerApplication.objects.exists()
    assert "NPWP" in page.content.decode()


def test_rejection_needs_a_reason_and_is_final(world) -> None:
    application = application_submit(_data(world, NPWP))
    officer = _scope(world, "petugas")
    with pytest.raises(ReasonRequired):
        application_reject(scope=officer, application_id=application.pk, reason="  ")
    with pytest.raises(ApplicationNotFound):
        application_reject(
            scope=_scope(world, "petugas_lain"), application_id=application.pk, reason="x"
        )
    with pytest.raises(NotPermitted):
        application_reject(
            scope=Scope(role=Role.WORKER, person_id=1), application_id=application.pk, reason="x"
        )
    application_reject(scope=officer, application_id=application.pk, reason="NPWP bukan milik PT")
    message = Message.objects.get(kind="employer_signup.rejected")
    assert "NPWP bukan milik PT" in message.body
    with pytest.raises(AlreadyDecided):
        application_verify(scope=officer, application_id=application.pk)
    assert not Employer.objects.filter(npwp=application.npwp).exists()


def test_the_api_and_the_command(world) -> None:
    one = application_submit(_data(world, NPWP))
    two = application_submit(
        _data(world, npwp_make(taxpayer_type=1, serial=222222, tax_office=425), legal_name="CV Dua")
    )
    token = api_token_issue(user=world["users"]["petugas"], name="t").raw
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = Client()
    listed = client.get("/api/v1/employer-applications", **auth)
    assert listed.status_code == 200
    assert {a["reference"] for a in listed.json()} == {one.reference, two.reference}
    verified = client.post(f"/api/v1/employer-applications/{one.pk}/verify", **auth)
    assert verified.status_code == 200
    assert verified.json()["status"] == "verified"
    assert len(verified.json()["npp"]) == 10
    again = client.post(f"/api/v1/employer-applications/{one.pk}/verify", **auth)
    assert again.status_code == 409
    assert again.json()["code"] == "employer_signup.already_decided"
    out = StringIO()
    call_command(
        "employer_applications", "reject", str(two.pk), "--reason", "Data tidak lengkap", stdout=out
    )
    assert "ditolak" in out.getvalue()
    two.refresh_from_db()
    assert two.status == ApplicationStatus.REJECTED
