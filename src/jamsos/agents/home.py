"""The link to the agents' pages on the work home page (a :mod:`jamsos.web.home_panels` panel)."""

from __future__ import annotations

from django.urls import reverse

from jamsos.access.scope import Scope
from jamsos.agents.policy import AGENTS
from jamsos.web.home_panels import HomePanel, register


def agents_panel(scope: Scope) -> HomePanel | None:
    if AGENTS.allows(scope, "agents.own"):
        return HomePanel("agents/_home_agents.html", {"own": True, "url": reverse("agents:home")})
    if AGENTS.allows(scope, "agents.view"):
        return HomePanel("agents/_home_agents.html", {"own": False, "url": reverse("agents:list")})
    return None


def register_panels() -> None:
    register("agents.home", agents_panel)
