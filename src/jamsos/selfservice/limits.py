"""Limits on tries, per client address and per NIK.

One function, :func:`attempt_allowed`, counts and decides, so that the shared rate-limit module
can replace this counter in one place. The counter lives in Django's cache (a fixed window per
key): with the default local-memory cache it is per process; production configures a shared
cache (docs/workers.md).
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from jamsos.selfservice.errors import TooManyAttempts

#: (tries, window in seconds) per kind of key.
LIMITS: dict[str, tuple[int, int]] = {
    "code.address": (20, 3600),  # codes asked and identity checks failed, per client address
    "code.nik": (5, 3600),  # codes asked and identity checks failed, per NIK
    "signin.address": (30, 900),  # worker sign-ins, per client address
}


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:32]
    return f"jamsos.selfservice.limit:{kind}:{digest}"


def attempt_allowed(kind: str, value: str) -> None:
    """Count one try of ``kind`` by ``value`` (an address, a NIK); raise
    :class:`TooManyAttempts` (429) once the window's limit is passed."""
    limit, window = LIMITS[kind]
    key = _key(kind, value or "-")
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        raise TooManyAttempts(minutes=max(1, window // 60))


def attempts_reset(kind: str, value: str) -> None:
    """Forget the tries of ``value`` (after a success)."""
    cache.delete(_key(kind, value or "-"))
