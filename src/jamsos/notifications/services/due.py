"""The day's messages: every registered daily sender, one after the other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from jamsos.access.scope import Scope
from jamsos.notifications.policy import NOTIFICATIONS
from jamsos.notifications.registry import senders


@dataclass(frozen=True)
class SenderRun:
    name: str
    label: dict[str, str]
    result: Any


def send_due(*, today: date, by: Scope | None = None, only: str = "") -> list[SenderRun]:
    """Run each daily sender (or only ``only``) for ``today``; each queues its messages
    set-based and idempotently, so running a day twice sends nothing twice."""
    NOTIFICATIONS.require(by, "outbox.send")
    runs = []
    for sender in senders():
        if only and sender.name != only:
            continue
        runs.append(SenderRun(sender.name, sender.label, sender.run(today)))
    return runs
