"""``jamsos coverage published load | list``: officially reported coverage figures.

    jamsos coverage published load [--index FILE] [--data-dir DIR]
    jamsos coverage published list [--region 32] [--lang en]

``load`` reads ``jamsos/coverage/data/published_figures.yaml`` (the BPJS Ketenagakerjaan
province tables and the national figures of the reference notes, each with its source) and is
idempotent. Published figures are public facts: ``list`` needs no account.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from jamsos.core.cli import refuse
from jamsos.core.errors import ApplicationError
from jamsos.coverage.cli._common import num, pct
from jamsos.coverage.selectors import published_figures
from jamsos.coverage.services.published import published_load


def register(sub: Any) -> None:
    """Add ``published load`` and ``published list``."""
    published = sub.add_parser("published", help="Officially reported coverage figures")
    actions = published.add_subparsers(
        dest="published_action", required=True, parser_class=CommandParser
    )
    load = actions.add_parser("load", help="Load the published figures (idempotent)")
    load.add_argument("--index", help="Index YAML (default: the packaged one)")
    load.add_argument("--data-dir", dest="data_dir", help="Folder of the CSV files it names")
    load.add_argument("--lang", choices=["id", "en"], default="id")
    load.set_defaults(handler=_load)
    listing = actions.add_parser("list", help="List the published figures")
    listing.add_argument("--region", help="Only this region (00 = the nation)")
    listing.add_argument("--lang", choices=["id", "en"], default="id")
    listing.set_defaults(handler=_list)


def _load(command: BaseCommand, options: dict[str, Any]) -> None:
    with translation.override(options.get("lang") or "id"):
        try:
            result = published_load(
                index=Path(options["index"]) if options.get("index") else None,
                data_dir=Path(options["data_dir"]) if options.get("data_dir") else None,
            )
        except ApplicationError as exc:
            raise refuse(exc.message) from None
        for name, count in result.by_file.items():
            command.stdout.write(f"  {name}: {count}")
        command.stdout.write(result.summary())


def _list(command: BaseCommand, options: dict[str, Any]) -> None:
    lang = options.get("lang") or "id"
    rows = published_figures(code=options.get("region"))
    for r in rows:
        value = pct(r.value, lang) if r.measure.endswith("rate") else num(int(r.value), lang)
        command.stdout.write(
            f"{r.region_code:<3} {r.region_name[:30]:<30} {r.period} {r.segment or '-':<5} "
            f"{r.measure:<24} {value:>14}  {r.source[:60]}"
        )
    command.stdout.write(f"{len(rows)} angka / figures")
