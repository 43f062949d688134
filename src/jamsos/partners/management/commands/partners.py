"""``jamsos partners ...``: partners, agreements (PKS) and targets, outreach events and their
attribution, the scorecard (docs/partners/agreements.md, docs/partners/events.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.partners.cli import partners


class Command(BaseCommand):
    help = "Partners, agreements (PKS) and targets, ecosystems, outreach events, scorecard"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        partners.register(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        handler = options.get("handler")
        if handler is None:  # pragma: no cover - argparse requires an action
            raise CommandError("name an action; see --help")
        handler(self, options)
