"""The programs page shows the figures of the parameters in force, with their regulations."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from django.test import Client

from jamsos.core.formatting import format_money, format_rate
from jamsos.legal.params import parameters
from jamsos.selfservice.views_public import programs_on

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 3)  # the tests' clock


def value(name: str, on: date = TODAY):
    return parameters().get(name, on)


def page_text(lang: str = "id") -> str:
    client = Client()
    client.post("/i18n/setlang/", {"language": lang, "next": "/"})
    response = client.get("/informasi/program/")
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_five_programs_with_their_figures_in_indonesian():
    page = page_text("id")
    for code in ("JHT", "JKK", "JKM", "JP", "JKP"):
        assert f'id="program-{code.lower()}"' in page
    jht = value("pu.jht_rate").value
    jkk = value("pu.jkk_rate").value.values()
    jkm = value("benefits.jkm.death").value
    jp = value("pu.jp_rate").value
    bounds = value("benefits.jp.benefit_limits").value
    jkp = value("benefits.jkp.cash_benefit").value
    expected = [
        format_rate(jht["employer"], "id"),
        format_rate(jht["worker"], "id"),
        format_rate(min(jkk), "id"),
        format_rate(max(jkk), "id"),
        format_rate(value("pu.jkm_rate").value, "id"),
        format_money(value("bpu.jkm_flat").value, "id"),
        format_money(jkm["lump_sum"], "id"),
        format_money(jkm["funeral"], "id"),
        format_money(
            jkm["lump_sum"] + jkm["periodic_monthly"] * jkm["periodic_months"] + jkm["funeral"],
            "id",
        ),
        format_rate(jp["employer"], "id"),
        format_rate(jp["worker"], "id"),
        format_money(value("pu.jp_wage_cap").value, "id"),
        format_money(bounds["minimum"], "id"),
        format_money(bounds["maximum"], "id"),
        format_rate(jkp["first_rate"], "id"),
        format_money(jkp["wage_cap"], "id"),
        format_rate(value("jkp.funding").value["government"], "id"),
    ]
    missing = [figure for figure in expected if figure not in page]
    assert missing == []
    for name in ("pu.jht_rate", "pu.jp_rate", "benefits.jkm.death", "benefits.jkp.cash_benefit"):
        assert value(name).reference_text in page
    assert "/simulasi-iuran/" in page
    assert "/simulasi-manfaat/" in page


def test_english_through_the_language_switch():
    page = page_text("en")
    assert "Old-age savings" in page
    assert format_money(value("pu.jp_wage_cap").value, "en") in page


def test_the_figures_follow_the_date():
    """Before PP 6/2025 the job-loss benefit paid 45% then 25%: the page reads the date's
    parameters, not numbers written in it."""
    before = {p.code: p for p in programs_on(date(2024, 6, 1))}
    after = {p.code: p for p in programs_on(TODAY)}
    old = parameters().get("benefits.jkp.cash_benefit", date(2024, 6, 1)).value
    assert format_rate(old["first_rate"]) in before["JKP"].pays[0].text
    assert len(before["JKP"].pays) == 2
    assert len(after["JKP"].pays) == 1
    assert "JKP" not in {p.code for p in programs_on(date(2020, 1, 1))}
