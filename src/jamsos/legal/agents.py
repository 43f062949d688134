"""The monthly commission of a Perisai agent (rules.md 12.4; ``agent.perisai_commission``).

An agent enrols BPU workers in their community and collects their contributions. For a calendar
month the agent earns:

- *collection*: a share of the contributions collected in the month, by the participant's month
  of membership (month 1 is the month the membership started): the early rate up to
  ``collection_early_months``, the late rate up to ``collection_last_month``, nothing after;
- *acquisition*: a fixed amount per new BPU participant enrolled in the month (more with JHT),
  only when the month has at least ``acquisition_min_new`` new participants;
- *bonus*: a fixed amount in a month with at least ``bonus_min_new`` new participants.

The agent's branch office gets ``office_share`` of the agent's total on top (not taken from it).
Pure: no Django. :func:`agent_commission` is one agent; :func:`agents_commissions` is the same
rule over a frame of many agents (Polars), and gives the same amounts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from jamsos.legal.money import HALF, apply_rate, rate_ppm
from jamsos.legal.params import RATE_SCALE, Parameters, ParamValue, parameters

PARAMETER = "agent.perisai_commission"


@dataclass(frozen=True)
class CommissionTerms:
    """The figures of one dated value of ``agent.perisai_commission``."""

    since: date
    reference: str
    confidence: str
    collection_rate_early: Decimal
    collection_early_months: int | None
    collection_rate_late: Decimal
    collection_last_month: int | None
    acquisition_jkk_jkm_idr: int
    acquisition_with_jht_idr: int
    acquisition_min_new: int | None
    bonus_idr: int
    bonus_min_new: int | None
    office_share: Decimal | None
    paid_by_day: int | None

    @classmethod
    def from_value(cls, value: ParamValue) -> CommissionTerms:
        v: Mapping[str, Any] = value.value
        return cls(
            since=value.since,
            reference=value.reference_text,
            confidence=value.confidence,
            collection_rate_early=Decimal(v["collection_rate_early"]),
            collection_early_months=v["collection_early_months"],
            collection_rate_late=Decimal(v["collection_rate_late"]),
            collection_last_month=v["collection_last_month"],
            acquisition_jkk_jkm_idr=int(v["acquisition_jkk_jkm_idr"] or 0),
            acquisition_with_jht_idr=int(v["acquisition_with_jht_idr"] or 0),
            acquisition_min_new=v["acquisition_min_new"],
            bonus_idr=int(v["bonus_idr"] or 0),
            bonus_min_new=v["bonus_min_new"],
            office_share=None if v["office_share"] is None else Decimal(v["office_share"]),
            paid_by_day=v["paid_by_day"],
        )

    def band(self, participant_month: int) -> str:
        """``early``, ``late`` or ``none``: which collection rate a participant's month gets."""
        if participant_month < 1:
            return "none"
        if (
            self.collection_early_months is None
            or participant_month <= self.collection_early_months
        ):
            return "early"
        if self.collection_last_month is None or participant_month <= self.collection_last_month:
            return "late"
        return "none"


def commission_terms(month_start: date, params: Parameters | None = None) -> CommissionTerms:
    """The terms in force on the month's first day (ParameterNotFound before 2018-12)."""
    return CommissionTerms.from_value((params or parameters()).get(PARAMETER, on=month_start))


@dataclass(frozen=True)
class Collected:
    """Contributions an agent collected for one participant month."""

    amount_idr: int
    participant_month: int


@dataclass(frozen=True)
class AgentCommission:
    new_participants: int
    new_with_jht: int
    collected_early_idr: int
    collected_late_idr: int
    collected_other_idr: int
    collection_idr: int
    acquisition_idr: int
    bonus_idr: int
    total_idr: int
    office_idr: int
    rule: str  # the parameter's date and reference: which rule applied

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _threshold_met(count: int, minimum: int | None) -> bool:
    return minimum is not None and count >= minimum


def agent_commission(
    *,
    new_with_jht: Iterable[bool],
    collections: Iterable[Collected],
    terms: CommissionTerms,
) -> AgentCommission:
    """One agent's commission for one month.

    ``new_with_jht``: one item per new BPU participant the agent enrolled in the month, true
    when the participant joined JHT. ``collections``: what the agent collected in the month.
    """
    flags = list(new_with_jht)
    new = len(flags)
    with_jht = sum(1 for f in flags if f)
    bands = {"early": 0, "late": 0, "none": 0}
    for item in collections:
        if item.amount_idr < 0:
            raise ValueError("a collected amount cannot be negative")
        bands[terms.band(item.participant_month)] += item.amount_idr
    collection = apply_rate(bands["early"], terms.collection_rate_early) + apply_rate(
        bands["late"], terms.collection_rate_late
    )
    acquisition = 0
    if terms.acquisition_min_new is not None and new >= terms.acquisition_min_new:
        acquisition = (
            with_jht * terms.acquisition_with_jht_idr
            + (new - with_jht) * terms.acquisition_jkk_jkm_idr
        )
    bonus = terms.bonus_idr if _threshold_met(new, terms.bonus_min_new) else 0
    total = collection + acquisition + bonus
    office = apply_rate(total, terms.office_share) if terms.office_share is not None else 0
    return AgentCommission(
        new_participants=new,
        new_with_jht=with_jht,
        collected_early_idr=bands["early"],
        collected_late_idr=bands["late"],
        collected_other_idr=bands["none"],
        collection_idr=collection,
        acquisition_idr=acquisition,
        bonus_idr=bonus,
        total_idr=total,
        office_idr=office,
        rule=f"{terms.since.isoformat()} {terms.reference}",
    )


def _share(column: pl.Expr, rate: Decimal | None) -> pl.Expr:
    if rate is None:
        return pl.lit(0, dtype=pl.Int64)
    return (column * rate_ppm(rate) + HALF) // RATE_SCALE


def agents_commissions(
    enrolled: pl.DataFrame, collected: pl.DataFrame, *, terms: CommissionTerms
) -> pl.DataFrame:
    """Every agent's commission for one month, set-based.

    ``enrolled``: one row per new participant (``agent_id``, ``with_jht`` boolean);
    ``collected``: one row per collection (``agent_id``, ``amount_idr``, ``participant_month``).
    Returns one row per agent found in either, with the columns of :class:`AgentCommission`
    (``rule`` aside), sorted by ``agent_id``.
    """
    early_limit = terms.collection_early_months
    late_limit = terms.collection_last_month
    month = pl.col("participant_month")
    early = (month >= 1) & (pl.lit(True) if early_limit is None else month <= early_limit)
    late = (month >= 1) & ~early & (pl.lit(True) if late_limit is None else month <= late_limit)
    amount = pl.col("amount_idr").cast(pl.Int64)
    coll = (
        collected.lazy()
        .group_by("agent_id")
        .agg(
            pl.when(early).then(amount).otherwise(0).sum().alias("collected_early_idr"),
            pl.when(late).then(amount).otherwise(0).sum().alias("collected_late_idr"),
            pl.when(~early & ~late).then(amount).otherwise(0).sum().alias("collected_other_idr"),
        )
    )
    new = (
        enrolled.lazy()
        .group_by("agent_id")
        .agg(
            pl.len().cast(pl.Int64).alias("new_participants"),
            pl.col("with_jht").cast(pl.Int64).sum().alias("new_with_jht"),
        )
    )
    joined = new.join(coll, on="agent_id", how="full", coalesce=True).with_columns(
        pl.col(c).fill_null(0).cast(pl.Int64)
        for c in (
            "new_participants",
            "new_with_jht",
            "collected_early_idr",
            "collected_late_idr",
            "collected_other_idr",
        )
    )
    n = pl.col("new_participants")
    acquisition_on = (
        pl.lit(False) if terms.acquisition_min_new is None else n >= terms.acquisition_min_new
    )
    bonus_on = pl.lit(False) if terms.bonus_min_new is None else n >= terms.bonus_min_new
    out = (
        joined.with_columns(
            (
                _share(pl.col("collected_early_idr"), terms.collection_rate_early)
                + _share(pl.col("collected_late_idr"), terms.collection_rate_late)
            ).alias("collection_idr"),
            pl.when(acquisition_on)
            .then(
                pl.col("new_with_jht") * terms.acquisition_with_jht_idr
                + (n - pl.col("new_with_jht")) * terms.acquisition_jkk_jkm_idr
            )
            .otherwise(0)
            .cast(pl.Int64)
            .alias("acquisition_idr"),
            pl.when(bonus_on).then(terms.bonus_idr).otherwise(0).cast(pl.Int64).alias("bonus_idr"),
        )
        .with_columns(
            (pl.col("collection_idr") + pl.col("acquisition_idr") + pl.col("bonus_idr")).alias(
                "total_idr"
            )
        )
        .with_columns(_share(pl.col("total_idr"), terms.office_share).alias("office_idr"))
    )
    return out.sort("agent_id").collect()


__all__ = [
    "PARAMETER",
    "AgentCommission",
    "Collected",
    "CommissionTerms",
    "agent_commission",
    "agents_commissions",
    "commission_terms",
]
