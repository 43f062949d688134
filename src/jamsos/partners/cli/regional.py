"""``jamsos regional ...``: the register of regional policy work.

    jamsos regional list [--region 73] [--kind regulation] [--status in_force]
    jamsos regional commitments [--region 35.78] [--status open]
    jamsos regional add-instrument --kind circular --title T --region 73 --issuer I
                                   [--number N] [--status signed] [--source S]
    jamsos regional add-commitment --what W --who P --region 35.78.02.1001 --made-on D
                                   --made-at EVENT [--due D] [--source S]
    jamsos regional done ID --on 2025-03-01 [--note N]
    jamsos regional load [FILE]        # default: the seed rows (partners/data/regional_seed.yaml)

Every command takes ``--as USERNAME`` and ``--lang id|en``; refusals exit with status 2.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from jamsos.access.scope import Scope
from jamsos.partners.cli.pendataan import _common, _run
from jamsos.partners.selectors.regional import (
    commitment_get,
    commitments_visible,
    instruments_visible,
)
from jamsos.partners.services.regional import (
    commitment_create,
    commitment_done,
    instrument_save,
    regional_load,
    seed_file,
)


def register(sub: Any) -> None:
    p = sub.add_parser("list", help="Instruments (regulations, budget lines, circulars, ...)")
    p.add_argument("--region", default="")
    p.add_argument("--kind", default="")
    p.add_argument("--status", default="")
    _common(p)
    p.set_defaults(handler=_list)
    p = sub.add_parser("commitments", help="Follow-up commitments")
    p.add_argument("--region", default="")
    p.add_argument("--status", default="")
    _common(p)
    p.set_defaults(handler=_commitments)
    p = sub.add_parser("add-instrument", help="Record an instrument")
    p.add_argument("--kind", required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--region", required=True)
    p.add_argument("--issuer", required=True)
    p.add_argument("--number", default="")
    p.add_argument("--status", default="draft")
    p.add_argument("--source", default="")
    _common(p)
    p.set_defaults(handler=_add_instrument)
    p = sub.add_parser("add-commitment", help="Record a follow-up commitment")
    p.add_argument("--what", required=True)
    p.add_argument("--who", required=True)
    p.add_argument("--region", required=True)
    p.add_argument("--made-on", dest="made_on", required=True, type=date.fromisoformat)
    p.add_argument("--made-at", dest="made_at", required=True)
    p.add_argument("--due", default=None, type=date.fromisoformat)
    p.add_argument("--source", default="")
    _common(p)
    p.set_defaults(handler=_add_commitment)
    p = sub.add_parser("done", help="Mark a commitment done")
    p.add_argument("id", type=int)
    p.add_argument("--on", dest="done_on", required=True, type=date.fromisoformat)
    p.add_argument("--note", default="")
    _common(p)
    p.set_defaults(handler=_done)
    p = sub.add_parser("load", help="Load a register file (default: the seed rows)")
    p.add_argument("file", nargs="?", default=None)
    _common(p)
    p.set_defaults(handler=_load)


def _list(command: Any, options: dict[str, Any]) -> None:
    def body(scope: Scope) -> None:
        rows = instruments_visible(
            scope, region=options["region"], kind=options["kind"], status=options["status"]
        )
        for i in rows:
            command.stdout.write(
                f"{i.pk}\t{i.region_code}\t{i.kind}\t{i.status}\t{i.number}\t{i.title}"
            )

    _run(options, body)


def _commitments(command: Any, options: dict[str, Any]) -> None:
    def body(scope: Scope) -> None:
        for c in commitments_visible(scope, region=options["region"], status=options["status"]):
            command.stdout.write(
                f"{c.pk}\t{c.region_code}\t{c.status}\t{c.due_on or '-'}\t{c.what[:80]}"
            )

    _run(options, body)


def _add_instrument(command: Any, options: dict[str, Any]) -> None:
    def body(scope: Scope) -> None:
        i = instrument_save(
            scope,
            kind=options["kind"],
            title=options["title"],
            region_code=options["region"],
            issuer=options["issuer"],
            number=options["number"],
            status=options["status"],
            source=options["source"],
        )
        command.stdout.write(f"{i.pk}\t{i}")

    _run(options, body)


def _add_commitment(command: Any, options: dict[str, Any]) -> None:
    def body(scope: Scope) -> None:
        c = commitment_create(
            scope,
            what=options["what"],
            who=options["who"],
            region_code=options["region"],
            made_on=options["made_on"],
            made_at=options["made_at"],
            due_on=options["due"],
            source=options["source"],
        )
        command.stdout.write(f"{c.pk}\t{c}")

    _run(options, body)


def _done(command: Any, options: dict[str, Any]) -> None:
    def body(scope: Scope) -> None:
        c = commitment_done(
            scope,
            commitment_get(scope, options["id"]),
            done_on=options["done_on"],
            note=options["note"],
        )
        command.stdout.write(f"{c.pk}\t{c.status}\t{c.done_on}")

    _run(options, body)


def _load(command: Any, options: dict[str, Any]) -> None:
    def body(scope: Scope) -> None:
        path = Path(options["file"]) if options["file"] else seed_file()
        result = regional_load(scope, path)
        command.stdout.write(" ".join(f"{key}={value}" for key, value in result.summary().items()))

    _run(options, body)
