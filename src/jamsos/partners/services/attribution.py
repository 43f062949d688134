"""Which enrolments count for an agreement, and for an outreach event (docs/partners/
agreements.md, docs/partners/events.md). Both rules are set-based: one SQL statement for any
number of agreements, events and memberships, on SQLite and PostgreSQL alike.

**Agreement rule.** A membership is attributed to an agreement when

1. its ``partner_ref`` is the code of the agreement's partner or of one of its co-partners;
2. it started within the agreement's dates (``starts_on <= start_date <= ends_on``);
3. it is in the agreement's scope: its segment is one of the agreement's segments (empty = all),
   its ecosystem one of the agreement's ecosystems (empty = all), and the person's domicile
   village, or the employer's village, lies in one of the agreement's regions or below it (no
   regions = the partner's region; a partner without a region = everywhere).

A membership may count for several agreements (e.g. two partners' overlapping agreements).

**Event rule.** See :func:`events_attribute`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.billing.models import BillingRun, InvoiceLine, RunStatus
from jamsos.membership.models import Channel, Employer, Membership, Person
from jamsos.partners.models import (
    Agreement,
    AgreementTarget,
    EventEnrolment,
    OutreachEvent,
    Partner,
)
from jamsos.registry.models import Region

#: Enrolments that start on the event day or within this many days after it are attributed to
#: the event. A practice choice (the reach of a socialisation session), not law; a deployment
#: may set ``PARTNERS_EVENT_WINDOW_DAYS``.
EVENT_WINDOW_DAYS = 30

#: Channels through which an enrolment may follow an event even without the event's partner.
EVENT_CHANNELS = (Channel.PARTNER.value, Channel.CADRE.value, Channel.BRANCH.value)


def event_window_days() -> int:
    return int(getattr(settings, "PARTNERS_EVENT_WINDOW_DAYS", EVENT_WINDOW_DAYS))


def _t(model: Any) -> str:
    return str(model._meta.db_table)


def month_sql(expr: str, plus: int = 0) -> str:
    """SQL giving ``YYYY-MM`` of the month ``plus`` months after the date ``expr``."""
    plus = int(plus)
    if connection.vendor == "postgresql":
        shifted = f"({expr} + interval '{plus} months')" if plus else expr
        return f"to_char({shifted}, 'YYYY-MM')"
    return f"strftime('%%Y-%%m', {expr}, 'start of month', '+{plus} months')"


def days_after_sql(expr: str, days: int) -> str:
    """SQL giving the date ``days`` days after the date ``expr``."""
    days = int(days)
    if connection.vendor == "postgresql":
        return f"({expr} + {days})"
    return f"date({expr}, '+{days} days')"


def latest_billed_period() -> str | None:
    """The latest month with a finished billing run (``YYYY-MM``), or None."""
    return (
        BillingRun.objects.filter(status=RunStatus.FINISHED)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )


def _in_region(village: str, region: str) -> str:
    """SQL: the village row alias ``village`` lies in region alias ``region`` or below it."""
    return (
        f"({region}.level = 0 OR {village}.code = {region}.code "
        f"OR {village}.code LIKE {region}.code || '.%%')"
    )


def attributed_sql(agreement_ids: Iterable[int] | None) -> tuple[str, list[Any]]:
    """A SELECT of ``agreement_id, membership_id, start_date, start_month, segment`` for the
    agreements given (all when None), following the agreement rule above."""
    ag, reg = _t(Agreement), _t(Region)
    regions_m2m = _t(Agreement.regions.through)
    others_m2m = _t(Agreement.other_partners.through)
    params: list[Any] = [0]
    where = "AND a.id > %s"
    if agreement_ids is not None:
        ids = sorted({int(i) for i in agreement_ids}) or [-1]
        where = f"AND a.id IN ({', '.join(['%s'] * len(ids))})"
        params = ids
    scope_regions = f"""
        SELECT ar.agreement_id AS agreement_id, r.code AS code, r.level AS level
          FROM {regions_m2m} ar JOIN {reg} r ON r.id = ar.region_id
        UNION ALL
        SELECT a0.id, r.code, r.level
          FROM {ag} a0 JOIN {_t(Partner)} p0 ON p0.id = a0.partner_id
          JOIN {reg} r ON r.id = p0.region_id
         WHERE NOT EXISTS (SELECT 1 FROM {regions_m2m} x WHERE x.agreement_id = a0.id)
    """
    codes = f"""
        SELECT a1.id AS agreement_id, p1.code AS code
          FROM {ag} a1 JOIN {_t(Partner)} p1 ON p1.id = a1.partner_id
        UNION
        SELECT o.agreement_id, p2.code
          FROM {others_m2m} o JOIN {_t(Partner)} p2 ON p2.id = o.partner_id
    """
    sql = f"""
        SELECT DISTINCT a.id AS agreement_id, m.id AS membership_id,
               m.start_date AS start_date, {month_sql("m.start_date")} AS start_month,
               m.segment AS segment
          FROM {ag} a
          JOIN ({codes}) c ON c.agreement_id = a.id
          JOIN {_t(Membership)} m
            ON m.partner_ref = c.code AND m.start_date >= a.starts_on
           AND m.start_date <= a.ends_on
          JOIN {_t(Person)} pe ON pe.id = m.person_id
          JOIN {reg} v ON v.id = pe.domicile_id
          LEFT JOIN {_t(Employer)} e ON e.id = m.employer_id
          LEFT JOIN {reg} ev ON ev.id = e.address_village_id
         WHERE (a.segments = '' OR (',' || a.segments || ',') LIKE ('%%,' || m.segment || ',%%'))
           AND (a.ecosystems = ''
                OR (',' || a.ecosystems || ',') LIKE ('%%,' || m.ecosystem || ',%%'))
           AND (NOT EXISTS (SELECT 1 FROM ({scope_regions}) s0 WHERE s0.agreement_id = a.id)
                OR EXISTS (SELECT 1 FROM ({scope_regions}) s
                            WHERE s.agreement_id = a.id
                              AND ({_in_region("v", "s")}
                                   OR (ev.id IS NOT NULL AND {_in_region("ev", "s")}))))
           {where}
    """
    return sql, params


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def attributed_counts(agreement_ids: Iterable[int] | None = None) -> dict[int, int]:
    """``{agreement_id: memberships attributed}`` in one query."""
    inner, params = attributed_sql(agreement_ids)
    sql = f"SELECT agreement_id, COUNT(*) FROM ({inner}) t GROUP BY agreement_id"
    return {int(a): int(n) for a, n in _rows(sql, params)}


def attributed_by_month(agreement_id: int) -> list[tuple[str, int]]:
    """``[(YYYY-MM, memberships)]`` attributed to one agreement, by start month."""
    inner, params = attributed_sql([agreement_id])
    sql = f"SELECT start_month, COUNT(*) FROM ({inner}) t GROUP BY start_month ORDER BY 1"
    return [(str(m), int(n)) for m, n in _rows(sql, params)]


def attributed_membership_ids(agreement_id: int) -> list[int]:
    inner, params = attributed_sql([agreement_id])
    return [int(r[0]) for r in _rows(f"SELECT membership_id FROM ({inner}) t ORDER BY 1", params)]


@dataclass(frozen=True)
class TargetProgress:
    """Progress of one target: ``enrolled`` = attributed memberships that started in the
    target's months (and segment); ``active`` = those of them paid for ``period`` (the latest
    billed month). Shares are ``Decimal`` fractions (None without a target)."""

    target: AgreementTarget
    enrolled: int
    active: int
    period: str | None

    @property
    def enrolled_share(self) -> Decimal:
        return Decimal(self.enrolled) / Decimal(self.target.enrolments)

    @property
    def active_share(self) -> Decimal | None:
        if not self.target.active:
            return None
        return Decimal(self.active) / Decimal(self.target.active)

    @property
    def enrolled_percent(self) -> int:
        """For a progress bar: 0..100, rounded down."""
        return min(100, self.enrolled * 100 // self.target.enrolments)

    @property
    def active_percent(self) -> int | None:
        if not self.target.active:
            return None
        return min(100, self.active * 100 // self.target.active)


def targets_progress(agreement_ids: Iterable[int]) -> list[TargetProgress]:
    """Progress of every target of the agreements, in one query."""
    ids = sorted({int(i) for i in agreement_ids})
    targets = {
        t.pk: t
        for t in AgreementTarget.objects.filter(agreement_id__in=ids).select_related("agreement")
    }
    if not targets:
        return []
    period = latest_billed_period()
    inner, params = attributed_sql(ids)
    line = _t(InvoiceLine)
    sql = f"""
        SELECT t.id,
               COUNT(at.membership_id),
               SUM(CASE WHEN at.membership_id IS NOT NULL AND EXISTS (
                       SELECT 1 FROM {line} l WHERE l.membership_id = at.membership_id
                          AND l.period = %s AND l.paid_on IS NOT NULL) THEN 1 ELSE 0 END)
          FROM {_t(AgreementTarget)} t
          LEFT JOIN ({inner}) at
            ON at.agreement_id = t.agreement_id
           AND at.start_month >= t.period_from AND at.start_month <= t.period_to
           AND (t.segment = '' OR t.segment = at.segment)
         WHERE t.agreement_id IN ({", ".join(["%s"] * len(ids))})
         GROUP BY t.id
    """
    rows = _rows(sql, [period or "", *params, *ids])
    done = {int(tid): (int(n or 0), int(a or 0)) for tid, n, a in rows}
    return [
        TargetProgress(
            target=t,
            enrolled=done.get(pk, (0, 0))[0],
            active=done.get(pk, (0, 0))[1],
            period=period,
        )
        for pk, t in sorted(
            targets.items(), key=lambda kv: (kv[1].agreement_id, kv[1].period_from, kv[0])
        )
    ]


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventAttributionResult:
    attributed: int
    on_site: int
    after_event: int
    window_days: int


@transaction.atomic
def events_attribute(*, scope: Scope, window_days: int | None = None) -> EventAttributionResult:
    """Recompute which enrolments each outreach event yielded (re-runnable: the previous
    attribution is replaced in the same transaction).

    A membership is attributed to an event when
    - its ``partner_ref`` is one of the event's partners, or its channel is partner, cadre or
      branch office;
    - it started on the event day (rule ``on_site``) or within ``window_days`` after it (rule
      ``after_event``; :data:`EVENT_WINDOW_DAYS` by default);
    - the person's domicile village lies in the event's region or below it.

    When several events qualify, the nearest earlier one wins (latest ``held_on``); on a tie,
    an event whose partners include the membership's partner, then the event with the smaller
    region (deeper level), then the event recorded first (lowest id). One attribution per
    membership.
    """
    days = event_window_days() if window_days is None else int(window_days)
    ev, reg, ee = _t(OutreachEvent), _t(Region), _t(EventEnrolment)
    ev_partners = _t(OutreachEvent.partners.through)
    channels = ", ".join(f"'{c}'" for c in EVENT_CHANNELS)
    candidates = f"""
        SELECT e.id AS event_id, e.held_on AS held_on, r.level AS level,
               m.id AS membership_id, m.start_date AS start_date, m.channel AS channel,
               CASE WHEN EXISTS (
                   SELECT 1 FROM {ev_partners} ep JOIN {_t(Partner)} p ON p.id = ep.partner_id
                    WHERE ep.outreachevent_id = e.id AND p.code = m.partner_ref)
                    THEN 1 ELSE 0 END AS partner_match
          FROM {ev} e
          JOIN {reg} r ON r.id = e.region_id
          JOIN {_t(Membership)} m
            ON m.start_date >= e.held_on AND m.start_date <= {days_after_sql("e.held_on", days)}
          JOIN {_t(Person)} pe ON pe.id = m.person_id
          JOIN {reg} v ON v.id = pe.domicile_id
         WHERE {_in_region("v", "r")}
    """
    ranked = f"""
        SELECT event_id, membership_id,
               CASE WHEN start_date = held_on THEN 'on_site' ELSE 'after_event' END AS rule,
               ROW_NUMBER() OVER (PARTITION BY membership_id
                                  ORDER BY held_on DESC, partner_match DESC, level DESC,
                                           event_id ASC) AS rn
          FROM ({candidates}) c
         WHERE c.partner_match = 1 OR c.channel IN ({channels})
    """
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ee} WHERE 1 = %s", [1])
        cursor.execute(
            f"INSERT INTO {ee} (event_id, membership_id, rule) "
            f"SELECT event_id, membership_id, rule FROM ({ranked}) k WHERE k.rn = %s",
            [1],
        )
    counts = dict(
        EventEnrolment.objects.values("rule").annotate(n=Count("id")).values_list("rule", "n")
    )
    result = EventAttributionResult(
        attributed=sum(counts.values()),
        on_site=counts.get("on_site", 0),
        after_event=counts.get("after_event", 0),
        window_days=days,
    )
    audit_record(
        scope,
        AuditAction.UPDATE,
        target_type="partners.eventenrolment",
        label="events attribute",
        detail=dict(result.__dict__),
    )
    return result
