"""API tokens, counts of refused anonymous requests, and the refusal of a check that is not a
role (roles: jamsos.access.policy)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jamsos.access.models import ApiToken, RefusalCount
from jamsos.access.policy import ROLE_NAMES, refuse, role_name  # noqa: F401  (also imported from here)
from jamsos.access.scope import Scope
from jamsos.core.clock import today_in_jakarta
from jamsos.core.errors import NotPermitted  # noqa: F401  (also imported from here)

TOKEN_PREFIX = "jms_"


def require(scope: Scope, allowed: bool, action: dict[str, str]) -> None:
    """Refuse with 403 when ``allowed`` is false (a check that is not a role: see
    :mod:`jamsos.access.policy` for who may do what)."""
    if not allowed:
        raise refuse(scope, action)


def token_digest(raw: str) -> str:
    """The stored form of an API token: its SHA-256, never the token itself."""
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str  # shown once


@transaction.atomic
def api_token_issue(*, user: Any, name: str, days: int | None = 90) -> IssuedToken:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=(name or "api").strip()[:100],
        prefix=raw[: len(TOKEN_PREFIX) + 4],
        digest=token_digest(raw),
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    return IssuedToken(token=token, raw=raw)


def api_token_user(raw: str) -> Any | None:
    """The active user of a valid, unexpired, unrevoked token (None otherwise)."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or (token.expires_at and token.expires_at <= now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


# --- demo accounts -----------------------------------------------------------------------------

#: The demo accounts' password, printed by ``make run``. Only demo accounts get it.
DEMO_PASSWORD = "jamsos-demo"


def refusal_count_add(*, route: str, reason: str, now: datetime | None = None) -> None:
    """Count one refused anonymous request for today (Asia/Jakarta), ``route`` and ``reason``.

    One row per day, route and reason, incremented in the database (``count + 1``), so that
    several processes count together; nothing about the caller is kept.
    """
    now = now or timezone.now()
    day = today_in_jakarta(now)
    rows = RefusalCount.objects.filter(day=day, route=route, reason=reason)
    if rows.update(count=F("count") + 1, last_at=now):
        return
    try:
        with transaction.atomic():
            RefusalCount.objects.create(day=day, route=route, reason=reason, count=1, last_at=now)
    except IntegrityError:  # another process created today's row in between
        rows.update(count=F("count") + 1, last_at=now)
