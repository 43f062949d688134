"""The audit trail page (administrators): who saw in full, changed or exported what, from where.

Pages go backwards by event id (``?sebelum=<id>``), so a page costs one indexed range whatever
the size of the trail: no count of all events.

The filters are sent by POST, because a record may be searched by its NIK and addresses reach
server and proxy logs: the page keeps them in the session under an opaque key and redirects to
``?saring=<key>``; its older pages are ``?saring=<key>&sebelum=<id>``, as the worker search's
are. Filters in the address are not read.

Branch officers do not get this page: the trail names its targets by type and id, and telling an
office's records from the others' would mean joining every event to the registry.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from jamsos.access.audit import ORIGIN_CHANNEL_LABELS
from jamsos.access.models import AuditEvent, Role
from jamsos.access.policy import ACCESS
from jamsos.access.scope import Scope
from jamsos.core.formatting import current_language, format_money, format_number, label
from jamsos.core.identifiers import compact_identifier, is_ascii_digits
from jamsos.membership.forms import AuditFilterForm
from jamsos.membership.messages import label as field_label
from jamsos.membership.models import Employer, Membership, Person
from jamsos.membership.views.display import AUDIT_ACTION_LABELS, role_label
from jamsos.web.common import scope_of, signed_in

PER_PAGE = 50
BEFORE_PARAM = "sebelum"
#: The address parameter naming kept filters (``?saring=<key>``), and where they are kept:
#: ``{key: {field: text}}``, the latest few only.
FILTER_KEY_PARAM = "saring"
FILTERS_SESSION_KEY = "jamsos_audit_filters"
FILTERS_KEPT = 20


def _keep_filters(request: HttpRequest, data: dict[str, str]) -> str:
    kept: dict[str, dict[str, str]] = dict(request.session.get(FILTERS_SESSION_KEY, {}))
    key = secrets.token_urlsafe(12)
    kept[key] = data
    request.session[FILTERS_SESSION_KEY] = dict(list(kept.items())[-FILTERS_KEPT:])
    return key


def _kept_filters(request: HttpRequest, key: str) -> dict[str, str] | None:
    value = request.session.get(FILTERS_SESSION_KEY, {}).get(key)
    return value if isinstance(value, dict) else None


TARGET_LABELS: dict[str, Promise] = {
    "membership.person": gettext_lazy("Person"),
    "membership.membership": gettext_lazy("Membership"),
    "membership.employer": gettext_lazy("Employer"),
    "auth.user": gettext_lazy("User account"),
}


#: Names of the audit trail's keys that are not fields of the registry (``messages.label``).
AUDIT_KEYS: dict[str, Promise] = {
    "status": gettext_lazy("status"),
    "note": gettext_lazy("note"),
    "result": gettext_lazy("result"),
    "rows": gettext_lazy("rows"),
    "decision": gettext_lazy("decision"),
    "amount_idr": gettext_lazy("amount"),
    "paid_idr": gettext_lazy("paid"),
    "allocated_idr": gettext_lazy("allocated"),
    "to_credit_idr": gettext_lazy("to credit"),
    "declared_income_idr": gettext_lazy("declared income"),
    "channel": gettext_lazy("channel"),
    "program": gettext_lazy("program"),
    "programs": gettext_lazy("programs"),
    "case": gettext_lazy("case"),
    "document": gettext_lazy("document"),
    "size": gettext_lazy("size"),
    "event": gettext_lazy("event"),
    "role": gettext_lazy("role"),
    "kind": gettext_lazy("kind"),
    "stage": gettext_lazy("stage"),
    "format": gettext_lazy("format"),
    "filters": gettext_lazy("filters"),
    "follow_up": gettext_lazy("follow-up"),
    "agreement": gettext_lazy("agreement"),
    "campaign": gettext_lazy("campaign"),
    "partner": gettext_lazy("partner"),
    "partners": gettext_lazy("partners"),
    "enrolments": gettext_lazy("enrolments"),
    "match_status": gettext_lazy("match"),
    "approved_by": gettext_lazy("approved by"),
    "bank_ref": gettext_lazy("bank reference"),
    "virtual_account": gettext_lazy("virtual account"),
    "paid_on": gettext_lazy("paid on"),
    "contacted_on": gettext_lazy("contacted on"),
    "registered_membership": gettext_lazy("registered membership"),
    "sponsor_kind": gettext_lazy("sponsor"),
    "active": gettext_lazy("active"),
    "user": gettext_lazy("user"),
    "office": gettext_lazy("office"),
    "region": gettext_lazy("region"),
    "regions": gettext_lazy("regions"),
    "key": gettext_lazy("key"),
}

#: Stored words of the audit trail's values (statuses, decisions, formats) in the reader's
#: language; other values are shown as stored.
AUDIT_VALUES: dict[str, Promise] = {
    "submitted": gettext_lazy("submitted"),
    "verified": gettext_lazy("verified"),
    "approved": gettext_lazy("approved"),
    "rejected": gettext_lazy("rejected"),
    "paid": gettext_lazy("paid"),
    "planned": gettext_lazy("planned"),
    "running": gettext_lazy("running"),
    "closed": gettext_lazy("closed"),
    "staged": gettext_lazy("staged"),
    "validated": gettext_lazy("validated"),
    "enrolled": gettext_lazy("enrolled"),
    "started": gettext_lazy("started"),
    "ended": gettext_lazy("ended"),
    "new": gettext_lazy("new"),
    "officer": gettext_lazy("branch officer"),
    "worker": gettext_lazy("worker"),
    "heir": gettext_lazy("heir"),
    "employer": gettext_lazy("employer"),
    "M": gettext_lazy("male"),
    "F": gettext_lazy("female"),
    "True": gettext_lazy("yes"),
    "False": gettext_lazy("no"),
}


def _key(name: str, language: str) -> str:
    if name in AUDIT_KEYS:
        return str(AUDIT_KEYS[name])
    return field_label(name, language)


def _value(value: Any, key: str = "") -> Any:
    if isinstance(value, list):
        return ", ".join(str(_value(v, key)) for v in value)
    if isinstance(value, int) and not isinstance(value, bool):
        if key.endswith("_idr"):
            return format_money(value)
        return value if key.endswith("_id") else format_number(value)
    text = str(value)
    if text in Role.values:
        return role_label(text)
    return label(AUDIT_VALUES, text) if text in AUDIT_VALUES else value


def _target_filter(events: QuerySet[AuditEvent], text: str) -> QuerySet[AuditEvent]:
    """A NIK, KPJ or NPP finds its record's events; other text searches the (masked) labels."""
    compact = compact_identifier(text)
    lookups = {16: (Person, "nik"), 11: (Membership, "kpj"), 10: (Employer, "npp")}
    if is_ascii_digits(compact) and len(compact) in lookups:
        model, field = lookups[len(compact)]
        found = model.objects.filter(**{field: compact}).values_list("pk", flat=True)
        ids = [str(pk) for pk in found]
        return events.filter(target_type=model._meta.label_lower, target_id__in=ids)
    return events.filter(target_label__icontains=text)


def audit_events(scope: Scope, filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """The audit trail, filtered; administrators only (403 for every other role)."""
    ACCESS.require(scope, "audit.view")
    events = AuditEvent.objects.all()
    if filters.get("actor"):
        events = events.filter(actor_name__icontains=filters["actor"])
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    if filters.get("target"):
        events = _target_filter(events, filters["target"].strip())
    zone = timezone.get_current_timezone()
    if filters.get("date_from"):
        events = events.filter(at__gte=datetime.combine(filters["date_from"], time.min, zone))
    if filters.get("date_to"):
        end = filters["date_to"] + timedelta(days=1)
        events = events.filter(at__lt=datetime.combine(end, time.min, zone))
    return events


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    role: str
    action: str
    target_kind: str
    changes: list[tuple[str, Any, Any]]
    detail: str
    channel: str


def _row(event: AuditEvent) -> AuditRow:
    language = current_language()
    changes = [
        (
            _key(name, language),
            *(
                [_value(v, name) for v in values]
                if isinstance(values, list) and len(values) == 2
                else (None, _value(values, name))
            ),
        )
        for name, values in sorted((event.changes or {}).items())
    ]
    detail = ", ".join(
        f"{_key(key, language)}: {_value(value, key)}"
        for key, value in sorted((event.detail or {}).items())
    )
    return AuditRow(
        event=event,
        role=role_label(event.role) if event.role in Role.values else "",
        action=label(AUDIT_ACTION_LABELS, event.action),
        target_kind=label(TARGET_LABELS, event.target_type),
        channel=label(ORIGIN_CHANNEL_LABELS, event.channel),
        changes=changes,
        detail=detail,
    )


@signed_in
@require_http_methods(["GET", "POST"])
def audit_trail(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    ACCESS.require(scope, "audit.view")
    key, expired = "", False
    if request.method == "POST":
        data = {
            name: request.POST.get(name, "")
            for name in AuditFilterForm.base_fields
            if request.POST.get(name, "")
        }
        form = AuditFilterForm(data or None)
        if data and form.is_valid():
            # Post/redirect/get: the page of the search is an address without its text.
            key = _keep_filters(request, data)
            return redirect(f"{request.path}?{urlencode({FILTER_KEY_PARAM: key})}")
    elif request.GET.get(FILTER_KEY_PARAM):
        kept = _kept_filters(request, request.GET[FILTER_KEY_PARAM])
        expired = kept is None
        key = "" if kept is None else request.GET[FILTER_KEY_PARAM]
        form = AuditFilterForm(kept or None)
    else:
        form = AuditFilterForm()
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = audit_events(scope, filters)
    before = request.GET.get(BEFORE_PARAM, "") if request.method == "GET" else ""
    if before.isdigit():
        events = events.filter(pk__lt=int(before))
    found = list(events.order_by("-id")[: PER_PAGE + 1])
    rows = [_row(e) for e in found[:PER_PAGE]]
    kept_query = {FILTER_KEY_PARAM: key} if key else {}
    older_url = ""
    if len(found) > PER_PAGE:
        older_url = "?" + urlencode({**kept_query, BEFORE_PARAM: str(found[PER_PAGE - 1].pk)})
    newest_url = ""
    if before:
        newest_url = "?" + urlencode(kept_query) if kept_query else request.path
    context = {
        "form": form,
        "rows": rows,
        "older_url": older_url,
        "newest_url": newest_url,
        "per_page": PER_PAGE,
        "expired": expired,
    }
    return render(request, "web/registry/audit_trail.html", context)
