"""The kinds of message Jamsos sends: per kind, its subject and body in Bahasa Indonesia and
English, the context it needs (each value with its type, so that it is written the reader's
way), the channels it goes through by default, and whether the recipient may opt out.

A kind that may not be opted out of (``required``) is a one-time code, or a notice about the
person's own rights: their protection has lapsed, a decision on their claim (docs/notifications.md).
The WhatsApp template of a kind is ``jamsos_`` + its name with dots as underscores, with the
context values in ``params`` order as its body parameters (templates are approved at Meta with
the same texts).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import formats, translation

from jamsos.core.formatting import format_money, format_number, format_period
from jamsos.legal.periods import Period

EMAIL, SMS, WHATSAPP = "email", "sms", "whatsapp"
CHANNELS = (EMAIL, SMS, WHATSAPP)
#: Value types of a context entry: how it is written in each language.
TYPES = ("text", "money", "number", "date", "period")


@dataclass(frozen=True)
class Kind:
    name: str
    label: dict[str, str]
    subject: dict[str, str]
    body: dict[str, str]
    params: tuple[tuple[str, str], ...]
    channels: tuple[str, ...] = (WHATSAPP, SMS, EMAIL)
    required: bool = False
    #: Parameters blanked from the stored message once it is sent or has failed for good (a
    #: one-time code must not stay readable in the outbox).
    secret: tuple[str, ...] = ()

    @property
    def whatsapp_template(self) -> str:
        return "jamsos_" + self.name.replace(".", "_")

    def label_in(self, language: str) -> str:
        return self.label["en" if language == "en" else "id"]


def _written(kind_type: str, value: Any, language: str) -> str:
    if isinstance(value, dict):  # a text given in both languages: {"id": ..., "en": ...}
        value = value.get(language) or value.get("id", "")
    if kind_type == "text":
        return str(value)
    if isinstance(value, date):
        value = value.isoformat()
    # A day's run writes the same few dates and amounts many times: formatted once each.
    return _formatted(kind_type, value, language)


@functools.lru_cache(maxsize=4096)
def _formatted(kind_type: str, value: Any, language: str) -> str:
    if kind_type == "money":
        return format_money(int(value), language)
    if kind_type == "number":
        return format_number(int(value), language)
    if kind_type == "date":
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
        with translation.override(language):
            return str(formats.date_format(day, "j F Y"))
    if kind_type == "period":
        return format_period(Period.parse(str(value)), language)
    return str(value)


def written_values(kind: Kind, context: dict[str, Any], language: str) -> dict[str, str]:
    """The kind's context values as the reader reads them, in ``params`` order."""
    missing = [name for name, _type in kind.params if context.get(name) is None]
    if missing:
        # A caller left out a value the text needs: a bug of the caller, never a refusal.
        raise ValueError(f"{kind.name} needs {', '.join(missing)}")
    return {name: _written(t, context[name], language) for name, t in kind.params}


def render(kind: Kind, context: dict[str, Any], language: str) -> tuple[str, str]:
    """``(subject, body)`` of ``kind`` in ``language`` ("id" or "en")."""
    language = "en" if language == "en" else "id"
    values = written_values(kind, context, language)
    return kind.subject[language].format_map(values), kind.body[language].format_map(values)


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    for channel in kind.channels:
        if channel not in CHANNELS:
            raise ValueError(f"{kind.name}: unknown channel {channel!r}")
    for _name, kind_type in kind.params:
        if kind_type not in TYPES:
            raise ValueError(f"{kind.name}: unknown value type {kind_type!r}")
    _KINDS[kind.name] = kind
    return kind


def kind_get(name: str) -> Kind | None:
    return _KINDS.get(name)


def kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: k.name)


BPU_DUE = register(
    Kind(
        name="billing.bpu_due",
        label={"id": "Pengingat iuran BPU", "en": "BPU contribution reminder"},
        subject={
            "id": "Iuran {period} jatuh tempo {due_date}",
            "en": "Contribution for {period} due on {due_date}",
        },
        body={
            "id": "Yth. {name}, iuran BPJS Ketenagakerjaan bulan {period} untuk KPJ {kpj} "
            "sebesar {amount} jatuh tempo {due_date}. Bayar ke virtual account "
            "{virtual_account} agar perlindungan Anda tetap aktif.",
            "en": "Dear {name}, your BPJS Ketenagakerjaan contribution for {period} (KPJ {kpj}) "
            "of {amount} is due on {due_date}. Pay to virtual account {virtual_account} to "
            "keep your protection active.",
        },
        params=(
            ("name", "text"),
            ("period", "period"),
            ("kpj", "text"),
            ("amount", "money"),
            ("due_date", "date"),
            ("virtual_account", "text"),
        ),
    )
)

BPU_LAPSED = register(
    Kind(
        name="billing.bpu_lapsed",
        label={"id": "Perlindungan tidak aktif", "en": "Protection lapsed"},
        subject={
            "id": "Perlindungan BPJS Ketenagakerjaan Anda tidak aktif",
            "en": "Your BPJS Ketenagakerjaan protection has lapsed",
        },
        body={
            "id": "Yth. {name}, iuran KPJ {kpj} belum dibayar selama {months} bulan sejak "
            "{first_unpaid}, sehingga perlindungan Anda tidak aktif. Bayar ke virtual account "
            "{virtual_account} untuk mengaktifkannya kembali.",
            "en": "Dear {name}, the contributions of KPJ {kpj} have not been paid for {months} "
            "months since {first_unpaid}, so your protection has lapsed. Pay to virtual "
            "account {virtual_account} to reactivate it.",
        },
        params=(
            ("name", "text"),
            ("kpj", "text"),
            ("months", "number"),
            ("first_unpaid", "period"),
            ("virtual_account", "text"),
        ),
        required=True,
    )
)

PAYMENT_RECEIVED = register(
    Kind(
        name="billing.payment_received",
        label={"id": "Pembayaran diterima", "en": "Payment received"},
        subject={"id": "Pembayaran {amount} diterima", "en": "Payment of {amount} received"},
        body={
            "id": "Yth. {name}, pembayaran {amount} ke virtual account {virtual_account} "
            "tanggal {paid_on} (referensi {bank_ref}) telah kami terima. Terima kasih.",
            "en": "Dear {name}, we have received your payment of {amount} to virtual account "
            "{virtual_account} on {paid_on} (reference {bank_ref}). Thank you.",
        },
        params=(
            ("name", "text"),
            ("amount", "money"),
            ("virtual_account", "text"),
            ("paid_on", "date"),
            ("bank_ref", "text"),
        ),
    )
)

ENROLMENT_WAITING = register(
    Kind(
        name="partners.enrolment_waiting",
        label={"id": "Daftar pendaftaran menunggu persetujuan", "en": "Enrolment list waiting"},
        subject={
            "id": "Daftar pendaftaran {partner} menunggu persetujuan",
            "en": "Enrolment list of {partner} waiting for approval",
        },
        body={
            "id": "Daftar pendaftaran {batch} dari {partner} ({rows} baris sah, diunggah "
            "{uploaded_on}) sudah diperiksa dan menunggu persetujuan kantor cabang {office}.",
            "en": "Enrolment list {batch} of {partner} ({rows} valid rows, uploaded on "
            "{uploaded_on}) has been checked and waits for the approval of branch office "
            "{office}.",
        },
        params=(
            ("partner", "text"),
            ("batch", "text"),
            ("rows", "number"),
            ("uploaded_on", "date"),
            ("office", "text"),
        ),
        channels=(EMAIL,),
    )
)

AGREEMENT_ENDING = register(
    Kind(
        name="partners.agreement_ending",
        label={"id": "PKS akan berakhir", "en": "Agreement ending"},
        subject={
            "id": "PKS {number} berakhir {ends_on}",
            "en": "Agreement {number} ends on {ends_on}",
        },
        body={
            "id": "Perjanjian kerja sama {number} dengan {partner} berakhir {ends_on} "
            "({days} hari lagi). Siapkan perpanjangannya bila kerja sama berlanjut.",
            "en": "Cooperation agreement {number} with {partner} ends on {ends_on} ({days} "
            "days from now). Prepare its renewal if the cooperation goes on.",
        },
        params=(
            ("number", "text"),
            ("partner", "text"),
            ("ends_on", "date"),
            ("days", "number"),
        ),
        channels=(EMAIL,),
    )
)

ONE_TIME_CODE = register(
    Kind(
        name="access.one_time_code",
        label={"id": "Kode sekali pakai", "en": "One-time code"},
        subject={"id": "Kode verifikasi Jamsos: {code}", "en": "Jamsos verification code: {code}"},
        body={
            "id": "Kode verifikasi Anda {code}, berlaku {minutes} menit. Jangan berikan kode "
            "ini kepada siapa pun, termasuk petugas.",
            "en": "Your verification code is {code}, valid for {minutes} minutes. Do not give "
            "it to anyone, officers included.",
        },
        params=(("code", "text"), ("minutes", "number")),
        channels=(SMS, WHATSAPP, EMAIL),
        required=True,
        secret=("code",),
    )
)

CLAIM_STATUS = register(
    Kind(
        name="claims.status_changed",
        label={"id": "Status klaim berubah", "en": "Claim status changed"},
        subject={
            "id": "Klaim {claim}: {status}",
            "en": "Claim {claim}: {status}",
        },
        body={
            "id": "Yth. {name}, status klaim {program} nomor {claim} sekarang: {status}. {note}",
            "en": "Dear {name}, the status of your {program} claim {claim} is now: {status}. "
            "{note}",
        },
        params=(
            ("name", "text"),
            ("program", "text"),
            ("claim", "text"),
            ("status", "text"),
            ("note", "text"),
        ),
        required=True,
    )
)
