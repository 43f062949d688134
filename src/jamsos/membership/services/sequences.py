"""Serial numbers for NPP and KPJ, handed out from ``IdentifierSequence`` rows under a lock."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from jamsos.membership.identifiers import kpj_make, npp_make
from jamsos.membership.models import IdentifierSequence


@transaction.atomic
def serials_reserve(*, name: str, count: int = 1) -> range:
    """Reserve ``count`` consecutive serials of series ``name``; serials start at 1.

    The row is locked (``SELECT ... FOR UPDATE`` where supported) until the transaction ends, so
    two registrations never get the same number; numbers are never reused, even when the
    transaction that took them is later undone by a rebuild.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    IdentifierSequence.objects.get_or_create(name=name)
    sequence = IdentifierSequence.objects.select_for_update().get(name=name)
    first = sequence.last_value + 1
    IdentifierSequence.objects.filter(pk=sequence.pk).update(last_value=F("last_value") + count)
    return range(first, first + count)


def npp_next(*, province_code: str) -> str:
    return npp_make(
        province_code=province_code, serial=serials_reserve(name=f"npp:{province_code}")[0]
    )


def kpj_next(*, year: int) -> str:
    return kpj_make(year=year, serial=serials_reserve(name=f"kpj:{year}")[0])


def serials_next(*, prefix: str) -> dict[str, int]:
    """The next free serial of every series named ``prefix…`` (``kpj:`` → ``{"2024": 17}``),
    the rows locked until the transaction ends: for a writer that hands out many serials itself
    (the demo population) and stores the last ones with :func:`serials_advance`."""
    rows = IdentifierSequence.objects.select_for_update().filter(name__startswith=prefix)
    return {row.name.removeprefix(prefix): row.last_value + 1 for row in rows}


def serials_advance(*, last_values: dict[str, int]) -> None:
    """Move each named series to at least its last value given (``{"kpj:2024": 99}``), creating
    the series that do not exist; a series already further is left as it is."""
    current = dict(
        IdentifierSequence.objects.filter(name__in=last_values).values_list("name", "last_value")
    )
    IdentifierSequence.objects.bulk_create(
        [
            IdentifierSequence(name=name, last_value=value)
            for name, value in last_values.items()
            if name not in current
        ]
    )
    for name, value in last_values.items():
        if name in current and current[name] < value:
            IdentifierSequence.objects.filter(name=name).update(last_value=value)
