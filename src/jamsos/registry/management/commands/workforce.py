"""`jamsos workforce ...`: import Sakernas figures, estimate the missing ones, show a region's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.core.errors import ApplicationError
from jamsos.registry.models import WorkforceKind
from jamsos.registry.selectors import region_get, workforce_list
from jamsos.registry.services import workforce_estimate, workforce_import


class Command(BaseCommand):
    help = (
        "Workforce figures: `import` a Sakernas CSV, `estimate --period` the missing provinces "
        "and regencies, `show CODE`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        imp = sub.add_parser("import", help="Import a Sakernas (wide) or long-format CSV")
        imp.add_argument("path", type=Path)
        imp.add_argument("--edition", help="Default: the current edition")
        imp.add_argument("--source", help="Default: 'BPS, Sakernas <month> <year>'")

        est = sub.add_parser("estimate", help="Apportion known figures to regions without one")
        est.add_argument("--period", required=True, help="YYYY-MM, e.g. 2024-08")
        est.add_argument("--kind", action="append", choices=WorkforceKind.values)
        est.add_argument("--population-period", help="Default: the latest loaded")
        est.add_argument("--edition", help="Default: the current edition")

        show = sub.add_parser("show", help="A region's figures with source and confidence")
        show.add_argument("code")
        show.add_argument("--period")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['action']}")(options)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

    def do_import(self, options: dict[str, Any]) -> None:
        result = workforce_import(
            path=options["path"], edition=options["edition"], source=options["source"]
        )
        self.stdout.write(result.summary())

    def do_estimate(self, options: dict[str, Any]) -> None:
        result = workforce_estimate(
            period=options["period"],
            kinds=options["kind"],
            population_period=options["population_period"],
            edition=options["edition"],
        )
        self.stdout.write(result.summary())

    def do_show(self, options: dict[str, Any]) -> None:
        region = region_get(options["code"])
        figures = list(workforce_list(region, period=options["period"]))
        self.stdout.write(f"{region.code} {region.name}")
        if not figures:
            self.stdout.write("  no figures (districts and villages have none: see the regency)")
        for f in figures:
            flag = "estimated" if f.estimated else "published"
            self.stdout.write(
                f"  {f.period} {f.kind:<18} {f.count:>12,}  {f.confidence:<6} {flag:<9} {f.source}"
            )
            if f.method:
                self.stdout.write(f"      {f.method}")
