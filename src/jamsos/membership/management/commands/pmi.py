"""``jamsos pmi register``: a migrant worker's placement abroad (PMI), before departure.

::

    jamsos pmi register --nik NIK --country CC --months N --start YYYY-MM-DD
                        [--name NAME --birth-date YYYY-MM-DD --sex M|F --domicile CODE
                         --phone PHONE] [--as USERNAME] [--lang id|en]

A registered NIK is enough; a new person needs the name, birth date, sex and village. The same
service as the page and ``POST /api/v1/registrations/pmi``. The billing run of the start month
bills the participant the package (Permenaker 4/2023 Pasal 18), printed here. Without ``--as``
the operator acts as an administrator; a refusal names the field and exits with status 2.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from jamsos.access.cli import common_options, scope_from_options
from jamsos.core.cli import refuse, rupiah
from jamsos.core.errors import ApplicationError
from jamsos.legal.types import Segment
from jamsos.membership.errors import OutOfRange, PersonNotFound, RequiredField
from jamsos.membership.management.commands.jakon import date_option
from jamsos.membership.models import Channel, Person
from jamsos.membership.selectors import person_get_by_nik, segment_contribution_idr
from jamsos.membership.services import PersonData, pmi_register
from jamsos.registry.errors import EditionNotFound, RegionNotFound
from jamsos.registry.selectors import region_get


def _person(scope: Any, options: dict[str, Any]) -> Person | PersonData:
    try:
        return person_get_by_nik(scope, nik=options["nik"])
    except PersonNotFound:
        pass
    for option, field in (("name", "name"), ("sex", "sex"), ("domicile", "domicile")):
        if not (options.get(option) or "").strip():
            raise RequiredField(field=field)
    try:
        domicile = region_get(options["domicile"].strip())
    except (RegionNotFound, EditionNotFound) as exc:
        raise refuse(f"--domicile: {exc.message}") from None
    return PersonData(
        nik=options["nik"],
        name=options["name"],
        birth_date=date_option(options.get("birth_date"), field="birth_date"),
        sex=options["sex"].strip().upper(),
        domicile=domicile,
        phone=options.get("phone") or None,
    )


class Command(BaseCommand):
    help = "Migrant workers (PMI): register a placement abroad before departure"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        register = sub.add_parser("register", help="Register a migrant worker's placement")
        register.add_argument("--nik", required=True)
        register.add_argument("--country", required=True, help="Destination, ISO code (MY)")
        register.add_argument("--months", required=True, help="Placement length, 1 to 120")
        register.add_argument("--start", required=True, help="Protection starts, YYYY-MM-DD")
        register.add_argument("--name", help="New person: full name")
        register.add_argument("--birth-date", dest="birth_date", help="New person: YYYY-MM-DD")
        register.add_argument("--sex", help="New person: M or F")
        register.add_argument("--domicile", help="New person: village code")
        register.add_argument("--phone", help="New person: mobile phone (optional)")
        common_options(register)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options.get("lang") or "id"):
            scope = scope_from_options(options)
            try:
                text = str(options["months"]).strip()
                if not text.isascii() or not text.isdigit():
                    raise OutOfRange(field="placement_months", value=text, minimum=1, maximum=120)
                person = _person(scope, options)
                membership = pmi_register(
                    person=person,
                    destination_country=options["country"],
                    placement_months=int(text),
                    start_date=date_option(options["start"], field="start_date"),
                    channel=Channel.BRANCH,
                    by=scope,
                )
            except ApplicationError as exc:
                raise refuse(exc.message) from None
        placement = membership.placement
        assert placement is not None
        package = segment_contribution_idr(
            Segment.PMI, placement.start_date, placement_months=placement.placement_months
        )
        self.stdout.write(f"KPJ {membership.kpj}  {membership.person.name}")
        self.stdout.write(
            f"penempatan / placement: {placement.destination_country}, "
            f"{placement.placement_months} bulan / months, "
            f"{placement.start_date.isoformat()} – {placement.end_date.isoformat()}"
        )
        if package is not None:
            self.stdout.write(f"paket JKK+JKM / package: {rupiah(package)}")
