"""Which workers the potential counts: the definitions (data/potential_definitions.yaml), their
dated factors, and the dashboard reading its figures by the one chosen (``potensi``)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from jamsos.coverage import potential
from jamsos.coverage.tests.test_views import Dash, figure, text


def test_the_agency_definition_is_the_default_and_documents_what_it_leaves_out() -> None:
    agency = potential.definition(None)
    assert potential.default_key() == "agency"
    assert agency.key == "agency"
    assert agency.confidence == "medium"
    assert "TNI/Polri" in agency.text("excludes", "id")
    assert "civil servants" in agency.text("excludes", "en").lower()
    assert set(potential.definitions()) == {"agency", "employed", "working_age"}


def test_each_factor_is_its_published_potential_over_its_base() -> None:
    checked = 0
    for item in potential.definitions().values():
        for value in item.values:
            if value.potential is None:
                continue
            ratio = (Decimal(value.potential) / Decimal(value.base or 1)).quantize(
                Decimal("0.0001"), rounding=ROUND_HALF_UP
            )
            assert value.factor == ratio, (item.key, value.as_of)
            assert value.source
            checked += 1
    assert checked == 3


def test_the_factor_in_force_is_the_latest_dated_on_or_before_the_month() -> None:
    agency = potential.definition("agency")
    assert agency.value_for("2025-04").factor == Decimal("0.7080")  # July 2023 value
    assert agency.value_for("2025-07").factor == Decimal("0.7039")
    assert agency.value_for("2026-01").factor == Decimal("0.7039")
    # Before the first dated value: the earliest.
    assert agency.value_for("2020-01").factor == Decimal("0.7080")


def test_bad_definitions_are_refused() -> None:
    good = {
        "key": "x",
        "label": {"id": "x", "en": "x"},
        "includes": {"id": "x", "en": "x"},
        "excludes": {"id": "x", "en": "x"},
        "definition_source": "s",
        "confidence": "high",
        "values": [
            {"as_of": "2024-01", "factor": "0.5", "how": {"id": "h", "en": "h"}, "source": "s"}
            | {"confidence": "high"}
        ],
    }
    assert potential.parse({"default": "x", "definitions": [good]})[0] == "x"
    with pytest.raises(ValueError, match="default"):
        potential.parse({"default": "y", "definitions": [good]})
    bad = {**good, "values": [{**good["values"][0], "factor": "0"}]}  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="factor"):
        potential.parse({"default": "x", "definitions": [bad]})
    english_only = {**good, "label": {"en": "x"}}
    with pytest.raises(ValueError, match="Indonesian"):
        potential.parse({"default": "x", "definitions": [english_only]})


def test_scale_rounds_half_up_to_whole_persons() -> None:
    assert potential.scale(None, Decimal("0.7")) is None
    assert potential.scale(144_640_000, Decimal("0.7080")) == 102_405_120
    assert potential.scale(5, Decimal("0.5")) == 3
    assert potential.scale(7, Decimal(1)) == 7


# --- the dashboard ------------------------------------------------------------------------------


def test_the_dashboard_reads_the_agency_potential_by_default(dash: Dash) -> None:
    page = text(dash.client("analis").get("/cakupan/"))
    # 144,640,000 employed x 0.7080 (July 2023 value, in force in April 2025) = 102,405,120.
    assert figure(page, "rate") == "44,8%"  # 45,870,123 / 102,405,120
    assert figure(page, "unprotected") == "56.534.997"
    assert "dari 102.405.120 pekerja yang wajib dilindungi" in page
    assert "Potensi BPJS Ketenagakerjaan (pekerja yang wajib dilindungi)" in page
    assert "ASN" in page
    assert "Jabar Ekspres 2023" in page
    assert "keyakinan: sedang" in page
    assert "0,7080" in page
    # The alternatives, each a link keeping the page's filters.
    assert 'href="?periode=2025-04&amp;potensi=employed"' in page or (
        'href="?potensi=employed"' in page
    )
    assert 'name="potensi"' in page


def test_the_employed_and_working_age_readings(dash: Dash) -> None:
    client = dash.client("analis")
    employed = text(client.get("/cakupan/?potensi=employed"))
    assert figure(employed, "rate") == "31,7%"  # 45,870,123 / 144,640,000
    assert "dari 144.640.000 penduduk bekerja" in employed
    working_age = text(client.get("/cakupan/?potensi=working_age"))
    # 144,640,000 x 1.4890 = 215,368,960.
    assert figure(working_age, "unprotected") == "169.498.837"
    assert figure(working_age, "rate") == "21,3%"
    # Drill-down links keep the chosen definition.
    assert "potensi=working_age" in working_age.split('id="tabel-anak"')[0] or (
        "wilayah=32&amp;periode=2025-04&amp;potensi=working_age" in working_age
    )


def test_an_unknown_definition_is_set_aside_with_a_message(dash: Dash) -> None:
    page = text(dash.client("analis").get("/cakupan/?potensi=semua"))
    assert "Potensi (potensi): “semua”" in page
    assert figure(page, "rate") == "44,8%"


def test_rankings_order_by_the_chosen_potential(dash: Dash) -> None:
    client = dash.client("analis")

    def unprotected_order(query: str) -> list[str]:
        page = text(client.get("/cakupan/prioritas/?tingkat=2" + query))
        table = page.split('id="peringkat-unprotected"')[1].split("</section>")[0]
        names = ["Kabupaten Bandung", "Kota Bandung"]
        return sorted(names, key=table.index)

    # Employed: Kota Bandung 1,500,000 - 300,000 = 1,200,000 before Kabupaten Bandung
    # 1,750,000 - 560,000 = 1,190,000. Working age (x 1.4890): Kabupaten Bandung 2,045,750
    # before Kota Bandung 1,933,500.
    assert unprotected_order("&potensi=employed") == ["Kota Bandung", "Kabupaten Bandung"]
    assert unprotected_order("&potensi=working_age") == ["Kabupaten Bandung", "Kota Bandung"]
    page = text(client.get("/cakupan/prioritas/?tingkat=2&potensi=working_age"))
    assert "2.045.750" in page


def test_exports_carry_the_chosen_potential(dash: Dash) -> None:
    response = dash.client("analis").get("/cakupan/?format=csv&potensi=working_age")
    body = response.content.decode()
    assert response.status_code == 200
    assert "36361380" in body  # Jawa Barat 24,420,000 x 1.4890


def test_map_data_reads_the_chosen_potential(dash: Dash) -> None:
    data = dash.client("analis").get("/cakupan/peta.json?potensi=employed").json()
    jabar = next(r for r in data["rows"] if r["code"] == "32")
    assert jabar["rate_text"] == "29,2%"
    default = dash.client("analis").get("/cakupan/peta.json").json()
    jabar = next(r for r in default["rows"] if r["code"] == "32")
    assert jabar["potential_text"] == "17.289.360"  # 24,420,000 x 0.7080
