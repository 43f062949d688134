"""Abuse limits on what anyone may call without signing in (docs/security-abuse.md).

Each limit of ``settings.ABUSE_LIMITS`` reads ``COUNT/PERIOD`` (``20/10m``): at most COUNT
requests in each period, counted in Django's cache under a key made of the limit's name, what
it counts by, and the period's number. The cache is shared by every process (a database table
by default, Redis with ``JAMSOS_CACHE_URL``), so the web server's workers and the task worker
count together. What a limit counts by:

- the client's address (``REMOTE_ADDR``, as the audit trail reads it); an IPv6 address counts
  by its /64 network, which one subscriber usually holds whole;
- a NIK, whatever the address: kept in the cache only as a keyed hash (HMAC-SHA-256 with the
  installation's secret key), never as the number.

:func:`enforce` counts one request and, past the limit, counts the refusal per day, route and
reason (:class:`~jamsos.access.models.RefusalCount`, administrators see it on the refusals page
and with ``jamsos refusals``) and raises :class:`~jamsos.access.errors.TooManyRequests` (429),
which the API's one handler and the pages' 429 page turn into the answer.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.db import router, transaction
from django.http import HttpRequest

from jamsos.access.errors import TooManyRequests
from jamsos.access.models import RefusalReason
from jamsos.access.services import refusal_count_add
from jamsos.core.identifiers import is_ascii_digits

logger = logging.getLogger("jamsos.abuse")

NIK_LENGTH = 16

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"([1-9][0-9]*)/([1-9][0-9]*)([smhd])")


@dataclass(frozen=True)
class Rate:
    """At most ``count`` requests in each period of ``seconds``."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        match = _RATE.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"A limit reads COUNT/PERIOD, for example 20/10m (got {text!r})")
        count, amount, unit = match.groups()
        return cls(count=int(count), seconds=int(amount) * _UNITS[unit])


def rate_of(limit: str) -> Rate:
    """The rate of the named limit in ``settings.ABUSE_LIMITS``."""
    return Rate.parse(settings.ABUSE_LIMITS[limit])


def client_address(request: HttpRequest) -> str:
    """What the address limits count by: REMOTE_ADDR, an IPv6 address by its /64 network."""
    raw = str(request.META.get("REMOTE_ADDR") or "").strip()
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw or "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def nik_key(nik: str) -> str:
    """A NIK as the cache keeps it: a keyed hash, which names the number to nobody."""
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"nik:{nik}".encode(), hashlib.sha256).hexdigest()[:32]


def _add_one(key: str, timeout: int, backend: BaseCache) -> int:
    """Add one to the count under ``key`` (which ends with its period), return the new count.

    Redis adds atomically and keeps the key's expiry. A cache that reads and then writes (the
    database cache; Django's ``incr`` would also reset the expiry) does both steps in one
    transaction, with the expiry given again: SQLite (which begins every transaction with the
    write lock) then counts one process at a time. PostgreSQL does not, so under load two
    requests may count once there: a server with several processes uses Redis
    (docs/deployment.md).
    """
    if isinstance(backend, DatabaseCache):
        with transaction.atomic(using=router.db_for_write(backend.cache_model_class)):
            count = int(backend.get(key, 0)) + 1
            backend.set(key, count, timeout=timeout)
            return count
    if backend.add(key, 1, timeout=timeout):
        return 1
    try:
        return int(backend.incr(key))
    except ValueError:  # the key expired between the two steps: a new period
        backend.set(key, 1, timeout=timeout)
        return 1


def count_request(
    limit: str, key: str, *, now: float | None = None, backend: BaseCache | None = None
) -> tuple[int, int]:
    """Count one request under ``limit`` for ``key``: (the count in this period, seconds left),
    in ``backend`` (the default cache unless given)."""
    rate = rate_of(limit)
    now = time.time() if now is None else now
    period = int(now // rate.seconds)
    left = max(1, int((period + 1) * rate.seconds - now))
    cache_key = f"limit:{limit}:{key}:{rate.seconds}:{period}"
    return _add_one(cache_key, left + 1, backend or caches["default"]), left


def enforce(
    *, route: str, limit: str, key: str, reason: RefusalReason, field: str | None = None
) -> None:
    """Count one request; past the limit, count the refusal and raise :class:`TooManyRequests`."""
    count, left = count_request(limit, key)
    if count <= rate_of(limit).count:
        return
    refusal_count_add(route=route, reason=reason)
    if count == rate_of(limit).count + 1:
        logger.warning("Abuse limit %s reached on %s", limit, route)
    raise TooManyRequests(retry_after=left, field=field)


def enforce_address(request: HttpRequest, *, route: str, limit: str) -> None:
    """The address limit ``limit`` for this request's client."""
    enforce(
        route=route,
        limit=limit,
        key=client_address(request),
        reason=RefusalReason.LIMIT_ADDRESS,
    )


def enforce_nik(nik: str, *, route: str, limit: str = "register.nik") -> None:
    """The NIK limit: attempts on one NIK (16 digits, compacted) from any address. Text that
    is no NIK is not counted here: it is refused without the registry being read."""
    if len(nik) != NIK_LENGTH or not is_ascii_digits(nik):
        return
    enforce(route=route, limit=limit, key=nik_key(nik), reason=RefusalReason.LIMIT_NIK)


def record(route: str, reason: RefusalReason) -> None:
    """Count a refusal that no limit made (a registered NIK answered without naming it)."""
    refusal_count_add(route=route, reason=reason)
