"""`jamsos legal check`: load and validate the legal parameters, and list their changes."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jamsos.legal.errors import ParameterFileError
from jamsos.legal.params import load_parameters


class Command(BaseCommand):
    help = "Legal parameters: `check` validates every YAML file and lists each dated value."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        check = sub.add_parser("check", help="Validate the parameter files")
        check.add_argument("--verbose-values", action="store_true", help="List every dated value")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            params = load_parameters()
        except ParameterFileError as exc:
            self.stderr.write(f"Parameter file error: {exc}")
            sys.exit(2)
        count = sum(len(p.values) for p in params)
        low = [(p.name, v) for p in params for v in p.values if v.confidence != "high"]
        self.stdout.write(
            f"{len(list(params))} parameters, {count} dated values, known until "
            f"{params.known_until}; {len(low)} values below high confidence."
        )
        if options["verbose_values"]:
            for parameter in params:
                for value in parameter.values:
                    self.stdout.write(
                        f"  {parameter.name:42} {value.since}  {value.confidence:6}  "
                        f"{value.reference_text}"
                    )
        for name, value in low:
            self.stdout.write(f"  [{value.confidence}] {name} from {value.since}: {value.note}")
