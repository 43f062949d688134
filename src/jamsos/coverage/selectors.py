"""Reading coverage: the precomputed rows of the coverage job, scoped to the caller.

Every selector reads only :class:`~jamsos.coverage.models.CoverageArea`,
:class:`~jamsos.coverage.models.CoverageOffice`, :class:`~jamsos.coverage.models.CoverageTarget`
and :class:`~jamsos.coverage.models.PublishedFigure`, plus region names from
:class:`~jamsos.registry.models.Region` of the current edition (and branch offices for their
names and service areas). None touches memberships or invoices: a page costs a handful of
indexed queries whatever the size of the registry. Each docstring says how many.

Who sees what (docs/coverage/api.md):

- administrators and analysts: everything (coverage is aggregates, no personal data);
- branch officers and partner users: the nation and every province (aggregates are not personal
  data), but the lists below a province (its regencies, rankings of regencies and lower) and
  any region below the regency level only within their regencies (``Scope.regency_codes``) or
  their agreement's regions (``Scope.partner_region_codes``, a province or a regency each);
  opening a region outside them is refused (403);
- employer users, workers and users without a role: no coverage at all (403).

Rates are ``Decimal`` fractions with 4 decimals (``Decimal("0.3170")`` is shown 31,7%).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Case, F, FloatField, Max, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Floor

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.coverage.errors import (
    BadChoice,
    BadPeriod,
    LevelTooHigh,
    NoFigures,
    OutsideScope,
    RegionNotFound,
)
from jamsos.coverage.models import (
    ALL,
    CoverageArea,
    CoverageOffice,
    CoverageTarget,
    PublishedFigure,
    TargetLevel,
)
from jamsos.coverage.policy import COVERAGE
from jamsos.legal.periods import Period
from jamsos.membership.models import BranchOffice, Channel, Ecosystem, SegmentChoice
from jamsos.registry.codes import ancestor_codes, looks_like_code, normalise_code
from jamsos.registry.errors import EditionNotFound
from jamsos.registry.models import NATIONAL_CODE, Level, Region
from jamsos.registry.selectors import prefix_q
from jamsos.registry.services.editions import edition_get

SEGMENTS = tuple(choice.value for choice in SegmentChoice)
ECOSYSTEMS = tuple(e.value for e in Ecosystem if e.value != "none")
CHANNELS = tuple(c.value for c in Channel)
RANKINGS = ("unprotected", "rate", "lapsed")
RATE_PLACES = Decimal("0.0001")


# --- rows --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaRow:
    """One region's counts for a month and slice, with its potential and the derived figures.

    ``rate`` = active / potential (4 decimals, ``None`` without a potential); ``unprotected`` =
    max(potential - active, 0). The job writes a row of zeros with its potential for every region
    where nobody is registered; a region without a row for that month (figures from before that
    rule, or a region added since) is a row of zeros with no potential.
    """

    period: str
    level: int
    code: str
    name: str
    parent_code: str
    registered: int
    active: int
    new: int
    lapsed: int
    reactivated: int
    potential: int | None
    potential_kind: str
    potential_estimated: bool
    potential_source: str
    rate: Decimal | None
    unprotected: int | None
    has_children: bool
    segment: str = ""
    ecosystem: str = ""
    channel: str = ""


@dataclass(frozen=True)
class OfficeRow:
    """One branch office's counts for a month and slice (members it serves, wherever they live).

    ``potential`` is the sum of the potentials of the regencies in its service area for the
    same segment (residence-based, so only an indication), ``None`` where none is known;
    ``potential_estimated`` is true when any part is estimated or missing.
    """

    period: str
    office_id: int
    office_code: str
    office_name: str
    regency_codes: tuple[str, ...]
    registered: int
    active: int
    new: int
    lapsed: int
    reactivated: int
    potential: int | None
    potential_estimated: bool
    rate: Decimal | None
    unprotected: int | None
    segment: str = ""
    ecosystem: str = ""


@dataclass(frozen=True)
class PublishedRow:
    """An officially reported figure. ``value`` is a count of persons, or a fraction for the
    ``*_rate`` measures (``0.3568`` for 35,68%)."""

    region_code: str
    region_name: str
    period: str
    segment: str
    measure: str
    value: Decimal
    precision: str
    source: str
    source_url: str
    note: str


@dataclass(frozen=True)
class TargetProgress:
    """A target and how far the computed figures are from it (docs/coverage/targets.md).

    - ``current_period`` / ``current_active``: the latest month with coverage figures and its
      active participants in the target's region (or branch office) and segment;
    - ``gap`` = max(target - current, 0); ``achieved`` = current / target (4 decimals);
    - ``months_left`` = months from the current month to the target month (0 when due or past);
    - ``monthly_needed`` = ceil(gap / months_left), the participants to add each month;
      ``monthly_rate_needed`` = (target / current) ^ (1 / months_left) - 1, the compound monthly
      growth (4 decimals); both ``None`` when no month is left or nothing is active yet;
    - ``trend_per_month`` / ``projected_active``: the least-squares line through the active
      counts of the last ``trend_months`` months (at most 6) extended to the target month
      (``None`` with fewer than 2 months); ``on_track`` = projected >= target (or, when the
      target month has passed, current >= target).
    """

    target_id: int
    level: int
    region_code: str
    branch_office_id: int | None
    branch_office_code: str
    name: str
    segment: str
    baseline_period: str
    target_period: str
    target_active: int
    source: str
    note: str
    baseline_active: int | None
    current_period: str | None
    current_active: int
    gap: int
    achieved: Decimal | None
    months_left: int
    monthly_needed: int | None
    monthly_rate_needed: Decimal | None
    trend_months: int
    trend_per_month: Decimal | None
    projected_active: int | None
    on_track: bool | None


# --- scope -------------------------------------------------------------------------------------


def require_coverage(scope: Scope) -> None:
    """Employer users, workers and users without a role get no coverage pages (403)."""
    COVERAGE.require(scope, "coverage.view")


def allowed_codes(scope: Scope) -> frozenset[str] | None:
    """The region codes below which a restricted caller may drill; ``None`` = everywhere."""
    if COVERAGE.allows(scope, "coverage.nationwide"):
        return None
    if scope.role == Role.BRANCH_OFFICER:
        return frozenset(scope.regency_codes)
    return frozenset(scope.partner_region_codes)


def _inside(code: str, allowed: Iterable[str]) -> bool:
    return any(code == a or code.startswith(a + ".") for a in allowed)


def may_open(scope: Scope, code: str) -> bool:
    """Whether the caller may open ``code``: the nation and provinces always, lower regions
    within their regencies (or partner regions)."""
    allowed = allowed_codes(scope)
    if allowed is None or code == NATIONAL_CODE or "." not in code:
        return True
    return _inside(code, allowed)


def _scope_q(scope: Scope, field: str = "region_code") -> Q | None:
    """A filter keeping rows of regions inside the caller's regencies; ``None`` = no filter."""
    allowed = allowed_codes(scope)
    if allowed is None:
        return None
    q = Q(pk__in=[])
    for code in sorted(allowed):
        q |= Q(**{field: code}) | prefix_q(field, code + ".")
    return q


# --- arguments ---------------------------------------------------------------------------------


def _code(code: str | None) -> str:
    text = (code or NATIONAL_CODE).strip()
    if text in {NATIONAL_CODE, "0", ""}:
        return NATIONAL_CODE
    return normalise_code(text) if looks_like_code(text) else text


def _period(period: str | None, field: str = "period") -> str | None:
    if period is None or not str(period).strip():
        return None
    try:
        return str(Period.parse(str(period)))
    except ValueError:
        raise BadPeriod(field=field, value=period) from None


def _choice(value: str | None, choices: tuple[str, ...], field: str) -> str:
    text = (value or "").strip()
    if field == "segment":
        text = text.upper()
    elif field == "ecosystem" and text == "none":
        text = ""
    if text and text not in choices:
        raise BadChoice(field=field, value=text, choices=", ".join(choices))
    return text


def _region(code: str) -> Region:
    """The region of the current edition (one indexed query); 404 when unknown."""
    try:
        edition = edition_get()
    except EditionNotFound:
        raise RegionNotFound(value=code) from None
    region = Region.objects.filter(edition=edition, code=code).only(
        "code", "name", "level", "edition_id"
    )
    found = region.first()
    if found is None:
        raise RegionNotFound(value=code)
    return found


def _names(codes: Iterable[str], edition_id: int | None = None) -> dict[str, str]:
    """Names of the current edition's regions (one query on the unique (edition, code) index,
    one more to find the current edition when ``edition_id`` is not given)."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    if edition_id is None:
        try:
            edition_id = edition_get().pk
        except EditionNotFound:
            return {}
    out: dict[str, str] = {}
    for start in range(0, len(wanted), 900):  # SQLite's variable limit
        chunk = wanted[start : start + 900]
        out.update(
            Region.objects.filter(edition_id=edition_id, code__in=chunk).values_list("code", "name")
        )
    return out


def _open(scope: Scope, code: str | None) -> Region:
    require_coverage(scope)
    dotted = _code(code)
    region = _region(dotted)
    if not may_open(scope, dotted):
        raise OutsideScope(value=dotted)
    return region


# --- derived figures ---------------------------------------------------------------------------


def rate_of(active: int, potential: int | None) -> Decimal | None:
    """active / potential to 4 decimals (half up); ``None`` without a positive potential."""
    if not potential or potential <= 0:
        return None
    return (Decimal(active) / Decimal(potential)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def unprotected_of(active: int, potential: int | None) -> int | None:
    return None if potential is None else max(potential - active, 0)


_AREA_FIELDS = (
    "period",
    "level",
    "region_code",
    "parent_code",
    "segment",
    "ecosystem",
    "channel",
    "registered",
    "active",
    "new",
    "lapsed",
    "reactivated",
    "potential",
    "potential_kind",
    "potential_estimated",
    "potential_source",
)


def _row(values: dict[str, Any], name: str) -> AreaRow:
    return AreaRow(
        period=values["period"],
        level=values["level"],
        code=values["region_code"],
        name=name,
        parent_code=values["parent_code"],
        registered=values["registered"],
        active=values["active"],
        new=values["new"],
        lapsed=values["lapsed"],
        reactivated=values["reactivated"],
        potential=values["potential"],
        potential_kind=values["potential_kind"],
        potential_estimated=values["potential_estimated"],
        potential_source=values["potential_source"],
        rate=rate_of(values["active"], values["potential"]),
        unprotected=unprotected_of(values["active"], values["potential"]),
        has_children=values["level"] < Level.VILLAGE,
        segment=values["segment"],
        ecosystem=values["ecosystem"],
        channel=values["channel"],
    )


def _parent_of(code: str, level: int) -> str:
    if level == Level.NATIONAL:
        return ""
    if level == Level.PROVINCE:
        return NATIONAL_CODE
    return code.rsplit(".", 1)[0]


def _empty(
    period: str, code: str, name: str, level: int, segment: str, ecosystem: str, channel: str
) -> AreaRow:
    return _row(
        {
            "period": period,
            "level": level,
            "region_code": code,
            "parent_code": _parent_of(code, level),
            "segment": segment,
            "ecosystem": ecosystem,
            "channel": channel,
            "registered": 0,
            "active": 0,
            "new": 0,
            "lapsed": 0,
            "reactivated": 0,
            "potential": None,
            "potential_kind": "",
            "potential_estimated": False,
            "potential_source": "",
        },
        name,
    )


def _slice(
    qs: QuerySet[CoverageArea], segment: str, ecosystem: str, channel: str
) -> QuerySet[CoverageArea]:
    return qs.filter(segment=segment, ecosystem=ecosystem, channel=channel)


# --- periods -----------------------------------------------------------------------------------


def _nation_all() -> QuerySet[CoverageArea]:
    return CoverageArea.objects.filter(
        region_code=NATIONAL_CODE, segment=ALL, ecosystem=ALL, channel=ALL
    )


def coverage_periods() -> list[str]:
    """Months with coverage figures, ascending (one query on the unique key: region, slice,
    month)."""
    return list(_nation_all().order_by("period").values_list("period", flat=True).distinct())


def latest_period() -> str | None:
    """The latest month with coverage figures, ``None`` before the first run (one query)."""
    latest: str | None = _nation_all().aggregate(latest=Max("period"))["latest"]
    return latest


def _period_or_latest(period: str | None) -> str:
    chosen = _period(period) or latest_period()
    if chosen is None:
        raise NoFigures()
    return chosen


# --- areas -------------------------------------------------------------------------------------


def coverage_area(
    scope: Scope,
    *,
    code: str = NATIONAL_CODE,
    period: str | None = None,
    segment: str = "",
    ecosystem: str = "",
    channel: str = "",
) -> AreaRow:
    """One region's row for a month (the latest by default) and slice.

    Queries: the edition, the region, the latest month (when ``period`` is not given) and the
    row itself by its unique key: at most 4.
    """
    region = _open(scope, code)
    segment = _choice(segment, SEGMENTS, "segment")
    ecosystem = _choice(ecosystem, ECOSYSTEMS, "ecosystem")
    channel = _choice(channel, CHANNELS, "channel")
    month = _period_or_latest(period)
    values = (
        _slice(
            CoverageArea.objects.filter(period=month, region_code=region.code),
            segment,
            ecosystem,
            channel,
        )
        .values(*_AREA_FIELDS)
        .first()
    )
    if values is None:
        return _empty(month, region.code, region.name, region.level, segment, ecosystem, channel)
    return _row(values, region.name)


def coverage_children(
    scope: Scope,
    *,
    code: str = NATIONAL_CODE,
    period: str | None = None,
    segment: str = "",
    ecosystem: str = "",
    channel: str = "",
) -> list[AreaRow]:
    """The rows of a region's direct children for a month and slice, ordered by code.

    Every child region of the current edition is listed, with zeros where the job wrote no row
    (nobody registered there). Below a province, a branch officer or partner user gets only the
    children inside their regencies. A village has no children (empty list).

    Queries: the edition, the region, the latest month (when not given), the child regions and
    their coverage rows (level index): at most 6.
    """
    region = _open(scope, code)
    segment = _choice(segment, SEGMENTS, "segment")
    ecosystem = _choice(ecosystem, ECOSYSTEMS, "ecosystem")
    channel = _choice(channel, CHANNELS, "channel")
    month = _period_or_latest(period)
    if region.level >= Level.VILLAGE:
        return []
    if region.code == NATIONAL_CODE:
        kids = Region.objects.filter(edition_id=region.edition_id, level=Level.PROVINCE)
        rows = CoverageArea.objects.filter(period=month, level=Level.PROVINCE)
    else:
        kids = Region.objects.filter(edition_id=region.edition_id, parent_id=region.pk)
        rows = CoverageArea.objects.filter(
            period=month, level=region.level + 1, parent_code=region.code
        )
    restrict = _scope_q(scope, "code") if region.level >= Level.PROVINCE else None
    if restrict is not None:
        kids = kids.filter(restrict)
    children = list(kids.order_by("code").values_list("code", "name", "level"))
    found = {
        v["region_code"]: v for v in _slice(rows, segment, ecosystem, channel).values(*_AREA_FIELDS)
    }
    out = []
    for child_code, name, level in children:
        values = found.get(child_code)
        out.append(
            _row(values, name)
            if values
            else _empty(month, child_code, name, level, segment, ecosystem, channel)
        )
    return out


def coverage_series(
    scope: Scope,
    *,
    code: str = NATIONAL_CODE,
    segment: str = "",
    ecosystem: str = "",
    channel: str = "",
    months: int = 24,
) -> list[AreaRow]:
    """A region's rows for the last ``months`` months with figures, oldest first; a month with
    figures elsewhere but no row here is a row of zeros.

    Queries: the edition, the region, the months with figures and the region's rows (unique
    key, region first): 4.
    """
    region = _open(scope, code)
    segment = _choice(segment, SEGMENTS, "segment")
    ecosystem = _choice(ecosystem, ECOSYSTEMS, "ecosystem")
    channel = _choice(channel, CHANNELS, "channel")
    window = coverage_periods()[-max(1, min(int(months), 240)) :]
    if not window:
        return []
    found = {
        v["period"]: v
        for v in _slice(
            CoverageArea.objects.filter(region_code=region.code, period__gte=window[0]),
            segment,
            ecosystem,
            channel,
        ).values(*_AREA_FIELDS)
    }
    return [
        _row(found[month], region.name)
        if month in found
        else _empty(month, region.code, region.name, region.level, segment, ecosystem, channel)
        for month in window
    ]


def coverage_ranking(
    scope: Scope,
    *,
    code: str = NATIONAL_CODE,
    period: str | None = None,
    level: int = Level.REGENCY,
    by: str = "unprotected",
    segment: str = "",
    ecosystem: str = "",
    limit: int = 20,
    factor: Decimal = Decimal(1),
) -> list[AreaRow]:
    """ "Where to go next": regions of ``level`` inside ``code``, ranked.

    ``factor`` ranks by the potential read under a definition (``coverage.potential``: the
    stored potential times the factor); the rows come back with the stored potential.

    - ``by="unprotected"``: most unprotected workers (potential - active) first;
    - ``by="rate"``: lowest coverage rate first;
    - ``by="lapsed"``: most lapsed memberships (to reactivate) first.

    Regions without a potential are left out of the first two. Ties go by region code. Regions
    where nobody is registered are ranked too (the job writes their zero rows with their
    potential): at 0 % they come first by rate. A branch officer or partner user gets
    only regions inside their regencies when ``level`` is a regency or below.

    Queries: the edition, the region, the latest month (when not given), the ranked rows (level
    index, limited) and their names: at most 5.
    """
    region = _open(scope, code)
    segment = _choice(segment, SEGMENTS, "segment")
    ecosystem = _choice(ecosystem, ECOSYSTEMS, "ecosystem")
    if by not in RANKINGS:
        raise BadChoice(field="by", value=by, choices=", ".join(RANKINGS))
    try:
        level = int(level)
    except (TypeError, ValueError):
        raise LevelTooHigh(value=region.code) from None
    if not region.level < level <= Level.VILLAGE:
        raise LevelTooHigh(value=region.code)
    month = _period_or_latest(period)
    rows = _slice(CoverageArea.objects.filter(period=month, level=level), segment, ecosystem, ALL)
    if region.code != NATIONAL_CODE:
        # Through the level index and the parent code: the rows whose parent is one of the
        # region's regions one level above ``level`` (a prefix scan over the month's villages
        # is 20-50x slower).
        if level == region.level + 1:
            rows = rows.filter(parent_code=region.code)
        else:
            parents = Region.objects.filter(edition_id=region.edition_id, level=level - 1).filter(
                prefix_q("code", region.code + ".")
            )
            rows = rows.filter(parent_code__in=list(parents.values_list("code", flat=True)))
    restrict = _scope_q(scope) if level >= Level.REGENCY else None
    if restrict is not None:
        rows = rows.filter(restrict)
    if by == "unprotected" and factor != 1:
        # Whole persons, as coverage.potential.scale rounds (half up; potentials are >= 0).
        scaled = Floor(Cast("potential", FloatField()) * Value(float(factor)) + Value(0.5))
        rows = (
            rows.filter(potential__isnull=False)
            .annotate(scaled=scaled)
            .annotate(
                gap=Case(
                    When(scaled__gt=F("active"), then=F("scaled") - F("active")),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
            )
            .order_by("-gap", "region_code")
        )
    elif by == "unprotected":
        rows = (
            rows.filter(potential__isnull=False)
            .annotate(
                gap=Case(
                    When(potential__gt=F("active"), then=F("potential") - F("active")),
                    default=Value(0),
                )
            )
            .order_by("-gap", "region_code")
        )
    elif by == "rate":
        rows = (
            rows.filter(potential__gt=0)
            .annotate(share=Cast("active", FloatField()) / Cast("potential", FloatField()))
            .order_by("share", "region_code")
        )
    else:
        rows = rows.order_by("-lapsed", "region_code")
    values = list(rows.values(*_AREA_FIELDS)[: max(1, min(int(limit), 500))])
    names = _names((v["region_code"] for v in values), region.edition_id)
    return [_row(v, names.get(v["region_code"], v["region_code"])) for v in values]


def breadcrumbs(code: str) -> list[tuple[str, str, int]]:
    """``(code, name, level)`` from the nation down to ``code`` (one query for the names)."""
    dotted = _code(code)
    chain = [NATIONAL_CODE]
    if dotted != NATIONAL_CODE:
        chain += [c for c in ancestor_codes(dotted) if c]
        if chain[-1] != dotted:
            chain.append(dotted)
    names = _names(chain)
    return [(c, names.get(c, c), i) for i, c in enumerate(chain)]


def coverage_ecosystems(
    scope: Scope, *, code: str = NATIONAL_CODE, period: str | None = None
) -> list[AreaRow]:
    """One row per ecosystem in a region (all segments and channels), most active first.

    Queries: the edition, the region, the latest month (when not given), the rows: at most 4.
    """
    region = _open(scope, code)
    month = _period_or_latest(period)
    values = (
        CoverageArea.objects.filter(period=month, region_code=region.code, segment=ALL, channel=ALL)
        .exclude(ecosystem=ALL)
        .values(*_AREA_FIELDS)
    )
    rows = [_row(v, region.name) for v in values]
    return sorted(rows, key=lambda r: (-r.active, r.ecosystem))


# --- branch offices ----------------------------------------------------------------------------


def _offices_visible(scope: Scope) -> QuerySet[BranchOffice]:
    offices = BranchOffice.objects.all()
    if scope.role == Role.BRANCH_OFFICER:
        return offices.filter(pk=scope.branch_office_id or 0)
    if scope.role == Role.PARTNER_USER:
        q = Q(pk__in=[])
        for code in sorted(scope.partner_region_codes):
            q |= Q(service_area__code=code) | prefix_q("service_area__code", code + ".")
        return offices.filter(q).distinct()
    return offices


def coverage_offices(
    scope: Scope, *, period: str | None = None, segment: str = "", ecosystem: str = ""
) -> list[OfficeRow]:
    """The branch offices' rows for a month and slice, most active first.

    Administrators and analysts see every office, a branch officer their own, a partner user
    the offices serving their regions. Offices without a row are listed with zeros.

    Queries: the latest month (when not given), the offices, their service areas, their rows and
    the potentials of their regencies: at most 5.
    """
    require_coverage(scope)
    segment = _choice(segment, SEGMENTS, "segment")
    ecosystem = _choice(ecosystem, ECOSYSTEMS, "ecosystem")
    month = _period_or_latest(period)
    offices = list(_offices_visible(scope).order_by("code").values_list("pk", "code", "name"))
    ids = [pk for pk, _c, _n in offices]
    areas: dict[int, list[str]] = defaultdict(list)
    for office_id, regency in BranchOffice.service_area.through.objects.filter(
        branchoffice_id__in=ids
    ).values_list("branchoffice_id", "region__code"):
        areas[office_id].append(regency)
    counts = {
        v["branch_office_id"]: v
        for v in CoverageOffice.objects.filter(
            period=month, branch_office_id__in=ids, segment=segment, ecosystem=ecosystem
        ).values("branch_office_id", "registered", "active", "new", "lapsed", "reactivated")
    }
    potentials: dict[str, tuple[int | None, bool]] = {}
    if not ecosystem and segment in {"", "PU", "BPU"}:
        served = sorted({c for codes in areas.values() for c in codes})
        for code, potential, estimated in CoverageArea.objects.filter(
            period=month,
            level=Level.REGENCY,
            region_code__in=served,
            segment=segment,
            ecosystem=ALL,
            channel=ALL,
        ).values_list("region_code", "potential", "potential_estimated"):
            potentials[code] = (potential, estimated)
    out = []
    for pk, office_code, name in offices:
        regencies = tuple(sorted(areas.get(pk, [])))
        known = [potentials[c] for c in regencies if potentials.get(c, (None,))[0] is not None]
        potential = sum(p or 0 for p, _e in known) if known else None
        estimated = bool(known) and (len(known) < len(regencies) or any(e for _p, e in known))
        c: Mapping[str, Any] = counts.get(pk, {})
        active = c.get("active", 0)
        out.append(
            OfficeRow(
                period=month,
                office_id=pk,
                office_code=office_code,
                office_name=name,
                regency_codes=regencies,
                registered=c.get("registered", 0),
                active=active,
                new=c.get("new", 0),
                lapsed=c.get("lapsed", 0),
                reactivated=c.get("reactivated", 0),
                potential=potential,
                potential_estimated=estimated,
                rate=rate_of(active, potential),
                unprotected=unprotected_of(active, potential),
                segment=segment,
                ecosystem=ecosystem,
            )
        )
    return sorted(out, key=lambda r: (-r.active, r.office_code))


# --- published figures ------------------------------------------------------------------------


def published_figures(*, code: str | None = None) -> list[PublishedRow]:
    """Officially reported figures (public facts, no scope), for one region or all.

    Queries: the figures and the region names: 2 (3 with the edition).
    """
    figures = PublishedFigure.objects.all()
    if code:
        figures = figures.filter(region_code=_code(code))
    rows = list(figures.order_by("region_code", "period", "segment", "measure", "source"))
    names = _names(f.region_code for f in rows)
    return [
        PublishedRow(
            region_code=f.region_code,
            region_name=names.get(f.region_code, f.region_code),
            period=f.period,
            segment=f.segment,
            measure=f.measure,
            value=f.value,
            precision=f.precision,
            source=f.source,
            source_url=f.source_url,
            note=f.note,
        )
        for f in rows
    ]


# --- targets -----------------------------------------------------------------------------------

#: Months of actives the projection's least-squares line goes through.
TREND_MONTHS = 6


def targets_visible(scope: Scope) -> QuerySet[CoverageTarget]:
    """Targets the caller may see: national and provincial ones for every coverage role,
    regency ones inside their regencies, office ones of their own office (branch officer) or of
    the offices serving their regions (partner user)."""
    require_coverage(scope)
    targets = CoverageTarget.objects.select_related("branch_office")
    allowed = allowed_codes(scope)
    if allowed is None:
        return targets
    visible = Q(level__in=[TargetLevel.NATIONAL, TargetLevel.PROVINCE])
    regency_q = _scope_q(scope)
    if regency_q is not None:
        visible |= Q(level=TargetLevel.REGENCY) & regency_q
    offices = _offices_visible(scope).values("pk")
    visible |= Q(level=TargetLevel.BRANCH_OFFICE, branch_office_id__in=offices)
    return targets.filter(visible)


def least_squares(points: list[tuple[int, int]]) -> tuple[Fraction, Fraction] | None:
    """``(slope, intercept)`` of the least-squares line through ``(x, y)``; ``None`` with fewer
    than two distinct x."""
    n = len(points)
    if n < 2:
        return None
    mean_x = Fraction(sum(x for x, _ in points), n)
    mean_y = Fraction(sum(y for _, y in points), n)
    sxx = sum(((x - mean_x) ** 2 for x, _ in points), Fraction(0))
    if sxx == 0:
        return None
    sxy = sum(((x - mean_x) * (y - mean_y) for x, y in points), Fraction(0))
    slope = sxy / sxx
    return slope, mean_y - slope * mean_x


def _round(value: Fraction) -> int:
    """Nearest whole number, halves up."""
    return int((value * 2 + 1) // 2)


def progress_of(
    target: CoverageTarget,
    *,
    series: dict[str, int],
    periods: list[str],
    name: str = "",
) -> TargetProgress:
    """The progress of one target from ``series`` (month -> active) over the months with
    figures ``periods`` (ascending). Pure: no query."""
    current = periods[-1] if periods else None
    current_active = series.get(current, 0) if current else 0
    baseline_active = (
        series.get(target.baseline_period) if target.baseline_period in periods else None
    )
    goal = int(target.target_active)
    gap = max(goal - current_active, 0)
    due = Period.parse(target.target_period)
    months_left = max(due.index - Period.parse(current).index, 0) if current else 0
    monthly_needed = None
    rate_needed = None
    if months_left > 0:
        monthly_needed = -(-gap // months_left)
        if current_active > 0:
            ratio = Decimal(goal) / Decimal(current_active)
            rate_needed = ((ratio.ln() / months_left).exp() - 1).quantize(
                RATE_PLACES, rounding=ROUND_HALF_UP
            )
    recent = [p for p in periods if current is None or p <= current][-TREND_MONTHS:]
    line = least_squares([(Period.parse(p).index, series.get(p, 0)) for p in recent])
    trend = projected = None
    on_track: bool | None = None
    if months_left <= 0 and current is not None:
        on_track = current_active >= goal
    if line is not None:
        slope, intercept = line
        trend = (Decimal(slope.numerator) / Decimal(slope.denominator)).quantize(Decimal("0.01"))
        projected = max(_round(intercept + slope * due.index), 0)
        if months_left > 0:
            on_track = projected >= goal
    return TargetProgress(
        target_id=target.pk,
        level=target.level,
        region_code=target.region_code,
        branch_office_id=target.branch_office_id,
        branch_office_code=target.branch_office.code if target.branch_office is not None else "",
        name=name,
        segment=target.segment,
        baseline_period=target.baseline_period,
        target_period=target.target_period,
        target_active=goal,
        source=target.source,
        note=target.note,
        baseline_active=baseline_active,
        current_period=current,
        current_active=current_active,
        gap=gap,
        achieved=(Decimal(current_active) / Decimal(goal)).quantize(
            RATE_PLACES, rounding=ROUND_HALF_UP
        )
        if goal > 0
        else None,
        months_left=months_left,
        monthly_needed=monthly_needed,
        monthly_rate_needed=rate_needed,
        trend_months=len(recent) if line is not None else 0,
        trend_per_month=trend,
        projected_active=projected,
        on_track=on_track,
    )


def target_progress(
    scope: Scope, *, code: str | None = None, office_id: int | None = None
) -> list[TargetProgress]:
    """Every visible target (of one region or office when asked) with its progress.

    Queries: the months with figures, the targets, the region rows of all their regions at once
    (unique key), the office rows of all their offices at once, and the names: at most 6,
    whatever the number of targets.
    """
    targets = targets_visible(scope)
    if code:
        targets = targets.filter(region_code=_code(code))
    if office_id is not None:
        targets = targets.filter(branch_office_id=office_id)
    chosen = list(
        targets.order_by("level", "region_code", "branch_office__code", "segment", "target_period")
    )
    if not chosen:
        return []
    periods = coverage_periods()
    first_needed = (
        min([t.baseline_period for t in chosen] + periods[-TREND_MONTHS:]) if periods else None
    )
    area: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    office: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    if first_needed:
        codes = sorted({t.region_code for t in chosen if t.region_code})
        if codes:
            for c, seg, p, active in CoverageArea.objects.filter(
                region_code__in=codes,
                ecosystem=ALL,
                channel=ALL,
                period__gte=first_needed,
                segment__in=sorted({t.segment for t in chosen}),
            ).values_list("region_code", "segment", "period", "active"):
                area[(c, seg)][p] = active
        office_ids = sorted({t.branch_office_id for t in chosen if t.branch_office_id})
        if office_ids:
            for o, seg, p, active in CoverageOffice.objects.filter(
                branch_office_id__in=office_ids,
                ecosystem=ALL,
                period__gte=first_needed,
                segment__in=sorted({t.segment for t in chosen}),
            ).values_list("branch_office_id", "segment", "period", "active"):
                office[(o, seg)][p] = active
    names = _names(t.region_code for t in chosen if t.region_code)
    out = []
    for t in chosen:
        if t.branch_office is not None:
            series = office.get((t.branch_office.pk, t.segment), {})
            name = t.branch_office.name
        else:
            series = area.get((t.region_code, t.segment), {})
            name = names.get(t.region_code, t.region_code)
        out.append(progress_of(t, series=series, periods=periods, name=name))
    return out


__all__ = [
    "AreaRow",
    "OfficeRow",
    "PublishedRow",
    "TargetProgress",
    "breadcrumbs",
    "coverage_area",
    "coverage_children",
    "coverage_ecosystems",
    "coverage_offices",
    "coverage_periods",
    "coverage_ranking",
    "coverage_series",
    "latest_period",
    "may_open",
    "progress_of",
    "published_figures",
    "rate_of",
    "target_progress",
]


# --- the demo's opening view -------------------------------------------------------------------


@dataclass(frozen=True)
class DemoFocus:
    """Where a loaded demo population is dense (``membership.DemoPopulation``'s summary): the
    dashboard opens there, with a note saying what the demo covers."""

    code: str
    name: str
    parent_name: str
    people: int
    workers: int


def demo_focus(scope: Scope) -> DemoFocus | None:
    """The demo's dense district when a demo population is loaded and ``scope`` may open it;
    ``None`` otherwise (no demo: the dashboard opens on the nation). Two queries at most."""
    from jamsos.membership.models import DemoPopulation

    row = DemoPopulation.objects.order_by("-built_at").values("workers", "summary").first()
    if row is None:
        return None
    focus: dict[str, Any] = (row["summary"] or {}).get("focus") or {}
    code = str(focus.get("district") or "")
    if not looks_like_code(code) or not may_open(scope, code):
        return None
    region = (
        Region.objects.filter(edition__is_current=True, code=code).select_related("parent").first()
    )
    if region is None:
        return None
    return DemoFocus(
        code=code,
        name=region.name,
        parent_name=region.parent.name if region.parent else "",
        people=int(focus.get("people") or 0),
        workers=int(row["workers"]),
    )
