"""The agents' pages under /agen/: an agent's own page (role agent) and the branch office's
list of its agents with each agent's page (docs/registry/segments.md)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from jamsos.access.models import Role
from jamsos.agents.selectors import AgentPage, agent_list, agent_page
from jamsos.agents.services import month_bounds
from jamsos.core.clock import today_in_jakarta
from jamsos.core.formatting import format_money, format_number
from jamsos.core.masking import mask_nik
from jamsos.web.common import page_of, scope_of, signed_in


def _page_context(request: HttpRequest, page: AgentPage) -> dict[str, Any]:
    workers = page_of(request, page.workers)
    return {
        "agent": page.agent,
        "agent_nik": mask_nik(page.agent.person.nik),
        "workers": workers,
        "worker_rows": [
            {
                "name": w.membership.person.name,
                "nik": mask_nik(w.membership.person.nik),
                "kpj": w.membership.kpj,
                "enrolled_on": w.enrolled_on,
                "programs": w.membership.programs.replace(",", ", "),
                "status": w.membership.get_status_display(),
            }
            for w in workers.object_list
        ],
        "worker_total": format_number(page.workers.count()),
        "collections": [
            {
                "on": c.collected_on,
                "kpj": c.membership.kpj,
                "amount": format_money(c.amount_idr),
                "month": c.participant_month,
            }
            for c in page.collections[:50]
        ],
        "statements": [
            {
                "month": s.month,
                "new": format_number(s.new_participants),
                "with_jht": format_number(s.new_with_jht),
                "collection": format_money(s.collection_idr),
                "acquisition": format_money(s.acquisition_idr),
                "bonus": format_money(s.bonus_idr),
                "total": format_money(s.total_idr),
                "pay_by": s.pay_by,
                "rule": s.rule_reference,
                "rule_since": s.rule_since,
                "confidence": s.rule_confidence,
            }
            for s in page.statements
        ],
    }


@require_GET
@signed_in
def agent_home(request: HttpRequest) -> HttpResponse:
    """The agent's own page; an officer is shown the office's list instead."""
    scope = scope_of(request)
    if scope.role != Role.AGENT:
        return office_agents(request)
    page = agent_page(scope)
    return render(request, "agents/agent_page.html", {**_page_context(request, page), "own": True})


@require_GET
@signed_in
def office_agents(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    today = today_in_jakarta()
    month = f"{today.year:04d}-{today.month:02d}"
    start, after = month_bounds(month)
    agents = page_of(request, agent_list(scope, month_start=start, month_after=after))
    rows = [
        {
            "code": a.code,
            "name": a.person.name,
            "office": a.branch_office.name,
            "region": a.region.name,
            "status": a.get_status_display(),
            "workers": format_number(a.worker_count),
            "new": format_number(a.new_count),
            "collected": format_money(a.collected_idr or 0),
        }
        for a in agents.object_list
    ]
    return render(request, "agents/agent_list.html", {"page": agents, "rows": rows, "month": month})


@require_GET
@signed_in
def agent_detail(request: HttpRequest, code: str) -> HttpResponse:
    page = agent_page(scope_of(request), code)
    return render(request, "agents/agent_page.html", {**_page_context(request, page), "own": False})


app_name = "agents"

urlpatterns: list[URLPattern] = [
    path("", agent_home, name="home"),
    path("kantor/", office_agents, name="list"),
    path("kantor/<slug:code>/", agent_detail, name="detail"),
]
