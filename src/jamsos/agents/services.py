"""Everything that writes Perisai agents' records: appointing an agent, a worker the agent
enrols (the membership service registers the BPU membership), a contribution the agent
collects (billing's payment service posts it on the worker's virtual account) and the monthly
commission statements (the legal rule :mod:`jamsos.legal.agents`, set-based)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import polars as pl
from django.db import transaction
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction, Role
from jamsos.access.scope import Scope
from jamsos.agents.errors import (
    AgentNotActive,
    AgentNotFound,
    AlreadyAnAgent,
    BadMonth,
    CodeTaken,
    NotBilledYet,
    NotTheirWorker,
    PersonNotRegistered,
    ReferenceRequired,
)
from jamsos.agents.models import (
    Agent,
    AgentCollection,
    AgentStatus,
    AgentWorker,
    CommissionStatement,
)
from jamsos.agents.policy import AGENTS
from jamsos.billing.models import Payer, PayerKind, PaymentChannel
from jamsos.billing.services.payments import payment_post
from jamsos.core.clock import today_in_jakarta
from jamsos.legal.agents import agents_commissions, commission_terms
from jamsos.legal.errors import ParameterNotFound
from jamsos.legal.types import Program
from jamsos.membership.identifiers import nik_compact
from jamsos.membership.models import BranchOffice, Channel, Membership, Person
from jamsos.membership.services import PersonData, bpu_self_register
from jamsos.registry.models import Region

STATEMENT_FIELDS = (
    "new_participants",
    "new_with_jht",
    "collected_early_idr",
    "collected_late_idr",
    "collected_other_idr",
    "collection_idr",
    "acquisition_idr",
    "bonus_idr",
    "total_idr",
    "office_idr",
)


def _agent_of(scope: Scope | None, code: str | None) -> Agent:
    """The agent ``scope`` acts for: an agent themselves; a branch officer an agent of its
    office (by ``code``); the administrator or the system any agent."""
    query = Agent.objects.select_related("person", "branch_office")
    if scope is not None and scope.role == Role.AGENT:
        agent = query.filter(person_id=scope.person_id).first() if scope.person_id else None
        if agent is None or (code and code != agent.code):
            raise AgentNotFound(value=code or "-")
        return agent
    if scope is not None and scope.role == Role.BRANCH_OFFICER:
        query = query.filter(branch_office_id=scope.branch_office_id)
    agent = query.filter(code=(code or "").strip().lower()).first()
    if agent is None:
        raise AgentNotFound(value=code or "-")
    return agent


def _require_active(agent: Agent) -> None:
    if agent.status != AgentStatus.ACTIVE:
        raise AgentNotActive(value=agent.code)


@transaction.atomic
def agent_appoint(
    *,
    code: str,
    nik: str,
    branch_office: BranchOffice,
    region: Region,
    joined_on: date | None = None,
    by: Scope | None = None,
) -> Agent:
    """Appoint a registered person as an agent of ``branch_office`` (AGENTS ``agents.record``;
    a branch officer only for its own office)."""
    AGENTS.require(by, "agents.record")
    if (
        by is not None
        and by.role == Role.BRANCH_OFFICER
        and by.branch_office_id != branch_office.pk
    ):
        raise AgentNotFound(field="branch_office", value=branch_office.code)
    code = (code or "").strip().lower()
    if not code:
        raise CodeTaken(value="-")
    person = Person.objects.filter(nik=nik_compact(nik)).first()
    if person is None:
        raise PersonNotRegistered()
    existing = Agent.objects.filter(person=person).first()
    if existing is not None:
        raise AlreadyAnAgent(value=existing.code)
    if Agent.objects.filter(code=code).exists():
        raise CodeTaken(value=code)
    agent = Agent.objects.create(
        code=code,
        person=person,
        branch_office=branch_office,
        region=region,
        joined_on=joined_on or today_in_jakarta(),
    )
    audit_record(by, AuditAction.CREATE, agent, label=f"agen {code}")
    return agent


@transaction.atomic
def agent_status_set(*, code: str, status: str, by: Scope | None = None) -> Agent:
    AGENTS.require(by, "agents.record")
    agent = _agent_of(by, code)
    if status not in AgentStatus.values:
        raise AgentNotActive(field="status", value=status)
    before = agent.status
    agent.status = status
    agent.save(update_fields=["status"])
    audit_record(by, AuditAction.UPDATE, agent, changes={"status": [before, status]})
    return agent


@transaction.atomic
def agent_enrol(
    *,
    person: Person | PersonData,
    declared_income_idr: int,
    with_jht: bool = False,
    agent_code: str | None = None,
    start_date: date | None = None,
    by: Scope | None = None,
    today: date | None = None,
) -> AgentWorker:
    """An agent enrols a BPU worker: the membership (channel ``cadre``, the agent's code as its
    partner reference) through the membership service, with its first invoice as for a
    self-registered worker; the link to the agent."""
    AGENTS.require(by, "agents.enrol")
    agent = _agent_of(by, agent_code)
    _require_active(agent)
    today = today or today_in_jakarta()
    programs: Iterable[str] = (Program.JHT.value,) if with_jht else ()
    membership = bpu_self_register(
        person=person,
        declared_income_idr=declared_income_idr,
        programs=programs,
        channel=Channel.CADRE,
        partner_ref=agent.code,
        start_date=start_date,
        by=None,  # the agent's own policy is checked above; the registration is the system's
        today=today,
    )
    link = AgentWorker.objects.create(
        agent=agent,
        membership=membership,
        enrolled_on=membership.start_date if membership.start_date > today else today,
        with_jht=Program.JHT.value in (membership.programs or "").split(","),
    )
    audit_record(
        by,
        AuditAction.CREATE,
        membership,
        label=f"KPJ {membership.kpj} ({membership.segment})",
        detail={"agent": agent.code, "kpj": membership.kpj},
    )
    return link


def participant_month(start: date, on: date) -> int:
    """The participant's month of membership on ``on``: 1 in the start month."""
    return (on.year * 12 + on.month) - (start.year * 12 + start.month) + 1


@dataclass(frozen=True)
class CollectResult:
    collection: AgentCollection
    created: bool
    allocated_idr: int


@transaction.atomic
def agent_collect(
    *,
    kpj: str,
    amount_idr: int,
    reference: str,
    paid_on: date | None = None,
    agent_code: str | None = None,
    channel: str = PaymentChannel.WEB,
    by: Scope | None = None,
) -> CollectResult:
    """Record contributions an agent collected in cash from one of their workers: posted by
    billing's payment service on the worker's virtual account (bank reference ``AGEN-<agent>-
    <receipt>``, so that a receipt is posted once), then kept as the agent's collection."""
    AGENTS.require(by, "agents.collect")
    agent = _agent_of(by, agent_code)
    _require_active(agent)
    reference = (reference or "").strip()
    if not reference or len(reference) > 40:
        raise ReferenceRequired()
    link = (
        AgentWorker.objects.select_related("membership")
        .filter(agent=agent, membership__kpj=(kpj or "").strip())
        .first()
    )
    if link is None:
        raise NotTheirWorker(value=kpj)
    membership: Membership = link.membership
    va = (
        Payer.objects.filter(kind=PayerKind.PARTICIPANT, person_id=membership.person_id)
        .values_list("virtual_account", flat=True)
        .first()
    )
    if not va:
        raise NotBilledYet(value=membership.kpj)
    paid_on = paid_on or today_in_jakarta()
    posted = payment_post(
        virtual_account=va,
        amount_idr=amount_idr,
        bank_ref=f"AGEN-{agent.code}-{reference}"[:64],
        paid_on=paid_on,
        channel=channel,
        note=f"agen {agent.code} kuitansi {reference}",
        by=None,  # the collection is the agent's; the posting is the system's bookkeeping
    )
    payment = posted.payment
    collection, created = AgentCollection.objects.get_or_create(
        payment_id=payment.pk,
        defaults={
            "agent": agent,
            "membership": membership,
            "amount_idr": payment.amount_idr,
            "collected_on": payment.paid_on,
            "participant_month": max(1, participant_month(membership.start_date, payment.paid_on)),
        },
    )
    if created:
        audit_record(
            by,
            AuditAction.CREATE,
            collection,
            detail={"agent": agent.code, "kpj": membership.kpj, "amount_idr": payment.amount_idr},
        )
    return CollectResult(collection, created, int(payment.allocated_idr))


def month_bounds(month: str) -> tuple[date, date]:
    """First day of ``month`` (YYYY-MM) and of the month after."""
    text = (month or "").strip()
    try:
        year, mon = (int(part) for part in text.split("-"))
        first = date(year, mon, 1)
    except (ValueError, TypeError):
        raise BadMonth(value=month) from None
    if len(text) != 7:
        raise BadMonth(value=month)
    after = date(year + (mon // 12), mon % 12 + 1, 1)
    return first, after


@dataclass(frozen=True)
class CommissionRun:
    month: str
    statements: int
    total_idr: int
    office_idr: int
    rule: str


@transaction.atomic
def commissions_compute(
    *, month: str, by: Scope | None = None, now: datetime | None = None
) -> CommissionRun:
    """Every agent's statement for ``month`` (replacing one computed before), set-based: two
    reads (new workers, collections), the rule over both frames, one delete and one insert."""
    AGENTS.require(by, "agents.commissions")
    first, after = month_bounds(month)
    try:
        terms = commission_terms(first)
    except ParameterNotFound:
        raise BadMonth(value=month) from None
    now = now or timezone.now()
    new_rows = list(
        AgentWorker.objects.filter(enrolled_on__gte=first, enrolled_on__lt=after).values_list(
            "agent_id", "with_jht"
        )
    )
    coll_rows = list(
        AgentCollection.objects.filter(collected_on__gte=first, collected_on__lt=after).values_list(
            "agent_id", "amount_idr", "participant_month"
        )
    )
    enrolled = pl.DataFrame(
        new_rows, schema={"agent_id": pl.Int64, "with_jht": pl.Boolean}, orient="row"
    )
    collected = pl.DataFrame(
        coll_rows,
        schema={"agent_id": pl.Int64, "amount_idr": pl.Int64, "participant_month": pl.Int64},
        orient="row",
    )
    frame = agents_commissions(enrolled, collected, terms=terms)
    pay_by = (
        date(after.year, after.month, terms.paid_by_day) if terms.paid_by_day is not None else None
    )
    CommissionStatement.objects.filter(month=month).delete()
    CommissionStatement.objects.bulk_create(
        [
            CommissionStatement(
                agent_id=row["agent_id"],
                month=month,
                rule_since=terms.since,
                rule_reference=terms.reference[:300],
                rule_confidence=terms.confidence,
                pay_by=pay_by,
                computed_at=now,
                **{name: int(row[name]) for name in STATEMENT_FIELDS},
            )
            for row in frame.iter_rows(named=True)
        ],
        batch_size=1000,
    )
    run = CommissionRun(
        month=month,
        statements=frame.height,
        total_idr=int(frame["total_idr"].sum() or 0) if frame.height else 0,
        office_idr=int(frame["office_idr"].sum() or 0) if frame.height else 0,
        rule=f"{terms.since.isoformat()} {terms.reference}",
    )
    audit_record(
        by,
        AuditAction.CREATE,
        target_type="agents.commissionstatement",
        target_id=month,
        label=f"komisi agen {month}",
        detail={"statements": run.statements, "total_idr": run.total_idr, "rule": run.rule},
    )
    return run
