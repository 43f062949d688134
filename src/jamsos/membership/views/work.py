"""Signing in and out, and the role-aware landing page ("Beranda kerja")."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import LoginView, LogoutView
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from jamsos.access.models import Role, UserAccess
from jamsos.access.scope import Scope
from jamsos.access.services import DEMO_PASSWORD
from jamsos.core.formatting import format_number, label
from jamsos.membership.forms import SignInForm, WorkerSearchForm
from jamsos.membership.models import BranchOffice, Membership, Status
from jamsos.membership.selectors import employers_visible, memberships_visible, people_visible
from jamsos.membership.views.display import SEGMENT_SHORT, membership_rows, role_label
from jamsos.membership.views.employers import employer_context
from jamsos.membership.views.workers import person_page_context
from jamsos.web.common import page_of, scope_of, signed_in, upload_url
from jamsos.web.error_pages import limited
from jamsos.web.home_panels import panels_for

RECENT_SHOWN = 20


class SignInView(LoginView):
    """The site's sign-in page; lists the demo accounts when the demo population is loaded."""

    template_name = "web/registry/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("work-home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        demo = (
            UserAccess.objects.filter(is_demo=True, user__is_active=True)
            .select_related("user")
            .order_by("user__username")
        )
        context["demo_accounts"] = [(a.user.get_username(), role_label(a.role)) for a in demo]
        context["demo_password"] = DEMO_PASSWORD
        return context


#: django-axes counts failures per account name and address; the page also counts every form
#: sent from one address, whatever the account name (``signin.address``).
sign_in = limited("web:masuk", "signin.address", methods=("POST",))(SignInView.as_view())
sign_out = LogoutView.as_view(next_page=reverse_lazy("home"))


def segment_counts() -> list[dict[str, Any]]:
    """Memberships by segment and status: aggregates only, nothing about anyone."""
    rows = Membership.objects.values("segment", "status").annotate(n=Count("id"))
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        table.setdefault(row["segment"], {})[row["status"]] = row["n"]
    return [
        {
            "segment": label(SEGMENT_SHORT, segment),
            "active": format_number(table.get(segment, {}).get(Status.ACTIVE, 0)),
            "ended": format_number(table.get(segment, {}).get(Status.ENDED, 0)),
        }
        for segment in ("PU", "BPU", "JAKON", "PMI")
    ]


def _recent(scope: Scope) -> list[Any]:
    """The latest registrations the scope sees (by record id: the newest rows first)."""
    query = memberships_visible(scope).select_related("person", "employer").order_by("-id")
    return membership_rows(query[:RECENT_SHOWN])


@signed_in
@require_http_methods(["GET"])
def work_home(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    role = scope.role
    context: dict[str, Any] = {
        "role": role.value if role else "",
        "role_label": role_label(role),
        "upload_url": upload_url(),
        "search_form": WorkerSearchForm(),
        "panels": panels_for(scope),
    }
    if role == Role.BRANCH_OFFICER:
        context["office"] = BranchOffice.objects.filter(pk=scope.branch_office_id).first()
        context["recent"] = _recent(scope)
    elif role == Role.EMPLOYER_USER:
        employer = (
            employers_visible(scope).select_related("branch_office", "address_village").first()
        )
        if employer is not None:
            context.update(employer_context(request, employer))
    elif role == Role.WORKER:
        person = people_visible(scope).select_related("domicile").first()
        if person is not None:
            context.update(person_page_context(scope, person, full=False))
    elif role == Role.PARTNER_USER:
        query = memberships_visible(scope).select_related("person", "employer").order_by("-id")
        page = page_of(request, query)
        context.update(page=page, rows=membership_rows(page.object_list))
        context["partner_ref"] = scope.partner_ref
    elif role == Role.ADMIN:
        context["recent"] = _recent(scope)
        context["counts"] = segment_counts()
    elif role == Role.ANALYST:
        context["counts"] = segment_counts()
    return render(request, "web/registry/work_home.html", context)
