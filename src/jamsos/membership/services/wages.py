"""An employer's monthly wage report for many workers at once, set-based (docs/registry/wages.md).

``wages_report`` checks every line first (the wage floor, the worker is the employer's wage
earner in that month, the month not reported yet) and writes nothing when any line is refused:
it returns every refusal, keyed by KPJ. Otherwise it writes the reports, the ``wage_changed``
events and their audit records with a handful of statements, whatever the number of lines.
``wages_same_as_last_month`` reports, for each active wage earner not yet reported for the
month, the last wage reported before it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from jamsos.access.audit import AuditEntry, audit_record_many
from jamsos.access.scope import Scope
from jamsos.core import bulkwrite
from jamsos.core.clock import today_in_jakarta
from jamsos.legal.periods import Period
from jamsos.legal.types import Segment
from jamsos.membership.bounds import WAGE_PERIOD_FIRST, wage_period_last
from jamsos.membership.errors import (
    InvalidPeriod,
    MembershipError,
    NotEmployersWorker,
    OutOfRange,
    PeriodOutsideMembership,
    WageAlreadyReported,
)
from jamsos.membership.models import (
    Employer,
    EventKind,
    Membership,
    MembershipEvent,
    Status,
    WageReport,
    WageSource,
)
from jamsos.membership.policy import MEMBERSHIP
from jamsos.membership.services._common import require_choice, require_wage
from jamsos.membership.services.registration_rows import EVENT_FIELDS, WAGE_FIELDS, event_audit


@dataclass
class WageBatch:
    """What a batch did: the lines written, or (nothing written) every refused line by KPJ."""

    period: Period
    written: int = 0
    changed: int = 0
    refusals: dict[str, MembershipError] = field(default_factory=dict)

    @property
    def refused(self) -> bool:
        return bool(self.refusals)


def _period(period: Period | str, now: datetime | None) -> Period:
    if not isinstance(period, Period):
        try:
            period = Period.parse(str(period))
        except ValueError:
            raise InvalidPeriod(value=period) from None
    last = wage_period_last(today_in_jakarta(now))
    if not WAGE_PERIOD_FIRST <= period <= last:
        raise OutOfRange(
            field="period", value=str(period), minimum=str(WAGE_PERIOD_FIRST), maximum=str(last)
        )
    return period


def _latest_before(ids: list[int], period: Period) -> dict[int, tuple[str, int]]:
    """(period, wage) of each membership's latest report before ``period``: one query."""
    latest = WageReport.objects.filter(membership=OuterRef("pk"), period__lt=str(period)).order_by(
        "-period"
    )
    rows = (
        Membership.objects.filter(pk__in=ids)
        .annotate(
            last_period=Subquery(latest.values("period")[:1]),
            last_wage=Subquery(latest.values("wage_idr")[:1]),
        )
        .filter(last_wage__isnull=False)
        .values_list("pk", "last_period", "last_wage")
    )
    return {pk: (last_period, last_wage) for pk, last_period, last_wage in rows}


def wages_report(
    *,
    employer: Employer,
    period: Period | str,
    wages: Mapping[str, int | None],
    source: str = WageSource.EMPLOYER,
    by: Scope | None = None,
    now: datetime | None = None,
    check_only: bool = False,
) -> WageBatch:
    """Report one month's wages of ``employer``'s wage earners, ``wages`` by KPJ; all or none.
    ``check_only`` checks every line and writes nothing (a file with other bad rows)."""
    MEMBERSHIP.require(by, "wage.report")
    period = _period(period, now)
    source = require_choice(source, WageSource, field="source")
    batch = WageBatch(period)
    amounts: dict[str, int] = {}
    for kpj, wage in wages.items():
        try:
            amounts[kpj] = require_wage(wage, on=period.first_day)
        except MembershipError as error:
            batch.refusals[kpj] = error
    if not wages:
        return batch
    with transaction.atomic():
        members = {
            m.kpj: m
            for m in Membership.objects.select_for_update()
            .filter(kpj__in=list(wages), employer=employer, segment=Segment.PU.value)
            .only("pk", "kpj", "start_date", "end_date", "segment")
        }
        reported = dict(
            WageReport.objects.filter(
                membership_id__in=[m.pk for m in members.values()], period=str(period)
            ).values_list("membership_id", "wage_idr")
        )
        for kpj in wages:
            member = members.get(kpj)
            if member is None:
                batch.refusals.setdefault(
                    kpj, NotEmployersWorker(kpj=kpj, employer=employer.legal_name)
                )
                continue
            end = member.end_date
            if period.last_day < member.start_date or (end is not None and period.first_day > end):
                batch.refusals.setdefault(
                    kpj,
                    PeriodOutsideMembership(
                        period=str(period),
                        kpj=kpj,
                        start_date=member.start_date,
                        end_date=end or "…",
                    ),
                )
            elif member.pk in reported:
                batch.refusals.setdefault(
                    kpj,
                    WageAlreadyReported(
                        period=str(period),
                        kpj=kpj,
                        wage=f"{reported[member.pk]:,}".replace(",", "."),
                    ),
                )
        if batch.refusals or check_only:
            return batch
        _write(batch, members, amounts, source=source, by=by, now=now)
    return batch


def _write(
    batch: WageBatch,
    members: Mapping[str, Membership],
    amounts: Mapping[str, int],
    *,
    source: str,
    by: Scope | None,
    now: datetime | None,
) -> None:
    period = batch.period
    moment = bulkwrite.timestamp_text(now or timezone.now())
    ids = {kpj: members[kpj].pk for kpj in amounts}
    previous = _latest_before(list(ids.values()), period)
    batch.written = bulkwrite.insert(
        WageReport,
        WAGE_FIELDS,
        ((ids[kpj], str(period), amount, moment, source) for kpj, amount in amounts.items()),
    )
    events: list[tuple[Any, ...]] = []
    audits: list[AuditEntry] = []
    actor = by.user_id if by is not None else None
    for kpj, amount in amounts.items():
        before = previous.get(ids[kpj])
        if before is None or before[1] == amount:
            continue
        data = {
            "period": str(period),
            "from_period": before[0],
            "old_wage_idr": before[1],
            "new_wage_idr": amount,
        }
        events.append(
            (ids[kpj], EventKind.WAGE_CHANGED.value, bulkwrite.json_text(data), moment, actor)
        )
        audits.append(event_audit(EventKind.WAGE_CHANGED, ids[kpj], kpj, Segment.PU.value, data))
    if events:
        bulkwrite.insert(MembershipEvent, EVENT_FIELDS, events)
        audit_record_many(by, audits)
    batch.changed = len(events)


def wages_same_as_last_month(
    *,
    employer: Employer,
    period: Period | str,
    source: str = WageSource.EMPLOYER,
    by: Scope | None = None,
    now: datetime | None = None,
) -> WageBatch:
    """Report for ``period`` the last wage before it of each active wage earner of ``employer``
    in that month who has a wage on record and is not reported for ``period`` yet."""
    MEMBERSHIP.require(by, "wage.report")
    period = _period(period, now)
    open_in_month = Q(end_date__isnull=True) | Q(end_date__gte=period.first_day)
    members = dict(
        Membership.objects.filter(
            employer=employer,
            segment=Segment.PU.value,
            status=Status.ACTIVE,
            start_date__lte=period.last_day,
        )
        .filter(open_in_month)
        .exclude(wage_reports__period=str(period))
        .values_list("pk", "kpj")
    )
    last = _latest_before(list(members), period)
    wages = {members[pk]: wage for pk, (_p, wage) in last.items()}
    return wages_report(
        employer=employer, period=period, wages=wages, source=source, by=by, now=now
    )
