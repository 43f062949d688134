"""The partner API: a retried upload is the same batch and never enrols twice."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jamsos.access.services import api_token_issue
from jamsos.membership.models import Membership
from jamsos.partners.models import EnrolmentBatch
from jamsos.partners.tests.enrolment.test_enrolment import (
    BPU_HEADER,
    TODAY,
    World,
    _bpu_rows,
    csv_bytes,
)

BASE = "/api/v1/partners/enrolment/batches"


def _auth(world: World, name: str) -> dict[str, str]:
    token = api_token_issue(user=world.users[name], name="sync").raw
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _post(client: Client, content: bytes, key: str, auth: dict[str, str], **extra: str):
    data = {
        "partner": "baznas-bandung",
        "kind": "sponsored",
        "term_from": "2025-03-01",
        "term_until": "2025-12-31",
        "file": SimpleUploadedFile("rentan.csv", content, content_type="text/csv"),
        **extra,
    }
    return client.post(BASE, data, HTTP_IDEMPOTENCY_KEY=key, **auth)


def test_retried_upload_is_the_same_batch_and_enrols_once(
    client: Client,
    world: World,
    monkeypatch,
) -> None:
    monkeypatch.setattr(
        "jamsos.partners.services.enrolment.today_in_jakarta", lambda now=None: TODAY
    )
    rows, _ = _bpu_rows(world)
    content = csv_bytes(BPU_HEADER, rows)
    partner = _auth(world, "mitra_baznas")
    first = _post(client, content, "baznas-2025-03", partner)
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["status"] == "validated"
    assert (body["counts"]["valid"], body["counts"]["invalid"], body["counts"]["existing"]) == (
        3,
        2,
        1,
    )
    retry = _post(client, content, "baznas-2025-03", partner)
    assert retry.status_code == 200
    assert retry.json()["id"] == body["id"]
    assert EnrolmentBatch.objects.count() == 1
    other = _post(client, content + b"\r\n", "baznas-2025-03", partner, lang="en")
    assert other.status_code == 409
    assert other.json()["code"] == "partners.idempotency_key_reused"

    rows_out = client.get(f"{BASE}/{body['id']}/rows?lang=en", **partner).json()
    assert len(rows_out) == 7
    assert all("*" in r["nik"] for r in rows_out if len(r["nik"]) == 16)
    assert any("not in the current region list" in r["reason"] for r in rows_out)

    own = client.post(
        f"{BASE}/{body['id']}/approve", {}, content_type="application/json", **partner
    )
    assert own.status_code == 403
    officer = _auth(world, "petugas_a")
    pending = client.get(f"{BASE}?status=validated", **officer).json()
    assert [b["id"] for b in pending] == [body["id"]]
    approved = client.post(
        f"{BASE}/{body['id']}/approve", {"note": "ok"}, content_type="application/json", **officer
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "enrolled"
    assert approved.json()["counts"]["enrolled"] == 3
    again = _post(client, content, "baznas-2025-03", partner)
    assert again.status_code == 200
    assert again.json()["status"] == "enrolled"
    assert Membership.objects.filter(partner_ref="baznas-bandung").count() == 3
    twice = client.post(
        f"{BASE}/{body['id']}/approve", {}, content_type="application/json", **officer
    )
    assert twice.status_code == 409

    result = client.get(f"{BASE}/{body['id']}/result?format=csv", **partner)
    assert result.status_code == 200
    assert "didaftarkan" in result.content.decode("utf-8-sig")


def test_wrong_columns_and_no_token(client: Client, world: World) -> None:
    bad = csv_bytes(["nik", "nama"], [["1", "A"]])
    assert _post(client, bad, "k", {}).status_code == 401
    refused = _post(client, bad, "k", _auth(world, "mitra_baznas"))
    assert refused.status_code == 400
    assert refused.json()["code"] == "partners.batch_wrong_columns"
    assert "kode_desa / village_code" in refused.json()["message"]
    assert EnrolmentBatch.objects.count() == 0
    other_partner = _post(client, bad, "k", _auth(world, "mitra_apindo"))
    assert other_partner.status_code == 404


def test_openapi_lists_the_enrolment_paths(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/partners/enrolment/batches/{batch_id}/approve" in paths
    assert "post" in paths["/api/v1/partners/enrolment/batches"]
