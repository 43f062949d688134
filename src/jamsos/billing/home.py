"""The officer's arrears cases on the work home page (a :mod:`jamsos.web.home_panels` panel)."""

from __future__ import annotations

from django.urls import reverse

from jamsos.access.scope import Scope
from jamsos.billing.policy import BILLING
from jamsos.billing.selectors import my_cases
from jamsos.core.clock import today_in_jakarta
from jamsos.web.home_panels import HomePanel, register


def cases_panel(scope: Scope) -> HomePanel | None:
    """Counts of the caller's assigned cases and their promises, for those who work cases."""
    if not BILLING.allows(scope, "case.work") or scope.user_id is None:
        return None
    counts = my_cases(scope, today=today_in_jakarta())
    return HomePanel(
        "billing/_home_cases.html",
        {
            "cases": counts,
            "cases_url": reverse("billing:arrears") + "?petugas=saya",
            "arrears_url": reverse("billing:arrears"),
        },
    )


def register_panels() -> None:
    register("billing.cases", cases_panel)
