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
