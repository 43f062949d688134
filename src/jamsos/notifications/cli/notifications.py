"""``jamsos notifications ...``: the outbox for operators. ``send-due`` makes the day's messages
(run it daily, e.g. from cron at 07:00 Jakarta time), ``deliver`` sends what is due now (the
task worker does so by itself; this is the sweep for messages it could not take), ``list``
shows the outbox with addresses masked, ``retry`` queues a failed message again."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import translation

from jamsos.access.cli import common_options, scope_from_options
from jamsos.core.cli import number, refuse, text_table
from jamsos.core.clock import today_in_jakarta
from jamsos.core.errors import ApplicationError
from jamsos.notifications.selectors import masked_address, message_get, outbox_list
from jamsos.notifications.services.delivery import deliver_due, message_retry
from jamsos.notifications.services.due import send_due


def _run(command: Any, options: dict[str, Any], action: Any) -> None:
    with translation.override(options.get("lang") or "id"):
        try:
            action(command, options, scope_from_options(options))
        except ApplicationError as error:
            raise refuse(f"{error.code}: {error.message}") from error


def _add(sub: Any, name: str, help_text: str, func: Any) -> Any:
    p = sub.add_parser(name, help=help_text, description=help_text)
    common_options(p)
    p.set_defaults(handler=lambda command, options: _run(command, options, func))
    return p


def register(sub: Any) -> None:
    p = _add(sub, "send-due", "Queue the day's messages (reminders, lapse notices, ...)", _send_due)
    p.add_argument("--today", default="", metavar="YYYY-MM-DD")
    p.add_argument("--only", default="", help="One sender, e.g. billing.bpu_due")
    p.add_argument("--deliver", action="store_true", help="Deliver them now, here")
    p = _add(sub, "deliver", "Deliver the queued messages whose time has come", _deliver)
    p.add_argument("--limit", type=int, default=None)
    p = _add(sub, "list", "The outbox, newest first (addresses masked)", _list)
    p.add_argument("--status", default="", help="queued, sent, failed, suppressed")
    p.add_argument("--kind", default="")
    p.add_argument("--limit", type=int, default=20)
    p = _add(sub, "retry", "Queue a failed message again", _retry)
    p.add_argument("id", type=int)


def _send_due(command: Any, options: dict[str, Any], scope: Any) -> None:
    today = date.fromisoformat(options["today"]) if options["today"] else today_in_jakarta()
    lang = options.get("lang") or "id"
    for run in send_due(today=today, by=scope, only=options["only"]):
        r = run.result
        channels = ", ".join(f"{k} {number(v)}" for k, v in sorted(r.by_channel.items()))
        command.stdout.write(
            f"{run.label[lang]}: antre / queued {number(r.queued)}"
            f"{f' ({channels})' if channels else ''}, tidak dikirim / not sent "
            f"{number(r.suppressed)}, sudah ada / already {number(r.already)}"
        )
    if options["deliver"]:
        _deliver(command, {"limit": None}, scope)


def _deliver(command: Any, options: dict[str, Any], scope: Any) -> None:
    result = deliver_due(limit=options.get("limit"), by=scope)
    command.stdout.write(
        f"Terkirim / sent {number(result.sent)}, dicoba lagi nanti / retrying "
        f"{number(result.retrying)}, gagal / failed {number(result.failed)}"
    )


def _list(command: Any, options: dict[str, Any], scope: Any) -> None:
    query = outbox_list(scope, status=options["status"], kind=options["kind"])
    rows = [
        [
            str(m.pk),
            m.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            m.kind,
            m.channel or "-",
            masked_address(m) or "-",
            m.status + (f" ({m.reason})" if m.reason else ""),
            str(m.attempts),
        ]
        for m in query[: max(options["limit"], 1)]
    ]
    header = ["id", "dibuat / created", "jenis / kind", "saluran", "alamat / to", "status", "coba"]
    command.stdout.write(text_table(rows, header))


def _retry(command: Any, options: dict[str, Any], scope: Any) -> None:
    message = message_retry(message_get(scope, options["id"]), by=scope)
    command.stdout.write(f"{message.pk}: {message.status}")
