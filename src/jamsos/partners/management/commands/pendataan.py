"""``jamsos pendataan ...``: door-to-door listing (see :mod:`jamsos.partners.cli.pendataan`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.partners.cli import pendataan


class Command(BaseCommand):
    help = "Door-to-door listing: campaigns, cadres, imports, funnel, follow-up lists"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        pendataan.register(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        handler = options.get("handler")
        if handler is None:  # pragma: no cover - argparse requires an action
            raise CommandError("name an action; see --help")
        handler(self, options)
