"""The home page and the contribution simulator, in Bahasa Indonesia and in English."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.conf import settings
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from jamsos.calculator.simulator import default_period, form_input, plain_amount
from jamsos.legal import Period, parameters
from jamsos.legal.contribution import last_period

# The public routes count requests per address in the shared cache (a database table).
pytestmark = pytest.mark.django_db

SIMULATOR = "/simulasi-iuran/"
PU = {
    "segment": "PU",
    "period": "2025-03",
    "wage": "5000000",
    "risk_class": "1",
    "employer_size": "large",
    "jkp_eligible": "true",
}


@pytest.fixture
def client():
    return Client()


def text_of(response) -> str:
    return response.content.decode()


def test_simulator_url_name():
    assert reverse("contribution-simulator") == SIMULATOR


def test_home_explains_programs_and_segments_and_leads_to_the_simulator(client):
    # when
    html = text_of(client.get("/"))
    # then
    assert '<html lang="id">' in html
    for word in ("JKK", "JKM", "JHT", "JP", "JKP", "PU", "BPU", "Jakon", "PMI"):
        assert word in html
    assert "Lima program" in html
    assert f'href="{SIMULATOR}"' in html
    assert "Beranda" in html
    assert "Simulasi Iuran" in html
    assert 'href="/api/v1/docs"' in html


def test_pages_load_nothing_from_elsewhere(client):
    for url in ("/", SIMULATOR):
        html = text_of(client.get(url))
        assert not re.search(r'(?:src|href)="(?:https?:)?//', html), url
        assert "/static/web/jamsos.css" in html


def test_simulator_is_in_indonesian_by_default(client):
    # when
    response = client.get(SIMULATOR)
    # then
    assert response.status_code == 200
    html = text_of(response)
    assert '<html lang="id">' in html
    assert "<h1>Simulasi Iuran</h1>" in html
    assert "Upah sebulan (Rp)" in html
    assert 'action="/i18n/setlang/"' in html


def test_simulator_defaults_to_the_current_month_within_known_law(client):
    html = text_of(client.get(SIMULATOR))
    assert f'value="{default_period()}"' in html
    assert default_period() <= last_period(parameters())
    assert default_period(date(2099, 5, 1)) == last_period(parameters())
    assert default_period(date(2025, 3, 9)) == Period(2025, 3)


def test_simulator_opens_in_indonesian_whatever_the_browser_language(client):
    html = text_of(client.get(SIMULATOR, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert '<html lang="id">' in html


def test_simulator_in_english_after_the_switch(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = text_of(client.get(SIMULATOR))
    assert '<html lang="en">' in html
    assert "<h1>Contribution simulator</h1>" in html
    assert "Monthly wage (Rp)" in html


def test_language_switch_sticks(client):
    # given: the switch in the header posts to Django's set_language
    response = client.post("/i18n/setlang/", {"language": "en", "next": f"{SIMULATOR}?segment=PU"})
    assert response.status_code == 302
    assert response["Location"] == f"{SIMULATOR}?segment=PU"
    # when
    html = text_of(client.get(SIMULATOR))
    # then
    assert "<h1>Contribution simulator</h1>" in html
    client.post("/i18n/setlang/", {"language": "id", "next": SIMULATOR})
    assert "<h1>Simulasi Iuran</h1>" in text_of(client.get(SIMULATOR))


def test_pu_breakdown_in_indonesian(client):
    # when
    html = text_of(client.get(SIMULATOR, PU))
    # then
    assert "Iuran PU, Maret 2025" in html
    assert "Pemberi kerja" in html
    assert "Pekerja (potong upah)" in html
    assert "Rekomposisi (informatif)" in html
    assert "Rp5.000.000" in html
    assert "0,24%" in html
    assert "Rp12.000" in html  # JKK 0.24 %
    assert "Rp185.000" in html  # JHT employer 3.7 %
    assert "Rp100.000" in html  # JHT worker 2 %, JP employer 2 %
    assert "PP 44/2015 Pasal 16 ayat (1)" in html
    assert "Rp312.000" in html  # employer total
    assert "Rp473.000" in html  # total
    assert "Catatan" in html
    assert "jamsos calc contribution --segment PU --period 2025-03 --wage 5000000" in html


def test_pu_breakdown_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = text_of(client.get(SIMULATOR, PU))
    assert "Contributions PU, March 2025" in html
    assert "Employer" in html
    assert "Worker (wage deduction)" in html
    assert "Rp12,000" in html
    assert "0.24%" in html
    assert "Rp473,000" in html


def test_fields_of_other_segments_and_blanks_are_ignored(client):
    # given: without JavaScript every field is sent, filled or not
    query = {
        **PU,
        "income": "3500000",
        "contract_value": "",
        "placement_months": "",
        "industry": "",
        "workers": "",
    }
    # when
    html = text_of(client.get(SIMULATOR, query))
    # then
    assert "Rp12.000" in html
    assert 'class="field-error"' not in html


def test_amounts_typed_with_thousands_separators(client):
    html = text_of(client.get(SIMULATOR, {**PU, "wage": "Rp 5.000.000"}))
    assert "Rp12.000" in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({**PU, "wage": "-5"}, "wage", "Upah tidak boleh negatif (diberikan -5)."),
        ({**PU, "wage": "lima juta"}, "wage", "Upah harus bilangan bulat rupiah"),
        ({**PU, "wage": ""}, "wage", "Upah wajib diisi untuk segmen PU."),
        ({**PU, "period": "2027-01"}, "period", "melewati parameter yang diketahui"),
        ({**PU, "period": "2015-06"}, "period", "sebelum 2015-07"),
        ({**PU, "risk_class": "6"}, "risk_class", "Kelas risiko harus antara 1 dan 5"),
        ({"segment": "BPU", "period": "2025-03", "income": "100000", "programs": "JP"},
         "programs", "Program JP tidak tersedia untuk segmen BPU."),
        ({"segment": "XX", "period": "2025-03"}, "segment", "Segmen tidak dikenal"),
    ],
)  # fmt: skip
def test_errors_are_shown_next_to_their_field(client, query, field, message):
    # when
    html = text_of(client.get(SIMULATOR, query))
    # then
    error = re.search(rf'<p class="field-error" id="error_{field}">([^<]*)</p>', html)
    assert error, html
    assert message in error.group(1).replace("&#x27;", "'")
    assert "Belum ada hasil" in html
    assert "Rp12.000" not in html


def test_errors_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = text_of(client.get(SIMULATOR, {**PU, "wage": "-5"}))
    assert '<p class="field-error" id="error_wage">Wage must not be negative (got -5).</p>' in html
    assert "Please check the form." in html


def test_values_are_kept_in_the_form_after_an_error(client):
    html = text_of(client.get(SIMULATOR, {**PU, "wage": "-5", "risk_class": "3"}))
    assert 'name="wage" type="text" inputmode="numeric" autocomplete="off" value="-5"' in html
    assert '<option value="3" selected>' in html


def test_form_input_keeps_the_chosen_segment_s_fields():
    query = QueryDict(
        "segment=BPU&period=2025-03&wage=5000000&income=3.500.000&programs=JHT&risk_class=1"
    )
    assert form_input(query) == {
        "segment": "BPU",
        "period": "2025-03",
        "income": "3500000",
        "programs": ["JHT"],
    }


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("5000000", "5000000"),
        ("5.000.000", "5000000"),
        ("Rp 5.000.000", "5000000"),
        ("Rp5.000.000,-", "5000000"),
        ("5.5", "5.5"),
        ("5,000,000", "5,000,000"),
        ("-5", "-5"),
    ],
)
def test_plain_amount(typed, plain):
    assert plain_amount(typed) == plain
