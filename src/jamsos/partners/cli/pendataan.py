"""``jamsos pendataan ...``: listing campaigns, cadres, imports, the funnel, follow-up lists.

    jamsos pendataan campaigns add CODE --name N --village 3204052001 --from D --to D
                                   [--office KC3204] [--partner P] [--agreement PKS] [--open]
    jamsos pendataan campaigns list
    jamsos pendataan campaigns close CODE
    jamsos pendataan cadres add --campaign C --name N --code K01 [--phone P] [--user USERNAME]
    jamsos pendataan import FILE --campaign C [--format csv|xlsx|kobo-csv|kobo-json|odk-json]
                            [--accept-valid] [--report OUT.csv]
    jamsos pendataan funnel --campaign C [--by cadre|village|ecosystem] [--csv]
    jamsos pendataan follow-up --campaign C

Every command takes ``--as USERNAME`` (act as that account; default: the operator) and
``--lang id|en``. Refusals exit with status 2 and the reason.
"""

from __future__ import annotations

import getpass
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import translation

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope, scope_for_user
from jamsos.core.errors import ApplicationError
from jamsos.core.exports import write_csv_to
from jamsos.core.masking import mask_nik, mask_phone
from jamsos.partners.selectors.pendataan import campaign_get, campaigns_visible, follow_up_list
from jamsos.partners.services.campaigns import (
    cadre_add,
    campaign_close,
    campaign_create,
    campaign_open,
)
from jamsos.partners.services.funnel import STEP_LABELS, STEPS, funnel
from jamsos.partners.services.matching import match_reason_text
from jamsos.partners.services.prospects import prospects_import, report_csv
from jamsos.uploads.limits import read_capped


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _refuse(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def _scope(options: dict[str, Any]) -> Scope:
    username = options.get("username")
    if not username:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "operator"
        return Scope.operator(name)
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise _refuse(f"Akun {username} tidak ada / no account named {username}.")
    return scope_for_user(user)


def _common(parser: Any) -> None:
    parser.add_argument("--as", dest="username", help="Act as this account (default: operator)")
    parser.add_argument("--lang", choices=["id", "en"], default="id")


def _run(options: dict[str, Any], body: Any) -> None:
    with translation.override(options.get("lang", "id")):
        try:
            body(_scope(options))
        except ApplicationError as exc:
            raise _refuse(exc.message) from exc


def register(sub: Any) -> None:
    campaigns = sub.add_parser("campaigns", help="Listing campaigns").add_subparsers(
        dest="campaigns_action", required=True
    )
    p = campaigns.add_parser("add", help="Create a campaign in one village")
    p.add_argument("code")
    p.add_argument("--name", required=True)
    p.add_argument("--village", required=True, help="10-digit or dotted village code")
    p.add_argument("--from", dest="starts_on", required=True, type=date.fromisoformat)
    p.add_argument("--to", dest="ends_on", required=True, type=date.fromisoformat)
    p.add_argument("--office", default="", help="Branch office code (default: yours)")
    p.add_argument("--partner", default="")
    p.add_argument("--agreement", default="", help="Agreement (PKS) number; refused if expired")
    p.add_argument("--open", action="store_true", help="Open it at once (status running)")
    _common(p)
    p.set_defaults(handler=_campaign_add)
    p = campaigns.add_parser("list", help="Campaigns you may see")
    _common(p)
    p.set_defaults(handler=_campaign_list)
    p = campaigns.add_parser("close", help="Close a campaign")
    p.add_argument("code")
    _common(p)
    p.set_defaults(handler=_campaign_close)
    cadres = sub.add_parser("cadres", help="Cadres of a campaign").add_subparsers(
        dest="cadres_action", required=True
    )
    p = cadres.add_parser("add", help="Assign a cadre")
    p.add_argument("--campaign", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--code", required=True)
    p.add_argument("--phone", default="")
    p.add_argument("--user", default=None, help="The cadre's partner-user account")
    _common(p)
    p.set_defaults(handler=_cadre_add)
    p = sub.add_parser("import", help="Import listed workers from a file")
    p.add_argument("file")
    p.add_argument("--campaign", required=True)
    p.add_argument(
        "--format", choices=["csv", "xlsx", "kobo-csv", "kobo-json", "odk-json"], default=None
    )
    p.add_argument("--accept-valid", action="store_true", help="Store the good rows anyway")
    p.add_argument("--report", default=None, help="Write the per-row report (CSV) here")
    _common(p)
    p.set_defaults(handler=_import)
    p = sub.add_parser("funnel", help="The funnel of a campaign")
    p.add_argument("--campaign", default=None)
    p.add_argument("--by", choices=["campaign", "cadre", "village", "ecosystem"], default=None)
    p.add_argument("--csv", action="store_true", help="CSV on standard output")
    _common(p)
    p.set_defaults(handler=_funnel)
    p = sub.add_parser("follow-up", help="Leads to contact (new or reactivation, with consent)")
    p.add_argument("--campaign", required=True)
    _common(p)
    p.set_defaults(handler=_follow_up)


def _campaign_add(command: Any, options: dict[str, Any]) -> None:
    def body(scope: Scope) -> None:
        campaign = campaign_create(
            scope=scope,
            code=options["code"],
            name=options["name"],
            village=options["village"],
            starts_on=options["starts_on"],
            ends_on=options["ends_on"],
            branch_office=options["office"] or None,
            partner=options["partner"] or None,
            agreement=options["agreement"] or None,
        )
        if options["open"]:
            campaign = campaign_open(scope=scope, campaign=campaign)
        command.stdout.write(
            f"{campaign.code}: {campaign.name}, {campaign.village.name} ({campaign.village.code}),"
            f" {campaign.starts_on}..{campaign.ends_on}, {campaign.status}"
        )

    _run(options, body)


def _campaign_list(command: Any, options: dict[str, Any]) -> None:
    def body(scope: Scope) -> None:
        for c in campaigns_visible(scope).order_by("code"):
            partner = c.partner.code if c.partner_id else "-"
            command.stdout.write(
                f"{c.code}\t{c.status}\t{c.village.code} {c.village.name}\t"
                f"{c.branch_office.code}\t{partner}\t{c.starts_on}..{c.ends_on}"
            )

    _run(options, body)


def _campaign_close(command: Any, options: dict[str, Any]) -> None:
    def body(scope: Scope) -> None:
        campaign = campaign_close(scope=scope, campaign=campaign_get(scope, options["code"]))
        command.stdout.write(f"{campaign.code}: {campaign.status}")

    _run(options, body)


def _cadre_add(command: Any, options: dict[str, Any]) -> None:
    def body(scope: Scope) -> None:
        cadre = cadre_add(
            scope=scope,
            campaign=campaign_get(scope, options["campaign"]),
            name=options["name"],
            code=options["code"],
            phone=options["phone"],
            username=options["user"],
        )
        command.stdout.write(f"{cadre.campaign.code} {cadre.code}: {cadre.name}")

    _run(options, body)


def _import(command: Any, options: dict[str, Any]) -> None:
    path = Path(options["file"])
    lang = options.get("lang", "id")
    try:
        with path.open("rb") as stream:
            content = read_capped(stream, file_name=path.name)
    except OSError as exc:
        raise _refuse(f"Berkas tidak dapat dibaca / cannot read {path}: {exc}") from exc
    except ApplicationError as exc:
        raise _refuse(exc.message_in(lang)) from exc

    def body(scope: Scope) -> None:
        result = prospects_import(
            scope=scope,
            campaign=options["campaign"],
            content=content,
            file_name=path.name,
            file_format=options["format"],
            accept_valid=options["accept_valid"],
        )
        counts = result.counts
        if options["report"]:
            Path(options["report"]).write_bytes(report_csv(result, lang))
            audit_record(
                scope,
                AuditAction.EXPORT,
                result.campaign,
                detail={"report": path.name, "rows": counts["rows"]},
            )
        for r in result.rows:
            if r.problems:
                reasons = "; ".join(f"{p.field}: {p.message(lang)}" for p in r.problems)
                command.stderr.write(f"{r.line}\t{reasons}")
        en = lang == "en"
        command.stdout.write(
            (
                f"{result.file_format}: {_number(counts['rows'])} rows, "
                f"{_number(counts['stored'])} stored, "
                f"{_number(counts['already_listed'])} already listed, "
                f"{_number(counts['invalid'])} refused"
                if en
                else f"{result.file_format}: {_number(counts['rows'])} baris, "
                f"{_number(counts['stored'])} disimpan, "
                f"{_number(counts['already_listed'])} sudah didata, "
                f"{_number(counts['invalid'])} ditolak"
            )
            + (
                ""
                if result.written or not counts["invalid"]
                else (
                    " - nothing stored (use --accept-valid to keep the good rows)"
                    if en
                    else " - tidak ada yang disimpan (pakai --accept-valid untuk baris yang sah)"
                )
            )
        )
        if result.written:
            command.stdout.write(
                ", ".join(
                    f"{s}: {_number(counts['match_' + s])}"
                    for s in ("new", "reactivation", "covered", "possible_match")
                )
            )
        if counts["invalid"] and not result.written:
            raise _refuse("Berkas berisi baris yang ditolak / the file has refused rows")

    _run(options, body)


def _funnel(command: Any, options: dict[str, Any]) -> None:
    lang = options.get("lang", "id")

    def body(scope: Scope) -> None:
        campaign = campaign_get(scope, options["campaign"]) if options["campaign"] else None
        by = options["by"] or ("campaign" if campaign is None else "cadre")
        rows = funnel(scope, campaign=campaign, by=by)
        header = [by, *STEPS, "due_3m"]
        if options["csv"]:
            write_csv_to(
                sys.stdout,
                ([r.key or "total", *(getattr(r, s) for s in STEPS), r.due_3m] for r in rows),
                header,
            )
            return
        command.stdout.write("\t".join([by, *(STEP_LABELS[s][lang] for s in STEPS)]))
        for r in rows:
            command.stdout.write(
                "\t".join(
                    [r.key or ("jumlah" if lang == "id" else "total")]
                    + [_number(getattr(r, s)) for s in STEPS]
                )
            )

    _run(options, body)


def _follow_up(command: Any, options: dict[str, Any]) -> None:
    lang = options.get("lang", "id")

    def body(scope: Scope) -> None:
        campaign = campaign_get(scope, options["campaign"])
        leads = follow_up_list(scope, campaign)
        for p in leads:
            command.stdout.write(
                f"{p.pk}\t{mask_nik(p.nik)}\t{p.name}\t{mask_phone(p.phone)}\t"
                f"{p.village.name}\t{p.cadre.code if p.cadre_id else '-'}\t"
                f"{match_reason_text(p.match_reason, lang)}\t{p.contacted_on or '-'}"
            )
        audit_record(
            scope,
            AuditAction.EXPORT,
            campaign,
            detail={"follow_up": len(leads)},
        )

    _run(options, body)
