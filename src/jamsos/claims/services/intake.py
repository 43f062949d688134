"""Taking a claim in: by the worker, an heir, the employer (work-accident reports) or a branch
officer on someone's behalf (docs/claims.md "Intake").

Every check runs before anything is written; a refusal names the field and writes nothing.
The record-based facts (:mod:`jamsos.claims.services.records`) feed the legal engine
(:mod:`jamsos.claims.services.compute`), whose answer is kept on the claim with its trace.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction, Role
from jamsos.access.scope import Scope
from jamsos.claims.errors import (
    AccidentAfterReport,
    AlreadyPaid,
    BadDate,
    BeforeProgram,
    ClaimOpen,
    DateInFuture,
    DeathCaseNeedsHeir,
    EmployerJkkOnly,
    HeirEarlierRank,
    HeirOnlyAfterDeath,
    HeirStatementNeeded,
    HeirUnknown,
    JkpClaimsUsed,
    JkpDeadlinePassed,
    NotCovered,
    NotEligible,
    PartialJhtTaken,
    PersonNotFound,
    Required,
    UnknownCase,
    ValueOutOfRange,
    WaitingPeriod,
)
from jamsos.claims.models import Channel, Claim, ClaimEvent, ClaimStatus
from jamsos.claims.policy import CLAIMS
from jamsos.claims.rules import (
    CASES,
    HEIR_CASES,
    HEIR_NAMES,
    HEIRS,
    JHT_GROUNDS,
    JHT_WAITING_MONTHS,
    JKP_MAX_CLAIMS,
    PROGRAM_SINCE,
    SCHOLARSHIP_MIN_MONTHS,
    SCHOOL_LEVELS,
    add_months,
    decision_due,
    is_fast_lane,
    jkp_deadline,
    second_approval_idr,
)
from jamsos.claims.services.bank import bank_account_check
from jamsos.claims.services.compute import compute, request_values, trace_of
from jamsos.claims.services.records import Facts, earlier_claims, facts_of
from jamsos.core.clock import today_in_jakarta
from jamsos.core.formatting import current_language
from jamsos.core.masking import mask_nik
from jamsos.legal.messages import render_reason
from jamsos.membership.identifiers import nik_compact
from jamsos.membership.models import Person
from jamsos.membership.selectors import memberships_visible

#: The first work-accident report is due within 2 x 24 hours of the accident (Permenaker
#: 5/2021 Ps. 44: "paling lama 2 x 24 jam"); a late one is taken in and marked late.
FIRST_REPORT_WITHIN = timedelta(hours=48)


@dataclass(frozen=True)
class ClaimInput:
    """What the claimant gives. Dates may be ISO text (pages, API) or dates."""

    nik: str
    program: str
    case: str
    event_date: date | str
    claimant_name: str = ""
    claimant_nik: str = ""
    relationship: str = ""
    no_higher_heir: bool = False
    ground: str = ""
    months_unable: int | None = None
    disability_percent: int | None = None
    children: tuple[str, ...] | list[str] | str = ()
    accident_at: datetime | None = None
    report_text: str = ""
    bank_code: str = ""
    account_number: str = ""
    account_name: str = ""


@dataclass(frozen=True)
class Assessment:
    """Everything decided before a claim is written: the facts, the request, the answer."""

    person: Person
    facts: Facts
    program: str
    case: str
    event_date: date
    channel: str
    heir_rank: int | None
    request: dict[str, Any]
    result: dict[str, Any]
    eligible: bool
    reasons: list[str]
    amount_idr: int
    account_number: str


def parse_date(value: date | str, field: str = "event_date") -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise BadDate(field=field, value=value) from None


def _person_for(by: Scope | None, nik: str) -> Person:
    compact = nik_compact(nik or "")
    if not compact:
        raise Required(field="nik")
    person = Person.objects.filter(nik=compact).first()
    if person is None:
        raise PersonNotFound(nik=mask_nik(compact))
    return person


def _channel(by: Scope | None, person: Person, data: ClaimInput, program: str, case: str) -> str:
    """Who files, and whether they may file for this person (outside the scope: not found)."""
    heir_case = (program, case) in HEIR_CASES
    role = by.role if by else Role.ADMIN
    if role == Role.EMPLOYER_USER:
        if program != "JKK":
            raise EmployerJkkOnly(value=program)
        if by is None or not memberships_visible(by).filter(person=person).exists():
            raise PersonNotFound(nik=mask_nik(person.nik))
        return Channel.EMPLOYER
    if role == Role.WORKER:
        own = by is not None and by.person_id == person.pk
        if data.relationship:
            if own:
                raise HeirOnlyAfterDeath()
            return Channel.HEIR
        if not own:
            raise PersonNotFound(nik=mask_nik(person.nik))
        if heir_case:
            raise DeathCaseNeedsHeir()
        return Channel.WORKER
    if (
        role == Role.BRANCH_OFFICER
        and by is not None
        and not memberships_visible(by).filter(person=person).exists()
    ):
        raise PersonNotFound(nik=mask_nik(person.nik))
    return Channel.HEIR if data.relationship and role is None else Channel.OFFICER


def _heir(person: Person, data: ClaimInput, program: str, case: str) -> int | None:
    heir_case = (program, case) in HEIR_CASES
    if not data.relationship:
        if heir_case:
            raise Required(field="relationship")
        return None
    if not heir_case:
        raise HeirOnlyAfterDeath()
    rank = HEIRS.get(data.relationship)
    if rank is None:
        raise HeirUnknown(value=data.relationship, choices=", ".join(HEIRS))
    if rank > 1 and not data.no_higher_heir:
        raise HeirStatementNeeded(rank=rank)
    earlier = (
        Claim.objects.filter(earlier_claims(person, program), case=case, heir_rank__lt=rank)
        .order_by("heir_rank")
        .first()
    )
    if earlier is not None:
        raise HeirEarlierRank(
            rank=earlier.heir_rank,
            name=HEIR_NAMES.get(earlier.relationship, {"id": "", "en": ""}),
            number=earlier.number,
            own=rank,
        )
    return rank


def _earlier(person: Person, program: str, case: str, event: date) -> None:
    mine = Claim.objects.filter(earlier_claims(person, program))
    if program == "JHT" and case in {"partial_10", "partial_30"}:
        taken = mine.filter(case__in=["partial_10", "partial_30"]).first()
        if taken is not None:
            raise PartialJhtTaken(number=taken.number)
    if program == "JKP":
        count = mine.count()
        if count >= JKP_MAX_CLAIMS:
            raise JkpClaimsUsed(max=JKP_MAX_CLAIMS, count=count)
    same = mine.filter(case=case)
    open_claim = same.exclude(status=ClaimStatus.PAID).first()
    if open_claim is not None:
        raise ClaimOpen(number=open_claim.number)
    once = {
        ("JKM", "death"),
        ("JKK", "death"),
        ("JP", "death"),
        ("JP", "old_age"),
        ("JP", "disability"),
        ("JKK", "total_permanent_disability"),
        ("JHT", "full"),
    }
    paid = same.filter(status=ClaimStatus.PAID).first()
    if paid is not None and (
        (program, case) in once or (program == "JKP" and paid.event_date == event)
    ):
        raise AlreadyPaid(number=paid.number)


def _deadlines(program: str, case: str, ground: str, event: date, today: date) -> list[str]:
    reasons: list[str] = []
    if program == "JKP":
        last = jkp_deadline(event)
        if today > last:
            raise JkpDeadlinePassed(value=event, deadline=last, today=today)
        reasons.append(
            _("JKP deadline %(last)s (termination %(event)s)")
            % {"last": date_format(last), "event": date_format(event)}
        )
    if program == "JHT" and case == "full":
        if ground not in JHT_GROUNDS:
            if not ground:
                raise Required(field="ground")
            raise UnknownCase(
                field="ground", value=ground, program=program, choices=", ".join(JHT_GROUNDS)
            )
        if ground == "stopped_work":
            after = add_months(event, JHT_WAITING_MONTHS)
            if today < after:
                raise WaitingPeriod(months=JHT_WAITING_MONTHS, from_date=after)
            reasons.append(
                ngettext(
                    "waiting period of %(months)d month over on %(after)s",
                    "waiting period of %(months)d months over on %(after)s",
                    JHT_WAITING_MONTHS,
                )
                % {"months": JHT_WAITING_MONTHS, "after": date_format(after)}
            )
    return reasons


def _bounded(value: int | None, field: str, low: int, high: int) -> int | None:
    if value is None:
        return None
    if not low <= int(value) <= high:
        raise ValueOutOfRange(field=field, value=value, min=low, max=high)
    return int(value)


def _levels(value: tuple[str, ...] | list[str] | str) -> list[str]:
    """Children's school levels from a list or a comma-separated text (``"SD, SMP"``)."""
    items = value.split(",") if isinstance(value, str) else list(value or ())
    levels = [str(v).strip().upper() for v in items if str(v).strip()]
    for level in levels:
        if level not in SCHOOL_LEVELS:
            raise UnknownCase(
                field="children", value=level, program="-", choices=", ".join(SCHOOL_LEVELS)
            )
    return levels


def assess(by: Scope | None, data: ClaimInput, *, today: date | None = None) -> Assessment:
    """Every check and the engine's answer, writing nothing (the eligibility preview)."""
    today = today or today_in_jakarta()
    program = (data.program or "").strip().upper()
    case = (data.case or "").strip()
    if program not in CASES:
        raise UnknownCase(
            field="program", value=data.program, program="-", choices=", ".join(CASES)
        )
    if case not in CASES[program]:
        raise UnknownCase(value=data.case, program=program, choices=", ".join(CASES[program]))
    event = parse_date(data.event_date)
    if event > today:
        raise DateInFuture(value=event, today=today)
    since = PROGRAM_SINCE[program]
    if event < since:
        raise BeforeProgram(value=event, program=program, since=since)
    months_unable = _bounded(data.months_unable, "months_unable", 0, 120)
    percent = _bounded(data.disability_percent, "disability_percent", 0, 100)
    children = _levels(data.children)
    person = _person_for(by, data.nik)
    channel = _channel(by, person, data, program, case)
    rank = _heir(person, data, program, case)
    facts = facts_of(person, program, event)
    if not facts.covered:
        raise NotCovered(value=event, program=program)
    _earlier(person, program, case, event)
    reasons = _deadlines(program, case, data.ground, event, today)
    if channel == Channel.EMPLOYER:
        if data.accident_at is None:
            raise Required(field="accident_at")
        if not data.report_text.strip():
            raise Required(field="report_text")
        if data.accident_at > timezone.now():
            raise AccidentAfterReport(value=data.accident_at.isoformat(timespec="minutes"))
    claimant = (data.claimant_name or "").strip() or person.name
    account = ""
    if data.account_number or data.bank_code:
        account = bank_account_check(
            data.bank_code, data.account_number, data.account_name or claimant, claimant
        )
    if program == "JKM" and children and facts.contribution_months < SCHOLARSHIP_MIN_MONTHS:
        reasons.append(
            _("scholarship needs %(needed)d months of contributions, %(paid)d paid: no scholarship")
            % {"needed": SCHOLARSHIP_MIN_MONTHS, "paid": facts.contribution_months}
        )
    mine = Claim.objects.filter(earlier_claims(person, program))
    request = request_values(
        program=program,
        case=case,
        on=event,
        today=today,
        facts=facts,
        months_unable=months_unable,
        disability_percent=percent,
        children=children,
        ground=data.ground,
        relationship=data.relationship,
        jkp_claims_before=mine.count() if program == "JKP" else 0,
        jht_partial_claimed=mine.filter(case__in=["partial_10", "partial_30"]).exists(),
    )
    result = compute(request)
    answer = trace_of(result, request)
    lang = current_language()
    reasons = [*reasons, *(render_reason(r, lang) for r in result.reasons)]
    return Assessment(
        person=person,
        facts=facts,
        program=program,
        case=case,
        event_date=event,
        channel=channel,
        heir_rank=rank,
        request=request,
        result=answer,
        eligible=bool(result.eligible),
        reasons=reasons,
        amount_idr=int(result.total_idr),
        account_number=account,
    )


def _number(claim: Claim) -> str:
    return f"KL{claim.submitted_at:%y%m}{claim.pk:07d}"


@transaction.atomic
def claim_submit(
    by: Scope | None, data: ClaimInput, *, today: date | None = None, now: datetime | None = None
) -> Claim:
    """Take a claim in (status ``submitted``), or refuse it writing nothing."""
    CLAIMS.require(by, "claim.submit")
    found = assess(by, data, today=today)
    if not found.eligible:
        raise NotEligible(reasons="; ".join(found.reasons) or "-")
    now = now or timezone.now()
    claimant = (data.claimant_name or "").strip() or found.person.name
    employer_report = found.channel == Channel.EMPLOYER
    claim = Claim.objects.create(
        number=f"tmp{uuid.uuid4().hex[:16]}",
        person=found.person,
        membership_id=found.facts.membership_id,
        employer_id=found.facts.employer_id,
        branch_office_id=found.facts.branch_office_id,
        program=found.program,
        case=found.case,
        ground=data.ground if found.program == "JHT" else "",
        event_date=found.event_date,
        channel=found.channel,
        claimant_name=claimant[:120],
        claimant_nik=nik_compact(data.claimant_nik or "")[:16],
        relationship=data.relationship,
        heir_rank=found.heir_rank,
        months_unable=data.months_unable,
        disability_percent=data.disability_percent,
        children=_levels(data.children),
        accident_at=data.accident_at if employer_report else None,
        report1_at=now if employer_report else None,
        report1_text=data.report_text.strip() if employer_report else "",
        report1_late=bool(
            employer_report
            and data.accident_at is not None
            and now - data.accident_at > FIRST_REPORT_WITHIN
        ),
        request=found.request,
        eligibility={"facts": found.facts.as_dict(), "reasons": found.reasons},
        trace=found.result,
        eligible=found.eligible,
        amount_idr=found.amount_idr,
        bank_code=data.bank_code if found.account_number else "",
        account_number=found.account_number,
        account_name=(data.account_name or claimant)[:120] if found.account_number else "",
        needs_second_approval=found.amount_idr >= second_approval_idr(),
        submitted_at=now,
        due_at=decision_due(now, is_fast_lane(found.program, found.amount_idr)),
        submitted_by=(by.actor_name if by else "") or "system",
        filed_by_user_id=by.user_id if by else None,
    )
    claim.number = _number(claim)
    claim.save(update_fields=["number"])
    note = (
        "stage I accident report" + (" (late)" if claim.report1_late else "")
        if employer_report
        else ""
    )
    ClaimEvent.objects.create(
        claim=claim,
        at=now,
        status_from="",
        status_to=ClaimStatus.SUBMITTED,
        actor_name=claim.submitted_by,
        note=note,
    )
    audit_record(
        by,
        AuditAction.CREATE,
        claim,
        label=f"{claim.number} {mask_nik(found.person.nik)}",
        detail={
            "program": claim.program,
            "case": claim.case,
            "amount_idr": claim.amount_idr,
            "channel": claim.channel,
        },
    )
    return claim
