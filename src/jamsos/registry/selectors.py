"""Reading regions and workforce figures. Every function reads the current edition by default.

Prefix matching uses an index on both engines: ``LIKE 'x%'`` on PostgreSQL (the indexes use the
``varchar_pattern_ops`` opclass, so this holds whatever the database collation), and a range
``>= 'x' AND < 'y'`` on SQLite, whose default ``LIKE`` is case-insensitive and cannot use an
ordinary index.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet

from jamsos.registry.codes import (
    QUERY_PREFIXES,
    ancestor_codes,
    fold,
    looks_like_code,
    normalise_code,
)
from jamsos.registry.errors import RegionNotFound
from jamsos.registry.models import (
    NATIONAL_CODE,
    Kind,
    Level,
    Region,
    RegionEdition,
    WorkforceFigure,
)
from jamsos.registry.services.editions import edition_get

EditionRef = RegionEdition | str | None
_SCOPE_COLUMN = {
    Level.PROVINCE: "province_code",
    Level.REGENCY: "regency_code",
    Level.DISTRICT: "district_code",
}
_ORDER = ("level", "search_name", "code")


def _edition(edition: EditionRef) -> RegionEdition:
    return edition if isinstance(edition, RegionEdition) else edition_get(edition)


def prefix_q(field: str, prefix: str) -> Q:
    """``field`` starts with ``prefix``, in a form the engine answers from an index."""
    if connection.vendor == "sqlite" and prefix:
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})
    return Q(**{f"{field}__startswith": prefix})


def region_get(code: str, *, edition: EditionRef = None) -> Region:
    """The region with that code (dotted or not); raises ``RegionNotFound``."""
    target = _edition(edition)
    dotted = normalise_code(code) if looks_like_code(code) else code
    region = Region.objects.filter(edition=target, code=dotted).select_related("edition").first()
    if region is None:
        raise RegionNotFound(code=code, edition=None if edition is None else target.name)
    return region


def region_path(code: str, *, edition: EditionRef = None) -> list[Region]:
    """The region and its ancestors, province first (``[Jawa Barat, Kabupaten Bandung, …]``)."""
    region = region_get(code, edition=edition)
    return _paths([region])[region.pk]


def region_children(code: str, *, edition: EditionRef = None) -> list[Region]:
    """Direct children ordered by code. The nation's children are the provinces."""
    region = region_get(code, edition=edition)
    if region.code == NATIONAL_CODE:
        query = Region.objects.filter(edition_id=region.edition_id, level=Level.PROVINCE)
    else:
        query = Region.objects.filter(parent=region)
    return list(query.order_by("code"))


def region_descendant_counts(region: Region) -> dict[str, int]:
    """How many regions of each lower level lie inside ``region`` (one grouped query)."""
    query = Region.objects.filter(edition_id=region.edition_id, level__gt=region.level)
    column = _SCOPE_COLUMN.get(Level(region.level))
    if column:
        query = query.filter(**{column: region.code})
    counts = dict(query.values_list("level").annotate(n=Count("pk")).values_list("level", "n"))
    return {Level(level).label: counts.get(level, 0) for level in Level if level > region.level}


def region_count_by_level(*, edition: EditionRef = None) -> dict[str, int]:
    target = _edition(edition)
    counts = dict(
        Region.objects.filter(edition=target)
        .values_list("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    return {Level(level).label: counts.get(level, 0) for level in Level}


def edition_list() -> list[dict[str, Any]]:
    """Every edition with its region counts per level, current first."""
    editions = list(RegionEdition.objects.order_by("-is_current", "-loaded_at"))
    grouped = Region.objects.values_list("edition_id", "level").annotate(n=Count("pk")).order_by()
    counts: dict[int, dict[str, int]] = {e.pk: {lv.label: 0 for lv in Level} for e in editions}
    for edition_id, level, n in grouped:
        counts[edition_id][Level(level).label] = n
    return [{"edition": e, "counts": counts[e.pk]} for e in editions]


def _parse_query(text: str) -> list[tuple[str, Q]]:
    """Search variants: ``kota bandung`` → ("bandung", kind=kota) and ("kota bandung", any)."""
    folded = fold(text)
    for prefix, restriction in QUERY_PREFIXES:
        if folded.startswith(prefix) and len(folded) > len(prefix):
            limit = Q(kind=restriction) if isinstance(restriction, Kind) else Q(level=restriction)
            return [(folded[len(prefix) :], limit), (folded, Q())]
    return [(folded, Q())] if folded else []


def region_list(
    *,
    q: str | None = None,
    level: Level | int | None = None,
    parent: str | None = None,
    edition: EditionRef = None,
) -> QuerySet[Region]:
    """Regions matching a name (prefix of the name or of a word in it) or a code prefix.

    Ordered larger regions first, then by name. For autocomplete use ``region_search``.
    """
    target = _edition(edition)
    query = Region.objects.filter(edition=target)
    if level is not None:
        query = query.filter(level=level)
    if parent:
        parent_region = region_get(parent, edition=target)
        if parent_region.code == NATIONAL_CODE:
            query = query.filter(level=Level.PROVINCE)
        else:
            query = query.filter(parent=parent_region)
    if q:
        if looks_like_code(q):
            return query.filter(prefix_q("code", normalise_code(q))).order_by("code")
        condition = Q(pk__in=[])
        for text, restriction in _parse_query(q):
            name_match = prefix_q("search_name", text) | Q(search_name__contains=f" {text}")
            condition |= name_match & restriction
        query = query.filter(condition)
    return query.order_by(*_ORDER)


def region_search(
    text: str,
    level: Level | int | None = None,
    limit: int = 20,
    *,
    edition: EditionRef = None,
) -> list[Region]:
    """Autocomplete: regions whose name (or code) starts with ``text``, larger regions first.

    Two indexed steps: name prefix (``bandung`` → Kabupaten Bandung, Kota Bandung, Bandung Barat,
    …), then, if fewer than ``limit`` were found, names with a word starting with ``text``
    (``Bojong Bandung``). Each result has ``path_names``: province → … → the region.
    """
    target = _edition(edition)
    base = Region.objects.filter(edition=target)
    if level is not None:
        base = base.filter(level=level)
    if looks_like_code(text):
        by_code = list(base.filter(prefix_q("code", normalise_code(text))).order_by("code")[:limit])
        return _with_paths(by_code)
    variants = _parse_query(text)
    if not variants:
        return []
    prefix = Q(pk__in=[])
    for query_text, restriction in variants:
        prefix |= prefix_q("search_name", query_text) & restriction
    hits: list[Region] = []
    levels = [level] if level is not None else [lv for lv in Level if lv != Level.NATIONAL]
    for current in levels:
        # One indexed range per level, in level order: stops as soon as the limit is reached
        # instead of sorting every match of a one-letter prefix.
        step = base.filter(prefix, level=current).order_by("search_name", "code")
        hits.extend(step[: limit - len(hits)])
        if len(hits) >= limit:
            break
    if len(hits) < limit and len(variants[0][0]) >= 3:
        words = Q(pk__in=[])
        for query_text, restriction in variants:
            words |= Q(search_name__contains=f" {query_text}") & restriction
        found = [h.pk for h in hits]
        more = base.filter(words).exclude(pk__in=found).order_by(*_ORDER)[: limit - len(hits)]
        hits.extend(more)
    return _with_paths(hits)


def _paths(regions: Iterable[Region]) -> dict[int, list[Region]]:
    """Each region's ancestors and itself, province first, with one query for all of them."""
    regions = list(regions)
    wanted = {c for r in regions for c in ancestor_codes(r.code) if c and c != r.code}
    by_edition: dict[tuple[int, str], Region] = {}
    editions = {r.edition_id for r in regions}
    if wanted:
        for ancestor in Region.objects.filter(edition_id__in=editions, code__in=wanted):
            by_edition[(ancestor.edition_id, ancestor.code)] = ancestor
    paths: dict[int, list[Region]] = {}
    for region in regions:
        chain = [
            by_edition[(region.edition_id, c)]
            for c in ancestor_codes(region.code)
            if c and c != region.code and (region.edition_id, c) in by_edition
        ]
        paths[region.pk] = [*chain, region]
    return paths


def _with_paths(regions: list[Region]) -> list[Region]:
    paths = _paths(regions)
    for region in regions:
        region.path_names = [r.name for r in paths[region.pk]]  # type: ignore[attr-defined]
    return regions


def region_list_with_paths(regions: Iterable[Region]) -> list[Region]:
    """Attach ``path_names`` (province → … → region) to each region, in one query."""
    return _with_paths(list(regions))


def workforce_for(region: Region, period: str, kind: str) -> WorkforceFigure | None:
    """The figure of record for a region, period and kind (published, derived or estimated).

    Read ``source``, ``confidence``, ``estimated`` and ``method`` before showing the number.
    """
    return WorkforceFigure.objects.filter(region=region, period=period, kind=kind).first()


def workforce_list(
    region: Region, *, period: str | None = None, kind: str | None = None
) -> QuerySet[WorkforceFigure]:
    query = WorkforceFigure.objects.filter(region=region)
    if period:
        query = query.filter(period=period)
    if kind:
        query = query.filter(kind=kind)
    return query.order_by("-period", "kind")
