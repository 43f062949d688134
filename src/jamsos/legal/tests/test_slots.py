"""The registry of contribution lines (parameters/slots.yaml) and the explanation of a line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from jamsos.legal import ContributionInput, Payer, Period, Program, Segment, bulk, contribution
from jamsos.legal.errors import ParameterFileError
from jamsos.legal.params import parameters
from jamsos.legal.slots import (
    SLOTS_FILE,
    BaseKind,
    When,
    explain,
    load_slots,
    parameters_reference,
    parse_parameters_reference,
    registry,
)

REG = registry()


def test_registry_is_the_bulk_paths_columns() -> None:
    assert REG.keys == bulk.SLOTS
    assert REG.keys[:2] == ("jkk_employer", "jkm_employer")
    for slot in REG.slots:
        assert bulk.SLOT_PROGRAM[slot.key] is slot.program
        assert bulk.SLOT_PAYER[slot.key] is slot.payer
        assert slot.label_id
        assert slot.label_en
        assert slot.label_id != slot.label_en


def test_every_line_of_the_per_person_path_is_a_registered_slot() -> None:
    breakdown = contribution(
        ContributionInput(segment=Segment.PU, period=Period(2025, 3), wage_idr=20_000_000)
    )
    assert {line.slot for line in breakdown.lines} <= set(REG.keys)
    for line in breakdown.lines:
        assert REG.slot(line.slot).program is line.program
        assert REG.slot(line.slot).payer is line.payer


def test_billing_views_of_the_registry() -> None:
    assert REG.line_columns()["jkk_idr"] == ("jkk_employer", "jkk_participant")
    assert REG.line_columns()["package_idr"] == (
        "pmi_pre_placement",
        "pmi_package",
        "pmi_extension",
    )
    assert REG.billed_columns() == (
        "jkk_idr", "jkm_idr", "jht_employer_idr", "jht_worker_idr", "jp_employer_idr",
        "jp_worker_idr", "package_idr",
    )  # fmt: skip
    assert REG.unbilled_columns() == ("jkp_government_idr",)
    assert REG.items() == (
        ("JKK", 1, ("jkk_idr",)),
        ("JKM", 2, ("jkm_idr",)),
        ("JHT", 3, ("jht_employer_idr", "jht_worker_idr")),
        ("JP", 4, ("jp_employer_idr", "jp_worker_idr")),
        ("JKK+JKM", 5, ("package_idr",)),
    )
    assert REG.accounts() == {"4100": REG.billed_columns()}
    assert [REG.program(code).column for code, _, _ in REG.items()] == [
        "JKK", "JKM", "JHT", "JP", "PMI",
    ]  # fmt: skip


def test_rules_fit_their_segment() -> None:
    jp = REG.slot("jp_employer").rule(Segment.PU)
    assert jp is not None
    assert (jp.base, jp.cap, jp.when) == (BaseKind.JP_WAGE, "pu.jp_wage_cap", When.PROGRAM_HELD)
    assert REG.slot("jkk_employer").rule(Segment.JAKON) is not None
    assert REG.slot("jkk_employer").rule(Segment.BPU) is None
    assert [s.key for s in REG.for_segment(Segment.BPU)] == [
        "jkk_participant", "jkm_participant", "jht_participant",
    ]  # fmt: skip


def _broken(tmp_path: Path, change: dict[str, object], slot: str = "jp_employer") -> Path:
    raw = yaml.safe_load(SLOTS_FILE.read_text(encoding="utf-8"))
    raw["slots"][slot].update(change)
    path = tmp_path / "slots.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"payer": "nobody"}, "unknown 'nobody'"),
        ({"program": "XYZ"}, "unknown 'XYZ'"),
        ({"account": 4100}, "digits in quotes"),
        ({"label": {"id": "JP"}}, "{id: ..., en: ...}"),
        ({"rules": {"PU": {"base": "wage", "rate": "pu.no_such_rate"}}}, "unknown parameter"),
        ({"rules": {"PU": {"base": "income_tier", "rate": "pu.jp_rate"}}}, "not a PU base"),
        ({"rules": {"PU": {"base": "jp_wage", "rate": "pu.jp_rate"}}}, "needs a cap"),
        ({"rules": {"PU": {"base": "wage", "rate": "pu.jp_rate", "when": "sometimes"}}}, "unknown"),
        ({"rules": {"PU": {"base": "wage", "rate": "pu.jp_rate", "typo": 1}}}, "unknown field"),
        ({"line_column": "jkp_government_idr"}, "billed and unbilled"),
        (
            {
                "rules": {
                    "PU": {
                        "base": "wage",
                        "rate": "pu.jp_rate",
                        "conditional_discounts": ["relief.covid_jkk_discount"],
                    }
                }
            },
            "eligibility is code",
        ),
    ],
)
def test_a_broken_registry_is_refused(
    tmp_path: Path, change: dict[str, object], reason: str
) -> None:
    with pytest.raises(ParameterFileError) as error:
        load_slots(_broken(tmp_path, change))
    assert reason in str(error.value)
    assert "slots.yaml" in str(error.value)


def test_a_government_line_is_never_billed(tmp_path: Path) -> None:
    with pytest.raises(ParameterFileError, match="not billed"):
        load_slots(_broken(tmp_path, {"account": "4100"}, slot="jkp_government"))


def test_the_packaged_file_loads_against_the_parameters() -> None:
    assert load_slots(SLOTS_FILE, parameters()) == REG


def test_explain_jp_over_the_cap() -> None:
    on = Period(2025, 3).legal_date
    expl = explain(REG.slot("jp_employer"), Segment.PU, on, 20_000_000)
    assert expl is not None
    assert expl.base_idr == 10_547_400
    assert expl.uncapped_idr == 20_000_000
    assert expl.rate == Decimal("0.02")
    assert expl.cap is not None
    assert expl.cap.value == 10_547_400
    assert expl.references[0].startswith("PP 45/2015")
    assert "Pasal 29" in expl.references[0]
    under = explain(REG.slot("jp_worker"), Segment.PU, on, 5_000_000)
    assert under is not None
    assert under.base_idr == 5_000_000
    assert under.uncapped_idr is None


def test_explain_risk_class_and_fixed_lines() -> None:
    on = Period(2025, 3).legal_date
    jkk = explain(REG.slot("jkk_employer"), Segment.PU, on, 5_000_000)
    assert jkk is not None
    assert jkk.rate is None
    assert jkk.base_idr == 5_000_000
    assert jkk.conditional  # PP 7/2025 applies to eligible employers only
    jkm = explain(REG.slot("jkm_participant"), Segment.BPU, on, 1_000_000)
    assert jkm is not None
    assert jkm.base_idr is None
    assert jkm.rate is None
    assert explain(REG.slot("jp_employer"), Segment.BPU, on, 1) is None


def test_parameters_reference_round_trip() -> None:
    text = parameters_reference(date(2025, 3, 31))
    assert text.startswith("2025-03-31@")
    assert len(text) <= 40
    assert parse_parameters_reference(text) == (date(2025, 3, 31), parameters().version)
    assert parse_parameters_reference("") is None
    assert parameters().version  # a digest of the parameter files


def test_a_slot_added_to_the_registry_is_computed_by_both_paths() -> None:
    """One definition: a slot registered with a rule is computed per person and in bulk."""
    import polars as pl

    from jamsos.legal.slots import Slot, SlotRule, using

    extra = Slot(
        key="jkm_top_up",
        program=Program.JKM,
        payer=Payer.EMPLOYER,
        label_id="JKM tambahan",
        label_en="JKM top-up",
        account="4100",
        line_column="jkm_idr",
        rules=(SlotRule(Segment.PU, BaseKind.JP_WAGE, "pu.jkm_rate", cap="pu.jp_wage_cap"),),
    )
    with using(REG.with_slot(extra, after="jkm_employer")):
        inp = ContributionInput(segment=Segment.PU, period=Period(2025, 3), wage_idr=20_000_000)
        person = contribution(inp).amounts_by_slot()
        assert person["jkm_top_up"] == 31_642  # 0.30% x the JP cap Rp 10,547,400, half up
        frame = pl.DataFrame({"period": ["2025-03"], "segment": ["PU"], "wage_idr": [20_000_000]})
        out = bulk.contributions(frame)
        assert out["jkm_top_up"].to_list() == [31_642]
        assert out["employer_idr"][0] == contribution(inp).totals.employer_idr
    assert "jkm_top_up" not in bulk.contributions(frame).columns
