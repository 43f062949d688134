"""``jamsos jakon register``: a contractor's construction project (Jakon).

::

    jamsos jakon register --npp NPP --name NAME --value RUPIAH --village CODE \\
                          --start YYYY-MM-DD --end YYYY-MM-DD [--as USERNAME] [--lang id|en]

The same service as the page and ``POST /api/v1/projects``. The billing run of the start month
bills the contractor JKK and JKM on the contract value, by band (docs/registry/segments.md); the
command prints that amount. Without ``--as`` the operator acts as an administrator; a refusal
names the field and exits with status 2, nothing written.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from jamsos.access.cli import common_options, scope_from_options
from jamsos.core.cli import refuse, rupiah
from jamsos.core.errors import ApplicationError
from jamsos.legal.types import Segment
from jamsos.membership.errors import InvalidDate, OutOfRange, RequiredField
from jamsos.membership.selectors import employer_get_by_npp, segment_contribution_idr
from jamsos.membership.services import construction_project_register
from jamsos.registry.errors import EditionNotFound, RegionNotFound
from jamsos.registry.selectors import region_get


def date_option(text: str | None, *, field: str) -> date:
    """A YYYY-MM-DD option, refused naming the field."""
    if not text:
        raise RequiredField(field=field)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidDate(field=field, value=text) from None


def whole_option(text: str | None, *, field: str, maximum: int) -> int:
    """A whole number option (dots and commas as thousands separators), refused naming it."""
    cleaned = (text or "").strip().replace(".", "").replace(",", "")
    if not cleaned:
        raise RequiredField(field=field)
    if not cleaned.isascii() or not cleaned.isdigit():
        raise OutOfRange(field=field, value=text, minimum=1, maximum=maximum)
    return int(cleaned)


class Command(BaseCommand):
    help = "Construction projects (Jakon): register a contractor's project"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        register = sub.add_parser("register", help="Register a construction project")
        register.add_argument("--npp", required=True, help="The contractor's NPP")
        register.add_argument("--name", required=True, help="The project's name")
        register.add_argument("--value", required=True, help="Contract value, whole rupiah")
        register.add_argument("--village", required=True, help="Village code of the site")
        register.add_argument("--start", required=True, help="Start date, YYYY-MM-DD")
        register.add_argument("--end", required=True, help="End date, YYYY-MM-DD")
        common_options(register)

    def handle(self, *args: Any, **options: Any) -> None:
        from jamsos.membership.bounds import CONTRACT_VALUE_MAX_IDR

        with translation.override(options.get("lang") or "id"):
            scope = scope_from_options(options)
            try:
                contractor = employer_get_by_npp(scope, npp=options["npp"])
                value = whole_option(
                    options["value"], field="contract_value", maximum=CONTRACT_VALUE_MAX_IDR
                )
                try:
                    village = region_get(options["village"].strip())
                except (RegionNotFound, EditionNotFound) as exc:
                    raise refuse(f"--village: {exc.message}") from None
                project = construction_project_register(
                    contractor=contractor,
                    name=options["name"],
                    contract_value_idr=value,
                    village=village,
                    start_date=date_option(options["start"], field="start_date"),
                    end_date=date_option(options["end"], field="end_date"),
                    by=scope,
                )
            except ApplicationError as exc:
                raise refuse(exc.message) from None
        billed = segment_contribution_idr(
            Segment.JAKON, project.start_date, contract_value_idr=project.contract_value_idr
        )
        self.stdout.write(f"proyek / project {project.pk}: {project.name}")
        self.stdout.write(f"kontraktor / contractor: {contractor.legal_name} ({contractor.npp})")
        self.stdout.write(f"nilai kontrak / contract value: {rupiah(project.contract_value_idr)}")
        self.stdout.write(f"{project.start_date.isoformat()} – {project.end_date.isoformat()}")
        if billed is not None:
            self.stdout.write(f"iuran JKK+JKM / contribution: {rupiah(billed)}")
