"""``jamsos coverage targets list | set | delete | load``: coverage targets and their progress.

    jamsos coverage targets list [--region 00] [--office KC3204]
    jamsos coverage targets set --level 0|1|2|9 [--region 32.04 | --office KC3204] [--segment BPU]
                                --baseline 2025-01 --target-period 2026-12 --target 70000000
                                [--source TEXT] [--note TEXT] [--id N (change target N)]
    jamsos coverage targets delete --id N
    jamsos coverage targets load [--file targets.yaml]

``load`` reads the packaged ``jamsos/coverage/data/targets.yaml`` (the national universal
coverage target) unless ``--file`` names another; it is idempotent. Writes are audited. Without
``--as`` the operator acts as an administrator; a refusal exits with status 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from jamsos.access.cli import common_options, scope_from_options
from jamsos.core.cli import refuse
from jamsos.core.errors import ApplicationError
from jamsos.coverage.cli._common import num, pct
from jamsos.coverage.selectors import TargetProgress, target_progress
from jamsos.coverage.services.targets import (
    target_create,
    target_delete,
    target_update,
    targets_seed,
)
from jamsos.membership.models import BranchOffice


def register(sub: Any) -> None:
    """Add ``targets`` and its actions."""
    targets = sub.add_parser("targets", help="Coverage targets and their progress")
    actions = targets.add_subparsers(
        dest="targets_action", required=True, parser_class=CommandParser
    )

    listing = actions.add_parser("list", help="Targets with progress, gap and projection")
    listing.add_argument("--region", help="Only this region's targets")
    listing.add_argument("--office", help="Only this branch office's targets (code)")
    common_options(listing)
    listing.set_defaults(handler=_list)

    put = actions.add_parser("set", help="Create a target, or change one with --id")
    put.add_argument("--id", type=int, help="Change this target instead of creating one")
    put.add_argument("--level", help="0 national, 1 province, 2 regency, 9 branch office")
    put.add_argument("--region", help="Region code (province or regency)")
    put.add_argument("--office", help="Branch office code (level 9)")
    put.add_argument("--segment", help="PU, BPU, JAKON or PMI (default: all)")
    put.add_argument("--baseline", help="Month the target starts from, YYYY-MM")
    put.add_argument("--target-period", dest="target_period", help="Month it is due, YYYY-MM")
    put.add_argument("--target", dest="target_active", help="Active participants to reach")
    put.add_argument("--source", help="Decree, plan or agreement")
    put.add_argument("--note")
    common_options(put)
    put.set_defaults(handler=_set)

    delete = actions.add_parser("delete", help="Delete a target")
    delete.add_argument("--id", type=int, required=True)
    common_options(delete)
    delete.set_defaults(handler=_delete)

    load = actions.add_parser("load", help="Load the seeded targets (national 70 million)")
    load.add_argument("--file", help="A targets YAML file (default: the packaged one)")
    common_options(load)
    load.set_defaults(handler=_load)


def describe(p: TargetProgress, lang: str) -> list[str]:
    where = p.branch_office_code or p.region_code
    track = {True: "sesuai jalur / on track", False: "tertinggal / behind", None: "–"}[p.on_track]
    lines = [
        f"#{p.target_id} {where} {p.name} segmen/segment {p.segment or 'semua/all'}: "
        f"{num(p.target_active, lang)} aktif/active per {p.target_period}"
        f" (awal/baseline {p.baseline_period}: {num(p.baseline_active, lang)})",
        f"    kini/now {p.current_period or '–'}: {num(p.current_active, lang)}"
        f" ({pct(p.achieved, lang)})  selisih/gap {num(p.gap, lang)}"
        f"  sisa/months left {p.months_left}",
        f"    perlu/needed {num(p.monthly_needed, lang)} per bulan/month"
        f" ({pct(p.monthly_rate_needed, lang)} majemuk/compound)"
        f"  tren/trend {p.trend_per_month if p.trend_per_month is not None else '–'}"
        f" per bulan/month ({p.trend_months} bln/months)"
        f"  proyeksi/projection {num(p.projected_active, lang)}: {track}",
    ]
    if p.source:
        lines.append(f"    sumber/source: {p.source}")
    return lines


def _list(command: BaseCommand, options: dict[str, Any]) -> None:
    lang = options.get("lang") or "id"
    with translation.override(lang):
        try:
            scope = scope_from_options(options)
            office_id = None
            if options.get("office"):
                office = BranchOffice.objects.filter(code=options["office"]).first()
                office_id = office.pk if office else -1
            rows = target_progress(scope, code=options.get("region"), office_id=office_id)
        except ApplicationError as exc:
            raise refuse(exc.message) from None
        for row in rows:
            for line in describe(row, lang):
                command.stdout.write(line)
        command.stdout.write(f"{len(rows)} target")


def _set(command: BaseCommand, options: dict[str, Any]) -> None:
    lang = options.get("lang") or "id"
    fields = {
        "level": options.get("level"),
        "region_code": options.get("region"),
        "branch_office": options.get("office"),
        "segment": options.get("segment"),
        "baseline_period": options.get("baseline"),
        "target_period": options.get("target_period"),
        "target_active": options.get("target_active"),
        "source": options.get("source"),
        "note": options.get("note"),
    }
    with translation.override(lang):
        try:
            scope = scope_from_options(options)
            if options.get("id"):
                given = {k: v for k, v in fields.items() if v is not None}
                target = target_update(scope, options["id"], **given)
                verb = "diubah / updated"
            else:
                target = target_create(scope, **{k: v or "" for k, v in fields.items()})
                verb = "dibuat / created"
        except ApplicationError as exc:
            raise refuse(exc.message) from None
        command.stdout.write(f"Target #{target.pk} {verb}: {target}")


def _delete(command: BaseCommand, options: dict[str, Any]) -> None:
    with translation.override(options.get("lang") or "id"):
        try:
            target_delete(scope_from_options(options), options["id"])
        except ApplicationError as exc:
            raise refuse(exc.message) from None
        command.stdout.write(f"Target #{options['id']} dihapus / deleted")


def _load(command: BaseCommand, options: dict[str, Any]) -> None:
    with translation.override(options.get("lang") or "id"):
        try:
            path = Path(options["file"]) if options.get("file") else None
            result = targets_seed(path=path, scope=scope_from_options(options))
        except ApplicationError as exc:
            raise refuse(exc.message) from None
        command.stdout.write(f"Target: {result.summary()}")
