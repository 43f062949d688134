"""`jamsos refusals`: refused anonymous requests per day, route and reason, as an administrator.

::

    jamsos refusals [--days N] [--as USERNAME] [--lang id|en]

One line per day, route and reason, newest first, then a total line (the same counts as the
page /kerja/penolakan/; no NIK and no address is kept). ``--as`` reads as that account, which
must be an administrator.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jamsos.access.cli import common_options, scope_from_options
from jamsos.access.selectors import refusal_counts
from jamsos.core.cli import number, refuse, text_table
from jamsos.core.errors import ApplicationError

HEADERS = {
    "id": ["hari", "rute", "alasan", "jumlah"],
    "en": ["day", "route", "reason", "count"],
}
TOTAL = {
    "id": "{total} permintaan ditolak sejak {since} ({days} hari).",
    "en": "{total} requests refused since {since} ({days} days).",
}


class Command(BaseCommand):
    help = "Refused anonymous requests per day, route and reason (abuse limits, registered NIKs)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7, help="The last N days (default 7)")
        common_options(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        language = options["lang"]
        days = max(1, options["days"])
        try:
            totals = refusal_counts(scope_from_options(options), days=days)
        except ApplicationError as error:
            raise refuse(error.message_in(language)) from error
        rows = [[str(r.day), r.route, r.reason, number(r.count)] for r in totals.rows]
        if rows:
            self.stdout.write(text_table(rows, HEADERS[language]))
        since = totals.since.isoformat()
        self.stdout.write(
            TOTAL[language].format(total=number(totals.total), since=since, days=days)
        )
