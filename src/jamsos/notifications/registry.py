"""The daily senders: what other apps register (from their ``AppConfig.ready``) for
``jamsos notifications send-due`` to run each day, without this app importing them::

    register(DueSender(
        name="billing.bpu_due",
        label={"id": "Pengingat iuran BPU", "en": "BPU contribution reminders"},
        run=bpu_due_reminders,   # run(today) -> BulkResult, set-based through notify_bulk
    ))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class DueSender:
    name: str
    label: dict[str, str]
    run: Callable[[date], Any]


_SENDERS: dict[str, DueSender] = {}


def register(sender: DueSender) -> DueSender:
    _SENDERS[sender.name] = sender
    return sender


def senders() -> list[DueSender]:
    return [_SENDERS[name] for name in sorted(_SENDERS)]
