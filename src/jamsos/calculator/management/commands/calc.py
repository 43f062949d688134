"""`jamsos calc contribution`: one person-month's contributions, line by line, with references."""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from jamsos.core.formatting import (
    PAYER_LABELS,
    PROGRAM_LABELS,
    format_money,
    format_period,
    format_rate,
    label,
    render_notes,
)
from jamsos.legal import Breakdown, EmployerSize, Industry, LegalInputError, Payer, Segment
from jamsos.legal.contribution import contribution
from jamsos.legal.inputs import contribution_input

CALC_DESCRIPTION = """\
Calculations under the law in force for a contribution month, with the regulation behind every
figure. Nothing is read from or written to the database.

example:
  jamsos calc contribution --segment PU --period 2025-03 --wage 5000000

Run `jamsos calc contribution --help` for every option."""

CONTRIBUTION_DESCRIPTION = """\
Compute one person-month's contributions under the law in force for --period: one line per
program and payer (base, rate, amount and legal reference), the totals per payer, and notes.
Every value is checked by the same rules as the API and the web simulator; bad input prints
the reason, naming the option, and exits with status 2."""

CONTRIBUTION_EPILOG = """\
examples:
  jamsos calc contribution --segment PU --period 2025-03 --wage 5000000
  jamsos calc contribution --segment PU --period 2025-03 --wage 5000000 --risk-class 3 \\
      --employer-size small --programs JP --lang en
  jamsos calc contribution --segment PU --period 2025-05 --wage 4000000 \\
      --industry footwear --workers 120
  jamsos calc contribution --segment BPU --period 2025-03 --income 3500000 --programs JHT
  jamsos calc contribution --segment JAKON --period 2025-03 --contract-value 2000000000
  jamsos calc contribution --segment PMI --period 2025-03 --placement-months 24 --json

--json prints the stable contract, the same body as POST /api/v1/calculations/contribution:
  {"period", "segment", "lines": [{"program", "payer", "base_idr", "rate", "amount_idr",
  "reference"}], "totals": {"employer_idr", "worker_idr", "participant_idr",
  "government_idr", "total_idr"}}   (rate is a decimal string, or null for a flat amount)"""

#: Terminal width from which the table shows programs' full names.
WIDE_TABLE = 150

#: Options passed on to the legal engine: (argparse dest, public input field).
INPUT_OPTIONS = (
    ("segment", "segment"),
    ("period", "period"),
    ("wage", "wage"),
    ("income", "income"),
    ("contract_value", "contract_value"),
    ("placement_months", "placement_months"),
    ("risk_class", "risk_class"),
    ("employer_size", "employer_size"),
    ("programs", "programs"),
    ("industry", "industry"),
    ("workers", "workers"),
)
#: The public input field named by each option, for error messages.
OPTION_OF_FIELD = {field: "--" + dest.replace("_", "-") for dest, field in INPUT_OPTIONS}
OPTION_OF_FIELD["jkp_eligible"] = "--not-jkp-eligible"


def _choices(enum: type[Segment] | type[EmployerSize] | type[Industry]) -> str:
    return "{" + ",".join(member.value for member in enum) + "}"


class Command(BaseCommand):
    help = "Calculations under the law: `contribution` computes one person-month's contributions."
    requires_system_checks: list[str] = []  # pure computation: no models, no database

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = CALC_DESCRIPTION
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="calculation", required=True, metavar="CALCULATION", title="calculations"
        )
        calc = sub.add_parser(
            "contribution",
            help="One person-month's contributions, line by line, with legal references",
            description=CONTRIBUTION_DESCRIPTION,
            epilog=CONTRIBUTION_EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        common = calc.add_argument_group("every segment")
        common.add_argument(
            "--segment",
            required=True,
            metavar=_choices(Segment),
            help="Participant segment: PU wage earners, BPU self-employed and informal workers, "
            "JAKON construction projects, PMI Indonesian migrant workers (required)",
        )
        common.add_argument(
            "--period",
            required=True,
            metavar="YYYY-MM",
            help="Contribution month, e.g. 2025-03 (required; from 2015-07 to the last month "
            "with known parameters)",
        )

        pu = calc.add_argument_group("PU (wage earners)")
        pu.add_argument(
            "--wage",
            metavar="IDR",
            help="Monthly wage (upah: basic wage + fixed allowances) in whole rupiah, "
            "e.g. 5000000 (required for PU)",
        )
        pu.add_argument(
            "--risk-class",
            metavar="1..5",
            help="JKK risk class of the business, 1 very low (0.24%%) to 5 very high (1.74%%) "
            "(PP 44/2015 Lampiran I; default 1)",
        )
        pu.add_argument(
            "--employer-size",
            metavar=_choices(EmployerSize),
            help="Employer size, which sets the mandatory programs (Perpres 109/2013): micro "
            "JKK+JKM, small adds JHT, medium and large add JP (default large)",
        )
        pu.add_argument(
            "--programs",
            metavar="JHT,JP",
            help="Optional programs joined on top of the mandatory ones, comma-separated: JHT and "
            "JP for PU micro and small employers, JHT for BPU (default none)",
        )
        pu.add_argument(
            "--industry",
            metavar="INDUSTRY",
            help="Industry, for the 50%% JKK discount of PP 7/2025 (Feb 2025 to Jan 2026): "
            + ", ".join(member.value for member in Industry)
            + " (default none)",
        )
        pu.add_argument(
            "--workers",
            metavar="N",
            help="The employer's active workers; the PP 7/2025 discount needs at least 50 "
            "(default unknown: no discount)",
        )
        pu.add_argument(
            "--not-jkp-eligible",
            action="store_true",
            help="The worker cannot join JKP (not a citizen, 54 or older at registration, or not "
            "in JKN): leaves out the JKP funding lines (default: eligible)",
        )

        bpu = calc.add_argument_group("BPU (self-employed and informal workers)")
        bpu.add_argument(
            "--income",
            metavar="IDR",
            help="Declared monthly income in whole rupiah (required for BPU); optional JHT with "
            "--programs JHT",
        )

        jakon = calc.add_argument_group("JAKON (construction projects)")
        jakon.add_argument(
            "--contract-value",
            metavar="IDR",
            help="Project contract value in whole rupiah, when wages are not known "
            "(required for JAKON)",
        )

        pmi = calc.add_argument_group("PMI (Indonesian migrant workers)")
        pmi.add_argument(
            "--placement-months",
            metavar="MONTHS",
            help="Length of the work agreement abroad in months, 1 to 120 (required for PMI)",
        )

        output = calc.add_argument_group("output")
        output.add_argument(
            "--lang",
            choices=("id", "en"),
            default="id",
            help="Language of labels, notes and error messages: id Bahasa Indonesia, "
            "en English (default id)",
        )
        output.add_argument(
            "--json",
            action="store_true",
            help="Print the breakdown as JSON (the API's response body) instead of a table",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        language = options["lang"]
        raw = {field: options[dest] for dest, field in INPUT_OPTIONS if options[dest] is not None}
        if options["not_jkp_eligible"]:
            raw["jkp_eligible"] = "false"
        try:
            breakdown = contribution(contribution_input(raw))
        except LegalInputError as exc:
            option = OPTION_OF_FIELD.get(exc.field, exc.field)
            self.stderr.write(f"{option}: {exc.message(language)}")
            sys.exit(2)
        if options["json"]:
            self.stdout.write(json.dumps(breakdown.to_json()))
            return
        with translation.override(language):
            text = self.render(breakdown, language, color=not options["no_color"])
        self.stdout.write(text, ending="")

    def render(self, breakdown: Breakdown, language: str, *, color: bool = True) -> str:
        """The breakdown as a table, the totals per payer and the notes."""
        terminal = self.stdout.isatty()
        buffer = io.StringIO()
        console = Console(
            file=buffer,
            # Not a terminal: wide enough that no reference is wrapped (grep-able output).
            width=shutil.get_terminal_size().columns if terminal else 200,
            force_terminal=terminal,
            no_color=not (terminal and color),
            highlight=False,
        )
        title = _("Contributions %(segment)s, %(period)s") % {
            "segment": breakdown.segment.value,
            "period": format_period(breakdown.period, language),
        }
        # Narrow terminals get the program codes (JKK, JHT...), wide ones the full names.
        wide = console.width >= WIDE_TABLE
        table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column(_("Program"), no_wrap=not wide)
        table.add_column(_("Payer"))
        table.add_column(_("Base"), justify="right", no_wrap=True)
        table.add_column(_("Rate"), justify="right", no_wrap=True)
        table.add_column(_("Amount"), justify="right", no_wrap=True)
        table.add_column(_("Reference"))
        for line in breakdown.lines:
            table.add_row(
                label(PROGRAM_LABELS, line.program.value) if wide else line.program.value,
                label(PAYER_LABELS, line.payer.value),
                format_money(line.base_idr, language),
                format_rate(line.rate, language) if line.rate is not None else _("flat"),
                format_money(line.amount_idr, language),
                Text(line.reference),
            )
        console.print(table)

        totals = breakdown.totals
        amounts = {
            Payer.EMPLOYER: totals.employer_idr,
            Payer.WORKER: totals.worker_idr,
            Payer.PARTICIPANT: totals.participant_idr,
            Payer.GOVERNMENT: totals.government_idr,
        }
        summary = Table(title=_("Totals per payer"), box=box.SIMPLE_HEAD, title_justify="left")
        summary.add_column(_("Payer"))
        summary.add_column(_("Amount"), justify="right")
        for payer, amount in amounts.items():
            if amount:
                summary.add_row(label(PAYER_LABELS, payer.value), format_money(amount, language))
        summary.add_row(
            f"[bold]{_('Total')}[/bold]", f"[bold]{format_money(totals.total_idr, language)}[/]"
        )
        console.print(summary)
        if any(line.payer is Payer.RECOMPOSED for line in breakdown.lines):
            console.print(
                _(
                    "Recomposed lines show the part of the employer's JKK/JKM contribution "
                    "allocated to JKP; they are already in the employer's amount."
                ),
                soft_wrap=True,
            )
            console.print()

        notes = render_notes(breakdown.notes, language)
        if notes:
            console.print(f"[bold]{_('Notes')}[/bold]")
            for note in notes:
                console.print(f"- {note}", markup=False, soft_wrap=True)
        text = buffer.getvalue()
        if terminal:
            return text
        return "".join(line.rstrip() + "\n" for line in text.splitlines())
