"""`jamsos calc`: contributions for a person-month, benefits for a claim, the JP pension age.

``contribution``: one person-month's contributions, line by line, with references.
``benefit``: the benefits of one claim under the law in force on --date (a simulator: the stated
history is taken as given). ``pension-age``: the JP pension age for a calendar year."""

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

from jamsos.calculator.benefit_labels import (
    CASE_LABELS,
    line_label,
    note_texts,
    reason_texts,
)
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
from jamsos.legal.benefits import (
    CASES,
    JHT_REASONS,
    SCHOOL_LEVELS,
    SURVIVORS,
    BenefitResult,
    benefit_calculate,
    benefit_input,
    pension_age,
)
from jamsos.legal.contribution import contribution
from jamsos.legal.inputs import contribution_input

CALC_DESCRIPTION = """\
Calculations under the law in force for a contribution month, with the regulation behind every
figure. Nothing is read from or written to the database.

examples:
  jamsos calc contribution --segment PU --period 2025-03 --wage 5000000
  jamsos calc benefit --program JKM --case death --date 2025-03-10 --contribution-months 12
  jamsos calc pension-age --year 2025

Run `jamsos calc contribution --help` or `jamsos calc benefit --help` for every option."""

BENEFIT_DESCRIPTION = """\
Simulate the benefits of one claim under the law in force on --date (the date of the death,
accident, job loss or claim). The history you state (wage, contribution months, children...) is
taken as given; a condition left unstated is taken as met, and the output says so. Each line
names its regulation. Amounts are gross; tax withheld is a negative "tax" line. Not being
entitled exits 0 with eligible false and the reasons; bad input prints the reason, naming the
option, and exits with status 2."""

BENEFIT_EPILOG = """\
cases:
  JKM death | JKK death, temporary_disability, total_permanent_disability, partial_disability
  JHT full, partial_10, partial_30 | JP old_age, disability, death | JKP job_loss

examples:
  jamsos calc benefit --program JKM --case death --date 2025-03-10 --contribution-months 12
  jamsos calc benefit --program JKM --case death --date 2025-03-10 --contribution-months 48 \\
      --child SD --child SMA
  jamsos calc benefit --program JKK --case temporary_disability --date 2025-03-10 \\
      --wage 5000000 --months-unable 18
  jamsos calc benefit --program JKK --case partial_disability --date 2025-03-10 \\
      --wage 5000000 --disability-percent 35
  jamsos calc benefit --program JHT --case full --date 2025-03-10 --balance 80000000
  jamsos calc benefit --program JP --case old_age --date 2025-06-01 \\
      --contribution-months 240 --average-wage 6000000
  jamsos calc benefit --program JKP --case job_loss --date 2025-03-10 --wage 4000000 --json

--json prints one object, the same body as POST /api/v1/calculations/benefit:
  {"program", "case", "date", "eligible", "reasons": [...], "lines": [{"benefit",
  "amount_idr", "per_month_idr", "months", "reference"}], "total_idr"}
  (amount_idr is null for a pension paid for life; total_idr sums the non-null amounts)"""

#: Benefit options passed on to the legal engine: (argparse dest, public input field).
BENEFIT_OPTIONS = (
    ("program", "program"),
    ("case", "case"),
    ("date", "date"),
    ("segment", "segment"),
    ("wage", "wage"),
    ("contribution_months", "contribution_months"),
    ("months_unable", "months_unable"),
    ("disability_percent", "disability_percent"),
    ("disability_row", "disability_row"),
    ("functional_loss_percent", "functional_loss_percent"),
    ("balance", "balance"),
    ("average_wage", "average_wage"),
    ("membership_months", "membership_months"),
    ("contribution_density_percent", "contribution_density_percent"),
    ("claim_reason", "claim_reason"),
    ("months_since_stop", "months_since_stop"),
    ("age", "age"),
    ("survivor", "survivor"),
    ("months_since_job_loss", "months_since_job_loss"),
    ("consecutive_months", "consecutive_months"),
    ("jkp_claims_before", "jkp_claims_before"),
)
BENEFIT_OPTION_OF_FIELD = {field: "--" + dest.replace("_", "-") for dest, field in BENEFIT_OPTIONS}
BENEFIT_OPTION_OF_FIELD["children"] = "--child"
BENEFIT_OPTION_OF_FIELD["jht_partial_claimed"] = "--jht-partial-claimed"

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

        self.add_benefit_arguments(sub)

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

    def add_benefit_arguments(self, sub: Any) -> None:
        calc = sub.add_parser(
            "benefit",
            help="The benefits of one claim under the law in force on --date, with references",
            description=BENEFIT_DESCRIPTION,
            epilog=BENEFIT_EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        claim = calc.add_argument_group("the claim")
        claim.add_argument(
            "--program", required=True, metavar="{" + ",".join(CASES) + "}", help="Program"
        )
        claim.add_argument("--case", required=True, metavar="CASE", help="Case (see below)")
        claim.add_argument(
            "--date",
            required=True,
            metavar="YYYY-MM-DD",
            help="Date of the event (death, accident, job loss) or of the claim: its law applies",
        )
        claim.add_argument(
            "--segment", metavar="PU|BPU", help="PU wage earner (default) or BPU self-employed"
        )
        history = calc.add_argument_group("the stated history")
        history.add_argument(
            "--wage",
            metavar="IDR",
            help="Monthly wage (PU) or declared income (BPU), whole rupiah (JKK, JKP)",
        )
        history.add_argument(
            "--contribution-months", metavar="N", help="Months of contributions paid (masa iur)"
        )
        history.add_argument(
            "--months-unable", metavar="N", help="JKK temporary disability: months unable to work"
        )
        history.add_argument(
            "--disability-percent",
            metavar="P",
            help="JKK partial disability: the disability table's percent, 0-100",
        )
        history.add_argument(
            "--disability-row",
            metavar="ROW",
            help="JKK partial disability: a row of the disability table instead of a percent "
            "(e.g. one_eye, right_arm_from_shoulder)",
        )
        history.add_argument(
            "--functional-loss-percent",
            metavar="P",
            help="JKK partial disability, functional: percent of function lost, 0-100",
        )
        history.add_argument(
            "--child",
            action="append",
            metavar="LEVEL",
            help="Once per child: the school level now, "
            + ", ".join(SCHOOL_LEVELS)
            + " (scholarship for the rest of the path; 2 children at most)",
        )
        history.add_argument(
            "--balance", metavar="IDR", help="JHT balance, or JP balance (lump sum)"
        )
        history.add_argument(
            "--average-wage", metavar="IDR", help="JP: average indexed monthly wage"
        )
        history.add_argument(
            "--membership-months",
            metavar="N",
            help="Months of membership (JHT partial claim, JP survivor; default: contribution "
            "months)",
        )
        history.add_argument(
            "--contribution-density-percent",
            metavar="P",
            help="JP disability and survivor: share of membership months paid, 0-100",
        )
        history.add_argument(
            "--claim-reason",
            metavar="{" + ",".join(JHT_REASONS) + "}",
            help="JHT full claim: why (default: taken as met)",
        )
        history.add_argument(
            "--months-since-stop", metavar="N", help="JHT: whole months since work stopped"
        )
        history.add_argument(
            "--jht-partial-claimed",
            action="store_true",
            help="JHT: a partial claim was already paid (allowed once)",
        )
        history.add_argument("--age", metavar="N", help="Age on --date (JHT age 56, JP old age)")
        history.add_argument(
            "--survivor",
            metavar="{" + ",".join(SURVIVORS) + "}",
            help="JP death: who receives the survivor pension (default spouse)",
        )
        history.add_argument(
            "--months-since-job-loss", metavar="N", help="JKP: whole months since the job loss"
        )
        history.add_argument(
            "--consecutive-months",
            metavar="N",
            help="JKP (PP 37/2021): consecutive months paid just before the job loss",
        )
        history.add_argument(
            "--jkp-claims-before", metavar="N", help="JKP: claims already paid (3 at most)"
        )
        output = calc.add_argument_group("output")
        output.add_argument(
            "--lang", choices=("id", "en"), default="id", help="Language (default id)"
        )
        output.add_argument("--json", action="store_true", help="Print the result as JSON")

        age = sub.add_parser(
            "pension-age",
            help="The JP pension age for a calendar year (PP 45/2015 Pasal 15)",
            description="The JP pension age (usia pensiun) for a calendar year: 56, 57 from "
            "2019, one year more every 3 years, 65 from 2043.",
        )
        age.add_argument("--year", required=True, metavar="YYYY", help="Calendar year")
        age.add_argument("--lang", choices=("id", "en"), default="id", help="Language")
        age.add_argument("--json", action="store_true", help='Print {"year", "pension_age"}')

    def handle(self, *args: Any, **options: Any) -> None:
        if options["calculation"] == "benefit":
            self.handle_benefit(options)
            return
        if options["calculation"] == "pension-age":
            self.handle_pension_age(options)
            return
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

    def handle_pension_age(self, options: dict[str, Any]) -> None:
        language = options["lang"]
        text = str(options["year"]).strip()
        try:
            if not text.isdigit():
                raise LegalInputError("year", "not_whole_number", value=text)
            year = int(text)
            age = pension_age(year)
        except LegalInputError as exc:
            self.stderr.write(f"--year: {exc.message(language)}")
            sys.exit(2)
        if options["json"]:
            self.stdout.write(json.dumps({"year": year, "pension_age": age}))
            return
        with translation.override(language):
            self.stdout.write(
                _("JP pension age in %(year)s: %(age)s years (PP 45/2015 Pasal 15)")
                % {"year": year, "age": age}
            )

    def handle_benefit(self, options: dict[str, Any]) -> None:
        language = options["lang"]
        raw: dict[str, Any] = {
            field: options[dest] for dest, field in BENEFIT_OPTIONS if options[dest] is not None
        }
        if options["child"]:
            raw["children"] = list(options["child"])
        if options["jht_partial_claimed"]:
            raw["jht_partial_claimed"] = True
        try:
            result = benefit_calculate(benefit_input(raw))
        except LegalInputError as exc:
            option = BENEFIT_OPTION_OF_FIELD.get(exc.field, "--" + exc.field.replace("_", "-"))
            self.stderr.write(f"{option}: {exc.message(language)}")
            sys.exit(2)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
            return
        with translation.override(language):
            text = self.render_benefit(result, language, color=not options["no_color"])
        self.stdout.write(text, ending="")

    def render_benefit(self, result: BenefitResult, language: str, *, color: bool = True) -> str:
        """The benefits as a table, the total, the reasons and the notes."""
        terminal = self.stdout.isatty()
        buffer = io.StringIO()
        console = Console(
            file=buffer,
            width=shutil.get_terminal_size().columns if terminal else 200,
            force_terminal=terminal,
            no_color=not (terminal and color),
            highlight=False,
        )
        title = _("Benefits %(program)s: %(case)s, %(date)s") % {
            "program": result.program,
            "case": label(CASE_LABELS, result.case),
            "date": result.date.isoformat(),
        }
        if not result.eligible:
            console.print(f"[bold]{title}[/bold]")
            console.print(f"[bold]{_('Not eligible')}[/bold]")
            for reason in reason_texts(result, language):
                console.print(f"- {reason}", markup=False, soft_wrap=True)
        else:
            table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
            table.add_column(_("Benefit"))
            table.add_column(_("Per month"), justify="right", no_wrap=True)
            table.add_column(_("Months"), justify="right", no_wrap=True)
            table.add_column(_("Amount"), justify="right", no_wrap=True)
            table.add_column(_("Reference"))
            for line in result.lines:
                table.add_row(
                    Text(line_label(line)),
                    format_money(line.per_month_idr, language)
                    if line.per_month_idr is not None
                    else "",
                    str(line.months) if line.months is not None else "",
                    format_money(line.amount_idr, language)
                    if line.amount_idr is not None
                    else _("for life"),
                    Text(line.reference),
                )
            table.add_row(
                f"[bold]{_('Total')}[/bold]",
                "",
                "",
                f"[bold]{format_money(result.total_idr, language)}[/bold]",
                "",
            )
            console.print(table)
        notes = note_texts(result, language)
        if notes:
            console.print(f"[bold]{_('Notes')}[/bold]")
            for note in notes:
                console.print(f"- {note}", markup=False, soft_wrap=True)
        text = buffer.getvalue()
        if terminal:
            return text
        return "".join(line.rstrip() + "\n" for line in text.splitlines())
