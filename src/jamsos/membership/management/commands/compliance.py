"""``jamsos compliance employers``: employers falling short of the law in a month.

::

    jamsos compliance employers [--period YYYY-MM] [--months N] [--problem KIND] [--q TEXT]
                                [--csv] [--as USERNAME] [--lang id|en]

The same selector as the page ``/kerja/kepatuhan/`` and ``GET /api/v1/compliance/employers``
(docs/registry/compliance.md). ``--csv`` writes the export to standard output through the one
export writer. Without ``--as`` the operator acts as an administrator.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from jamsos.access.cli import common_options, scope_from_options
from jamsos.core.cli import refuse, text_table
from jamsos.core.clock import today_in_jakarta
from jamsos.core.errors import ApplicationError
from jamsos.core.exports import write_csv_to
from jamsos.legal.periods import Period
from jamsos.membership.compliance import (
    EXPORT_HEADER,
    MONTHS_MAX,
    ComplianceFilter,
    Problem,
    compliance_rows_for_export,
    employer_compliance,
    latest_reported_period,
)
from jamsos.membership.errors import InvalidPeriod


class Command(BaseCommand):
    help = "Employers' compliance: employers (few workers, programs, minimum wage, months)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        employers = sub.add_parser("employers", help="List employers falling short in a month")
        employers.add_argument("--period", help="YYYY-MM (default: the latest month reported)")
        employers.add_argument("--months", type=int, default=3, help=f"1..{MONTHS_MAX}")
        employers.add_argument("--problem", choices=[p.value for p in Problem])
        employers.add_argument("--q", default="", help="Legal name words or the NPP's start")
        employers.add_argument("--csv", action="store_true", help="Write CSV to standard output")
        common_options(employers)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options.get("lang") or "id"):
            scope = scope_from_options(options)
            try:
                if options["period"]:
                    try:
                        period = Period.parse(options["period"])
                    except ValueError:
                        raise InvalidPeriod(field="period", value=options["period"]) from None
                else:
                    today = today_in_jakarta()
                    period = latest_reported_period(scope) or Period(today.year, today.month)
                rows = employer_compliance(
                    scope,
                    ComplianceFilter(
                        period=period,
                        months=max(1, min(options["months"], MONTHS_MAX)),
                        problem=options["problem"] or "",
                        search=options["q"].strip(),
                    ),
                )
            except ApplicationError as exc:
                raise refuse(exc.message) from None
        records = compliance_rows_for_export(rows)
        if options["csv"]:
            write_csv_to(self.stdout, records, EXPORT_HEADER)  # type: ignore[arg-type]
            return
        self.stdout.write(f"{period}: {len(rows)} pemberi kerja / employers")
        if records:
            shown = [0, 1, 2, 5, 6, 7, 8, 10, 11]
            self.stdout.write(
                text_table(
                    [[str(r[i]) for i in shown] for r in records],
                    [EXPORT_HEADER[i] for i in shown],
                )
            )
