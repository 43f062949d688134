"""The Perisai agent's monthly commission (rules.md 12.4), per agent and in bulk."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from jamsos.legal.agents import (
    Collected,
    agent_commission,
    agents_commissions,
    commission_terms,
)
from jamsos.legal.errors import ParameterNotFound
from jamsos.legal.params import parameters

NOV_2026 = date(2026, 11, 1)


def test_the_figures_are_dated_cited_and_marked() -> None:
    values = parameters().parameter("agent.perisai_commission").values
    assert [v.since for v in values] == [date(2018, 12, 1), date(2022, 4, 1)]
    assert [v.confidence for v in values] == ["high", "medium"]
    assert "13/PERDIR.02/042022" in values[1].reference.instrument
    old = commission_terms(date(2019, 6, 1))
    assert (str(old.collection_rate_early), old.bonus_idr, old.bonus_min_new) == (
        "0.075",
        500_000,
        50,
    )
    new = commission_terms(NOV_2026)
    assert (new.acquisition_jkk_jkm_idr, new.acquisition_with_jht_idr) == (10_000, 15_000)
    assert (new.acquisition_min_new, new.collection_early_months, new.collection_last_month) == (
        25,
        24,
        60,
    )
    assert new.paid_by_day == 5
    with pytest.raises(ParameterNotFound):
        commission_terms(date(2018, 11, 1))


def test_2022_rule_acquisition_needs_25_new_participants() -> None:
    terms = commission_terms(NOV_2026)
    # 24 new: no acquisition; collection 15 % of 100,000 (month 3) + 5 % of 50,000 (month 30).
    below = agent_commission(
        new_with_jht=[False] * 24,
        collections=[Collected(100_000, 3), Collected(50_000, 30), Collected(40_000, 61)],
        terms=terms,
    )
    assert below.acquisition_idr == 0
    assert below.collection_idr == 15_000 + 2_500
    assert below.collected_other_idr == 40_000  # past month 60: no commission
    assert below.total_idr == 17_500
    assert below.office_idr == 1_750  # 10 % to the agent's office, on top
    # 25 new, 5 of them with JHT: 20 x 10,000 + 5 x 15,000.
    met = agent_commission(new_with_jht=[True] * 5 + [False] * 20, collections=[], terms=terms)
    assert met.acquisition_idr == 275_000
    assert (met.total_idr, met.office_idr, met.bonus_idr) == (275_000, 27_500, 0)
    assert met.rule.startswith("2022-04-01 Perdir 13/PERDIR.02/042022")


def test_month_24_is_early_and_month_25_late() -> None:
    terms = commission_terms(NOV_2026)
    assert terms.band(24) == "early"
    assert terms.band(25) == "late"
    assert terms.band(60) == "late"
    assert terms.band(61) == "none"
    assert terms.band(0) == "none"


def test_2018_rule_flat_share_and_bonus_from_50_new() -> None:
    terms = commission_terms(date(2019, 1, 1))
    result = agent_commission(
        new_with_jht=[False] * 50, collections=[Collected(16_800, 80)], terms=terms
    )
    assert result.collection_idr == 1_260  # 7.5 % of 16,800, no month limit
    assert result.bonus_idr == 500_000
    assert result.acquisition_idr == 0
    assert result.office_idr == 0  # no office share known for 2018
    fewer = agent_commission(new_with_jht=[False] * 49, collections=[], terms=terms)
    assert fewer.bonus_idr == 0


def test_rounding_half_up_to_the_rupiah() -> None:
    terms = commission_terms(NOV_2026)
    # 15 % of 16,803 = 2,520.45 -> 2,520; 5 % of 16,810 = 840.5 -> 841.
    result = agent_commission(
        new_with_jht=[], collections=[Collected(16_803, 1), Collected(16_810, 25)], terms=terms
    )
    assert result.collection_idr == 2_520 + 841


def test_bulk_gives_the_per_agent_amounts() -> None:
    terms = commission_terms(NOV_2026)
    enrolled = {1: [True] * 10 + [False] * 20, 2: [False] * 3, 3: []}
    collected = {
        1: [Collected(16_800, 1), Collected(21_800, 24), Collected(36_800, 25)],
        2: [Collected(16_803, 2)],
        3: [Collected(10_000, 70), Collected(16_810, 60)],
    }
    new_frame = pl.DataFrame(
        {
            "agent_id": [a for a, flags in enrolled.items() for _ in flags],
            "with_jht": [f for flags in enrolled.values() for f in flags],
        },
        schema={"agent_id": pl.Int64, "with_jht": pl.Boolean},
    )
    coll_frame = pl.DataFrame(
        {
            "agent_id": [a for a, items in collected.items() for _ in items],
            "amount_idr": [c.amount_idr for items in collected.values() for c in items],
            "participant_month": [
                c.participant_month for items in collected.values() for c in items
            ],
        }
    )
    bulk = {
        row["agent_id"]: row
        for row in agents_commissions(new_frame, coll_frame, terms=terms).iter_rows(named=True)
    }
    assert sorted(bulk) == [1, 2, 3]
    for agent_id in enrolled:
        one = agent_commission(
            new_with_jht=enrolled[agent_id], collections=collected[agent_id], terms=terms
        ).as_dict()
        one.pop("rule")
        assert {k: bulk[agent_id][k] for k in one} == one, agent_id
