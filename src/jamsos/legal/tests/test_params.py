"""The parameter loader fails loudly on bad files; the packaged parameters agree with rules.md."""

from __future__ import annotations

import textwrap
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

import pytest

from jamsos.legal.errors import ParameterFileError
from jamsos.legal.params import PARAMETERS_DIR, Parameters, load_parameters, parameters

META = "known_until: 2026-12-31\n"

GOOD = """\
description: A test rate
unit: rate
values:
  2015-07-01:
    value: 0.003
    reference: {instrument: PP 44/2015, article: Pasal 18 ayat (1)}
"""


def write_tree(root: Path, files: dict[str, str], meta: str | None = META) -> Path:
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    if meta is not None:
        (root / "meta.yaml").write_text(meta, encoding="utf-8")
    return root


def load_error(root: Path, files: dict[str, str], meta: str | None = META) -> ParameterFileError:
    write_tree(root, files, meta)
    with pytest.raises(ParameterFileError) as excinfo:
        load_parameters(root)
    error = excinfo.value
    assert error.path in str(error)
    assert error.key in str(error)
    return error


# --- A minimal good tree loads ----------------------------------------------------------------


def test_a_good_tree_loads(tmp_path: Path) -> None:
    loaded = load_parameters(write_tree(tmp_path, {"pu/jkm_rate.yaml": GOOD}))
    value = loaded.get("pu.jkm_rate", date(2025, 3, 31))
    assert value.value == Decimal("0.003")
    assert value.reference.instrument == "PP 44/2015"
    assert value.confidence == "high"
    assert loaded.known_until == date(2026, 12, 31)


# --- The loader names the file and the key ----------------------------------------------------


def test_value_without_reference(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        {
            "pu/jkm_rate.yaml": """\
                description: A test rate
                unit: rate
                values:
                  2015-07-01:
                    value: 0.003
                """
        },
    )
    assert (error.path, error.key) == ("pu/jkm_rate.yaml", "values.2015-07-01.reference")


def test_reference_without_instrument(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        {
            "pu/jkm_rate.yaml": """\
                description: A test rate
                unit: rate
                values:
                  2015-07-01:
                    value: 0.003
                    reference: {instrument: "  ", article: Pasal 18}
                """
        },
    )
    assert (error.path, error.key) == ("pu/jkm_rate.yaml", "values.2015-07-01.reference")
    assert "instrument" in error.reason


def test_unsorted_dates(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        {
            "pu/jp_wage_cap.yaml": """\
                description: A test cap
                unit: idr
                values:
                  2016-03-01:
                    value: 7335300
                    reference: {instrument: PP 45/2015}
                  2015-07-01:
                    value: 7000000
                    reference: {instrument: PP 45/2015}
                """
        },
    )
    assert (error.path, error.key) == ("pu/jp_wage_cap.yaml", "values.2015-07-01")
    assert "sorted" in error.reason


def test_duplicate_dates(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        {
            "pu/jp_wage_cap.yaml": """\
                description: A test cap
                unit: idr
                values:
                  2015-07-01:
                    value: 7000000
                    reference: {instrument: PP 45/2015}
                  2015-07-01:
                    value: 7335300
                    reference: {instrument: PP 45/2015}
                """
        },
    )
    assert error.path == "pu/jp_wage_cap.yaml"
    assert "2015-07-01" in error.key


def test_unknown_unit(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        {
            "pu/jkm_rate.yaml": """\
                description: A test rate
                unit: percent
                values:
                  2015-07-01:
                    value: 0.003
                    reference: {instrument: PP 44/2015}
                """
        },
    )
    assert (error.path, error.key) == ("pu/jkm_rate.yaml", "unit")
    assert "percent" in error.reason


def test_unknown_unit_in_a_table(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        {
            "deadline/pu.yaml": """\
                description: A test deadline
                unit: {day: weekday, month_offset: months}
                keys: [day, month_offset]
                values:
                  2015-07-01:
                    value: {day: 15, month_offset: 1}
                    reference: {instrument: PP 44/2015}
                """
        },
    )
    assert (error.path, error.key) == ("deadline/pu.yaml", "unit.day")


def test_unknown_file_field(tmp_path: Path) -> None:
    error = load_error(tmp_path, {"pu/jkm_rate.yaml": GOOD + "descripton: a typo\n"})
    assert (error.path, error.key) == ("pu/jkm_rate.yaml", "(file)")
    assert "descripton" in error.reason


def test_unknown_value_field(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        {
            "pu/jkm_rate.yaml": """\
                description: A test rate
                unit: rate
                values:
                  2015-07-01:
                    value: 0.003
                    reference: {instrument: PP 44/2015}
                    confidance: low
                """
        },
    )
    assert (error.path, error.key) == ("pu/jkm_rate.yaml", "values.2015-07-01")
    assert "confidance" in error.reason


def test_unknown_reference_field(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        {
            "pu/jkm_rate.yaml": """\
                description: A test rate
                unit: rate
                values:
                  2015-07-01:
                    value: 0.003
                    reference: {instrument: PP 44/2015, pasal: 18}
                """
        },
    )
    assert (error.path, error.key) == ("pu/jkm_rate.yaml", "values.2015-07-01.reference")
    assert "pasal" in error.reason


def test_table_missing_a_key(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        {
            "pu/jht_rate.yaml": """\
                description: A test table
                unit: rate
                keys: [employer, worker]
                values:
                  2015-07-01:
                    value: {employer: 0.037}
                    reference: {instrument: PP 46/2015}
                """
        },
    )
    assert (error.path, error.key) == ("pu/jht_rate.yaml", "values.2015-07-01.value")
    assert "worker" in error.reason


def test_table_with_an_unknown_key(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        {
            "pu/jht_rate.yaml": """\
                description: A test table
                unit: rate
                keys: [employer, worker]
                values:
                  2015-07-01:
                    value: {employer: 0.037, worker: 0.02, government: 0.01}
                    reference: {instrument: PP 46/2015}
                """
        },
    )
    assert (error.path, error.key) == ("pu/jht_rate.yaml", "values.2015-07-01.value")
    assert "government" in error.reason


def test_rate_finer_than_a_millionth(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        {
            "pu/jkk_rate.yaml": """\
                description: A test rate
                unit: rate
                values:
                  2015-07-01:
                    value: 0.0024001
                    reference: {instrument: PP 44/2015}
                """
        },
    )
    assert (error.path, error.key) == ("pu/jkk_rate.yaml", "values.2015-07-01.value")
    assert "finer" in error.reason


def test_rate_in_a_table_finer_than_a_millionth(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        {
            "jakon/bands.yaml": """\
                description: A test band table
                unit: {upper_bounds: idr_list, jkk_rates: rate_list}
                keys: [upper_bounds, jkk_rates]
                values:
                  2015-07-01:
                    value: {upper_bounds: [100000000], jkk_rates: [0.0021, 0.00170001]}
                    reference: {instrument: Permenakertrans 44/2015}
                    confidence: medium
                    note: marginal reading
                """
        },
    )
    assert (error.path, error.key) == ("jakon/bands.yaml", "values.2015-07-01.value.jkk_rates[1]")


def test_rate_above_one(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        {
            "pu/jkk_rate.yaml": """\
                description: A test rate
                unit: rate
                values:
                  2015-07-01:
                    value: 24
                    reference: {instrument: PP 44/2015}
                """
        },
    )
    assert (error.path, error.key) == ("pu/jkk_rate.yaml", "values.2015-07-01.value")


@pytest.mark.parametrize("confidence", ["medium", "low"])
def test_uncertain_value_without_a_note(tmp_path: Path, confidence: str) -> None:
    error = load_error(
        tmp_path,
        {
            "pu/jp_wage_cap.yaml": f"""\
                description: A test cap
                unit: idr
                values:
                  2026-03-01:
                    value: 11086300
                    reference: {{instrument: PP 45/2015}}
                    confidence: {confidence}
                """
        },
    )
    assert (error.path, error.key) == ("pu/jp_wage_cap.yaml", "values.2026-03-01.note")


def test_unknown_confidence(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        {
            "pu/jp_wage_cap.yaml": """\
                description: A test cap
                unit: idr
                values:
                  2026-03-01:
                    value: 11086300
                    reference: {instrument: PP 45/2015}
                    confidence: sure
                """
        },
    )
    assert (error.path, error.key) == ("pu/jp_wage_cap.yaml", "values.2026-03-01.confidence")


def test_whole_rupiah_only(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        {
            "pu/jp_wage_cap.yaml": """\
                description: A test cap
                unit: idr
                values:
                  2015-07-01:
                    value: 7000000.5
                    reference: {instrument: PP 45/2015}
                """
        },
    )
    assert (error.path, error.key) == ("pu/jp_wage_cap.yaml", "values.2015-07-01.value")


def test_missing_meta(tmp_path: Path) -> None:
    error = load_error(tmp_path, {"pu/jkm_rate.yaml": GOOD}, meta=None)
    assert (error.path, error.key) == ("meta.yaml", "(file)")


def test_meta_without_known_until(tmp_path: Path) -> None:
    error = load_error(tmp_path, {"pu/jkm_rate.yaml": GOOD}, meta="known_until: soon\n")
    assert (error.path, error.key) == ("meta.yaml", "known_until")


def test_not_yaml(tmp_path: Path) -> None:
    error = load_error(tmp_path, {"pu/jkm_rate.yaml": "description: [unclosed\n"})
    assert (error.path, error.key) == ("pu/jkm_rate.yaml", "(file)")


# --- The packaged parameters --------------------------------------------------------------------


@pytest.fixture(scope="module")
def packaged() -> Parameters:
    return load_parameters(PARAMETERS_DIR)


def test_packaged_parameters_load(packaged: Parameters) -> None:
    names = {p.name for p in packaged}
    assert {
        "pu.jkk_rate",
        "pu.jkm_rate",
        "pu.jht_rate",
        "pu.jp_rate",
        "pu.jp_wage_cap",
        "jkp.funding",
        "bpu.income_tiers",
        "jakon.bands",
        "pmi.packages",
        "deadline.pu",
        "penalty.late_rate",
        "relief.covid_jkk_discount",
        "relief.labour_intensive_jkk_discount",
    } <= names
    assert packaged.known_until == date(2026, 12, 31)
    assert parameters().change_dates() == packaged.change_dates()


def test_every_value_cites_an_instrument(packaged: Parameters) -> None:
    for parameter in packaged:
        assert parameter.description.strip(), parameter.name
        for value in parameter.values:
            assert value.reference.instrument.strip(), f"{parameter.name} {value.since}"


def test_every_uncertain_value_explains_itself(packaged: Parameters) -> None:
    for parameter in packaged:
        for value in parameter.values:
            if value.confidence != "high":
                assert value.note.strip(), f"{parameter.name} {value.since}"


def _confidence(packaged: Parameters, name: str, since: date) -> str:
    matches = [v for v in packaged.parameter(name).values if v.since == since]
    assert matches, f"{name} has no value dated {since}"
    return matches[0].confidence


@pytest.mark.parametrize(
    ("name", "since", "expected"),
    [
        # rules.md 2.2: the 2026 cap rests on code repositories quoting the BPJS letter (MEDIUM).
        ("pu.jp_wage_cap", date(2026, 3, 1), {"medium"}),
        # rules.md 2.2: the 2022 cap is MEDIUM-HIGH (named in the 2023 letter only).
        ("pu.jp_wage_cap", date(2022, 3, 1), {"medium", "low"}),
        # rules.md 2.4: that the 5,000,000 cap also caps the JKP funding base is LOW.
        ("jkp.contribution_wage_cap", date(2021, 2, 2), {"low"}),
        # rules.md 3 and 11.1: only the minimum and maximum BPU tiers are known.
        ("bpu.income_tiers", date(2015, 7, 1), {"low"}),
        # rules.md 4.1: the marginal reading of the Jakon bands is MEDIUM.
        ("jakon.bands", date(2015, 7, 1), {"medium", "low"}),
        # rules.md 5: "BPU: no fine" is MEDIUM (BPJS FAQ).
        ("penalty.segments", date(2015, 7, 1), {"medium", "low"}),
        # rules.md 1 and 6.5: JKP eligibility details are MEDIUM.
        ("jkp.required_programs", date(2021, 2, 2), {"medium", "low"}),
    ],
)
def test_uncertain_figures_are_marked(
    packaged: Parameters, name: str, since: date, expected: set[str]
) -> None:
    assert _confidence(packaged, name, since) in expected


def test_jp_caps_follow_gdp_growth_rounded_down_to_100(packaged: Parameters) -> None:
    """rules.md 2.2: cap(t) = cap(t-1) x (1 + GDP growth), rounded down to Rp 100, from March."""
    growth = {
        2016: "4.79",
        2017: "5.02",
        2018: "5.07",
        2019: "5.17",
        2020: "5.02",
        2021: "-2.07",
        2022: "3.69",
        2023: "5.31",
        2024: "5.05",
        2025: "5.03",
        2026: "5.11",
    }
    caps = {v.since: v.value for v in packaged.parameter("pu.jp_wage_cap").values}
    assert caps[date(2015, 7, 1)] == 7_000_000
    previous = Decimal(7_000_000)
    for year, pct in growth.items():
        raw = previous * (1 + Decimal(pct) / 100)
        expected = int((raw / 100).to_integral_value(rounding=ROUND_FLOOR) * 100)
        assert caps[date(year, 3, 1)] == expected, year
        previous = Decimal(expected)


def test_headline_figures_match_rules(packaged: Parameters) -> None:
    """A few figures straight from rules.md, read at a date well inside their period."""

    def at(name: str, on: date) -> object:
        return packaged.get(name, on).value

    d = date(2024, 6, 30)
    assert at("pu.jkk_rate", d) == {
        "class_1": Decimal("0.0024"),
        "class_2": Decimal("0.0054"),
        "class_3": Decimal("0.0089"),
        "class_4": Decimal("0.0127"),
        "class_5": Decimal("0.0174"),
    }
    assert at("pu.jkm_rate", d) == Decimal("0.003")
    assert at("pu.jht_rate", d) == {"employer": Decimal("0.037"), "worker": Decimal("0.02")}
    assert at("pu.jp_rate", d) == {"employer": Decimal("0.02"), "worker": Decimal("0.01")}
    assert at("bpu.jkm_flat", d) == 6800
    assert at("bpu.jkk_rate", d) == Decimal("0.01")
    assert at("bpu.jht_rate", d) == Decimal("0.02")
    tiers = at("bpu.income_tiers", d)
    assert isinstance(tiers, dict)
    assert (tiers["minimum"], tiers["maximum"]) == (1_000_000, 20_700_000)
    assert at("pmi.packages", d) == {"months_6": 108000, "months_12": 189000, "months_24": 332500}
    assert at("pmi.pre_placement", d) == 37500
    assert at("pmi.extension_monthly", d) == 13500
    assert at("jkp.contribution_wage_cap", d) == 5_000_000
    assert at("penalty.late_rate", d) == Decimal("0.02")
    assert at("penalty.late_rate", date(2020, 9, 30)) == Decimal("0.005")
    assert at("relief.covid_jkk_discount", date(2020, 9, 30)) == Decimal("0.99")
    assert at("relief.covid_jkm_discount", date(2020, 9, 30)) == Decimal("0.99")
    assert at("relief.covid_jp_deferral", date(2020, 9, 30)) == Decimal("0.99")
    labour = at("relief.labour_intensive_jkk_discount", date(2025, 3, 31))
    assert isinstance(labour, dict)
    assert (labour["share"], labour["min_workers"]) == (Decimal("0.5"), 50)
    assert set(labour["industries"]) == {
        "food_beverage_tobacco",
        "textile_apparel",
        "leather_goods",
        "footwear",
        "children_toys",
        "furniture",
    }
