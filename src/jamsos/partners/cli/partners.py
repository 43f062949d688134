"""``jamsos partners ...``: partners, agreements (PKS) and targets, outreach events, the
scorecard. Every subcommand calls the same services as the pages and the API, as the operator
(an administrator, audited by login name) or as ``--as USERNAME``."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

from django.utils import translation

from jamsos.access.audit import audit_record
from jamsos.access.cli import common_options, scope_from_options
from jamsos.access.models import AuditAction
from jamsos.core.cli import number, refuse
from jamsos.core.clock import today_in_jakarta
from jamsos.core.errors import ApplicationError
from jamsos.core.exports import write_csv_to
from jamsos.partners.policy import PARTNERS
from jamsos.partners.selectors.partners import (
    ENDING_SOON_DAYS,
    agreement_get,
    agreements_ending_soon,
    agreements_visible,
    events_visible,
    partner_get,
    partners_visible,
)
from jamsos.partners.services.agreements import (
    agreement_create,
    agreement_renew,
    agreement_sign,
    agreement_target_add,
    agreement_terminate,
    agreements_expire,
)
from jamsos.partners.services.attribution import (
    attributed_counts,
    events_attribute,
    targets_progress,
)
from jamsos.partners.services.events import event_record, events_yield
from jamsos.partners.services.partners import ContactData, partner_create
from jamsos.partners.services.scorecards import scorecards


def _today(options: dict[str, Any]) -> date:
    value = options.get("today")
    return date.fromisoformat(value) if value else today_in_jakarta()


def _pct(value: Any) -> str:
    if value is None:
        return "-"
    return f"{(value * 100):.1f}%".replace(".", ",")


def _run(command: Any, options: dict[str, Any], action: Any) -> None:
    with translation.override(options.get("lang") or "id"):
        try:
            action(command, options, scope_from_options(options))
        except ApplicationError as error:
            raise refuse(f"{error.code}: {error.message}") from error


def _add(sub: Any, name: str, help_text: str, func: Any) -> Any:
    p = sub.add_parser(name, help=help_text, description=help_text)
    common_options(p)
    p.set_defaults(handler=lambda command, options: _run(command, options, func))
    return p


def register(sub: Any) -> None:
    p = _add(sub, "list", "List partners in scope", _list)
    p.add_argument("--kind", default="")
    p = _add(sub, "show", "A partner: contacts, agreements, scorecard", _show)
    p.add_argument("code")
    p = _add(sub, "add", "Record a partner (with one contact)", _partner_add)
    p.add_argument("code")
    p.add_argument("--name", required=True)
    p.add_argument("--kind", required=True, help="employer_association, regional_government, ...")
    p.add_argument("--region", default="", help="Region code, e.g. 32.04")
    p.add_argument("--office", default="", help="Branch office code")
    p.add_argument("--association", default="")
    p.add_argument("--contact-name", default="")
    p.add_argument("--contact-phone", default="")
    p.add_argument("--contact-email", default="")
    p.add_argument("--contact-position", default="")

    agreements = sub.add_parser("agreements", help="Agreements (PKS): list, add, sign, ...")
    asub = agreements.add_subparsers(dest="agreement_action", required=True)
    p = _add(asub, "list", "Agreements in scope with their effective status", _agreements_list)
    p.add_argument("--partner", default="")
    p.add_argument("--today", default="")
    p = _add(asub, "add", "Record a draft agreement", _agreement_add)
    p.add_argument("number")
    p.add_argument("--title", required=True)
    p.add_argument("--partner", required=True)
    p.add_argument("--from", dest="starts_on", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="ends_on", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--office", default="")
    p.add_argument("--co-partner", action="append", default=[])
    p.add_argument("--region", action="append", default=[])
    p.add_argument("--segments", default="", help="e.g. BPU,PU; empty = all")
    p.add_argument("--ecosystems", default="", help="e.g. pasar,umkm; empty = all")
    p.add_argument("--budget", default=None, help="Budget in rupiah")
    p.add_argument("--sponsored-workers", default=None)
    p.add_argument("--reporting-duty", default="")
    p = _add(asub, "sign", "Sign a draft agreement", _agreement_sign)
    p.add_argument("number")
    p.add_argument("--on", dest="signed_on", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--today", default="")
    p = _add(asub, "renew", "Renew an agreement under a new number", _agreement_renew)
    p.add_argument("number")
    p.add_argument("--new-number", required=True)
    p.add_argument("--to", dest="ends_on", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--from", dest="starts_on", default="", metavar="YYYY-MM-DD")
    p.add_argument("--budget", default=None)
    p.add_argument("--signed-on", default="")
    p.add_argument("--today", default="")
    p = _add(asub, "terminate", "End an agreement early", _agreement_terminate)
    p.add_argument("number")
    p.add_argument("--on", default="", metavar="YYYY-MM-DD")
    p.add_argument("--reason", default="")
    p.add_argument("--today", default="")
    p = _add(asub, "expire", "Daily: activate started, expire ended agreements", _expire)
    p.add_argument("--today", default="")
    p = _add(asub, "ending", f"Agreements ending within {ENDING_SOON_DAYS} days", _ending)
    p.add_argument("--office", default="")
    p.add_argument("--days", type=int, default=ENDING_SOON_DAYS)
    p.add_argument("--today", default="")

    targets = sub.add_parser("targets", help="Targets of agreements")
    tsub = targets.add_subparsers(dest="target_action", required=True)
    p = _add(tsub, "add", "Add a target to an agreement", _target_add)
    p.add_argument("number")
    p.add_argument("--from", dest="period_from", required=True, metavar="YYYY-MM")
    p.add_argument("--to", dest="period_to", required=True, metavar="YYYY-MM")
    p.add_argument("--enrolments", required=True)
    p.add_argument("--active", default=None)
    p.add_argument("--segment", default="")
    p.add_argument("--today", default="")

    events = sub.add_parser("events", help="Outreach events")
    esub = events.add_subparsers(dest="event_action", required=True)
    p = _add(esub, "add", "Record an outreach event", _event_add)
    p.add_argument("--kind", required=True, help="audience, socialisation, focus_group, ...")
    p.add_argument("--title", required=True)
    p.add_argument("--on", dest="held_on", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--region", required=True)
    p.add_argument("--office", default="")
    p.add_argument("--partner", action="append", default=[])
    p.add_argument("--agreement", default="")
    p.add_argument("--ecosystem", default="")
    p.add_argument("--attendance", default="0")
    p.add_argument("--registrations", default="0")
    p.add_argument("--today", default="")
    _add(esub, "list", "Events in scope with their yield", _events_list)
    p = _add(esub, "attribute", "Recompute the enrolments attributed to events", _attribute)
    p.add_argument("--window-days", type=int, default=None)

    p = _add(sub, "scorecard", "Scorecard per partner (aggregates)", _scorecard)
    p.add_argument("--partner", default="")
    p.add_argument("--csv", default="", help="Write the scorecard to this CSV file ('-' = stdout)")


# ---------------------------------------------------------------------------------------------


def _list(command: Any, options: dict[str, Any], scope: Any) -> None:
    query = partners_visible(scope)
    if options["kind"]:
        query = query.filter(kind=options["kind"])
    for p in query:
        region = p.region.code if p.region else "-"
        command.stdout.write(f"{p.code:<24} {p.kind:<22} {region:<14} {p.name}")


def _show(command: Any, options: dict[str, Any], scope: Any) -> None:
    partner = partner_get(scope, options["code"])
    out = command.stdout
    out.write(f"{partner.name} ({partner.code}), {partner.get_kind_display()}")
    if partner.region:
        out.write(f"  Wilayah / region: {partner.region.code} {partner.region.name}")
    if PARTNERS.allows(scope, "partners.contacts"):
        for c in partner.contacts.all():
            out.write(f"  Kontak / contact: {c.name} {c.position} {c.phone} {c.email}".rstrip())
    today = today_in_jakarta()
    agreements = list(agreements_visible(scope, today=today).filter(partner=partner))
    counts = attributed_counts([a.pk for a in agreements]) if agreements else {}
    for a in agreements:
        out.write(
            f"  PKS {a.number}: {a.starts_on}..{a.ends_on} {a.effective_status}, "
            f"{number(counts.get(a.pk, 0))} pendaftaran / enrolments"
        )
    card = scorecards([partner])[0]
    out.write(
        f"  Terdaftar / enrolled {number(card.enrolled)}, aktif / active {number(card.active)}"
        f" ({card.period or '-'}), bayar bulan ke-3 / paying after 3 months "
        f"{_pct(card.paying_rate_3m)}"
    )


def _partner_add(command: Any, options: dict[str, Any], scope: Any) -> None:
    contacts = []
    if options["contact_name"] or options["contact_phone"]:
        contacts.append(
            ContactData(
                name=options["contact_name"],
                phone=options["contact_phone"],
                email=options["contact_email"],
                position=options["contact_position"],
                is_primary=True,
            )
        )
    partner = partner_create(
        scope=scope,
        code=options["code"],
        name=options["name"],
        kind=options["kind"],
        region=options["region"] or None,
        branch_office=options["office"] or None,
        association=options["association"] or None,
        contacts=contacts,
    )
    command.stdout.write(f"Mitra dicatat / partner recorded: {partner.code}")


def _agreements_list(command: Any, options: dict[str, Any], scope: Any) -> None:
    today = _today(options)
    query = agreements_visible(scope, today=today)
    if options["partner"]:
        query = query.filter(partner__code=options["partner"])
    agreements = list(query)
    counts = attributed_counts([a.pk for a in agreements]) if agreements else {}
    for a in agreements:
        command.stdout.write(
            f"{a.number:<20} {a.partner.code:<20} {a.starts_on}..{a.ends_on} "
            f"{a.effective_status:<10} {number(counts.get(a.pk, 0)):>8}"
        )


def _agreement_add(command: Any, options: dict[str, Any], scope: Any) -> None:
    agreement = agreement_create(
        scope=scope,
        number=options["number"],
        title=options["title"],
        partner=options["partner"],
        starts_on=options["starts_on"],
        ends_on=options["ends_on"],
        branch_office=options["office"] or None,
        other_partners=options["co_partner"],
        regions=options["region"],
        segments=options["segments"],
        ecosystems=options["ecosystems"],
        budget_idr=options["budget"],
        sponsored_workers=options["sponsored_workers"],
        reporting_duty=options["reporting_duty"],
    )
    command.stdout.write(f"PKS dicatat (draf) / agreement recorded (draft): {agreement.number}")


def _agreement_sign(command: Any, options: dict[str, Any], scope: Any) -> None:
    agreement = agreement_get(scope, options["number"])
    agreement = agreement_sign(
        scope=scope, agreement=agreement, signed_on=options["signed_on"], today=_today(options)
    )
    command.stdout.write(f"PKS {agreement.number}: {agreement.status}")


def _agreement_renew(command: Any, options: dict[str, Any], scope: Any) -> None:
    agreement = agreement_get(scope, options["number"])
    new = agreement_renew(
        scope=scope,
        agreement=agreement,
        number=options["new_number"],
        starts_on=options["starts_on"] or None,
        ends_on=options["ends_on"],
        budget_idr=options["budget"],
        signed_on=options["signed_on"] or None,
        today=_today(options),
    )
    command.stdout.write(
        f"PKS {agreement.number} diperpanjang / renewed: {new.number} "
        f"{new.starts_on}..{new.ends_on} ({new.status})"
    )


def _agreement_terminate(command: Any, options: dict[str, Any], scope: Any) -> None:
    agreement = agreement_get(scope, options["number"])
    agreement = agreement_terminate(
        scope=scope,
        agreement=agreement,
        on=options["on"] or None,
        reason=options["reason"],
        today=_today(options),
    )
    command.stdout.write(f"PKS {agreement.number}: {agreement.status} ({agreement.ends_on})")


def _expire(command: Any, options: dict[str, Any], scope: Any) -> None:
    result = agreements_expire(scope=scope, today=_today(options))
    command.stdout.write(
        f"{result.expired} PKS berakhir / expired, {result.activated} mulai berlaku / activated"
    )


def _ending(command: Any, options: dict[str, Any], scope: Any) -> None:
    rows = agreements_ending_soon(
        scope, today=_today(options), days=options["days"], office_code=options["office"]
    )
    for r in rows:
        command.stdout.write(
            f"{r['ends_on']} ({r['days_left']:>3} hari/days) {r['number']:<20} "
            f"{r['partner_code']:<20} {r['office']}{'  [diperpanjang]' if r['renewed'] else ''}"
        )
    command.stdout.write(f"{len(rows)} PKS")


def _target_add(command: Any, options: dict[str, Any], scope: Any) -> None:
    agreement = agreement_get(scope, options["number"])
    target = agreement_target_add(
        scope=scope,
        agreement=agreement,
        period_from=options["period_from"],
        period_to=options["period_to"],
        enrolments=options["enrolments"],
        active=options["active"],
        segment=options["segment"],
        today=_today(options),
    )
    progress = next(p for p in targets_progress([agreement.pk]) if p.target.pk == target.pk)
    command.stdout.write(
        f"Target {target.period_from}..{target.period_to}: {number(progress.enrolled)} / "
        f"{number(target.enrolments)} ({progress.enrolled_percent}%)"
    )


def _event_add(command: Any, options: dict[str, Any], scope: Any) -> None:
    event = event_record(
        scope=scope,
        kind=options["kind"],
        title=options["title"],
        held_on=options["held_on"],
        region=options["region"],
        branch_office=options["office"] or None,
        partners=options["partner"],
        agreement=options["agreement"] or None,
        ecosystem=options["ecosystem"] or None,
        attendance=options["attendance"],
        registrations_on_site=options["registrations"],
        today=_today(options),
    )
    command.stdout.write(f"Acara dicatat / event recorded: #{event.pk} {event}")


def _events_list(command: Any, options: dict[str, Any], scope: Any) -> None:
    events = list(events_visible(scope))
    yields = events_yield([e.pk for e in events])
    for e in events:
        y = yields.get(e.pk)
        command.stdout.write(
            f"#{e.pk:<5} {e.held_on} {e.kind:<16} {e.region.code:<14} "
            f"hadir/attended {number(e.attendance):>6} "
            f"hasil/yield {number(y.attributed if y else 0):>6} "
            f"bayar/paid {number(y.paid if y else 0):>6}  {e.title}"
        )


def _attribute(command: Any, options: dict[str, Any], scope: Any) -> None:
    PARTNERS.require(scope, "events.attribute")
    result = events_attribute(scope=scope, window_days=options["window_days"])
    command.stdout.write(
        f"{number(result.attributed)} pendaftaran dikaitkan / enrolments attributed "
        f"({number(result.on_site)} on_site, {number(result.after_event)} after_event; "
        f"jendela / window {result.window_days} hari/days)"
    )


FIELDS = [
    "code",
    "name",
    "kind",
    "period",
    "enrolled",
    "active",
    "eligible_3m",
    "paid_3m",
    "paying_rate_3m",
    "budget_idr",
    "budget_enrolled",
    "cost_per_enrolment_idr",
]


def _scorecard(command: Any, options: dict[str, Any], scope: Any) -> None:
    query = partners_visible(scope)
    if options["partner"]:
        query = query.filter(code=options["partner"])
    cards = scorecards(list(query))
    target = options["csv"]
    if target:
        handle = sys.stdout if target == "-" else open(target, "w", newline="", encoding="utf-8")  # noqa: SIM115
        try:
            write_csv_to(handle, ([card.as_dict()[f] for f in FIELDS] for card in cards), FIELDS)
        finally:
            if handle is not sys.stdout:
                handle.close()
        audit_record(
            scope,
            AuditAction.EXPORT,
            target_type="partners.scorecard",
            label="scorecard csv",
            detail={"rows": len(cards), "file": target},
        )
        return
    for card in cards:
        cost = number(card.cost_per_enrolment_idr) if card.cost_per_enrolment_idr else "-"
        command.stdout.write(
            f"{card.code:<24} terdaftar/enrolled {number(card.enrolled):>7} "
            f"aktif/active {number(card.active):>7} bayar-3-bln/paying-3m "
            f"{_pct(card.paying_rate_3m):>7} biaya/cost Rp {cost}"
        )
    if cards:
        command.stdout.write(
            f"Bulan dengan pembayaran diketahui / month with payments known: {cards[0].period}"
        )
