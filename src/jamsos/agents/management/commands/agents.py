"""``jamsos agents ...``: Perisai agents (docs/registry/segments.md).

jamsos agents appoint --code CODE --nik NIK --office KC3204 --region 32.04.05.2001
jamsos agents enrol --agent CODE --nik NIK --income 1500000 [--jht] [--as USERNAME]
jamsos agents collect --agent CODE --kpj KPJ --amount 16800 --receipt R-1 [--paid-on D]
jamsos agents commissions --month 2026-11
jamsos agents list
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from jamsos.access.cli import common_options, scope_from_options
from jamsos.agents.selectors import agent_list
from jamsos.agents.services import (
    agent_appoint,
    agent_collect,
    agent_enrol,
    commissions_compute,
    month_bounds,
)
from jamsos.billing.models import PaymentChannel
from jamsos.core.cli import refuse, text_table
from jamsos.core.clock import today_in_jakarta
from jamsos.core.errors import ApplicationError
from jamsos.core.formatting import format_money, format_number
from jamsos.membership.identifiers import nik_compact
from jamsos.membership.models import BranchOffice, Person
from jamsos.registry.selectors import region_get


class Command(BaseCommand):
    help = "Perisai agents: appoint, enrol, collect, commissions --month YYYY-MM, list"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        appoint = sub.add_parser("appoint", help="Appoint a registered person as an agent")
        appoint.add_argument("--code", required=True)
        appoint.add_argument("--nik", required=True)
        appoint.add_argument("--office", required=True, help="Branch office code")
        appoint.add_argument("--region", required=True, help="Village or district code")
        enrol = sub.add_parser("enrol", help="Enrol a registered person as the agent's BPU worker")
        enrol.add_argument("--agent", required=True)
        enrol.add_argument("--nik", required=True)
        enrol.add_argument("--income", type=int, required=True)
        enrol.add_argument("--jht", action="store_true")
        collect = sub.add_parser("collect", help="Record contributions the agent collected")
        collect.add_argument("--agent", required=True)
        collect.add_argument("--kpj", required=True)
        collect.add_argument("--amount", type=int, required=True)
        collect.add_argument("--receipt", required=True)
        collect.add_argument("--paid-on", type=date.fromisoformat)
        commissions = sub.add_parser("commissions", help="Compute every agent's statement")
        commissions.add_argument("--month", required=True, help="YYYY-MM")
        sub.add_parser("list", help="The agents with their workers and this month's work")
        for parser_ in sub.choices.values():
            common_options(parser_)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options.get("lang") or "id"):
            scope = scope_from_options(options)
            try:
                getattr(self, "_" + options["action"])(scope, options)
            except ApplicationError as error:
                raise refuse(f"{error.code}: {error.message}") from error

    def _appoint(self, scope: Any, options: dict[str, Any]) -> None:
        office = BranchOffice.objects.filter(code=options["office"].strip().upper()).first()
        if office is None:
            raise refuse(f"Kantor cabang {options['office']} tidak ada / no such branch office.")
        agent = agent_appoint(
            code=options["code"],
            nik=options["nik"],
            branch_office=office,
            region=region_get(options["region"]),
            by=scope,
        )
        self.stdout.write(f"agen {agent.code}: {agent.person.name} ({office.code})")

    def _enrol(self, scope: Any, options: dict[str, Any]) -> None:
        person = Person.objects.filter(nik=nik_compact(options["nik"])).first()
        if person is None:
            raise refuse("NIK belum terdaftar / NIK not registered.")
        link = agent_enrol(
            person=person,
            declared_income_idr=options["income"],
            with_jht=options["jht"],
            agent_code=options["agent"],
            by=scope,
        )
        self.stdout.write(f"KPJ {link.membership.kpj} ({link.membership.programs})")

    def _collect(self, scope: Any, options: dict[str, Any]) -> None:
        result = agent_collect(
            kpj=options["kpj"],
            amount_idr=options["amount"],
            reference=options["receipt"],
            paid_on=options.get("paid_on"),
            agent_code=options["agent"],
            channel=PaymentChannel.CLI,
            by=scope,
        )
        state = "dicatat / recorded" if result.created else "sudah tercatat / already recorded"
        self.stdout.write(
            f"{state}: {format_money(result.collection.amount_idr)} "
            f"(bulan ke-{result.collection.participant_month})"
        )

    def _commissions(self, scope: Any, options: dict[str, Any]) -> None:
        run = commissions_compute(month=options["month"], by=scope)
        self.stdout.write(
            f"{run.month}: {format_number(run.statements)} agen, total "
            f"{format_money(run.total_idr)}, kantor {format_money(run.office_idr)}\n"
            f"aturan / rule: {run.rule}"
        )

    def _list(self, scope: Any, options: dict[str, Any]) -> None:
        today = today_in_jakarta()
        start, after = month_bounds(f"{today.year:04d}-{today.month:02d}")
        rows = [
            [
                a.code,
                a.person.name,
                a.branch_office.code,
                a.status,
                format_number(a.worker_count),
                format_number(a.new_count),
                format_money(a.collected_idr or 0),
            ]
            for a in agent_list(scope, month_start=start, month_after=after)
        ]
        header = ["agen", "nama", "kantor", "status", "peserta", "baru", "tagihan bulan ini"]
        self.stdout.write(text_table(rows, header) if rows else "(belum ada agen / no agents)")
