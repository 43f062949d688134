"""The benefit calculator: `jamsos calc benefit` / `pension-age`, the API and the page."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from jamsos.legal.benefits import INPUT_FIELDS, benefit_calculate, benefit_input

API = "/api/v1/calculations/benefit"
PAGE = "/simulasi-manfaat/"
LINE_KEYS = {"benefit", "amount_idr", "per_month_idr", "months", "reference"}
RESULT_KEYS = {"program", "case", "date", "eligible", "reasons", "lines", "total_idr"}

#: The examples that must hold, as CLI options, and their totals.
JKM = ["--program", "JKM", "--case", "death", "--date", "2025-03-10"]
STMB = ["--program", "JKK", "--case", "temporary_disability", "--date", "2025-03-10"]
JKP = ["--program", "JKP", "--case", "job_loss", "--date", "2025-03-10"]
EXAMPLES = [
    (
        [*JKM, "--contribution-months", "12"],
        42_000_000,
    ),
    (
        [*STMB, "--wage", "5000000", "--months-unable", "18"],
        75_000_000,
    ),
    (
        ["--program", "JKP", "--case", "job_loss", "--date", "2025-03-10", "--wage", "4000000"],
        14_400_000,
    ),
]


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("calc", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def client():
    return Client(enforce_csrf_checks=True)


# --- the command line --------------------------------------------------------------------------


@pytest.mark.parametrize(("options", "total"), EXAMPLES)
def test_cli_json_contract_and_the_examples(options, total):
    status, out, err = run("benefit", *options, "--json")
    assert status == 0, err
    data = json.loads(out)
    assert set(data) == RESULT_KEYS
    assert data["eligible"] is True
    assert data["reasons"] == []
    assert data["total_idr"] == total
    assert data["lines"]
    for line in data["lines"]:
        assert set(line) == LINE_KEYS
        assert line["reference"]
    assert sum(line["amount_idr"] for line in data["lines"]) == total


def test_cli_stmb_lines():
    _, out, _ = run("benefit", *EXAMPLES[1][0], "--json")
    lines = json.loads(out)["lines"]
    assert [(x["benefit"], x["per_month_idr"], x["months"], x["amount_idr"]) for x in lines] == [
        ("wage_replacement", 5_000_000, 12, 60_000_000),
        ("wage_replacement", 2_500_000, 6, 15_000_000),
    ]


def test_cli_children_and_scholarship():
    status, out, _ = run(
        "benefit",
        *["--program", "JKM", "--case", "death", "--date", "2025-03-10"],
        *["--contribution-months", "36", "--child", "TK", "--child", "SMA", "--json"],
    )
    assert status == 0
    data = json.loads(out)
    scholarships = [x["amount_idr"] for x in data["lines"] if x["benefit"] == "scholarship"]
    assert scholarships == [87_000_000, 69_000_000]
    assert data["total_idr"] == 198_000_000


def test_cli_pension_has_null_amount_and_no_total():
    status, out, _ = run(
        "benefit",
        *["--program", "JP", "--case", "old_age", "--date", "2025-06-01"],
        *["--contribution-months", "240", "--average-wage", "6000000", "--json"],
    )
    assert status == 0
    data = json.loads(out)
    (line,) = data["lines"]
    assert (line["benefit"], line["amount_idr"], line["per_month_idr"]) == (
        "monthly_pension",
        None,
        1_200_000,
    )
    assert data["total_idr"] == 0


def test_cli_tax_is_a_negative_line():
    _, out, _ = run(
        "benefit", "--program", "JHT", "--case", "full", "--date", "2025-03-10",
        "--balance", "80000000", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert [(x["benefit"], x["amount_idr"]) for x in data["lines"]] == [
        ("jht_balance", 80_000_000),
        ("tax", -1_500_000),
    ]
    assert data["total_idr"] == 78_500_000


def test_cli_not_eligible_exits_0_with_reasons():
    status, out, _ = run(
        "benefit", "--program", "JKP", "--case", "job_loss", "--date", "2021-01-15",
        "--wage", "4000000", "--json",
    )  # fmt: skip
    assert status == 0
    data = json.loads(out)
    assert data["eligible"] is False
    assert data["reasons"] == ["program_not_in_force"]
    assert data["lines"] == []
    assert data["total_idr"] == 0


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (
            ["--program", "JKP", "--case", "job_loss", "--date", "2025-03-10", "--wage", "x"],
            "--wage",
        ),
        (["--program", "JKK", "--case", "death", "--date", "2025-03-10"], "--wage"),
        (["--program", "JKM", "--case", "death", "--date", "2025-3-1x"], "--date"),
        (["--program", "JKM", "--case", "flood", "--date", "2025-03-10"], "--case"),
        (["--program", "XYZ", "--case", "death", "--date", "2025-03-10"], "--program"),
        (
            ["--program", "JKM", "--case", "death", "--date", "2025-03-10", "--child", "SMK"],
            "--child",
        ),
        (["--program", "JHT", "--case", "full", "--date", "2025-03-10"], "--balance"),
    ],
)
def test_cli_bad_input_exits_2_naming_the_option(options, named):
    status, out, err = run("benefit", *options, "--json")
    assert status == 2
    assert out == ""
    assert err.startswith(named + ":"), err


def test_cli_readable_table_in_indonesian():
    status, out, _ = run("benefit", *EXAMPLES[0][0])
    assert status == 0
    assert "Manfaat JKM: Kematian, 2025-03-10" in out
    assert "Santunan sekaligus" in out
    assert "Biaya pemakaman" in out
    assert "Rp42.000.000" in out
    assert "PP 82/2019" in out


def test_cli_readable_not_eligible_in_english():
    status, out, _ = run(
        "benefit", "--program", "JKP", "--case", "job_loss", "--date", "2025-03-10",
        "--wage", "4000000", "--jkp-claims-before", "3", "--lang", "en",
    )  # fmt: skip
    assert status == 0
    assert "Not eligible" in out
    assert "JKP has already been paid 3 times." in out


@pytest.mark.parametrize(("year", "age"), [(2015, 56), (2019, 57), (2025, 59), (2043, 65)])
def test_cli_pension_age(year, age):
    status, out, _ = run("pension-age", "--year", str(year), "--json")
    assert status == 0
    assert json.loads(out) == {"year": year, "pension_age": age}


@pytest.mark.parametrize("year", ["2014", "abc"])
def test_cli_pension_age_refuses_a_bad_year(year):
    status, _, err = run("pension-age", "--year", year, "--json")
    assert status == 2
    assert err.startswith("--year:")


# --- the API -----------------------------------------------------------------------------------


def post(client, body):
    return client.post(API, json.dumps(body), content_type="application/json")


def test_api_is_the_cli_contract(client):
    body = {"program": "JKM", "case": "death", "date": "2025-03-10", "contribution_months": 12}
    response = post(client, body)
    assert response.status_code == 200
    data = response.json()
    assert data == benefit_calculate(benefit_input(body)).as_dict()
    assert data["total_idr"] == 42_000_000


def test_api_children_and_numeric_strings(client):
    body = {
        "program": "JKK",
        "case": "death",
        "date": "2025-03-10",
        "wage": "5000000",
        "children": ["SMP"],
    }
    data = post(client, body).json()
    assert data["total_idr"] == 262_000_000 + 75_000_000


def test_api_not_eligible_is_200(client):
    body = {"program": "JP", "case": "old_age", "date": "2025-06-01", "segment": "BPU"}
    body |= {"contribution_months": 200, "average_wage": 5000000}
    response = post(client, body)
    assert response.status_code == 200
    assert response.json()["reasons"] == ["program_not_for_segment"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"program": "JKP", "case": "job_loss", "date": "2025-03-10", "wage": -5}, "wage"),
        ({"program": "JKP", "case": "job_loss", "date": "2025-03-10"}, "wage"),
        ({"program": "JKM", "case": "death", "date": "2025-03-10", "colour": "red"}, "colour"),
        ({"program": "JKM", "case": "death"}, "date"),
    ],
)
def test_api_refusals_name_the_field(client, body, field):
    response = post(client, body)
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "invalid_input"
    assert field in data["fields"]


def test_openapi_documents_the_benefit_calculation(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][API]["post"]
    assert set(operation["responses"]) >= {"200", "400"}
    assert "security" not in operation  # public, like the contribution simulator
    components = schema["components"]["schemas"]
    assert set(components["BenefitRequestIn"]["properties"]) == set(INPUT_FIELDS)
    assert components["BenefitRequestIn"]["required"] == ["program", "case", "date"]
    assert set(components["BenefitOut"]["properties"]) == RESULT_KEYS
    assert set(components["BenefitLineOut"]["properties"]) == LINE_KEYS


# --- the page ----------------------------------------------------------------------------------


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_page_in_indonesian_and_linked(client):
    html = html_of(client.get(PAGE))
    assert '<html lang="id">' in html
    assert "<h1>Simulasi manfaat</h1>" in html
    assert f'href="{PAGE}"' in html  # the site menu
    assert f'href="{PAGE}"' in html_of(client.get("/simulasi-iuran/"))
    assert 'href="/simulasi-iuran/"' in html


def test_page_result_has_each_line_with_its_regulation(client):
    query = "program=JKM&case=death&date=2025-03-10&contribution_months=48&child=SD&child="
    html = html_of(client.get(f"{PAGE}?{query}"))
    rows = re.findall(r"<tr>\s*<td data-label=\"Manfaat\">(.*?)</tr>", html, re.S)
    assert len(rows) == 4  # lump sum, periodic, funeral, one scholarship
    for row in rows:
        assert re.search(r'class="reference">PP \d+/\d{4}', row), row
    assert "Rp129.000.000" in html  # 42,000,000 + 87,000,000
    assert "jamsos calc benefit --program JKM --case death" in html


def test_page_amounts_with_thousands_separators(client):
    html = html_of(client.get(f"{PAGE}?program=JKP&case=job_loss&date=2025-03-10&wage=4.000.000"))
    assert "Rp14.400.000" in html


def test_page_error_next_to_its_field(client):
    html = html_of(client.get(f"{PAGE}?program=JKP&case=job_loss&date=2025-03-10&wage=abc"))
    assert 'id="error_wage">Upah harus bilangan bulat rupiah' in html
    assert 'value="abc"' in html


def test_page_not_eligible_shows_reasons(client):
    html = html_of(client.get(f"{PAGE}?program=JKP&case=job_loss&date=2020-03-10&wage=4000000"))
    assert "Tidak memenuhi syarat" in html
    assert "JKP berlaku mulai 2 Februari 2021" in html


def test_page_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = html_of(client.get(f"{PAGE}?program=JKK&case=death&date=2025-03-10&wage=5000000"))
    assert "<h1>Benefit simulator</h1>" in html
    assert "Funeral costs" in html
    assert "Rp262,000,000" in html


def test_page_table_cells_are_labelled_for_narrow_screens(client):
    """At 390 px the table stacks its cells (jamsos.css, .breakdown): each cell needs a label."""
    query = "program=JKK&case=temporary_disability&date=2025-03-10&wage=5000000&months_unable=18"
    html = html_of(client.get(f"{PAGE}?{query}"))
    table = re.search(r'<table class="breakdown benefits">.*?</table>', html, re.S)
    assert table
    cells = re.findall(r"<td[^>]*>", table.group(0))
    assert cells
    assert all("data-label=" in cell for cell in cells)
