"""Reading what the access app keeps, for a caller: the counts of refused anonymous requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet, Sum

from jamsos.access.models import RefusalCount
from jamsos.access.policy import ACCESS
from jamsos.access.scope import Scope
from jamsos.core.clock import today_in_jakarta


@dataclass(frozen=True)
class RefusalTotals:
    """The rows of the last ``days`` days (newest first) and their total."""

    since: date
    rows: list[RefusalCount]
    total: int


def refusal_counts(scope: Scope, *, days: int = 7, today: date | None = None) -> RefusalTotals:
    """Refused anonymous requests per day, route and reason over the last ``days`` days
    (today included); administrators only (403 for every other role)."""
    ACCESS.require(scope, "refusals.view")
    since = (today or today_in_jakarta()) - timedelta(days=max(1, days) - 1)
    query: QuerySet[RefusalCount] = RefusalCount.objects.filter(day__gte=since).order_by(
        "-day", "route", "reason"
    )
    total = query.aggregate(total=Sum("count"))["total"] or 0
    return RefusalTotals(since=since, rows=list(query), total=int(total))
