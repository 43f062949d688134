"""The channels' adapters: hand one rendered message to e-mail, SMS or WhatsApp and say what
came back. They write nothing to the database (the delivery service records the outcome).

- E-mail: Django's e-mail framework (``EMAIL_BACKEND``: SMTP in production, files under
  var/mail/ elsewhere).
- SMS: Twilio's Programmable Messaging API, ``POST {url}/2010-04-01/Accounts/{sid}/Messages.json``
  with the form fields ``To``, ``From`` and ``Body`` and HTTP Basic authentication (account SID
  and auth token); the answer is ``201`` with ``{"sid": "SM…", "status": "queued", …}``, a
  refusal ``4xx`` with ``{"code": 21211, "message": …, "status": 400}``.
- WhatsApp: the WhatsApp Business Cloud API, ``POST {url}/{phone-number-id}/messages`` with a
  bearer token and a template message (the kind's approved template, the values of its text as
  body parameters); the answer is ``200`` with ``{"messages": [{"id": "wamid…"}]}``, a refusal
  ``{"error": {"message": …, "code": …}}``.

``file`` as the provider (the default outside production) writes each request as a JSON line
under var/messages/ instead of sending it. docs/notifications.md has the details.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import smtplib
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from jamsos.core.masking import mask_email, mask_phone
from jamsos.notifications.kinds import Kind, written_values

_PHONE = re.compile(r"\+?\d{9,15}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def mask_text(text: str) -> str:
    """``text`` with every phone number and e-mail address in it masked (for the log)."""
    text = _EMAIL.sub(lambda m: mask_email(m.group(0)), text)
    return _PHONE.sub(lambda m: mask_phone(m.group(0)) or m.group(0), text)


@dataclass(frozen=True)
class Outcome:
    """What a channel said: sent, or a failure that is ``transient`` (try again later) or not."""

    sent: bool
    status: str = ""
    answer: str = ""
    ref: str = ""
    transient: bool = False
    duration_ms: int = 0


@dataclass(frozen=True)
class Outgoing:
    """One rendered message as the adapters need it."""

    kind: Kind
    channel: str
    address: str
    language: str
    subject: str
    body: str
    context: dict[str, Any]
    idempotency_key: str


def _config() -> dict[str, Any]:
    return dict(getattr(settings, "NOTIFICATIONS", {}))


def channel_available(channel: str) -> bool:
    """Whether the channel is configured at all (e-mail always is)."""
    if channel == "email":
        return True
    return bool(_config().get(f"{channel.upper()}_PROVIDER"))


def send(out: Outgoing) -> Outcome:
    started = time.monotonic()
    if out.channel == "email":
        outcome = _send_email(out)
    else:
        provider = _config().get(f"{out.channel.upper()}_PROVIDER", "")
        if provider == "file":
            outcome = _send_file(out)
        elif out.channel == "sms" and provider == "twilio":
            outcome = _send_twilio(out)
        elif out.channel == "whatsapp" and provider == "cloud_api":
            outcome = _send_whatsapp(out)
        else:
            outcome = Outcome(False, "config", f"no provider for {out.channel}: {provider!r}")
    elapsed = int((time.monotonic() - started) * 1000)
    return Outcome(
        outcome.sent,
        outcome.status[:20],
        mask_text(outcome.answer)[:500],
        outcome.ref[:120],
        outcome.transient,
        elapsed,
    )


# --- e-mail ------------------------------------------------------------------------------------


def _send_email(out: Outgoing) -> Outcome:
    digest = hashlib.sha256(out.idempotency_key.encode()).hexdigest()[:24]
    message_id = make_msgid(idstring=digest, domain="jamsos")
    email = EmailMessage(
        subject=out.subject,
        body=out.body,
        to=[out.address],
        headers={"Message-ID": message_id, "Content-Language": out.language},
    )
    try:
        connection = get_connection(fail_silently=False)
        count = connection.send_messages([email])
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _text in error.recipients.values()]
        transient = bool(codes) and all(400 <= code < 500 for code in codes)
        texts = "; ".join(
            f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
            for code, text in error.recipients.values()
        )
        return Outcome(False, str(codes[0] if codes else ""), texts, transient=transient)
    except smtplib.SMTPResponseException as error:
        text = error.smtp_error
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        code = int(error.smtp_code)
        return Outcome(False, str(code), text, transient=code < 500)
    except (smtplib.SMTPException, OSError) as error:
        return Outcome(False, "connection", f"{type(error).__name__}: {error}", transient=True)
    if not count:
        return Outcome(False, "", "the e-mail backend sent nothing", transient=True)
    return Outcome(True, "250", f"accepted {message_id}", ref=message_id)


# --- HTTP providers ------------------------------------------------------------------------------


def _http(
    url: str, *, data: bytes, headers: dict[str, str]
) -> tuple[int, dict[str, Any] | None, str]:
    """POST ``data``; ``(HTTP status, JSON answer or None, answer text)``; status 0 when the
    provider could not be reached."""
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
    timeout = int(_config().get("HTTP_TIMEOUT", 15))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, raw = response.status, response.read(20_000)
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read(20_000)
    except (urllib.error.URLError, TimeoutError, socket.timeout, OSError) as error:
        reason = getattr(error, "reason", error)
        return 0, None, f"{type(error).__name__}: {reason}"
    text = raw.decode("utf-8", errors="replace")
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    return status, parsed if isinstance(parsed, dict) else None, text


def _http_outcome(status: int, text: str, ref: str) -> Outcome:
    if status == 0:
        return Outcome(False, "connection", text, transient=True)
    if 200 <= status < 300 and ref:
        return Outcome(True, str(status), text, ref=ref)
    transient = status in {408, 425, 429} or status >= 500 or 200 <= status < 300
    return Outcome(False, str(status), text, transient=transient)


def _send_twilio(out: Outgoing) -> Outcome:
    conf = _config()
    account = str(conf.get("SMS_ACCOUNT", ""))
    url = f"{str(conf['SMS_URL']).rstrip('/')}/2010-04-01/Accounts/{account}/Messages.json"
    form = urllib.parse.urlencode(
        {"To": out.address, "From": str(conf.get("SMS_FROM", "")), "Body": out.body}
    ).encode()
    token = base64.b64encode(f"{account}:{conf.get('SMS_TOKEN', '')}".encode()).decode()
    status, answer, text = _http(
        url,
        data=form,
        headers={
            "Authorization": f"Basic {token}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        },
    )
    ref = str((answer or {}).get("sid", "")) if status in {200, 201} else ""
    return _http_outcome(status, text, ref)


def whatsapp_payload(out: Outgoing) -> dict[str, Any]:
    """The Cloud API's template message for ``out``."""
    values = written_values(out.kind, out.context, out.language)
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": out.address.lstrip("+"),
        "type": "template",
        "template": {
            "name": out.kind.whatsapp_template,
            "language": {"code": out.language},
            "components": [
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": v} for v in values.values()],
                }
            ],
        },
    }


def _send_whatsapp(out: Outgoing) -> Outcome:
    conf = _config()
    url = f"{str(conf['WHATSAPP_URL']).rstrip('/')}/{conf.get('WHATSAPP_PHONE_NUMBER_ID', '')}/messages"
    status, answer, text = _http(
        url,
        data=json.dumps(whatsapp_payload(out)).encode(),
        headers={
            "Authorization": f"Bearer {conf.get('WHATSAPP_TOKEN', '')}",
            "Content-Type": "application/json",
        },
    )
    ref = ""
    if status == 200 and answer:
        listed = answer.get("messages") or [{}]
        ref = str(listed[0].get("id", "")) if isinstance(listed[0], dict) else ""
    return _http_outcome(status, text, ref)


def _send_file(out: Outgoing) -> Outcome:
    """Write the request to var/messages/<channel>.jsonl instead of sending it."""
    folder = Path(str(_config().get("FILE_DIR", "var/messages")))
    folder.mkdir(parents=True, exist_ok=True)
    if out.channel == "whatsapp":
        record: dict[str, Any] = whatsapp_payload(out)
    else:
        record = {"To": out.address, "Body": out.body}
    ref = "file-" + hashlib.sha256(out.idempotency_key.encode()).hexdigest()[:16]
    with (folder / f"{out.channel}.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"ref": ref, **record}, ensure_ascii=False) + "\n")
    return Outcome(True, "file", f"written to {folder.name}/{out.channel}.jsonl", ref=ref)
