"""``jamsos coverage ...``: the coverage job, the figures, targets and published figures.

Each group of subcommands lives in its own module under :mod:`jamsos.coverage.cli`; every one
calls the same services and selectors as the pages and the API.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.coverage.cli import build, published, show, targets


class Command(BaseCommand):
    help = "Coverage: build the monthly facts, show figures, targets and published figures"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        for module in (build, show, targets, published):
            module.register(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        handler = options.get("handler")
        if handler is None:  # pragma: no cover - argparse requires an action
            raise CommandError("name an action; see --help")
        handler(self, options)
