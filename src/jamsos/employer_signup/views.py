"""Employer self-registration pages: the public application form (limited per address), the
branch office's list of applications with the decision, and the page where the new account
sets its password."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jamsos.core.errors import ApplicationError
from jamsos.core.masking import mask_nik
from jamsos.employer_signup.forms import ApplicationForm, RejectForm
from jamsos.employer_signup.models import ApplicationStatus
from jamsos.employer_signup.policy import EMPLOYER_SIGNUP
from jamsos.employer_signup.selectors import application_get, application_list
from jamsos.employer_signup.services import (
    ApplicationData,
    application_reject,
    application_submit,
    application_verify,
)
from jamsos.web.common import page_of, scope_of, signed_in
from jamsos.web.error_pages import limited

app_name = "employer_signup"


@require_http_methods(["GET", "POST"])
@limited("employer_signup:apply", "register.address")
def apply(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = application_submit(ApplicationData(**data))
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            return render(
                request, "employer_signup/received.html", {"reference": application.reference}
            )
    return render(request, "employer_signup/apply.html", {"form": form})


@require_http_methods(["GET"])
@signed_in
def application_index(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    status = request.GET.get("status", ApplicationStatus.PENDING)
    page = page_of(request, application_list(scope, status=status))
    return render(
        request,
        "employer_signup/list.html",
        {"page": page, "status": status, "statuses": ApplicationStatus.choices},
    )


@require_http_methods(["GET"])
@signed_in
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    application = application_get(scope, pk)
    context: dict[str, Any] = {
        "a": application,
        "pic_nik": mask_nik(application.pic_nik),
        "may_decide": EMPLOYER_SIGNUP.allows(scope, "applications.decide")
        and application.status == ApplicationStatus.PENDING,
        "reject_form": RejectForm(),
    }
    return render(request, "employer_signup/detail.html", context)


@require_POST
@signed_in
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    application = application_get(scope, pk)
    try:
        if request.POST.get("decision") == "verify":
            result = application_verify(
                scope=scope,
                application_id=application.pk,
                base_url=request.build_absolute_uri("/"),
            )
            messages.success(
                request,
                _("Verified: %(name)s is registered with NPP %(npp)s.")
                % {"name": result.employer.legal_name, "npp": result.employer.npp},
            )
        else:
            form = RejectForm(request.POST)
            application_reject(
                scope=scope,
                application_id=application.pk,
                reason=form.data.get("reason", ""),
            )
            messages.success(request, _("The application was rejected."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("employer_signup:detail", pk=application.pk)


class SetPassword(auth_views.PasswordResetConfirmView):
    """The new account sets its password with the link of the e-mail (once)."""

    template_name = "employer_signup/set_password.html"
    success_url = reverse_lazy("login")
    post_reset_login = False


set_password = limited("employer_signup:set-password", "register.address")(SetPassword.as_view())

urlpatterns: list[URLPattern] = [
    path("daftar/", apply, name="apply"),
    path("permohonan/", application_index, name="list"),
    path("permohonan/<int:pk>/", application_detail, name="detail"),
    path("permohonan/<int:pk>/putusan/", application_decide, name="decide"),
    path("sandi/<uidb64>/<token>/", set_password, name="set-password"),
]
