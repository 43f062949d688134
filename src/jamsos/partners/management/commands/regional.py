"""``jamsos regional ...``: the regional policy register (:mod:`jamsos.partners.cli.regional`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.partners.cli import regional


class Command(BaseCommand):
    help = (
        "Regional policy work: regulations, budget lines, circulars, instructions and commitments"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        regional.register(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        handler = options.get("handler")
        if handler is None:  # pragma: no cover - argparse requires an action
            raise CommandError("name an action; see --help")
        handler(self, options)
