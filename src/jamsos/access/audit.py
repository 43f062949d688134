"""The audit trail of personal data: who saw in full, changed or exported what, from where.

"From where" is the request's origin, set once per request by
:class:`jamsos.access.middleware.AuditOriginMiddleware` (channel ``web`` or ``api``, the client's
address and user agent) and once per command by the ``jamsos`` CLI (channel ``cli``, the
operating-system user and host). Code that writes runs inside that origin and calls
:func:`audit_record`; it never passes addresses around.
"""

from __future__ import annotations

import contextlib
import getpass
import socket
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from jamsos.access.models import AuditAction, AuditEvent
from jamsos.access.scope import Scope
from jamsos.core import bulkwrite
from jamsos.core.masking import mask_nik, mask_phone

#: Fields whose values are masked in the audit trail itself.
MASKED_FIELDS = {"nik": mask_nik, "phone": mask_phone}


@dataclass(frozen=True)
class Origin:
    channel: str  # web, api, cli, system
    ip: str | None = None
    client: str = ""


_origin: ContextVar[Origin | None] = ContextVar("jamsos_audit_origin", default=None)


def cli_origin() -> Origin:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in some containers
        user = "unknown"
    return Origin(channel="cli", client=f"{user}@{socket.gethostname()}"[:200])


#: An origin's channel in words, for pages (the audit trail, a job's page).
ORIGIN_CHANNEL_LABELS = {
    "web": gettext_lazy("web"),
    "api": gettext_lazy("API"),
    "cli": gettext_lazy("command line"),
    "system": gettext_lazy("system"),
}


def current_origin() -> Origin:
    return _origin.get() or Origin(channel="system")


@contextlib.contextmanager
def origin(value: Origin) -> Iterator[Origin]:
    token = _origin.set(value)
    try:
        yield value
    finally:
        _origin.reset(token)


def origin_set(value: Origin) -> None:
    """Set the origin for the rest of this context (the CLI's whole run)."""
    _origin.set(value)


def _plain(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in MASKED_FIELDS:
        return MASKED_FIELDS[name](str(value))
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, str, bool, float)):
        return value
    return str(value)


def changes_of(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` of the fields that differ, personal numbers masked."""
    out: dict[str, list[Any]] = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old != new:
            out[name] = [_plain(name, old), _plain(name, new)]
    return out


def target_label(obj: models.Model) -> str:
    nik = getattr(obj, "nik", None)
    if nik:
        return f"{mask_nik(nik)} {getattr(obj, 'name', '')}".strip()[:200]
    return str(obj)[:200]


def audit_record(
    scope: Scope | None,
    action: AuditAction | str,
    target: models.Model | None = None,
    *,
    target_type: str = "",
    target_id: str = "",
    label: str = "",
    changes: Mapping[str, list[Any]] | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    where = current_origin()
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
        label = label or target_label(target)
    event = AuditEvent(
        at=timezone.now(),
        actor_id=scope.user_id if scope else None,
        actor_name=(scope.actor_name if scope else "") or "system",
        role=(scope.role.value if scope and scope.role else ""),
        action=str(action),
        target_type=target_type,
        target_id=target_id,
        target_label=label,
        changes=dict(changes or {}),
        detail=dict(detail or {}),
        channel=where.channel,
        ip=where.ip,
        client=where.client[:200],
    )
    event.save()
    return event


@dataclass(frozen=True)
class AuditEntry:
    """One audit record of :func:`audit_record_many`: what :func:`audit_record` is given for a
    target, with the target named by type and id (``membership.person``, ``"42"``)."""

    action: AuditAction | str
    target_type: str
    target_id: str
    label: str = ""
    changes: Mapping[str, list[Any]] | None = None
    detail: Mapping[str, Any] | None = None


_AUDIT_FIELDS = (
    "at", "actor_id", "actor_name", "role", "action", "target_type", "target_id",
    "target_label", "changes", "detail", "channel", "ip", "client",
)  # fmt: skip


def audit_record_many(scope: Scope | None, entries: Iterable[AuditEntry]) -> int:
    """Record many audit events at once, each as :func:`audit_record` records it (the actor and
    origin of this request, one moment), set-based (:mod:`jamsos.core.bulkwrite`). Returns how
    many were written."""
    where = current_origin()
    actor_id = scope.user_id if scope else None
    actor_name = (scope.actor_name if scope else "") or "system"
    role = scope.role.value if scope and scope.role else ""
    at = bulkwrite.timestamp_text(timezone.now())
    client = where.client[:200]
    json_text = bulkwrite.json_text
    return bulkwrite.insert(
        AuditEvent,
        _AUDIT_FIELDS,
        (
            (
                at,
                actor_id,
                actor_name,
                role,
                str(entry.action),
                entry.target_type,
                entry.target_id,
                entry.label,
                json_text(dict(entry.changes or {})),
                json_text(dict(entry.detail or {})),
                where.channel,
                where.ip,
                client,
            )
            for entry in entries
        ),
    )
