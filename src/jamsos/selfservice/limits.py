"""Limits on a worker's tries, per client address and per NIK, through the one abuse-limit
module (:mod:`jamsos.access.limits`, docs/security-abuse.md): the counts live in the shared
cache (a database table by default, Redis in production), every process counts together, and
refusals are counted for administrators like every other limit's.

The limits are named in ``settings.ABUSE_LIMITS``: ``code.address`` and ``code.nik`` (codes
asked and identity checks that failed), ``signin.address`` (sign-ins, shared with the staff's
sign-in form).
"""

from __future__ import annotations

from jamsos.access import limits
from jamsos.access.errors import TooManyRequests
from jamsos.access.models import RefusalReason
from jamsos.selfservice.errors import TooManyAttempts

#: The route named in the counts of refused requests.
ROUTE = "peserta:akun"


def attempt_allowed(kind: str, value: str) -> None:
    """Count one try of ``kind`` (a limit of ``settings.ABUSE_LIMITS``) by ``value`` (an address,
    a NIK); raise :class:`TooManyAttempts` (429) once the period's limit is passed."""
    by_nik = kind.endswith(".nik")
    key = limits.nik_key(value or "-") if by_nik else (value or "unknown")
    reason = RefusalReason.LIMIT_NIK if by_nik else RefusalReason.LIMIT_ADDRESS
    try:
        limits.enforce(route=ROUTE, limit=kind, key=key, reason=reason)
    except TooManyRequests as error:
        minutes = max(1, -(-int(error.retry_after or 60) // 60))
        raise TooManyAttempts(minutes=minutes) from error
