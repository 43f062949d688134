"""Refusals of the access app itself (roles refuse with `jamsos.core.errors.NotPermitted`)."""

from __future__ import annotations

from typing import Any, ClassVar

from jamsos.core.errors import ApplicationError


class AccessError(ApplicationError):
    """Base of the access app's refusals; never raised itself."""

    code: ClassVar[str] = "access.error"


class TooManyRequests(AccessError):
    """An abuse limit was reached (``settings.ABUSE_LIMITS``): wait, then try again.

    ``retry_after`` is the number of seconds until the period of the limit ends; the API sends
    it as the ``Retry-After`` header as well.
    """

    code = "access.too_many_requests"
    http_status = 429
    text = {
        "id": "Terlalu banyak permintaan dari Anda dalam waktu singkat. Tunggu {minutes} menit, "
        "lalu coba lagi.",
        "en": "Too many requests from you in a short time. Wait {minutes} min., then try again.",
    }

    @property
    def retry_after(self) -> int:
        """Seconds until the limit's period ends (``retry_after=`` when raised; 60 if not)."""
        return max(1, int(self.params.get("retry_after", 60)))

    def values(self, language: str) -> dict[str, Any]:
        values = super().values(language)
        if "retry_after" in self.params:
            values["minutes"] = -(-self.retry_after // 60)
        return values
