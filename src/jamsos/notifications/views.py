"""Pages under /pesan/: the outbox with its delivery log (administrators, branch officers) and
each signed-in user's message choices (docs/notifications.md). Thin: scoped selectors and the
services, as the CLI."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jamsos.core.errors import ApplicationError
from jamsos.core.formatting import current_language
from jamsos.notifications.kinds import CHANNELS, kind_get, kinds
from jamsos.notifications.models import Channel, MessageStatus
from jamsos.notifications.policy import NOTIFICATIONS
from jamsos.notifications.selectors import (
    masked_address,
    message_attempts,
    message_get,
    outbox_counts,
    outbox_list,
)
from jamsos.notifications.services.delivery import message_retry
from jamsos.notifications.services.preferences import Choices, preference_of, preference_set
from jamsos.web.common import page_of, scope_of, signed_in

app_name = "notifications"


def _kind_label(name: str, language: str) -> str:
    found = kind_get(name)
    return found.label_in(language) if found else name


@signed_in
def outbox(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    status = request.GET.get("status", "")
    status = status if status in MessageStatus.values else ""
    kind = request.GET.get("jenis", "")
    kind = kind if kind_get(kind) else ""
    query = outbox_list(scope, status=status, kind=kind)
    page = page_of(request, query)
    language = current_language()
    rows = [
        {
            "m": m,
            "address": masked_address(m) or "–",
            "kind": _kind_label(m.kind, language),
        }
        for m in page.object_list
    ]
    counts = outbox_counts(scope)
    extra = urlencode({k: v for k, v in (("status", status), ("jenis", kind)) if v})
    return render(
        request,
        "notifications/outbox.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "kind": kind,
            "statuses": [(v, label, counts.get(v, 0)) for v, label in MessageStatus.choices],
            "kinds": [(k.name, k.label_in(language)) for k in kinds()],
            "extra_query": extra,
        },
    )


@signed_in
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    message = message_get(scope, pk)
    return render(
        request,
        "notifications/message_detail.html",
        {
            "m": message,
            "address": masked_address(message) or "–",
            "kind": _kind_label(message.kind, current_language()),
            "attempts": list(message_attempts(message)),
            "may_retry": NOTIFICATIONS.allows(scope, "outbox.send")
            and message.status == MessageStatus.FAILED,
        },
    )


@signed_in
@require_POST
def message_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    message = message_retry(message_get(scope, pk), by=scope)
    if message.status == MessageStatus.QUEUED:
        messages.success(request, _("The message is queued again."))
    return redirect("notifications:message", pk=pk)


@signed_in
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    pref = preference_of(scope)
    error = None
    if request.method == "POST":
        choices = Choices(
            language=request.POST.get("language", ""),
            email=request.POST.get("email", ""),
            email_off="email_on" not in request.POST,
            sms_off="sms_on" not in request.POST,
            whatsapp_off="whatsapp_on" not in request.POST,
        )
        try:
            preference_set(scope, choices)
        except ApplicationError as exc:
            error = exc
            for name in ("language", "email"):
                setattr(pref, name, getattr(choices, name))
        else:
            messages.success(request, _("Your choices are saved."))
            return redirect("notifications:preferences")
    channels = [
        {"value": value, "label": label, "on": not pref.is_off(value)}
        for value, label in Channel.choices
        if value in CHANNELS
    ]
    required = [k.label_in(current_language()) for k in kinds() if k.required]
    return render(
        request,
        "notifications/preferences.html",
        {"pref": pref, "channels": channels, "error": error, "required": required},
        status=400 if error else 200,
    )


urlpatterns: list[URLPattern] = [
    path("", outbox, name="outbox"),
    path("<int:pk>/", message_detail, name="message"),
    path("<int:pk>/kirim-ulang/", message_retry_view, name="message-retry"),
    path("pilihan/", preferences, name="preferences"),
]
