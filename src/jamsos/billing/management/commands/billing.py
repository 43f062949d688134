"""``jamsos billing ...``: the monthly run, payments and statements, arrears, JHT accounts.

Each group of subcommands lives in its own module under :mod:`jamsos.billing.cli`; every one
calls the same services as the pages and the API.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.billing.cli import payments, reports, run, sponsors


class Command(BaseCommand):
    help = "Billing: run a month, post payments and bank statements, arrears, JHT accounts"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        for module in (run, payments, reports, sponsors):
            module.register(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        handler = options.get("handler")
        if handler is None:  # pragma: no cover - argparse requires an action
            raise CommandError("name an action; see --help")
        handler(self, options)
