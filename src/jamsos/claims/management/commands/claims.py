"""``jamsos claims ...``: claims for operators (docs/claims.md "Command line").

Each subcommand calls the same services and selectors as the pages and the API.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.claims import cli


class Command(BaseCommand):
    help = "Claims: check, submit, queue, show, verify, approve, reject, pay, transfer, payroll"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        cli.register(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        handler = options.get("handler")
        if handler is None:  # pragma: no cover - argparse requires an action
            raise CommandError("name an action; see --help")
        handler(self, options)
