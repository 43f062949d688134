"""`jamsos workers`: PU workers in bulk from the command line.

    jamsos workers import FILE --employer NPP [--accept-valid] [--report OUT.xlsx|OUT.csv]
                                [--as USERNAME] [--lang id|en]
    jamsos workers commit UPLOAD_ID [--as USERNAME] [--lang id|en]
    jamsos workers template OUT.xlsx|OUT.csv [--lang id|en]
    jamsos workers purge-uploads --days N

``import`` checks the file and keeps the verdicts (nothing is written to the registry); with
``--accept-valid`` it then writes the valid rows. Without ``--as`` the operator acts as an
administrator named after the operating-system user (``Scope.operator``); with it, as that
account, within its role's scope. A refusal of the whole file or request exits with status 2;
rejected rows are listed and are not a refusal.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jamsos.access.scope import Scope, scope_for_user
from jamsos.core.errors import ApplicationError
from jamsos.core.formatting import format_number
from jamsos.uploads.errors import FileTooLarge, InvalidReportFormat
from jamsos.uploads.messages import reason_message, status_name
from jamsos.uploads.models import RowStatus, WorkerUpload
from jamsos.uploads.parsing import max_bytes
from jamsos.uploads.selectors import upload_rows
from jamsos.uploads.services import (
    upload_commit,
    upload_report,
    upload_template,
    upload_validate,
    uploads_purge,
)

#: Rejected rows printed after a check; the report has them all.
SHOWN = 20
#: Files with at least this many bytes get a progress bar (on a terminal).
PROGRESS_FROM_BYTES = 1_000_000
STAGES = {
    "parse": gettext_noop("Reading the file"),
    "validate": gettext_noop("Checking rows"),
    "store": gettext_noop("Keeping the verdicts"),
    "commit": gettext_noop("Writing to the registry"),
}


def _refuse(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = (
        "PU workers in bulk: import FILE --employer NPP [--accept-valid], commit ID, "
        "template OUT, purge-uploads --days N"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        imp = sub.add_parser("import", help="Check a file of workers (XLSX or CSV)")
        imp.add_argument("file", help="The XLSX or CSV file")
        imp.add_argument("--employer", required=True, help="The employer's NPP")
        imp.add_argument(
            "--accept-valid",
            action="store_true",
            help="Write the valid rows to the registry after the check",
        )
        imp.add_argument("--report", help="Write the per-row report to OUT.xlsx or OUT.csv")
        self._common(imp)
        imp.add_argument("--no-progress", action="store_true", help="No progress bar")
        com = sub.add_parser("commit", help="Write the valid rows of a checked upload")
        com.add_argument("upload_id", type=int)
        self._common(com)
        tpl = sub.add_parser("template", help="Write the empty template")
        tpl.add_argument("out", help="OUT.xlsx or OUT.csv")
        tpl.add_argument("--lang", choices=["id", "en"], default="id")
        purge = sub.add_parser(
            "purge-uploads", help="Delete uploads (files and rows) older than N days"
        )
        purge.add_argument("--days", type=int, required=True)

    @staticmethod
    def _common(parser: CommandParser) -> None:
        parser.add_argument(
            "--as", dest="username", help="Act as this account (default: operator, admin)"
        )
        parser.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        language = options.get("lang") or "id"
        with translation.override(language):
            try:
                if action == "import":
                    self._import(options, language)
                elif action == "commit":
                    self._commit(self._scope(options), options["upload_id"], language)
                elif action == "template":
                    self._template(options["out"], language)
                else:
                    self._purge(options["days"])
            except ApplicationError as exc:
                raise _refuse(exc.message) from None

    # --- who ------------------------------------------------------------------------------

    def _scope(self, options: dict[str, Any]) -> Scope:
        username = options.get("username")
        if not username:
            try:
                name = getpass.getuser()
            except (KeyError, OSError):
                name = "operator"
            return Scope.operator(name)
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise _refuse(_("No account named %(username)s.") % {"username": username})
        return scope_for_user(user)

    # --- actions ----------------------------------------------------------------------------

    def _import(self, options: dict[str, Any], language: str) -> None:
        scope = self._scope(options)
        report = Path(options["report"]) if options.get("report") else None
        if report is not None and report.suffix.lower() not in (".xlsx", ".csv"):
            raise InvalidReportFormat(value=report.suffix or report.name)
        path = Path(options["file"])
        if not path.is_file():
            raise _refuse(_("No file at %(path)s.") % {"path": path})
        size = path.stat().st_size
        if size > max_bytes():  # refused before reading it
            raise FileTooLarge(file_name=path.name, limit_mb=max_bytes() // (1024 * 1024) or 1)
        content = path.read_bytes()
        show_progress = (
            not options.get("no_progress") and size >= PROGRESS_FROM_BYTES and sys.stderr.isatty()
        )
        with self._progress(show_progress) as progress:
            upload = upload_validate(
                scope=scope,
                employer_npp=options["employer"],
                file_name=path.name,
                content=content,
                progress=progress,
            )
        self._print_check(upload, language)
        if report is not None:
            self._report(scope, upload, report, language)
        if options.get("accept_valid"):
            self._commit(scope, upload.pk, language, show_progress=show_progress)
        else:
            self.stdout.write(
                _("Nothing written yet. To write the valid rows: jamsos workers commit %(id)s")
                % {"id": upload.pk}
            )

    def _print_check(self, upload: WorkerUpload, language: str) -> None:
        employer = upload.employer
        self.stdout.write(
            _("Upload %(id)s: %(file)s (%(format)s) for %(employer)s (NPP %(npp)s)")
            % {
                "id": upload.pk,
                "file": upload.file_name,
                "format": upload.file_format.upper(),
                "employer": employer.legal_name,
                "npp": employer.npp,
            }
        )
        self.stdout.write(
            _(
                "%(rows)s rows: %(valid)s valid (%(existing)s already registered), "
                "%(rejected)s rejected"
            )
            % {
                "rows": format_number(upload.total_rows, language),
                "valid": format_number(upload.valid_rows, language),
                "existing": format_number(upload.existing_people, language),
                "rejected": format_number(upload.rejected_rows, language),
            }
        )
        if upload.ignored_columns:
            self.stdout.write(
                _("Columns not used: %(columns)s") % {"columns": ", ".join(upload.ignored_columns)}
            )
        rows = upload_rows(upload, status=RowStatus.REJECTED, limit=SHOWN)
        if rows:
            self.stdout.write(_("Rejected rows (first %(n)s):") % {"n": len(rows)})
            label = _("row")
            for row in rows:
                reasons = " ".join(reason_message(r, language) for r in row.reasons)
                self.stdout.write(f"  {label} {row.line}: {reasons}")

    def _report(self, scope: Scope, upload: WorkerUpload, out: Path, language: str) -> None:
        file_format = out.suffix.lower().lstrip(".")
        report = upload_report(
            scope=scope, upload_id=upload.pk, file_format=file_format, language=language
        )
        out.write_bytes(report.content)
        self.stdout.write(_("Report written to %(path)s") % {"path": out})

    def _commit(
        self, scope: Scope, upload_id: int, language: str, *, show_progress: bool = False
    ) -> None:
        with self._progress(show_progress) as progress:
            result = upload_commit(scope=scope, upload_id=upload_id, progress=progress)
        upload = result.upload
        self.stdout.write(
            _(
                "Written: %(written)s PU memberships (%(new)s new people, %(existing)s already "
                "registered). Upload %(id)s is %(status)s."
            )
            % {
                "written": format_number(result.written, language),
                "new": format_number(result.new_people, language),
                "existing": format_number(result.existing_people, language),
                "id": upload.pk,
                "status": status_name(upload.status, language),
            }
        )
        if upload.rejected_rows:
            self.stdout.write(
                _("%(rejected)s rejected rows were not written.")
                % {"rejected": format_number(upload.rejected_rows, language)}
            )

    def _template(self, out: str, language: str) -> None:
        path = Path(out)
        template = upload_template(file_format=path.suffix.lower().lstrip("."), language=language)
        path.write_bytes(template.content)
        self.stdout.write(_("Template written to %(path)s") % {"path": path})

    def _purge(self, days: int) -> None:
        if days < 0:
            raise _refuse(_("--days must be 0 or more."))
        deleted = uploads_purge(days=days)
        self.stdout.write(
            _("%(n)s uploads older than %(days)s days deleted.") % {"n": deleted, "days": days}
        )

    # --- progress ---------------------------------------------------------------------------

    def _progress(self, enabled: bool) -> _Bar:
        return _Bar(enabled)


class _Bar:
    """A rich progress bar, one task per stage, on stderr; a no-op when disabled."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.tasks: dict[str, Any] = {}
        self.bar = Progress(
            TextColumn("{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            disable=not enabled,
        )

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        self.bar.__enter__()
        return self.advance

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.bar.__exit__(None, None, None)

    def advance(self, stage: str, amount: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(_(STAGES.get(stage, stage)), total=total)
        self.bar.advance(self.tasks[stage], amount)
