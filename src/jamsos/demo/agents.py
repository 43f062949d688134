"""Demo Perisai agents: a few agents at the demo office, each with BPU workers they enrolled,
contributions they collected, and this month's commission statements (docs/registry/segments.md).
Builds through the agents' services, as an agent would; `demo-agen` signs in as the first."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from jamsos.access.models import Role
from jamsos.agents.models import Agent
from jamsos.agents.services import agent_appoint, agent_collect, agent_enrol, commissions_compute
from jamsos.billing.models import Invoice, InvoiceStatus
from jamsos.core.clock import today_in_jakarta
from jamsos.membership.models import BranchOffice, Membership, Person, Status
from jamsos.membership.services.accounts import user_access_grant

DEMO_PASSWORD = "jamsos-demo"


def _office() -> BranchOffice | None:
    office_id = (
        Membership.objects.values("branch_office_id")
        .annotate(n=Count("id"))
        .order_by("-n", "branch_office_id")
        .values_list("branch_office_id", flat=True)
        .first()
    )
    return BranchOffice.objects.filter(pk=office_id).first() if office_id else None


def demo_agents_build(
    *, agents: int = 3, workers_each: int = 6, today: date | None = None
) -> dict[str, int]:
    """Agents at the busiest office; each enrols ``workers_each`` people of the office's area
    who have no open BPU membership, and collects the first month of two thirds of them."""
    if Agent.objects.exists():
        return {"agents": Agent.objects.count(), "already built": 1}
    office = _office()
    if office is None:
        return {"agents": 0}
    today = today or today_in_jakarta()
    regencies = list(office.service_area.values_list("code", flat=True))
    open_bpu = Membership.objects.filter(
        person_id=OuterRef("pk"), segment="BPU", status=Status.ACTIVE
    )
    people = list(
        Person.objects.filter(domicile__regency_code__in=regencies)
        .filter(~Exists(open_bpu))
        .filter(~Q(perisai_agent__isnull=False))
        .select_related("domicile")
        .order_by("id")[: agents * (workers_each + 1)]
    )
    made = {"agents": 0, "workers": 0, "collections": 0, "statements": 0}
    for index in range(agents):
        chunk = people[index * (workers_each + 1) : (index + 1) * (workers_each + 1)]
        if len(chunk) < 2:
            break
        person, workers = chunk[0], chunk[1:]
        agent = agent_appoint(
            code=f"agen-demo-{index + 1}",
            nik=person.nik,
            branch_office=office,
            region=person.domicile,
            joined_on=today.replace(day=1),
        )
        made["agents"] += 1
        if index == 0:
            user_access_grant(
                username="demo-agen",
                role=Role.AGENT.value,
                person=person,
                password=DEMO_PASSWORD,
                is_demo=True,
            )
        for number, worker in enumerate(workers):
            link = agent_enrol(
                person=worker,
                declared_income_idr=1_000_000 + 500_000 * (number % 3),
                with_jht=number % 2 == 1,
                agent_code=agent.code,
                today=today,
            )
            made["workers"] += 1
            if number % 3 == 2:
                continue  # not collected yet
            due = (
                Invoice.objects.filter(payer__person_id=worker.pk)
                .exclude(status=InvoiceStatus.PAID)
                .order_by("due_date")
                .first()
            )
            if due is None or due.outstanding_idr <= 0:
                continue
            agent_collect(
                kpj=link.membership.kpj,
                amount_idr=due.outstanding_idr,
                reference=f"KW-{index + 1}-{number + 1}",
                paid_on=today,
                agent_code=agent.code,
            )
            made["collections"] += 1
    if made["agents"]:
        made["statements"] = commissions_compute(
            month=f"{today.year:04d}-{today.month:02d}"
        ).statements
    return made
