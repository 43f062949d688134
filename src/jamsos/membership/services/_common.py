"""Checks shared by the membership services."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import TextChoices

from jamsos.legal.minimum_wage import absurd_floor
from jamsos.membership.bounds import WAGE_MAX_IDR, rupiah_text
from jamsos.membership.errors import (
    AmountNotPositive,
    InvalidChoice,
    OutOfRange,
    WageTooLow,
    WrongRegionLevel,
)
from jamsos.registry.models import Level, Region

LEVEL_KEYS = {Level.VILLAGE: "village", Level.REGENCY: "regency", Level.DISTRICT: "district"}


def require_positive(value: int | None, *, field: str) -> int:
    if value is None or isinstance(value, bool) or int(value) != value or value <= 0:
        raise AmountNotPositive(field=field, value=value)
    return int(value)


def require_amount(value: int | None, *, field: str, maximum: int) -> int:
    """A whole-rupiah amount from Rp 1 to ``maximum`` (:mod:`jamsos.membership.bounds`)."""
    amount = require_positive(value, field=field)
    if amount > maximum:
        raise OutOfRange(
            field=field, value=rupiah_text(amount), minimum="Rp 1", maximum=rupiah_text(maximum)
        )
    return amount


def require_wage(value: int | None, *, on: date, field: str = "wage") -> int:
    """A PU monthly wage: whole rupiah, at least the floor in force on ``on``
    (legal/parameters/minimum_wage/absurd_floor.yaml), at most :data:`WAGE_MAX_IDR`. A wage under
    the regional minimum is accepted here and flagged where it is shown (docs/registry/wages.md).
    """
    amount = require_amount(value, field=field, maximum=WAGE_MAX_IDR)
    floor = absurd_floor(on)
    if amount < floor:
        raise WageTooLow(field=field, value=rupiah_text(amount), minimum=rupiah_text(floor))
    return amount


def require_choice(value: object, choices: type[TextChoices], *, field: str) -> str:
    text = str(getattr(value, "value", value)) if value is not None else ""
    if text not in choices.values:
        raise InvalidChoice(field=field, value=text, choices=", ".join(choices.values))
    return text


def require_level(region: Region, level: Level, *, field: str) -> Region:
    if region.level != level:
        raise WrongRegionLevel(field=field, region=str(region), level=LEVEL_KEYS[level])
    return region


def require_levels(regions: Iterable[Region], level: Level, *, field: str) -> list[Region]:
    return [require_level(region, level, field=field) for region in regions]
