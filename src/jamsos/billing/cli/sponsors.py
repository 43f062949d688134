"""``jamsos billing sponsor``: a sponsor pays the BPU packages of a list of workers for a term."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from jamsos.billing.errors import BillingError
from jamsos.billing.services.sponsorships import sponsorship_create
from jamsos.core.errors import ApplicationError
from jamsos.uploads.limits import read_capped, text_lines


def register(sub: Any) -> None:
    p = sub.add_parser(
        "sponsor",
        help="Record a sponsor paying for a list of BPU workers (pekerja rentan) for a term",
        description=(
            "A regional budget (APBD), company CSR or zakat body pays the BPU packages of the "
            "workers in FILE (one KPJ a line, or a CSV with a 'kpj' column) from --from to --to. "
            "The whole list is checked first; one bad KPJ writes nothing."
        ),
    )
    p.add_argument("file", help="KPJ list: one a line, or CSV with a 'kpj' column")
    p.add_argument("--ref", required=True, help="Sponsor reference, e.g. APBD-3204")
    p.add_argument(
        "--name", required=True, help="Sponsor name, e.g. 'Pemerintah Kabupaten Bandung'"
    )
    p.add_argument(
        "--kind", required=True, choices=["regional_budget", "csr", "zakat"], help="Sponsor kind"
    )
    p.add_argument("--reference", default="", help="Decree or agreement number")
    p.add_argument("--from", dest="first", required=True, metavar="YYYY-MM")
    p.add_argument("--to", dest="last", required=True, metavar="YYYY-MM")
    p.set_defaults(handler=_sponsor)


def _kpjs(path: Path) -> list[str]:
    try:
        with path.open("rb") as stream:
            text = read_capped(stream, file_name=path.name).decode("utf-8-sig")
        lines = [line for line in text_lines(text, file_name=path.name) if line.strip()]
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"Berkas tidak dapat dibaca / cannot read {path}: {exc}") from exc
    except ApplicationError as exc:
        raise CommandError(exc.message) from exc
    if lines and "kpj" in lines[0].lower():
        dialect = ";" if lines[0].count(";") > lines[0].count(",") else ","
        return [row.get("kpj", "") or "" for row in csv.DictReader(lines, delimiter=dialect)]
    return [line.strip() for line in lines]


def _sponsor(command: Any, options: dict[str, Any]) -> None:
    try:
        sponsorship = sponsorship_create(
            sponsor_ref=options["ref"],
            sponsor_name=options["name"],
            sponsor_kind=options["kind"],
            reference=options["reference"],
            first_period=options["first"],
            last_period=options["last"],
            kpjs=_kpjs(Path(options["file"])),
        )
    except (BillingError, ApplicationError) as exc:
        raise CommandError(exc.message) from exc
    payer = sponsorship.payer
    command.stdout.write(
        f"{sponsorship.memberships.count()} pekerja dibiayai {payer.name} "
        f"({sponsorship.first_period} s.d. {sponsorship.last_period}); "
        f"VA {payer.virtual_account}."
    )
