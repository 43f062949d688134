"""Coverage pages under ``/cakupan/`` (docs/coverage/dashboard.md).

The dashboard (nation down to a village), "where to go next", the branch office and the
ecosystem views, and their exports. Every figure comes from :mod:`jamsos.coverage.selectors`
with the caller's scope (precomputed rows only: no page scans the registry). Views shape plain
rows, numbers already formatted the reader's way (1.234.567; 31,7%); templates only print them.
The pages are readable without scripts: headline figures, tiles and tables are rendered on the
server, and the map and charts (Plotly, served from the installed package) are added on top.

Query parameters (Indonesian, like the page addresses): ``wilayah`` (region code, ``00`` the
nation), ``periode`` (YYYY-MM), ``segmen``, ``ekosistem``, ``kanal``, ``urut`` (table order),
``tingkat`` (ranking level), ``format`` (``csv`` or ``xlsx``) and ``tabel`` (which table).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache, wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_POST

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.core.charts import (
    PLOTLY_BUNDLES,
    PLOTLY_VERSION,
    allows_plotly_styles,
    plotly_bundle_path,
)
from jamsos.core.exports import CSV_TYPE, XLSX_TYPE, Cell, Sheet, write_csv, write_xlsx
from jamsos.core.formatting import current_language, format_number
from jamsos.coverage import potential as potential_defs
from jamsos.coverage import selectors
from jamsos.coverage.errors import CoverageError
from jamsos.coverage.policy import COVERAGE
from jamsos.coverage.published_text import published_text
from jamsos.coverage.selectors import may_open, require_coverage
from jamsos.coverage.services.build import coverage_build_enqueue
from jamsos.coverage.shapes import simplified_text
from jamsos.membership.models import Channel, Ecosystem
from jamsos.membership.views.display import CHANNEL_LABELS, ECOSYSTEM_LABELS, period_text
from jamsos.registry.models import NATIONAL_CODE, RegionBoundary
from jamsos.registry.selectors import region_children
from jamsos.registry.services.editions import edition_get
from jamsos.web.common import not_found, scope_of, signed_in

View = TypeVar("View", bound=Callable[..., HttpResponse])

#: Roles that read coverage figures (aggregates only; branch officers and partner users
#: within their regions below the province, as the selectors enforce).

SEGMENTS = ("PU", "BPU", "JAKON", "PMI")
ECOSYSTEMS = tuple(e.value for e in Ecosystem if e != Ecosystem.NONE)
CHANNELS = tuple(c.value for c in Channel)
#: Rankings of "where to go next".
RANKINGS = ("unprotected", "rate", "lapsed")
#: Orders of the children table; a leading "-" reverses the default direction.
SORTS = ("name", "registered", "active", "rate", "unprotected", "lapsed", "new")
#: The default direction of each order: the most urgent first (most unprotected, lowest rate).
DESCENDING = frozenset({"registered", "active", "unprotected", "lapsed", "new"})
RANKING_LIMIT = 20
DASHBOARD_RANKING_LIMIT = 5
SERIES_MONTHS = 24
#: Coverage-rate bands of the tiles and the map legend (percent, lower bounds).
RATE_BANDS = (0, 10, 20, 30, 40, 60)

SEGMENT_LABELS = {
    "PU": gettext_lazy("PU (wage earners)"),
    "BPU": gettext_lazy("BPU (self-employed and informal)"),
    "JAKON": gettext_lazy("Jakon (construction)"),
    "PMI": gettext_lazy("PMI (migrant workers)"),
}
LEVEL_LABELS = {
    0: gettext_lazy("Nation"),
    1: gettext_lazy("Province"),
    2: gettext_lazy("Regency or city"),
    3: gettext_lazy("District"),
    4: gettext_lazy("Village"),
}
CHILD_LEVEL_LABELS = {
    0: gettext_lazy("Provinces"),
    1: gettext_lazy("Regencies and cities"),
    2: gettext_lazy("Districts"),
    3: gettext_lazy("Villages"),
}
POTENTIAL_KIND_LABELS = {
    "employed": gettext_lazy("employed workers"),
    "formal_employed": gettext_lazy("formal employed workers"),
    "informal_employed": gettext_lazy("informal employed workers"),
}
#: What the potential counts under a definition other than BPS employed persons.
DEFINITION_KIND_LABELS = {
    "agency": gettext_lazy("workers eligible for protection"),
    "working_age": gettext_lazy("people of working age"),
}
CONFIDENCE_LABELS = {
    "high": gettext_lazy("high"),
    "medium": gettext_lazy("medium"),
    "low": gettext_lazy("low"),
}
RANKING_LABELS = {
    "unprotected": gettext_lazy("Most unprotected workers"),
    "rate": gettext_lazy("Lowest coverage rate"),
    "lapsed": gettext_lazy("Most lapsed members to reactivate"),
}

_CODE = re.compile(r"^(00|\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?)$")
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def level_of(code: str) -> int:
    """0 nation, 1 province, 2 regency, 3 district, 4 village, from the dotted code."""
    if code == NATIONAL_CODE:
        return 0
    return code.count(".") + 1


# --- numbers ------------------------------------------------------------------------------------


def num(value: int | None) -> str:
    """``1.234.567`` (id) or ``1,234,567`` (en); a dash when there is no figure."""
    return "–" if value is None else format_number(int(value))


def pct(rate: Decimal | float | None) -> str:
    """A rate (``0.317``) as a percentage with one decimal: ``31,7%`` (id), ``31.7%`` (en);
    two decimals under 1% (``0,05%``), so that small rates do not all read ``0,0%``."""
    if rate is None:
        return "–"
    percent = Decimal(str(rate)) * 100
    places = Decimal("0.01") if abs(percent) < 1 and percent != 0 else Decimal("0.1")
    percent = percent.quantize(places, rounding=ROUND_HALF_UP)
    whole, _dot, fraction = f"{abs(percent)}".partition(".")
    mark = "," if current_language() == "id" else "."
    return ("-" if percent < 0 else "") + format_number(int(whole)) + mark + fraction + "%"


def rate_float(rate: Decimal | None) -> float | None:
    return None if rate is None else float(Decimal(str(rate)) * 100)


def rate_band(rate: Decimal | None) -> str:
    """The tile colour class of a rate: ``band-none`` or ``band-0`` … ``band-5``."""
    if rate is None:
        return "band-none"
    percent = Decimal(str(rate)) * 100
    band = 0
    for index, floor in enumerate(RATE_BANDS):
        if percent >= floor:
            band = index
    return f"band-{band}"


# --- filters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the reader asked for, checked; ``errors`` says what was set aside and why."""

    code: str = NATIONAL_CODE
    period: str | None = None
    segment: str = ""
    ecosystem: str = ""
    channel: str = ""
    sort: str = ""
    errors: tuple[str, ...] = ()
    potential: str = field(default_factory=lambda: potential_defs.default_key())

    @property
    def level(self) -> int:
        return level_of(self.code)

    def params(self, **changes: Any) -> dict[str, str]:
        values = {
            "wilayah": self.code,
            "periode": self.period or "",
            "segmen": self.segment,
            "ekosistem": self.ecosystem,
            "kanal": self.channel,
            "urut": self.sort,
            "potensi": "" if self.potential == potential_defs.default_key() else self.potential,
        }
        values.update({k: "" if v is None else str(v) for k, v in changes.items()})
        if values.get("wilayah") == NATIONAL_CODE:
            values["wilayah"] = ""
        return {k: v for k, v in values.items() if v}

    def query(self, **changes: Any) -> str:
        params = self.params(**changes)
        return "?" + urlencode(params) if params else ""

    def slice_kwargs(self) -> dict[str, str]:
        return {"segment": self.segment, "ecosystem": self.ecosystem, "channel": self.channel}

    def describe(self) -> dict[str, str]:
        return {k: v for k, v in self.params().items() if k != "urut"}


def _text(request: HttpRequest, name: str) -> str:
    return (request.GET.get(name) or "").strip()


def filters_from(
    request: HttpRequest, *, periods: Sequence[str], opening: str = NATIONAL_CODE
) -> Filters:
    """Read and check the page's parameters. A bad value is set aside with a message naming
    the field and the reason, and the page shows the default instead (nothing is guessed).
    Without a region the page opens on ``opening`` (the nation unless a demo is loaded)."""
    errors: list[str] = []
    code = _text(request, "wilayah") or opening
    if not _CODE.match(code):
        errors.append(
            _(
                "Region (wilayah): “%(value)s” is not a region code such as 32.04.05; "
                "showing the nation."
            )
            % {"value": code[:20]}
        )
        code = NATIONAL_CODE
    latest = periods[-1] if periods else None
    period = _text(request, "periode") or latest
    if period and period not in periods:
        if _PERIOD.match(period):
            reason = _("Month (periode): there are no coverage figures for %(value)s")
        else:
            reason = _("Month (periode): “%(value)s” is not a month written YYYY-MM")
        errors.append(
            (reason % {"value": period[:20]})
            + "; "
            + (_("showing %(latest)s.") % {"latest": period_text(latest)} if latest else ".")
        )
        period = latest
    segment = _text(request, "segmen").upper()
    if segment and segment not in SEGMENTS:
        errors.append(
            _(
                "Segment (segmen): “%(value)s” is not one of PU, BPU, JAKON, PMI; "
                "showing all segments."
            )
            % {"value": segment[:20]}
        )
        segment = ""
    ecosystem = _text(request, "ekosistem").lower()
    if ecosystem in {"none", "-"}:
        ecosystem = ""
    if ecosystem and ecosystem not in ECOSYSTEMS:
        errors.append(
            _("Ecosystem (ekosistem): “%(value)s” is not a known ecosystem; showing all.")
            % {"value": ecosystem[:20]}
        )
        ecosystem = ""
    channel = _text(request, "kanal").lower()
    if channel and channel not in CHANNELS:
        errors.append(
            _("Channel (kanal): “%(value)s” is not a known channel; showing all channels.")
            % {"value": channel[:20]}
        )
        channel = ""
    if channel and (segment or ecosystem):
        errors.append(
            _(
                "Channel (kanal): figures by channel are kept for all segments and ecosystems "
                "together; the segment and ecosystem filters are set aside."
            )
        )
        segment = ecosystem = ""
    if ecosystem and segment and segment != "BPU":
        errors.append(
            _(
                "Ecosystem (ekosistem): ecosystems are kept for BPU members only; the ecosystem "
                "filter is set aside for %(segment)s."
            )
            % {"segment": segment}
        )
        ecosystem = ""
    sort = _text(request, "urut").lower()
    if sort.lstrip("-") not in SORTS:
        sort = ""
    definition = _text(request, "potensi").lower() or potential_defs.default_key()
    if definition not in potential_defs.definitions():
        errors.append(
            _(
                "Potential (potensi): “%(value)s” is not one of %(choices)s; showing the "
                "agency's potential."
            )
            % {"value": definition[:20], "choices": ", ".join(potential_defs.definitions())}
        )
        definition = potential_defs.default_key()
    return Filters(
        code=code,
        period=period,
        segment=segment,
        ecosystem=ecosystem,
        channel=channel,
        sort=sort,
        errors=tuple(errors),
        potential=definition,
    )


# --- access -------------------------------------------------------------------------------------


def _coverage_view(view: View) -> View:
    """Signed in and a coverage role (the 403 page otherwise); a region outside the caller's
    area is the 403 page saying so, and a region that does not exist the 404 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = scope_of(request)
        require_coverage(scope)
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return not_found(request)
        # A refusal (403, 404) reaches signed_in, which shows the site's page for it.

    return signed_in(wrapper)  # type: ignore[return-value]


# --- rows shown on pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """An area row as the page prints it, with the raw values kept for sorting and charts."""

    code: str
    name: str
    level: int
    url: str | None
    registered: str
    active: str
    new: str
    lapsed: str
    reactivated: str
    potential: str
    potential_estimated: bool
    potential_source: str
    potential_kind: str
    rate: str
    unprotected: str
    band: str
    raw: Any = field(repr=False, compare=False)


def row_of(area: Any, *, url: str | None = None, definition: str | None = None) -> Row:
    return Row(
        code=area.code,
        name=area.name,
        level=area.level,
        url=url,
        registered=num(area.registered),
        active=num(area.active),
        new=num(area.new),
        lapsed=num(area.lapsed),
        reactivated=num(area.reactivated),
        potential=num(area.potential),
        potential_estimated=bool(area.potential_estimated),
        potential_source=source_text(area.potential_source or ""),
        potential_kind=kind_label(area.potential_kind, definition),
        rate=pct(area.rate),
        unprotected=num(area.unprotected),
        band=rate_band(area.rate),
        raw=area,
    )


def kind_label(kind: str, definition: str | None = None) -> str:
    """What the potential counts, in words: "employed workers", or under the agency's
    definition "workers eligible for protection" (with the segment's base for PU and BPU)."""
    key = definition or potential_defs.default_key()
    base = DEFINITION_KIND_LABELS.get(key)
    if base is None or not kind:
        return str(POTENTIAL_KIND_LABELS.get(kind, kind))
    if kind == "employed":
        return str(base)
    return f"{base} ({POTENTIAL_KIND_LABELS.get(kind, kind)})"


def _reader(filters: Filters) -> Callable[[Any], Any]:
    """Reads a selector row under the page's potential definition (``potensi``)."""
    return lambda row: potential_defs.apply(row, filters.potential)


def _ranking(scope: Scope, filters: Filters, *, level: int, by: str, limit: int) -> list[Any]:
    """``coverage_ranking`` ordered and read under the page's potential definition."""
    ranked = selectors.coverage_ranking(
        scope,
        code=filters.code,
        period=filters.period,
        level=level,
        by=by,
        segment=filters.segment,
        ecosystem=filters.ecosystem,
        limit=limit,
        factor=potential_defs.factor_of(filters.potential, filters.period),
    )
    return [potential_defs.apply(a, filters.potential) for a in ranked]


def _potential_context(filters: Filters) -> dict[str, Any]:
    """The definition the page reads potentials by, its dated factor and source, and the
    alternatives (links that keep the rest of the page's filters)."""
    language = current_language()
    chosen = potential_defs.definition(filters.potential)
    value = chosen.value_for(filters.period)
    return {
        "key": chosen.key,
        "label": chosen.text("label", language),
        "includes": chosen.text("includes", language),
        "excludes": chosen.text("excludes", language),
        "definition_source": chosen.definition_source,
        "confidence": str(CONFIDENCE_LABELS.get(chosen.confidence, chosen.confidence)),
        "factor": str(value.factor).replace(".", "," if language.startswith("id") else "."),
        "as_of": period_text(value.as_of),
        "how": value.how.get(language[:2], value.how["en"]),
        "source": value.source,
        "value_confidence": str(CONFIDENCE_LABELS.get(value.confidence, value.confidence)),
        "is_default": chosen.key == potential_defs.default_key(),
        "choices": [
            {
                "key": d.key,
                "label": d.text("label", language),
                "current": d.key == chosen.key,
                "query": filters.query(potensi=d.key),
            }
            for d in potential_defs.definitions().values()
        ],
    }


def _sort_key(name: str) -> Callable[[Any], Any]:
    def key(area: Any) -> Any:
        if name == "name":
            return (0, area.name)
        value = getattr(area, name)
        # Rows without a figure (no potential) go last whatever the direction.
        return (1, 0) if value is None else (0, value)

    return key


def sort_areas(areas: list[Any], sort: str) -> list[Any]:
    if not sort:
        return areas
    name = sort.lstrip("-")
    descending = (name in DESCENDING) != sort.startswith("-")
    with_value = [a for a in areas if name == "name" or getattr(a, name) is not None]
    without = [a for a in areas if name != "name" and getattr(a, name) is None]
    with_value.sort(key=_sort_key(name), reverse=descending)
    return with_value + without


def rank_children(children: list[Any], by: str) -> list[Any]:
    """The children in the order of :func:`jamsos.coverage.selectors.coverage_ranking` (same
    rules: most unprotected first or lowest rate first among those with a potential, most
    lapsed first; ties by code; regions nobody is registered in are ranked by the potential
    the job wrote for them; the selector's placeholder rows, without one, are not)."""
    rows = [c for c in children if c.potential is not None or c.registered]
    if by == "unprotected":
        rows = [c for c in rows if c.potential is not None]
        return sorted(rows, key=lambda c: (-(c.unprotected or 0), c.code))
    if by == "rate":
        rows = [c for c in rows if c.potential]
        return sorted(rows, key=lambda c: (Fraction(c.active, c.potential), c.code))
    return sorted(rows, key=lambda c: (-c.lapsed, c.code))


def _dashboard_url(filters: Filters, **changes: Any) -> str:
    return reverse("coverage:dashboard") + filters.query(**changes)


def _breadcrumbs(filters: Filters, url_name: str = "coverage:dashboard") -> list[dict[str, Any]]:
    crumbs = []
    for code, name, level in selectors.breadcrumbs(filters.code):
        crumbs.append(
            {
                "code": code,
                "name": name,
                "level": str(LEVEL_LABELS.get(level, "")),
                "url": reverse(url_name) + filters.query(wilayah=code, urut=""),
                "current": code == filters.code,
            }
        )
    return crumbs


def _choice_lists(filters: Filters, periods: Sequence[str]) -> dict[str, Any]:
    return {
        "period_choices": [(p, period_text(p)) for p in reversed(periods)],
        "segment_choices": [(s, str(SEGMENT_LABELS[s])) for s in SEGMENTS],
        "ecosystem_choices": [(e, str(ECOSYSTEM_LABELS.get(e, e))) for e in ECOSYSTEMS],
        "channel_choices": [(c, str(CHANNEL_LABELS.get(c, c))) for c in CHANNELS],
    }


def slice_text(filters: Filters) -> str:
    """The slice in words: "all participants", "BPU · Market (pasar)", …"""
    parts = []
    if filters.segment:
        parts.append(str(SEGMENT_LABELS[filters.segment]))
    if filters.ecosystem:
        parts.append(str(ECOSYSTEM_LABELS.get(filters.ecosystem, filters.ecosystem)))
    if filters.channel:
        parts.append(str(CHANNEL_LABELS.get(filters.channel, filters.channel)))
    return " · ".join(parts) if parts else _("all participants")


def source_text(source: str) -> str:
    """A potential's source in the page's language: the estimate phrases the job and the
    workforce estimates write in English (their stored form) are translated."""
    from jamsos.coverage.services.build import APPORTION_METHOD, WEIGHTED_METHOD
    from jamsos.registry.services.workforce import ESTIMATE_SOURCE

    return (
        source.replace(ESTIMATE_SOURCE, str(ESTIMATE_SOURCE_TEXT))
        .replace(APPORTION_METHOD, str(APPORTION_METHOD_TEXT))
        .replace(WEIGHTED_METHOD, str(WEIGHTED_METHOD_TEXT))
    )


#: The stored English phrases of estimated potentials, as translatable texts.
ESTIMATE_SOURCE_TEXT = gettext_lazy(
    "Jamsos estimate: apportioned from the parent figure (see method)"
)
APPORTION_METHOD_TEXT = gettext_lazy("equal share of the regency estimate")
WEIGHTED_METHOD_TEXT = gettext_lazy("share of the regency estimate by village type")


def published_rows(code: str) -> list[dict[str, Any]]:
    """Officially reported figures of a region, as printed beside the computed ones."""
    rows = []
    for figure in selectors.published_figures(code=code):
        if "rate" in figure.measure:
            rate = Decimal(figure.value)
            text = pct(rate / 100 if rate > 1 else rate)
        else:
            text = num(int(figure.value))
        rows.append(
            {
                "measure": str(
                    MEASURE_LABELS.get(figure.measure, figure.measure.replace("_", " "))
                ),
                "segment": figure.segment,
                "period": period_text(figure.period),
                "value": text,
                "precision": published_text(figure.precision),
                "source": published_text(figure.source),
                "source_url": figure.source_url,
                "note": figure.note,
            }
        )
    return rows


MEASURE_LABELS: dict[str, Any] = {
    "active_participants": gettext_lazy("Active participants"),
    "inactive_participants": gettext_lazy("Inactive participants"),
    "registered_participants": gettext_lazy("Registered participants"),
    "coverage_rate": gettext_lazy("Coverage rate"),
    "accumulated_participants": gettext_lazy("Participants ever registered"),
    "target_active": gettext_lazy("Target: active participants"),
    "target_coverage_rate": gettext_lazy("Target: coverage rate"),
    "unprotected_vulnerable": gettext_lazy("Vulnerable workers not protected"),
    "potential_workforce": gettext_lazy("Potential workforce (the agency's definition)"),
}


def target_rows(progress: Iterable[selectors.TargetProgress]) -> list[dict[str, Any]]:
    """Targets as printed: target, progress, gap, monthly growth needed, projection."""
    rows = []
    for t in progress:
        rows.append(
            {
                "where": t.name or t.branch_office_code or t.region_code,
                "segment": t.segment,
                "target": num(t.target_active),
                "target_period": period_text(t.target_period),
                "baseline_period": period_text(t.baseline_period),
                "current": num(t.current_active),
                "current_period": period_text(t.current_period) if t.current_period else "",
                "progress": pct(t.achieved),
                "gap": num(t.gap),
                "needed": num(t.monthly_needed),
                "needed_rate": pct(t.monthly_rate_needed),
                "projected": num(t.projected_active),
                "on_track": t.on_track,
                "months_left": t.months_left,
                "source": t.source,
                "raw": t,
            }
        )
    return rows


# --- exports ------------------------------------------------------------------------------------

AREA_COLUMNS = (
    "period",
    "level",
    "code",
    "name",
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
    "coverage_rate",
    "unprotected",
)


def area_records(areas: Iterable[Any]) -> list[list[Any]]:
    return [
        [
            a.period,
            a.level,
            a.code,
            a.name,
            a.parent_code,
            a.segment,
            a.ecosystem,
            a.channel,
            a.registered,
            a.active,
            a.new,
            a.lapsed,
            a.reactivated,
            a.potential,
            a.potential_kind,
            bool(a.potential_estimated),
            a.potential_source,
            None if a.rate is None else Decimal(str(a.rate)),
            a.unprotected,
        ]
        for a in areas
    ]


def export_response(
    scope: Scope,
    *,
    fmt: str,
    name: str,
    header: Sequence[str],
    records: Sequence[Sequence[Any]],
    detail: dict[str, Any],
    percent_columns: Iterable[str] = ("coverage_rate",),
) -> HttpResponse:
    """A table as CSV (UTF-8, comma separated, raw numbers, rates as fractions) or XLSX
    (numbers as numbers, rates as percentages), audited as an export."""
    audit_record(
        scope,
        AuditAction.EXPORT,
        target_type="coverage.table",
        target_id=name[:100],
        label=f"coverage {name}",
        detail={**detail, "format": fmt, "rows": len(records)},
    )
    if fmt == "csv":
        response = HttpResponse(write_csv(records, header), content_type=CSV_TYPE)
    else:
        percent = set(percent_columns)
        percent_at = {i for i, title in enumerate(header) if title in percent}
        rows = (
            [
                Cell(value, number_format="0.0%")
                if index in percent_at and value is not None
                else value
                for index, value in enumerate(record)
            ]
            for record in records
        )
        response = HttpResponse(write_xlsx(Sheet("cakupan", header, rows)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def _format(request: HttpRequest) -> str | None:
    fmt = _text(request, "format").lower()
    return fmt if fmt in {"csv", "xlsx"} else None


def _file_name(*parts: str) -> str:
    return "-".join(re.sub(r"[^0-9A-Za-z._-]", "", p) for p in parts if p)


def _bad_export(message: str) -> HttpResponse:
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


# --- the dashboard ------------------------------------------------------------------------------


def _no_figures(request: HttpRequest) -> HttpResponse:
    return render(request, "coverage/empty.html", {"can_build": _can_build(request)})


def _can_build(request: HttpRequest) -> bool:
    return COVERAGE.allows(scope_of(request), "coverage.build")


def _series_data(series: list[Any], targets: list[dict[str, Any]], filters: Filters) -> dict:
    data: dict[str, Any] = {
        "periods": [a.period for a in series],
        "labels": [period_text(a.period) for a in series],
        "active": [a.active for a in series],
        "registered": [a.registered for a in series],
        "potential": [a.potential for a in series],
        "target": None,
        "projection": None,
        "names": {
            "active": _("Active"),
            "registered": _("Registered"),
            "target": _("Path to the target"),
            "projection": _("Projection from the recent trend"),
            "potential": _("Potential"),
        },
    }
    for item in targets:
        t = item["raw"]
        if t.segment != filters.segment or filters.ecosystem or filters.channel:
            continue
        xs, ys = [t.target_period], [t.target_active]
        if t.baseline_active is not None:
            xs, ys = [t.baseline_period, *xs], [t.baseline_active, *ys]
        elif series:
            xs, ys = [series[-1].period, *xs], [series[-1].active, *ys]
        data["target"] = {"x": xs, "y": ys, "label": item["target"]}
        if t.projected_active is not None and t.current_period:
            data["projection"] = {
                "x": [t.current_period, t.target_period],
                "y": [t.current_active, t.projected_active],
            }
        break
    return data


def _child_url(scope: Scope, filters: Filters, area: Any) -> str | None:
    if not may_open(scope, area.code):
        return None
    return _dashboard_url(filters, wilayah=area.code, urut="")


def _sort_links(filters: Filters) -> dict[str, dict[str, str]]:
    links = {}
    for name in SORTS:
        current = filters.sort.lstrip("-") == name
        reverse_next = current and not filters.sort.startswith("-")
        links[name] = {
            "url": _dashboard_url(filters, urut=("-" if reverse_next else "") + name)
            + "#anak-wilayah",
            "current": "desc"
            if current and (name in DESCENDING) != filters.sort.startswith("-")
            else ("asc" if current else ""),
        }
    return links


@allows_plotly_styles
@require_GET
@_coverage_view
def dashboard(request: HttpRequest) -> HttpResponse:
    """A region's coverage: headline figures, map of its children, series, table, priorities."""
    scope = scope_of(request)
    periods = selectors.coverage_periods()
    if not periods:
        return _no_figures(request)
    # Opened bare (from the menu) with a demo loaded: on the demo's dense district. Every link
    # of the page carries its month, so the nation stays one click away.
    focus = None if request.GET else selectors.demo_focus(scope)
    filters = filters_from(request, periods=periods, opening=focus.code if focus else NATIONAL_CODE)
    kwargs = filters.slice_kwargs()
    fmt = _format(request)
    table = _text(request, "tabel") or "children"
    if fmt:
        return _dashboard_export(request, scope, filters, fmt=fmt, table=table)
    read = _reader(filters)
    area = read(selectors.coverage_area(scope, code=filters.code, period=filters.period, **kwargs))
    children = (
        [
            read(c)
            for c in selectors.coverage_children(
                scope, code=filters.code, period=filters.period, **kwargs
            )
        ]
        if filters.level < 4
        else []
    )
    series = [
        read(a)
        for a in selectors.coverage_series(scope, code=filters.code, months=SERIES_MONTHS, **kwargs)
    ]
    rows = [
        row_of(c, url=_child_url(scope, filters, c), definition=filters.potential)
        for c in sort_areas(children, filters.sort)
    ]
    targets = target_rows(
        selectors.target_progress(scope, code=filters.code) if filters.level <= 2 else []
    )
    ranking_level = min(max(filters.level + 1, 2), 4)
    rankings = []
    if filters.level < 4 and not filters.channel:
        for by in RANKINGS:
            if ranking_level == filters.level + 1:
                # The regions ranked are the children already read: rank them here rather
                # than read the level again.
                ranked = rank_children(children, by)[:DASHBOARD_RANKING_LIMIT]
            else:
                ranked = _ranking(
                    scope,
                    filters,
                    level=ranking_level,
                    by=by,
                    limit=DASHBOARD_RANKING_LIMIT,
                )
            rankings.append(
                {
                    "by": by,
                    "title": str(RANKING_LABELS[by]),
                    "rows": [
                        row_of(a, url=_child_url(scope, filters, a), definition=filters.potential)
                        for a in ranked
                    ],
                }
            )
    child_level = filters.level + 1
    # The map is drawn where the children have boundaries (provinces, regencies): that page
    # loads the map bundle; the others the smaller one with bars.
    map_drawn = child_level <= 2 and _has_boundaries([c.code for c in children])
    bundle = "geo" if map_drawn else "basic"
    context = {
        "filters": filters,
        "area": row_of(area, definition=filters.potential),
        "potential": _potential_context(filters),
        "level_label": LEVEL_LABELS[filters.level],
        "child_level_label": CHILD_LEVEL_LABELS.get(filters.level, ""),
        "slice_text": slice_text(filters),
        "period_label": period_text(filters.period or ""),
        "crumbs": _breadcrumbs(filters),
        "rows": rows,
        "tiles": sorted(rows, key=lambda r: r.name),
        "sort_links": _sort_links(filters),
        "series_rows": [row_of(a, definition=filters.potential) for a in reversed(series)],
        "series_data": _series_data(series, targets, filters),
        "map_possible": map_drawn,
        "plotly_traces": ",".join(PLOTLY_BUNDLES[bundle]),
        "map_url": reverse("coverage:map-data") + filters.query(urut=""),
        "bar_data": {
            "names": [r.name for r in sorted(rows, key=lambda r: rate_float(r.raw.rate) or -1)],
            "rates": [
                rate_float(r.raw.rate)
                for r in sorted(rows, key=lambda r: rate_float(r.raw.rate) or -1)
            ],
            "texts": [r.rate for r in sorted(rows, key=lambda r: rate_float(r.raw.rate) or -1)],
            "title": _("Coverage rate (%)"),
        },
        "rankings": rankings,
        "ranking_level_label": LEVEL_LABELS[ranking_level],
        "priorities_url": reverse("coverage:priorities")
        + filters.query(urut="", kanal="", tingkat=ranking_level),
        "published": published_rows(filters.code),
        "targets": targets,
        "export": {
            "csv": _dashboard_url(filters, format="csv"),
            "xlsx": _dashboard_url(filters, format="xlsx"),
            "series_csv": _dashboard_url(filters, format="csv", tabel="series", urut=""),
            "series_xlsx": _dashboard_url(filters, format="xlsx", tabel="series", urut=""),
        },
        "offices_url": reverse("coverage:offices") + filters.query(wilayah="", kanal="", urut=""),
        "ecosystems_url": reverse("coverage:ecosystems")
        + filters.query(segmen="", ekosistem="", kanal="", urut=""),
        "rate_bands": _rate_legend(),
        "is_village": filters.level == 4,
        "estimated_below_regency": filters.level >= 2,
        "plotly_url": plotly_url(bundle),
        "base_map_url": reverse("coverage:base-map", args=["world_110m"]).rsplit("/", 1)[0] + "/",
        "can_build": _can_build(request),
        "demo_focus": _demo_note(focus, filters) if focus else None,
        **_choice_lists(filters, periods),
    }
    return render(request, "coverage/dashboard.html", context)


def _demo_note(focus: selectors.DemoFocus, filters: Filters) -> dict[str, Any]:
    """What the demo covers, shown where the dashboard opened on the demo's dense district."""
    spread = max(focus.workers - focus.people, 0)
    return {
        "text": _(
            "Demo data: %(workers)s made-up workers. %(people)s of them live in %(name)s "
            "(%(parent)s), dense enough to read like a real district; the other %(spread)s are "
            "spread over all of Indonesia in proportion to the published participants, so "
            "rates elsewhere read close to 0 %%."
        )
        % {
            "workers": num(focus.workers),
            "people": num(focus.people),
            "name": focus.name,
            "parent": focus.parent_name,
            "spread": num(spread),
        },
        "nation_url": _dashboard_url(filters, wilayah=NATIONAL_CODE, urut=""),
    }


@require_POST
@_coverage_view
def build_start(request: HttpRequest) -> HttpResponse:
    """Queue a coverage build for the task worker and show its job page: the months ``dari`` ..
    ``sampai`` (YYYY-MM), or, with neither, the months whose billing, payments or memberships
    changed since the last build. A refusal goes back to the dashboard with its message."""
    scope = scope_of(request)
    COVERAGE.require(scope, "coverage.build")
    first = (request.POST.get("dari") or "").strip()
    last = (request.POST.get("sampai") or "").strip()
    try:
        run = coverage_build_enqueue(first or None, last or None, by=scope, since_last=not first)
    except CoverageError as error:
        messages.error(request, error.message_in(current_language()))
        return redirect("coverage:dashboard")
    return redirect("jobs:status", pk=run.pk)


def _rate_legend() -> list[dict[str, str]]:
    legend = []
    for index, floor in enumerate(RATE_BANDS):
        upper = RATE_BANDS[index + 1] if index + 1 < len(RATE_BANDS) else None
        text = f"{floor}–{upper}%" if upper is not None else f"≥ {floor}%"
        legend.append({"band": f"band-{index}", "text": text})
    legend.append({"band": "band-none", "text": _("no potential figure")})
    return legend


def _dashboard_export(
    request: HttpRequest, scope: Scope, filters: Filters, *, fmt: str, table: str
) -> HttpResponse:
    kwargs = filters.slice_kwargs()
    read = _reader(filters)
    areas: list[Any]
    if table == "series":
        areas = selectors.coverage_series(scope, code=filters.code, months=SERIES_MONTHS, **kwargs)
        name = _file_name(
            "cakupan-bulanan", filters.code, filters.segment, filters.ecosystem, filters.channel
        )
    elif table == "children":
        if filters.level >= 4:
            areas = [
                selectors.coverage_area(scope, code=filters.code, period=filters.period, **kwargs)
            ]
        else:
            areas = sort_areas(
                selectors.coverage_children(
                    scope, code=filters.code, period=filters.period, **kwargs
                ),
                filters.sort,
            )
        name = _file_name(
            "cakupan",
            filters.code,
            filters.period or "",
            filters.segment,
            filters.ecosystem,
            filters.channel,
        )
    else:
        return _bad_export(
            _("Table (tabel): “%(value)s” is not a table of this page (children, series).")
            % {"value": table[:20]}
        )
    return export_response(
        scope,
        fmt=fmt,
        name=name,
        header=AREA_COLUMNS,
        records=area_records([read(a) for a in areas]),
        detail={**filters.describe(), "table": table},
    )


# --- the map's data -----------------------------------------------------------------------------


def _has_boundaries(codes: Sequence[str]) -> bool:
    if not codes:
        return False
    return RegionBoundary.objects.filter(
        region__edition=edition_get(None), region__code__in=list(codes)
    ).exists()


def _boundaries(codes: Sequence[str]) -> dict[str, str]:
    """GeoJSON geometry text of each region that has a boundary (current edition)."""
    if not codes:
        return {}
    edition = edition_get(None)
    rows = RegionBoundary.objects.filter(
        region__edition=edition, region__code__in=list(codes)
    ).values_list("region__code", "geometry")
    return dict(rows)


@require_GET
@gzip_page  # boundaries simplified: 175 KB for the nation, 50 KB compressed; no secret in it
@_coverage_view
def map_data(request: HttpRequest) -> HttpResponse:
    """The children of a region for the choropleth: a GeoJSON FeatureCollection (feature ids
    are region codes) and one row per child with its figures and the address to drill to."""
    scope = scope_of(request)
    periods = selectors.coverage_periods()
    if not periods:
        raise Http404
    filters = filters_from(request, periods=periods)
    read = _reader(filters)
    children = (
        [
            read(c)
            for c in selectors.coverage_children(
                scope, code=filters.code, period=filters.period, **filters.slice_kwargs()
            )
        ]
        if filters.level < 4
        else []
    )
    geometry = (
        {
            code: simplified_text(text, filters.level + 1)
            for code, text in _boundaries([c.code for c in children]).items()
        }
        if filters.level < 2
        else {}
    )
    rows = []
    for child in children:
        rows.append(
            {
                "code": child.code,
                "name": child.name,
                "rate": rate_float(child.rate),
                "rate_text": pct(child.rate),
                "active": child.active,
                "active_text": num(child.active),
                "potential_text": num(child.potential),
                "unprotected_text": num(child.unprotected),
                "estimated": bool(child.potential_estimated),
                "url": _child_url(scope, filters, child),
                "has_boundary": child.code in geometry,
            }
        )
    labels = {
        "rate": _("Coverage rate"),
        "active": _("Active"),
        "potential": _("Potential"),
        "unprotected": _("Unprotected"),
        "estimated": _("estimated"),
    }
    head = json.dumps(
        {
            "code": filters.code,
            "period": filters.period,
            "level": filters.level + 1,
            "has_boundaries": bool(geometry),
            "rows": rows,
            "labels": labels,
        },
        ensure_ascii=False,
    )
    # The geometry is stored as GeoJSON text: pasted as is rather than parsed and re-encoded.
    features = ",".join(
        f'{{"type":"Feature","id":{json.dumps(code)},"properties":{{}},"geometry":{text}}}'
        for code, text in geometry.items()
    )
    body = head[:-1] + ',"geojson":{"type":"FeatureCollection","features":[' + features + "]}}"
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


# --- where to go next ---------------------------------------------------------------------------


@require_GET
@_coverage_view
def priorities(request: HttpRequest) -> HttpResponse:
    """Regions ranked by unprotected workers, by coverage rate and by lapsed members."""
    scope = scope_of(request)
    periods = selectors.coverage_periods()
    if not periods:
        return _no_figures(request)
    filters = filters_from(request, periods=periods)
    errors = list(filters.errors)
    if filters.channel:
        filters = Filters(**{**filters.__dict__, "channel": ""})
    level_text = _text(request, "tingkat")
    default_level = min(max(filters.level + 1, 2), 4)
    level = int(level_text) if level_text in {"1", "2", "3", "4"} else default_level
    if level_text and level_text not in {"1", "2", "3", "4"}:
        errors.append(
            _("Level (tingkat): “%(value)s” is not 1 to 4; showing %(level)s.")
            % {"value": level_text[:10], "level": LEVEL_LABELS[default_level]}
        )
    if level <= filters.level:
        level = default_level
    fmt = _format(request)
    if fmt:
        by = _text(request, "tabel") or "unprotected"
        if by not in RANKINGS:
            return _bad_export(
                _("Table (tabel): “%(value)s” is not one of unprotected, rate, lapsed.")
                % {"value": by[:20]}
            )
        ranked = _ranking(scope, filters, level=level, by=by, limit=RANKING_LIMIT)
        return export_response(
            scope,
            fmt=fmt,
            name=_file_name(
                "prioritas",
                by,
                filters.code,
                filters.period or "",
                filters.segment,
                filters.ecosystem,
            ),
            header=("rank", *AREA_COLUMNS),
            records=[[i + 1, *r] for i, r in enumerate(area_records(ranked))],
            detail={**filters.describe(), "table": by, "level": level},
        )
    tables = []
    for by in RANKINGS:
        ranked = _ranking(scope, filters, level=level, by=by, limit=RANKING_LIMIT)
        base = reverse("coverage:priorities")
        tables.append(
            {
                "by": by,
                "title": str(RANKING_LABELS[by]),
                "rows": [
                    row_of(a, url=_child_url(scope, filters, a), definition=filters.potential)
                    for a in ranked
                ],
                "csv": base + filters.query(tingkat=level, format="csv", tabel=by),
                "xlsx": base + filters.query(tingkat=level, format="xlsx", tabel=by),
            }
        )
    context = {
        "filters": filters,
        "errors": errors,
        "crumbs": _breadcrumbs(filters, "coverage:priorities"),
        "level": level,
        "level_label": LEVEL_LABELS[level],
        "level_choices": [(lv, str(LEVEL_LABELS[lv])) for lv in (1, 2, 3, 4) if lv > filters.level],
        "tables": tables,
        "slice_text": slice_text(filters),
        "period_label": period_text(filters.period or ""),
        "dashboard_url": _dashboard_url(filters, urut=""),
        "potential": _potential_context(filters),
        **_choice_lists(filters, periods),
    }
    return render(request, "coverage/priorities.html", context)


# --- branch offices -----------------------------------------------------------------------------

OFFICE_COLUMNS = (
    "period",
    "office_code",
    "office_name",
    "segment",
    "ecosystem",
    "registered",
    "active",
    "new",
    "lapsed",
    "reactivated",
    "potential",
    "coverage_rate",
    "unprotected",
)


def _office_fields(office: selectors.OfficeRow) -> dict[str, Any]:
    return {
        "id": office.office_id,
        "code": office.office_code,
        "name": office.office_name,
        "registered": office.registered,
        "active": office.active,
        "new": office.new,
        "lapsed": office.lapsed,
        "reactivated": office.reactivated,
        "potential": office.potential,
        "potential_estimated": office.potential_estimated,
        "rate": office.rate,
        "unprotected": office.unprotected,
        "regencies": office.regency_codes,
    }


@require_GET
@_coverage_view
def offices(request: HttpRequest) -> HttpResponse:
    """Coverage per branch office (a branch officer sees their own office)."""
    scope = scope_of(request)
    periods = selectors.coverage_periods()
    if not periods:
        return _no_figures(request)
    filters = filters_from(request, periods=periods)
    errors = list(filters.errors)
    if filters.channel:
        filters = Filters(**{**filters.__dict__, "channel": ""})
    read = _reader(filters)
    office_rows = [
        _office_fields(read(o))
        for o in selectors.coverage_offices(
            scope, period=filters.period, segment=filters.segment, ecosystem=filters.ecosystem
        )
    ]
    sort = filters.sort.lstrip("-")
    if sort in {"registered", "active", "lapsed", "new", "unprotected", "rate", "name"}:
        descending = (sort in DESCENDING) != filters.sort.startswith("-")
        present = [r for r in office_rows if r[sort] is not None]
        missing = [r for r in office_rows if r[sort] is None]
        present.sort(key=lambda r: r[sort], reverse=descending)
        office_rows = present + missing
    fmt = _format(request)
    if fmt:
        return export_response(
            scope,
            fmt=fmt,
            name=_file_name(
                "cakupan-kantor", filters.period or "", filters.segment, filters.ecosystem
            ),
            header=OFFICE_COLUMNS,
            records=[
                [
                    filters.period,
                    r["code"],
                    r["name"],
                    filters.segment,
                    filters.ecosystem,
                    r["registered"],
                    r["active"],
                    r["new"],
                    r["lapsed"],
                    r["reactivated"],
                    r["potential"],
                    None if r["rate"] is None else Decimal(str(r["rate"])),
                    r["unprotected"],
                ]
                for r in office_rows
            ],
            detail={**filters.describe(), "table": "offices"},
        )
    progress = target_rows(t for t in selectors.target_progress(scope) if t.branch_office_id)
    base = reverse("coverage:offices")
    rows = [
        {
            **r,
            "registered_text": num(r["registered"]),
            "active_text": num(r["active"]),
            "new_text": num(r["new"]),
            "lapsed_text": num(r["lapsed"]),
            "reactivated_text": num(r["reactivated"]),
            "potential_text": num(r["potential"]),
            "rate_text": pct(r["rate"]),
            "unprotected_text": num(r["unprotected"]),
        }
        for r in office_rows
    ]
    totals = {
        key: num(sum(int(r[key] or 0) for r in office_rows))
        for key in ("registered", "active", "new", "lapsed", "reactivated")
    }
    sort_links = {}
    for name in ("name", "registered", "active", "rate", "unprotected", "lapsed"):
        current = filters.sort.lstrip("-") == name
        reverse_next = current and not filters.sort.startswith("-")
        sort_links[name] = base + filters.query(
            wilayah="", urut=("-" if reverse_next else "") + name
        )
    context = {
        "filters": filters,
        "errors": errors,
        "rows": rows,
        "totals": totals,
        "targets": progress,
        "sort_links": sort_links,
        "slice_text": slice_text(filters),
        "period_label": period_text(filters.period or ""),
        "export": {
            "csv": base + filters.query(wilayah="", format="csv"),
            "xlsx": base + filters.query(wilayah="", format="xlsx"),
        },
        "dashboard_url": reverse("coverage:dashboard"),
        "potential": _potential_context(filters),
        **_choice_lists(filters, periods),
    }
    return render(request, "coverage/offices.html", context)


# --- ecosystems ---------------------------------------------------------------------------------


@allows_plotly_styles
@require_GET
@_coverage_view
def ecosystems(request: HttpRequest) -> HttpResponse:
    """Coverage per outreach ecosystem (BPU members reached in markets, villages, …) in a
    region."""
    scope = scope_of(request)
    periods = selectors.coverage_periods()
    if not periods:
        return _no_figures(request)
    filters = filters_from(request, periods=periods)
    filters = Filters(
        code=filters.code, period=filters.period, sort=filters.sort, errors=filters.errors
    )
    areas = selectors.coverage_ecosystems(scope, code=filters.code, period=filters.period)
    fmt = _format(request)
    if fmt:
        header = AREA_COLUMNS
        records = area_records(areas)
        return export_response(
            scope,
            fmt=fmt,
            name=_file_name("cakupan-ekosistem", filters.code, filters.period or ""),
            header=header,
            records=records,
            detail={**filters.describe(), "table": "ecosystems"},
        )
    total_active = sum(a.active for a in areas) or 0
    rows = []
    for a in areas:
        code = a.ecosystem
        rows.append(
            {
                "code": code,
                "label": str(ECOSYSTEM_LABELS.get(code, code)) if code else a.name,
                "row": row_of(a),
                "share": pct(Decimal(a.active) / total_active) if total_active else "–",
                "dashboard_url": _dashboard_url(
                    Filters(code=filters.code, period=filters.period), segmen="BPU", ekosistem=code
                )
                if code
                else None,
            }
        )
    base = reverse("coverage:ecosystems")
    children = (
        [
            {"name": name, "url": base + filters.query(wilayah=code)}
            for code, name in ((r.code, r.name) for r in region_children(filters.code))
            if may_open(scope, code)
        ]
        if filters.level < 4
        else []
    )
    context = {
        "children": children,
        "child_level_label": CHILD_LEVEL_LABELS.get(filters.level, ""),
        "filters": filters,
        "errors": list(filters.errors),
        "crumbs": _breadcrumbs(filters, "coverage:ecosystems"),
        "rows": rows,
        "chart": {
            "names": [r["label"] for r in rows],
            "active": [r["row"].raw.active for r in rows],
            "registered": [r["row"].raw.registered for r in rows],
            "labels": {"active": _("Active"), "registered": _("Registered")},
        },
        "level_label": LEVEL_LABELS[filters.level],
        "period_label": period_text(filters.period or ""),
        "export": {
            "csv": base + filters.query(format="csv"),
            "xlsx": base + filters.query(format="xlsx"),
        },
        "dashboard_url": _dashboard_url(filters, urut=""),
        "plotly_url": plotly_url("basic"),
        **_choice_lists(filters, periods),
    }
    return render(request, "coverage/ecosystems.html", context)


# --- Plotly, from the installed package ---------------------------------------------------------


@cache
def _plotly_bundle(name: str) -> tuple[bytes, bytes, str]:
    """A vendored partial Plotly bundle, raw and gzipped (level 9, once per process), with an
    ETag naming its version and size."""
    raw = plotly_bundle_path(name).read_bytes()
    return raw, gzip.compress(raw, compresslevel=9), f'"plotly-{name}-{PLOTLY_VERSION}-{len(raw)}"'


def plotly_url(name: str) -> str:
    """The address of a bundle; the version in the query makes a new version a new address,
    so browsers may keep each for a year."""
    return reverse("coverage:plotly", args=[name]) + f"?v={PLOTLY_VERSION}"


@require_GET
def plotly_js(request: HttpRequest, name: str) -> HttpResponse:
    """The charting library, served by the application itself (no CDN, works offline): only
    the partial bundle a page draws with (``geo``: the map and the lines, ``basic``: bars and
    lines), gzipped, cached by browsers for a year."""
    if name not in PLOTLY_BUNDLES:
        raise Http404
    raw, zipped, etag = _plotly_bundle(name)
    if request.headers.get("If-None-Match") == etag:
        response: HttpResponse = HttpResponseNotModified()
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(zipped, content_type="text/javascript; charset=utf-8")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(raw, content_type="text/javascript; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Vary"] = "Accept-Encoding"
    return response


#: Plotly's geographic charts load a base map (land, coastlines, …) from a CDN by default. The
#: dashboard draws only the imported boundaries, so it is given an empty base map from here.
EMPTY_TOPOLOGY = json.dumps(
    {
        "type": "Topology",
        "arcs": [],
        "objects": {
            name: {"type": "GeometryCollection", "geometries": []}
            for name in ("land", "ocean", "lakes", "rivers", "coastlines", "countries", "subunits")
        },
    }
)


@require_GET
def base_map(request: HttpRequest, name: str) -> HttpResponse:
    """An empty TopoJSON base map for Plotly (see :data:`EMPTY_TOPOLOGY`): nothing is fetched
    from elsewhere, and the map shows only Indonesia's imported boundaries."""
    response = HttpResponse(EMPTY_TOPOLOGY, content_type="application/json")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


__all__ = [
    "base_map",
    "dashboard",
    "ecosystems",
    "map_data",
    "offices",
    "plotly_js",
    "priorities",
]
