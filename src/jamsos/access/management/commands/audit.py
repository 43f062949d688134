"""`jamsos audit show`: read the audit trail of personal data, as a table or as CSV.

::

    jamsos audit show [--target-type T] [--target-id ID] [--actor NAME] [--action A]
                      [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--limit N] [--csv]

Newest first. ``--target-type`` takes the full type (``membership.person``) or its last part
(``person``). Times are shown in Asia/Jakarta time in the table and in UTC (ISO 8601) in the CSV.
Exporting the trail as CSV is itself written to the trail, with its filters and row count.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.cli import operator_scope
from jamsos.access.models import AuditAction, AuditEvent
from jamsos.core.cli import text_table
from jamsos.core.exports import write_csv_to

TABLE_LIMIT = 50
CSV_COLUMNS = (
    "at",
    "actor_name",
    "role",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "channel",
    "ip",
    "client",
    "changes",
    "detail",
)


def day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _start_of(value: date) -> datetime:
    """Midnight at the start of ``value`` in the server's time zone (Asia/Jakarta)."""
    return timezone.make_aware(datetime.combine(value, time.min))


def events_filtered(
    *,
    target_type: str | None = None,
    target_id: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    query = AuditEvent.objects.order_by("-at", "-id")
    if target_type:
        if "." in target_type:
            query = query.filter(target_type=target_type.lower())
        else:
            query = query.filter(target_type__endswith=f".{target_type.lower()}")
    if target_id:
        query = query.filter(target_id=target_id)
    if actor:
        query = query.filter(actor_name__iexact=actor)
    if action:
        query = query.filter(action=action)
    if since:
        query = query.filter(at__gte=_start_of(since))
    if until:
        query = query.filter(at__lt=_start_of(until + timedelta(days=1)))
    return query


def _changes_summary(changes: dict[str, Any]) -> str:
    return ", ".join(sorted(changes)) if changes else ""


def _where(event: AuditEvent) -> str:
    return event.ip or event.client or "-"


class Command(BaseCommand):
    help = "The audit trail of personal data: `show` it as a table, or export it with --csv."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action_name", required=True, metavar="ACTION")
        show = sub.add_parser("show", help="Who saw, changed or exported what; newest first")
        show.add_argument("--target-type", help="membership.person, person, membership, ...")
        show.add_argument("--target-id", help="The record's id")
        show.add_argument("--actor", help="The account name (case ignored)")
        show.add_argument("--action", choices=[a.value for a in AuditAction])
        show.add_argument("--since", type=day, help="From this day (YYYY-MM-DD), inclusive")
        show.add_argument("--until", type=day, help="Up to this day (YYYY-MM-DD), inclusive")
        show.add_argument(
            "--limit",
            type=int,
            help=f"At most N events (default {TABLE_LIMIT} in the table, all with --csv)",
        )
        show.add_argument("--csv", action="store_true", help="CSV on standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        filters = {
            "target_type": options["target_type"],
            "target_id": options["target_id"],
            "actor": options["actor"],
            "action": options["action"],
            "since": options["since"],
            "until": options["until"],
        }
        query = events_filtered(**filters)
        limit = options["limit"]
        if limit is not None and limit < 1:
            raise CommandError("--limit must be 1 or more.")
        if options["csv"]:
            rows = self._csv(query[:limit] if limit else query)
            audit_record(
                operator_scope(),
                AuditAction.EXPORT,
                target_type="access.auditevent",
                label="audit trail CSV",
                detail={
                    "rows": rows,
                    "filters": {k: str(v) for k, v in filters.items() if v},
                },
            )
            return
        self._table(list(query[: limit or TABLE_LIMIT]), shown_limit=limit or TABLE_LIMIT)

    def _table(self, events: list[AuditEvent], *, shown_limit: int) -> None:
        if not events:
            self.stdout.write("No audit events match.")
            return
        rows = [
            [
                f"{timezone.localtime(e.at):%Y-%m-%d %H:%M:%S}",
                e.actor_name,
                e.role or "-",
                e.action,
                f"{e.target_type}:{e.target_id}" if e.target_id else e.target_type,
                e.target_label[:40],
                e.channel,
                _where(e),
                _changes_summary(e.changes),
            ]
            for e in events
        ]
        header = [
            "AT",
            "ACTOR",
            "ROLE",
            "ACTION",
            "TARGET",
            "LABEL",
            "CHANNEL",
            "FROM",
            "CHANGED",
        ]
        self.stdout.write(text_table(rows, header))
        if len(events) == shown_limit:
            self.stdout.write(f"(the newest {shown_limit}; --limit N for more, --csv for all)")

    def _csv(self, events: Iterable[AuditEvent]) -> int:
        rows = (
            [
                event.at.astimezone(UTC).isoformat(),
                event.actor_name,
                event.role,
                event.action,
                event.target_type,
                event.target_id,
                event.target_label,
                event.channel,
                event.ip or "",
                event.client,
                json.dumps(event.changes, ensure_ascii=False, sort_keys=True),
                json.dumps(event.detail, ensure_ascii=False, sort_keys=True),
            ]
            for event in (
                events.iterator(chunk_size=2000) if isinstance(events, QuerySet) else events
            )
        )
        return write_csv_to(self.stdout, rows, CSV_COLUMNS)
