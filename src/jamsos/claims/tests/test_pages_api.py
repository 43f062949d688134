"""Pages (Indonesian first) and the API: Klaim saya, the form, the queue, the claim with its
trace, the report, the transfer file; submit and pay through the API, idempotent."""

from __future__ import annotations

import json
from datetime import date

import pytest

from jamsos.claims.models import Claim, ClaimStatus
from jamsos.claims.services.documents import document_add
from jamsos.claims.services.intake import ClaimInput, claim_submit
from jamsos.claims.services.workflow import claim_approve, claim_verify
from jamsos.claims.tests.conftest import PDF, TODAY
from jamsos.core.exports import restore_cell

pytestmark = pytest.mark.django_db


def _approved(cw):
    claim = claim_submit(
        cw.scope("worker"),
        ClaimInput(
            nik=cw.person.nik,
            program="JHT",
            case="partial_30",
            event_date=TODAY,
            bank_code="014",
            account_number="1234567890",
            account_name="=SITI RAHAYU",
        ),
        today=TODAY,
    )
    for kind in ("ktp", "bank_book", "housing_contract"):
        document_add(cw.scope("worker"), claim.number, kind=kind, name="d.pdf", content=PDF)
    claim_verify(cw.scope("officer"), claim.number)
    claim_approve(cw.scope("officer"), claim.number)
    return claim


def test_the_pages_speak_indonesian_and_show_the_trace(cw):
    claim = _approved(cw)
    worker = cw.client("worker")
    mine = worker.get("/klaim/")
    assert mine.status_code == 200
    assert "Klaim saya" in mine.content.decode()
    assert claim.number in mine.content.decode()
    page = worker.get(f"/klaim/{claim.number}/").content.decode()
    assert "Cara jumlah dihitung" in page
    assert "Saldo JHT dibayar" in page
    assert "jht_balance" not in page
    assert worker.get("/klaim/antrean/").status_code == 403
    assert cw.client("young").get(f"/klaim/{claim.number}/").status_code == 404
    queue = cw.client("officer").get("/klaim/antrean/?status=approved").content.decode()
    assert claim.number in queue
    assert cw.client("officer").get(f"/klaim/{claim.number}/surat.pdf").content.startswith(b"%PDF")
    report = cw.client("analyst").get("/klaim/laporan/")
    assert report.status_code == 200
    assert "JHT" in report.content.decode()
    form = worker.get("/klaim/ajukan/").content.decode()
    assert 'name="nik"' in form


def test_the_form_puts_a_refusal_next_to_its_field(cw):
    response = cw.client("young").post(
        "/klaim/ajukan/",
        {
            "nik": cw.young.person.nik,
            "program": "JKP",
            "case": "job_loss",
            "event_date": "2020-01-05",
        },
    )
    assert response.status_code == 400
    assert "sebelum program JKP berlaku" in response.content.decode()
    assert not Claim.objects.exists()


def test_the_transfer_file_lists_approved_claims_with_safe_cells(cw):
    claim = _approved(cw)
    response = cw.client("officer").get("/klaim/transfer.csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0].split(",")[:4] == ["claim_number", "bank_code", "bank_name", "account_number"]
    cells = lines[1].split(",")
    assert cells[0] == claim.number
    assert cells[5] == str(claim.amount_idr)
    assert cells[4].startswith("'=")
    assert restore_cell(cells[4]) == "=SITI RAHAYU"


def test_the_api_submits_checks_and_pays_once(cw):
    client = cw.client("worker")
    body = {
        "nik": cw.person.nik,
        "program": "JHT",
        "case": "partial_10",
        "event_date": TODAY.isoformat(),
        "bank_code": "014",
        "account_number": "1234567890",
        "account_name": "Siti Rahayu",
    }
    check = client.post("/api/v1/claims/check", json.dumps(body), content_type="application/json")
    assert check.status_code == 200, check.content
    assert check.json()["eligible"] is True
    assert not Claim.objects.exists()
    bad = client.post(
        "/api/v1/claims/?lang=en",
        json.dumps({**body, "event_date": "2014-01-01"}),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "claims.before_program"
    assert "event_date" in bad.json()["fields"]
    made = client.post("/api/v1/claims/", json.dumps(body), content_type="application/json")
    assert made.status_code == 201, made.content
    number = made.json()["number"]
    assert made.json()["trace"]["lines"][0]["parameter"]
    claim = Claim.objects.get(number=number)
    for kind in ("ktp", "bank_book"):
        document_add(cw.scope("worker"), number, kind=kind, name="d.pdf", content=PDF)
    officer = cw.client("officer")
    for step in ("verify", "approve"):
        moved = officer.post(
            f"/api/v1/claims/{number}/{step}", "{}", content_type="application/json"
        )
        assert moved.status_code == 200, moved.content
    first = officer.post(
        f"/api/v1/claims/{number}/pay",
        "{}",
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="bank-77",
    )
    again = officer.post(
        f"/api/v1/claims/{number}/pay",
        "{}",
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="bank-77",
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["lump_sum_idr"] == again.json()["lump_sum_idr"] == claim.amount_idr
    assert again.json()["already_paid"] is True
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.PAID
    refused = client.post(
        f"/api/v1/claims/{number}/pay",
        "{}",
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="x",
    )
    assert refused.status_code == 403
    mine = client.get("/api/v1/claims/").json()
    assert [c["number"] for c in mine] == [number]


def test_a_document_upload_through_the_api_is_checked(cw):
    claim = claim_submit(
        cw.scope("worker"),
        ClaimInput(
            nik=cw.person.nik, program="JHT", case="partial_10", event_date=date(2026, 11, 1)
        ),
        today=TODAY,
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = cw.client("worker")
    bad = client.post(
        f"/api/v1/claims/{claim.number}/documents",
        {"kind": "ktp", "file": SimpleUploadedFile("k.pdf", b"not a pdf at all" * 4)},
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "claims.document_unreadable"
    good = client.post(
        f"/api/v1/claims/{claim.number}/documents",
        {"kind": "ktp", "file": SimpleUploadedFile("k.pdf", PDF)},
    )
    assert good.status_code == 201
    assert good.json()["documents"] == ["ktp"]
