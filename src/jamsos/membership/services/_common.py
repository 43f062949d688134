"""Checks shared by the membership services."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import TextChoices

from jamsos.membership.bounds import rupiah_text
from jamsos.membership.errors import AmountNotPositive, InvalidChoice, OutOfRange, WrongRegionLevel
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
