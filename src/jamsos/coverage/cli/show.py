"""``jamsos coverage show``: a region's coverage for a month, from the precomputed figures.

    jamsos coverage show --region 32 [--period 2025-04] [--segment BPU] [--ecosystem pasar]
                         [--channel partner] [--children] [--csv FILE] [--as USER] [--lang en]

Prints the region (registered, active, potential, rate, unprotected) and, with ``--children``,
one line per child region. ``--csv`` writes the same rows (figures only, no personal data).
Without ``--as`` the operator acts as an administrator; with it, within that account's scope.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from jamsos.access.cli import common_options, scope_from_options
from jamsos.core.cli import refuse
from jamsos.core.errors import ApplicationError
from jamsos.core.exports import write_csv_to
from jamsos.coverage.cli._common import num, pct
from jamsos.coverage.selectors import AreaRow, coverage_area, coverage_children

HEADER = [
    "period",
    "level",
    "code",
    "name",
    "segment",
    "ecosystem",
    "channel",
    "registered",
    "active",
    "new",
    "lapsed",
    "reactivated",
    "potential",
    "potential_estimated",
    "rate",
    "unprotected",
    "potential_source",
]


def register(sub: Any) -> None:
    """Add ``show``."""
    show = sub.add_parser("show", help="A region's coverage for a month (00 = the nation)")
    show.add_argument("--region", default="00", help="Region code, dotted or not (default 00)")
    show.add_argument("--period", help="Month YYYY-MM (default: the latest with figures)")
    show.add_argument("--segment", default="", help="PU, BPU, JAKON or PMI")
    show.add_argument("--ecosystem", default="", help="pasar, desa_kelurahan, e_commerce, ...")
    show.add_argument("--channel", default="", help="self, employer, partner, cadre, branch")
    show.add_argument("--children", action="store_true", help="Also list the child regions")
    show.add_argument("--csv", help="Write the rows to this CSV file")
    common_options(show)
    show.set_defaults(handler=_show)


def _line(row: AreaRow, lang: str) -> str:
    estimated = " (perkiraan / estimate)" if row.potential_estimated else ""
    return (
        f"{row.code:<14} {row.name[:34]:<34} terdaftar/registered {num(row.registered, lang):>11}"
        f"  aktif/active {num(row.active, lang):>11}  potensi/potential "
        f"{num(row.potential, lang):>12}{estimated}  cakupan/rate {pct(row.rate, lang):>7}"
        f"  belum terlindungi/unprotected {num(row.unprotected, lang):>11}"
    )


def _record(row: AreaRow) -> list[Any]:
    return [
        row.period,
        row.level,
        row.code,
        row.name,
        row.segment,
        row.ecosystem,
        row.channel,
        row.registered,
        row.active,
        row.new,
        row.lapsed,
        row.reactivated,
        "" if row.potential is None else row.potential,
        int(row.potential_estimated),
        "" if row.rate is None else str(row.rate),
        "" if row.unprotected is None else row.unprotected,
        row.potential_source,
    ]


def _show(command: BaseCommand, options: dict[str, Any]) -> None:
    lang = options.get("lang") or "id"
    with translation.override(lang):
        try:
            scope = scope_from_options(options)
            filters = {
                "code": options.get("region") or "00",
                "period": options.get("period"),
                "segment": options.get("segment") or "",
                "ecosystem": options.get("ecosystem") or "",
                "channel": options.get("channel") or "",
            }
            area = coverage_area(scope, **filters)
            kids = coverage_children(scope, **filters) if options.get("children") else []
        except ApplicationError as exc:
            raise refuse(exc.message) from None
        slice_text = " ".join(
            f"{k}={filters[k]}" for k in ("segment", "ecosystem", "channel") if filters[k]
        )
        command.stdout.write(
            f"Cakupan / coverage {area.period}{' ' + slice_text if slice_text else ''}"
        )
        command.stdout.write(_line(area, lang))
        if area.potential_source:
            command.stdout.write(f"  potensi / potential: {area.potential_source}")
        for row in kids:
            command.stdout.write("  " + _line(row, lang))
        target = options.get("csv")
        if target:
            with Path(target).open("w", newline="", encoding="utf-8") as handle:
                write_csv_to(handle, (_record(row) for row in [area, *kids]), HEADER)
            command.stdout.write(f"{1 + len(kids)} baris / rows -> {target}")
