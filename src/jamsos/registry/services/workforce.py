"""Workforce figures (Sakernas): import published numbers, estimate the missing ones.

Import formats (``workforce_import`` detects which):

- *Sakernas wide*, as ``sakernas_2024_08_province.csv``: one row per region and period, count
  columns ``working_age_pop, labour_force, employed, formal_employed, informal_employed``, share
  columns ``formal_pct, informal_pct``, and ``value_precision, derived_fields, notes,
  source_urls``. The region column is ``province_code`` or ``region_code``; a file without one
  (``sakernas_national.csv``) holds national rows.
- *Long*: ``region_code, period, kind, count`` with optional ``source, confidence, estimated,
  method, source_urls``, for any level (e.g. a regency table typed from a BPS publication).

Estimates (``workforce_estimate``) apportion a known parent figure to the children that lack one
by their share of the registered population (Dukcapil). See docs/registry/regions.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict, TypeVar

from django.db import transaction

from jamsos.legal.periods import Period
from jamsos.registry.codes import normalise_code
from jamsos.registry.errors import ImportFileInvalid, PopulationMissing
from jamsos.registry.models import (
    NATIONAL_CODE,
    Confidence,
    Level,
    Region,
    RegionPopulation,
    WorkforceFigure,
    WorkforceKind,
)
from jamsos.registry.services._csv import read_csv_rows
from jamsos.registry.services._sync import SyncResult, sync_rows
from jamsos.registry.services.editions import edition_get

WIDE_COLUMNS = {
    "working_age_pop": WorkforceKind.WORKING_AGE,
    "labour_force": WorkforceKind.LABOUR_FORCE,
    "employed": WorkforceKind.EMPLOYED,
    "formal_employed": WorkforceKind.FORMAL_EMPLOYED,
    "informal_employed": WorkforceKind.INFORMAL_EMPLOYED,
}
LONG_COLUMNS = ("region_code", "period", "kind", "count")
ESTIMATE_SOURCE = "Jamsos estimate: apportioned from the parent figure (see method)"
MONTHS_ID = (
    *("Januari", "Februari", "Maret", "April", "Mei", "Juni"),
    *("Juli", "Agustus", "September", "Oktober", "November", "Desember"),
)


@dataclass
class WorkforceImportResult:
    path: str
    format: str
    rows: int
    sync: SyncResult
    figures: int = 0
    derived: int = 0
    unknown_codes: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"{self.rows} rows ({self.format}) → {self.figures} figures "
            f"({self.derived} not published as such): {self.sync.summary()}"
        )
        if self.unknown_codes:
            text += f"; unknown codes: {', '.join(self.unknown_codes[:20])}"
        if self.invalid:
            text += f"; {len(self.invalid)} invalid: " + "; ".join(self.invalid[:10])
        return text


def sakernas_source(period: str) -> str:
    p = Period.parse(period)
    return f"BPS, Sakernas {MONTHS_ID[p.month - 1]} {p.year}"


def workforce_import(
    *, path: Path, edition: str | None = None, source: str | None = None
) -> WorkforceImportResult:
    """Upsert the figures of a workforce CSV; a published figure replaces an estimate."""
    target = edition_get(edition)
    header = read_csv_rows(path, ())
    columns = set(header[0]) if header else set()
    if set(LONG_COLUMNS) <= columns:
        fmt, figures, problems = "long", *_long_figures(header, source)
    elif "period" in columns and columns & set(WIDE_COLUMNS):
        fmt, figures, problems = "sakernas", *_wide_figures(header, source)
    else:
        raise ImportFileInvalid(
            path=str(path),
            reason="neither the long format (region_code,period,kind,count) nor the Sakernas "
            "wide format (period + working_age_pop/labour_force/employed/... columns)",
        )
    codes = {code for code, _, _ in figures}
    ids = dict(Region.objects.filter(edition=target, code__in=codes).values_list("code", "pk"))
    result = WorkforceImportResult(
        path=str(path), format=fmt, rows=len(header), sync=SyncResult(), invalid=problems
    )
    desired: dict[Hashable, dict[str, Any]] = {}
    for code, (period, kind), values in figures:
        if code not in ids:
            if code not in result.unknown_codes:
                result.unknown_codes.append(code)
            continue
        desired[(ids[code], period, kind)] = values
        result.derived += bool(values["estimated"])
    result.figures = len(desired)
    periods = {period for _, (period, _), _ in figures}
    with transaction.atomic():
        result.sync = sync_rows(
            WorkforceFigure.objects.filter(region__edition=target, period__in=periods),
            key_fields=["region_id", "period", "kind"],
            desired=desired,
        )
    return result


_Figure = tuple[str, tuple[str, str], dict[str, Any]]


def _wide_figures(
    rows: list[dict[str, str]], source: str | None
) -> tuple[list[_Figure], list[str]]:
    figures: list[_Figure] = []
    problems: list[str] = []
    for line, row in enumerate(rows, start=2):
        raw_code = row.get("province_code") or row.get("region_code") or NATIONAL_CODE
        code = normalise_code(raw_code)
        try:
            period = str(Period.parse(row.get("period", "")).first_day)[:7]
        except ValueError:
            problems.append(f"line {line}: period {row.get('period')!r} is not YYYY-MM")
            continue
        derived_fields = {f.strip() for f in row.get("derived_fields", "").split(";") if f.strip()}
        precision = row.get("value_precision", "")
        common = {
            "source": (source or sakernas_source(period))[:300],
            "source_urls": row.get("source_urls", ""),
        }
        counts: dict[str, int] = {}
        for column, kind in WIDE_COLUMNS.items():
            value = row.get(column, "")
            if not value:
                continue
            try:
                count = int(value)
            except ValueError:
                problems.append(f"line {line} ({code}): {column} {value!r} is not a whole number")
                continue
            counts[kind] = count
            if column in derived_fields:
                note = row.get("notes") or "computed by the data compiler from published figures"
                method = f"derived in the source file: {note}"
                values = _figure(count, Confidence.MEDIUM, True, method)
            else:
                approximate = any(mark in precision for mark in ("±", "~", "about"))
                confidence = Confidence.MEDIUM if approximate else Confidence.HIGH
                values = _figure(count, confidence, False, f"published ({precision or 'as is'})")
            figures.append((code, (period, kind), {**common, **values}))
        for kind, values in _derive_formal_split(row, counts):
            figures.append((code, (period, kind), {**common, **values}))
    return figures, problems


def _derive_formal_split(
    row: Mapping[str, str], counts: Mapping[str, int]
) -> Iterable[tuple[WorkforceKind, dict[str, Any]]]:
    """Formal and informal counts where only one of them, or only the shares, were published.

    BPS defines informal as every status that is not formal, so formal + informal = employed.
    """
    employed = counts.get(WorkforceKind.EMPLOYED)
    formal = counts.get(WorkforceKind.FORMAL_EMPLOYED)
    informal = counts.get(WorkforceKind.INFORMAL_EMPLOYED)
    if employed is None or (formal is not None and informal is not None):
        return
    formal_kind, informal_kind = WorkforceKind.FORMAL_EMPLOYED, WorkforceKind.INFORMAL_EMPLOYED
    if formal is not None:
        if formal <= employed:
            method = "employed − formal_employed (both published)"
            yield informal_kind, _figure(employed - formal, Confidence.MEDIUM, True, method)
        return
    if informal is not None:
        if informal <= employed:
            method = "employed − informal_employed (both published)"
            yield formal_kind, _figure(employed - informal, Confidence.MEDIUM, True, method)
        return
    share = _float_or_none(row.get("formal_pct"))
    if share is None and (informal_share := _float_or_none(row.get("informal_pct"))) is not None:
        share = 100 - informal_share
    if share is None or not 0 <= share <= 100:
        return
    derived = round(employed * share / 100)
    method = f"employed × published formal share {share:g} %"
    yield formal_kind, _figure(derived, Confidence.MEDIUM, True, method)
    yield (
        informal_kind,
        _figure(employed - derived, Confidence.MEDIUM, True, f"employed − ({method})"),
    )


def _long_figures(
    rows: list[dict[str, str]], source: str | None
) -> tuple[list[_Figure], list[str]]:
    figures: list[_Figure] = []
    problems: list[str] = []
    kinds = set(WorkforceKind.values)
    confidences = set(Confidence.values)
    for line, row in enumerate(rows, start=2):
        code = normalise_code(row["region_code"]) if row.get("region_code") else ""
        kind, confidence = row.get("kind", ""), row.get("confidence") or Confidence.HIGH
        try:
            period = str(Period.parse(row.get("period", "")).first_day)[:7]
            count = int(row.get("count", ""))
        except ValueError:
            problems.append(f"line {line}: period must be YYYY-MM and count a whole number")
            continue
        if not code or kind not in kinds or confidence not in confidences or count < 0:
            problems.append(f"line {line}: bad region_code, kind, confidence or count")
            continue
        estimated = row.get("estimated", "").lower() in {"1", "true", "yes"}
        values = _figure(count, Confidence(confidence), estimated, row.get("method", ""))
        values["source"] = (row.get("source") or source or sakernas_source(period))[:300]
        values["source_urls"] = row.get("source_urls", "")
        figures.append((code, (period, kind), values))
    return figures, problems


def _figure(count: int, confidence: Confidence, estimated: bool, method: str) -> dict[str, Any]:
    return {
        "count": count,
        "confidence": confidence.value,
        "estimated": estimated,
        "method": method,
    }


def _float_or_none(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


# --- estimates ---------------------------------------------------------------------------------


_K = TypeVar("_K", bound=Hashable)


class _RegionRow(TypedDict):
    pk: int
    code: str
    level: int
    province_code: str


def apportion(total: int, weights: Mapping[_K, int]) -> dict[_K, int]:
    """Split ``total`` in proportion to ``weights`` into whole numbers that add up to ``total``.

    Largest-remainder method (Hamilton): everyone gets the floor of their exact share, and the
    units left over go to the largest fractional parts (ties by key order).
    """
    weight_sum = sum(weights.values())
    if total < 0 or weight_sum <= 0 or any(w < 0 for w in weights.values()):
        raise ValueError("total must be >= 0 and weights non-negative with a positive sum")
    shares = {key: divmod(total * w, weight_sum) for key, w in weights.items()}
    result = {key: q for key, (q, _) in shares.items()}
    left = total - sum(result.values())
    by_remainder = sorted(shares, key=lambda k: (-shares[k][1], str(k)))
    for key in by_remainder[:left]:
        result[key] += 1
    return result


@dataclass
class EstimateResult:
    period: str
    population_period: str
    provinces: int = 0
    regencies: int = 0
    sync: SyncResult = field(default_factory=SyncResult)
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"{self.period}: {self.provinces} province and {self.regencies} regency estimates "
            f"(population {self.population_period}): {self.sync.summary()}"
        )
        if self.skipped:
            text += "; skipped: " + "; ".join(self.skipped)
        return text


# Formal and informal are split by the children's employed figures (published or estimated), so
# that a province's formal + informal stays close to its employed; the other kinds by population.
_WEIGHT_BY_EMPLOYED = {WorkforceKind.FORMAL_EMPLOYED, WorkforceKind.INFORMAL_EMPLOYED}


@transaction.atomic
def workforce_estimate(
    *,
    period: str,
    edition: str | None = None,
    kinds: Iterable[str] | None = None,
    population_period: str | None = None,
) -> EstimateResult:
    """Fill the province and regency figures that were not published, by apportionment.

    Province: (national − sum of the provinces with a figure) split over the provinces without
    one in proportion to their registered population (Dukcapil), or to their employed figure for
    formal/informal employed. Regency: the same from the province figure. Districts and villages
    get no estimate (no population data at those levels). Every estimate is ``estimated=True``,
    confidence low, with its arithmetic in ``method``. Re-running replaces the previous estimates
    of the period and changes nothing if the inputs did not change.
    """
    Period.parse(period)
    target = edition_get(edition)
    wanted = [k for k in WorkforceKind.values if kinds is None or k in set(kinds)]
    regions = list(
        Region.objects.filter(
            edition=target, level__in=[Level.NATIONAL, Level.PROVINCE, Level.REGENCY]
        ).values("pk", "code", "level", "province_code")
    )
    populations = RegionPopulation.objects.filter(region__edition=target)
    pop_period = population_period or (
        populations.order_by("-period").values_list("period", flat=True).first()
    )
    if not pop_period:
        raise PopulationMissing(edition=target.name)
    population = dict(populations.filter(period=pop_period).values_list("region_id", "total"))
    national = next((r for r in regions if r["code"] == NATIONAL_CODE), None)
    provinces = [r for r in regions if r["level"] == Level.PROVINCE]
    regencies_of: dict[str, list[_RegionRow]] = defaultdict(list)
    for r in regions:
        if r["level"] == Level.REGENCY:
            regencies_of[r["province_code"]].append(r)
    known: dict[tuple[int, str], tuple[int, bool]] = {
        (region_id, kind): (count, estimated)
        for region_id, kind, count, estimated in WorkforceFigure.objects.filter(
            region__edition=target, period=period
        )
        .exclude(source=ESTIMATE_SOURCE)
        .values_list("region_id", "kind", "count", "estimated")
    }
    result = EstimateResult(period=period, population_period=pop_period)
    desired: dict[tuple[int, str, str], dict[str, Any]] = {}

    def value(pk: int, kind: str) -> int | None:
        if (pk, kind) in known:
            return known[(pk, kind)][0]
        estimate = desired.get((pk, period, kind))
        return None if estimate is None else int(estimate["count"])

    def origin(pk: int, kind: str) -> str:
        if (pk, kind) in known:
            return "derived" if known[(pk, kind)][1] else "published"
        return "estimated"

    def spread(children: list[_RegionRow], parent: _RegionRow, kind: str) -> int:
        total = value(parent["pk"], kind)
        missing = [c for c in children if (c["pk"], kind) not in known]
        if total is None or not missing:
            return 0
        have = [c for c in children if (c["pk"], kind) in known]
        remainder = total - sum(known[(c["pk"], kind)][0] for c in have)
        employed = {c["pk"]: value(c["pk"], WorkforceKind.EMPLOYED) for c in missing}
        if kind in _WEIGHT_BY_EMPLOYED and all(v is not None for v in employed.values()):
            weights = {pk: v or 0 for pk, v in employed.items()}
            basis = "the employed figures"
        else:
            weights = {c["pk"]: population.get(c["pk"], 0) for c in missing}
            basis = f"the registered population ({pop_period})"
        name = "national" if parent["code"] == NATIONAL_CODE else f"province {parent['code']}"
        if remainder < 0 or sum(weights.values()) <= 0:
            result.skipped.append(f"{kind} under {name}: remainder {remainder:,}, no weights")
            return 0
        head = f"{name} {kind} {total:,} ({origin(parent['pk'], kind)})"
        if have:
            known_sum = total - remainder
            head += f" − {len(have)} with a figure of record ({known_sum:,}) = {remainder:,}"
        method = f"{head}, split over the {len(missing)} without one in proportion to {basis}"
        for pk, count in apportion(remainder, weights).items():
            desired[(pk, period, kind)] = {
                "count": count,
                "source": ESTIMATE_SOURCE,
                "source_urls": "",
                "confidence": Confidence.LOW.value,
                "estimated": True,
                "method": method,
            }
        return len(missing)

    for kind in wanted:
        if national is None or value(national["pk"], kind) is None:
            result.skipped.append(f"{kind}: no national figure for {period}")
        else:
            result.provinces += spread(provinces, national, kind)
        for province in provinces:
            result.regencies += spread(regencies_of[province["code"]], province, kind)
    result.sync = sync_rows(
        WorkforceFigure.objects.filter(
            region__edition=target, period=period, kind__in=wanted, source=ESTIMATE_SOURCE
        ),
        key_fields=["region_id", "period", "kind"],
        desired=desired,
        delete_missing=True,
    )
    return result
