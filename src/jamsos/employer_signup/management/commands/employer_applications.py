"""``jamsos employer_applications ...``: employers' own applications (docs/registry/segments.md).

jamsos employer_applications list [--status pending|verified|rejected] [--as USERNAME]
jamsos employer_applications verify ID [--as USERNAME]
jamsos employer_applications reject ID --reason TEXT [--as USERNAME]
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from jamsos.access.cli import common_options, scope_from_options
from jamsos.core.cli import refuse, text_table
from jamsos.core.errors import ApplicationError
from jamsos.employer_signup.selectors import application_list
from jamsos.employer_signup.services import application_reject, application_verify


class Command(BaseCommand):
    help = "Employers' applications: list, verify ID, reject ID --reason TEXT"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        listing = sub.add_parser("list")
        listing.add_argument("--status", default="pending")
        verify = sub.add_parser("verify")
        verify.add_argument("id", type=int)
        reject = sub.add_parser("reject")
        reject.add_argument("id", type=int)
        reject.add_argument("--reason", required=True)
        for parser_ in sub.choices.values():
            common_options(parser_)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options.get("lang") or "id"):
            scope = scope_from_options(options)
            try:
                self._run(scope, options)
            except ApplicationError as error:
                raise refuse(f"{error.code}: {error.message}") from error

    def _run(self, scope: Any, options: dict[str, Any]) -> None:
        action = options["action"]
        if action == "list":
            rows = [
                [str(a.pk), a.reference, a.legal_name, a.branch_office.code, a.status]
                for a in application_list(scope, status=options["status"])
            ]
            header = ["id", "nomor", "perusahaan", "kantor", "status"]
            self.stdout.write(text_table(rows, header) if rows else "(tidak ada / none)")
        elif action == "verify":
            result = application_verify(scope=scope, application_id=options["id"])
            self.stdout.write(
                f"{result.application.reference}: NPP {result.employer.npp}, akun {result.username}"
            )
        else:
            application = application_reject(
                scope=scope, application_id=options["id"], reason=options["reason"]
            )
            self.stdout.write(f"{application.reference}: ditolak / rejected")
