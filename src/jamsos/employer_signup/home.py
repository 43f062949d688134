"""Pending employers' applications on the branch officer's work home page."""

from __future__ import annotations

from django.urls import reverse

from jamsos.access.scope import Scope
from jamsos.employer_signup.policy import EMPLOYER_SIGNUP
from jamsos.employer_signup.selectors import pending_count
from jamsos.web.home_panels import HomePanel, register


def applications_panel(scope: Scope) -> HomePanel | None:
    if not EMPLOYER_SIGNUP.allows(scope, "applications.view"):
        return None
    return HomePanel(
        "employer_signup/_home_applications.html",
        {"pending": pending_count(scope), "url": reverse("employer_signup:list")},
    )


def register_panels() -> None:
    register("employer_signup.pending", applications_panel)
