"""The site menu's links a signed-in user may open, asked of the same policies the pages ask
(docs/policies.md): a link is shown only when its page would not refuse the caller's role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from jamsos.access.policy import ACCESS
from jamsos.billing.policy import BILLING
from jamsos.claims.policy import CLAIMS
from jamsos.coverage.policy import COVERAGE
from jamsos.membership.policy import MEMBERSHIP
from jamsos.notifications.policy import NOTIFICATIONS
from jamsos.partners.policy import PARTNERS
from jamsos.web.common import scope_of


def nav(request: HttpRequest) -> dict[str, Any]:
    """``nav``: which of the menu's work pages the caller may open (nothing when signed out)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    scope = scope_of(request)
    return {
        "nav": {
            "search": MEMBERSHIP.allows(scope, "person.search"),
            "billing": BILLING.allows(scope, "runs.view")
            or BILLING.allows(scope, "invoices.view")
            or BILLING.allows(scope, "arrears.follow_up"),
            "claims": CLAIMS.allows(scope, "claim.view"),
            "coverage": COVERAGE.allows(scope, "coverage.view"),
            "partners": PARTNERS.allows(scope, "partners.view"),
            "outbox": NOTIFICATIONS.allows(scope, "outbox.view"),
            "preferences": NOTIFICATIONS.allows(scope, "preferences.own"),
            "audit": ACCESS.allows(scope, "audit.view"),
        }
    }
