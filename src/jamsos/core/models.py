"""Model pieces shared by every app: the append-only guard of history rows."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models


class AppendOnlyError(RuntimeError):
    """A history row was about to be changed or removed: a bug, not a business refusal."""


class AppendOnly(models.Model):
    """A row written once and never updated nor deleted through the ORM.

    Subclasses name what they hold in ``append_only_label`` ("audit events"), which the
    :class:`AppendOnlyError` message repeats.
    """

    append_only_label: ClassVar[str] = "rows"

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self.append_only_label} are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.append_only_label} are append-only")
