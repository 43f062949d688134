"""POST /api/v1/calculations/contribution, the error shape, and the OpenAPI documents."""

from __future__ import annotations

import json
import logging
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from jamsos.core.errors import ApplicationError
from jamsos.legal import contribution
from jamsos.legal.inputs import FIELDS, contribution_input

# The public routes count requests per address in the shared cache (a database table).
pytestmark = pytest.mark.django_db

URL = "/api/v1/calculations/contribution"
PU = {"segment": "PU", "period": "2025-03", "wage": 5000000, "risk_class": 1}


@pytest.fixture
def client():
    return Client(enforce_csrf_checks=True)


def post(client, body, **extra):
    payload = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, payload, content_type="application/json", **extra)


def line(data, program, payer):
    return next(x for x in data["lines"] if x["program"] == program and x["payer"] == payer)


def assert_error_shape(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["fields"], dict)
    return body


def test_pu_contribution_is_the_breakdown_contract_and_nothing_else(client):
    # when
    response = post(client, PU)
    # then
    assert response.status_code == 200
    data = response.json()
    assert data == contribution(contribution_input(PU)).to_json()
    assert line(data, "JKK", "employer")["amount_idr"] == 12000
    assert line(data, "JHT", "worker")["amount_idr"] == 100000
    assert line(data, "JP", "employer")["amount_idr"] == 100000
    assert data["totals"] == {
        "employer_idr": 312000,
        "worker_idr": 150000,
        "participant_idr": 0,
        "government_idr": 11000,
        "total_idr": 473000,
    }


def test_csrf_does_not_block_api_posts(client):
    # given: a client that enforces CSRF and sends no token or cookie
    # when
    response = post(client, PU)
    # then
    assert response.status_code == 200


def test_numeric_strings_and_program_lists_are_accepted(client):
    # given
    as_strings = {
        "segment": "pu",
        "period": "2025-03",
        "wage": "5000000",
        "risk_class": "1",
        "employer_size": "micro",
        "programs": ["JHT"],
        "jkp_eligible": False,
    }
    # when
    data = post(client, as_strings).json()
    # then
    assert {x["program"] for x in data["lines"]} == {"JKK", "JKM", "JHT"}
    assert post(client, {**as_strings, "programs": "JHT,JP"}).status_code == 200


def test_same_body_as_the_cli_json(client):
    out = StringIO()
    args = ["--segment", "BPU", "--period", "2025-03", "--income", "3500000", "--programs", "JHT"]
    call_command("calc", "contribution", *args, "--json", stdout=out)
    body = {"segment": "BPU", "period": "2025-03", "income": 3500000, "programs": ["JHT"]}
    assert post(client, body).json() == json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("body", "total"),
    [
        ({"segment": "JAKON", "period": "2025-03", "contract_value": "2000000000"}, 2950000),
        ({"segment": "PMI", "period": "2025-03", "placement_months": 24}, 370000),
        ({"segment": "BPU", "period": "2025-03", "income": 1000000}, 16800),
    ],
)
def test_other_segments(client, body, total):
    response = post(client, body)
    assert response.status_code == 200
    assert response.json()["totals"]["total_idr"] == total


def test_invalid_input_names_the_field_in_indonesian_by_default(client):
    # when
    response = post(client, {**PU, "wage": -5})
    # then
    body = assert_error_shape(response, 400, "invalid_input")
    assert body["message"] == "Upah tidak boleh negatif (diberikan -5)."
    assert body["fields"] == {"wage": [body["message"]]}


def test_invalid_input_in_english_by_accept_language(client):
    response = post(client, {**PU, "wage": -5}, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = assert_error_shape(response, 400, "invalid_input")
    assert body["message"] == "Wage must not be negative (got -5)."


def test_invalid_input_in_english_by_query_parameter(client):
    response = client.post(
        f"{URL}?lang=en", json.dumps({**PU, "risk_class": 6}), content_type="application/json"
    )
    body = assert_error_shape(response, 400, "invalid_input")
    assert body["fields"] == {"risk_class": ["Risk class must be between 1 and 5 (got 6)."]}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"segment": "XX"}, "segment"),
        ({"wage": "lima juta"}, "wage"),
        ({"wage": 5000000.5}, "wage"),
        ({"wage": True}, "wage"),
        ({"period": "2015-06"}, "period"),
        ({"period": "2027-01"}, "period"),
        ({"period": "March 2025"}, "period"),
        ({"income": 3500000}, "income"),
        ({"employer_size": "huge"}, "employer_size"),
        ({"programs": ["JKP"]}, "programs"),
        ({"wages": 5000000}, "wages"),
    ],
)
def test_each_refused_value_is_invalid_input_on_its_field(client, change, field):
    body = assert_error_shape(post(client, {**PU, **change}), 400, "invalid_input")
    assert list(body["fields"]) == [field]


def test_missing_required_field(client):
    body = assert_error_shape(
        post(client, {"segment": "PU", "period": "2025-03"}), 400, "invalid_input"
    )
    assert body["fields"] == {"wage": ["Upah wajib diisi untuk segmen PU."]}


@pytest.mark.parametrize("payload", ["[1, 2]", '"PU"', "3", ""])
def test_a_body_that_is_not_an_object_is_a_validation_error(client, payload):
    body = assert_error_shape(post(client, payload), 400, "validation_error")
    assert list(body["fields"]) == ["body"]
    assert body["message"] == "Permintaan tidak valid; lihat isian yang disebutkan."


def test_malformed_json_is_a_bad_request(client):
    body = assert_error_shape(post(client, '{"segment": "PU",'), 400, "bad_request")
    assert body["fields"] == {}


def test_application_error_keeps_its_code_status_and_fields(client, monkeypatch):
    # given
    class PeriodClosed(ApplicationError):
        code = "contributions.period_closed"
        http_status = 409
        default_field = "period"
        labels = {"period": {"id": "Periode", "en": "Period"}}
        text = {"id": "{label} {value} sudah ditutup.", "en": "{label} {value} is closed."}

    def refuse(inp):
        raise PeriodClosed(value="2025-03")

    monkeypatch.setattr("jamsos.calculator.api.contribution", refuse)
    # when
    response = post(client, PU)
    english = post(client, PU, HTTP_ACCEPT_LANGUAGE="en")
    # then
    body = assert_error_shape(response, 409, "contributions.period_closed")
    assert body["message"] == "Periode 2025-03 sudah ditutup."
    assert body["fields"] == {"period": ["Periode 2025-03 sudah ditutup."]}
    body = assert_error_shape(english, 409, "contributions.period_closed")
    assert body["message"] == "Period 2025-03 is closed."
    assert body["fields"] == {"period": ["Period 2025-03 is closed."]}


def test_unexpected_error_is_a_logged_server_error_with_a_generic_message(
    client, monkeypatch, caplog
):
    # given
    def crash(inp):
        raise RuntimeError("secret detail")

    monkeypatch.setattr("jamsos.calculator.api.contribution", crash)
    # when
    with caplog.at_level(logging.ERROR, logger="jamsos.api"):
        response = post(client, PU, HTTP_ACCEPT_LANGUAGE="en")
    # then
    body = assert_error_shape(response, 500, "server_error")
    assert "secret detail" not in body["message"]
    assert body["message"].startswith("Something went wrong on our side")
    assert any("secret detail" in (r.exc_text or "") for r in caplog.records)


def test_unknown_address_is_not_found(client):
    body = assert_error_shape(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert body["fields"] == {}
    assert_error_shape(client.get("/api/v1/"), 404, "not_found")


def test_wrong_method_is_method_not_allowed(client):
    response = client.get(URL)
    assert_error_shape(response, 405, "method_not_allowed")
    assert "POST" in response["Allow"]


def test_health(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_openapi_schema_documents_the_calculation(client):
    # when
    response = client.get("/api/v1/openapi.json")
    # then
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "Jamsos API"
    operation = schema["paths"]["/api/v1/calculations/contribution"]["post"]
    assert "requestBody" in operation
    assert set(operation["responses"]) >= {"200", "400"}
    components = schema["components"]["schemas"]
    request = components["ContributionRequest"]
    assert set(request["properties"]) == set(FIELDS)
    assert request["required"] == ["segment", "period"]
    assert set(components["BreakdownOut"]["properties"]) == {"period", "segment", "lines", "totals"}
    assert set(components["ErrorOut"]["properties"]) == {"code", "message", "fields"}


def test_docs_page_loads_with_local_assets_only(client):
    # when
    response = client.get("/api/v1/docs")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls
    assert all(url.startswith("/static/") for url in urls), urls
    assert "cdn" not in html.lower()
