"""What the agents' pages and commands read, scoped by the caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.agents.errors import AgentNotFound
from jamsos.agents.models import Agent, AgentCollection, AgentWorker, CommissionStatement
from jamsos.agents.policy import AGENTS


def agents_visible(scope: Scope) -> QuerySet[Agent]:
    """The agents the scope may see: a branch officer those of its office; the administrator
    every one; an agent themselves; anyone else none."""
    query = Agent.objects.select_related("person", "branch_office", "region")
    if scope.role == Role.ADMIN:
        return query
    if scope.role == Role.BRANCH_OFFICER and scope.branch_office_id is not None:
        return query.filter(branch_office_id=scope.branch_office_id)
    if scope.role == Role.AGENT and scope.person_id is not None:
        return query.filter(person_id=scope.person_id)
    return query.none()


def agent_list(scope: Scope, *, month_start: date, month_after: date) -> QuerySet[Agent]:
    """The officer's list: each agent with their workers, and this month's new workers and
    collections (one query)."""
    AGENTS.require(scope, "agents.view")
    in_month = Q(collections__collected_on__gte=month_start) & Q(
        collections__collected_on__lt=month_after
    )
    return (
        agents_visible(scope)
        .annotate(
            worker_count=Count("workers", distinct=True),
            new_count=Count(
                "workers",
                filter=Q(
                    workers__enrolled_on__gte=month_start, workers__enrolled_on__lt=month_after
                ),
                distinct=True,
            ),
            collected_idr=Sum("collections__amount_idr", filter=in_month),
        )
        .order_by("code")
    )


@dataclass(frozen=True)
class AgentPage:
    agent: Agent
    workers: QuerySet[AgentWorker]
    collections: QuerySet[AgentCollection]
    statements: QuerySet[CommissionStatement]


def agent_page(scope: Scope, code: str | None = None) -> AgentPage:
    """An agent's page: themselves (role agent) or an agent the officer sees (by code)."""
    if scope.role == Role.AGENT:
        AGENTS.require(scope, "agents.own")
        agent = agents_visible(scope).first()
    else:
        AGENTS.require(scope, "agents.view")
        agent = agents_visible(scope).filter(code=code or "").first()
    if agent is None:
        raise AgentNotFound(value=code or "-")
    return AgentPage(
        agent=agent,
        workers=AgentWorker.objects.filter(agent=agent)
        .select_related("membership", "membership__person")
        .order_by("-enrolled_on", "-id"),
        collections=AgentCollection.objects.filter(agent=agent)
        .select_related("membership")
        .order_by("-collected_on", "-id"),
        statements=CommissionStatement.objects.filter(agent=agent).order_by("-month"),
    )
