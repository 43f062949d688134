"""Showing numbers, money, rates and the legal engine's codes to people, in id or en.

Bahasa Indonesia groups thousands with a dot and writes decimals with a comma (Rp1.234.567;
0,24%); English does the opposite (Rp1,234,567; 0.24%). Labels are Django translations with English
msgids; call them inside ``translation.override(language)`` or a request.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from lokal import format_rupiah

from jamsos.legal.messages import render_note
from jamsos.legal.periods import Period
from jamsos.legal.types import EmployerSize, Industry, Note, Payer, Program, Segment

LANGUAGES = ("id", "en")


def language_of(code: str | None) -> str:
    """``"id"`` or ``"en"`` for a language code such as ``en-US``; Bahasa Indonesia otherwise."""
    prefix = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return prefix if prefix in LANGUAGES else "id"


def current_language() -> str:
    return language_of(translation.get_language())


def _group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(parts)


def format_number(value: int, language: str | None = None) -> str:
    """A whole number with thousands grouped: ``1.234.567`` (id) or ``1,234,567`` (en)."""
    language = language_of(language or current_language())
    sign = "-" if value < 0 else ""
    return sign + _group(str(abs(int(value))), "." if language == "id" else ",")


def format_money(amount_idr: int, language: str | None = None) -> str:
    """Whole rupiah: ``Rp1.234.567`` (id, PUEBI style) or ``Rp1,234,567`` (en)."""
    language = language_of(language or current_language())
    if language == "id":
        return str(format_rupiah(int(amount_idr)))
    sign = "-" if amount_idr < 0 else ""
    return f"{sign}Rp{format_number(abs(amount_idr), 'en')}"


def format_rate(rate: str | Decimal | None, language: str | None = None) -> str:
    """A rate (``"0.0024"``) as a percentage: ``0,24%`` (id) or ``0.24%`` (en); "" for None."""
    if rate is None:
        return ""
    language = language_of(language or current_language())
    percent = format((Decimal(rate) * 100).normalize(), "f")
    whole, _dot, fraction = percent.partition(".")
    negative = whole.startswith("-")
    text = format_number(int(whole.lstrip("-") or 0), language)
    if fraction:
        text += ("," if language == "id" else ".") + fraction
    return ("-" if negative else "") + text + "%"


def format_period(period: Period, language: str | None = None) -> str:
    """A contribution month in words: ``Maret 2025`` (id) or ``March 2025`` (en)."""
    with translation.override(language_of(language or current_language())):
        return str(formats.date_format(date(period.year, period.month, 1), "F Y"))


PROGRAM_LABELS: dict[str, Promise] = {
    Program.JKK.value: _("Work accident (JKK)"),
    Program.JKM.value: _("Death (JKM)"),
    Program.JHT.value: _("Old-age savings (JHT)"),
    Program.JP.value: _("Pension (JP)"),
    Program.JKP.value: _("Job loss (JKP)"),
    Program.JKK_JKM.value: _("Work accident and death (JKK+JKM)"),
}

#: Short names, shown under the program's code where space is tight.
PROGRAM_NAMES: dict[str, Promise] = {
    Program.JKK.value: _("Work accident"),
    Program.JKM.value: _("Death"),
    Program.JHT.value: _("Old-age savings"),
    Program.JP.value: _("Pension"),
    Program.JKP.value: _("Job loss"),
    Program.JKK_JKM.value: _("Work accident and death"),
}

PAYER_LABELS: dict[str, Promise] = {
    Payer.EMPLOYER.value: _("Employer"),
    Payer.WORKER.value: _("Worker (wage deduction)"),
    Payer.PARTICIPANT.value: _("Participant"),
    Payer.GOVERNMENT.value: _("Government"),
    Payer.RECOMPOSED.value: _("Recomposed (informative)"),
}

SEGMENT_LABELS: dict[str, Promise] = {
    Segment.PU.value: _("PU: wage earners"),
    Segment.BPU.value: _("BPU: self-employed and informal workers"),
    Segment.JAKON.value: _("Jakon: construction projects"),
    Segment.PMI.value: _("PMI: Indonesian migrant workers"),
}

EMPLOYER_SIZE_LABELS: dict[str, Promise] = {
    EmployerSize.MICRO.value: _("Micro"),
    EmployerSize.SMALL.value: _("Small"),
    EmployerSize.MEDIUM.value: _("Medium"),
    EmployerSize.LARGE.value: _("Large"),
}

INDUSTRY_LABELS: dict[str, Promise] = {
    Industry.FOOD_BEVERAGE_TOBACCO.value: _("Food, beverages and tobacco"),
    Industry.TEXTILE_APPAREL.value: _("Textiles and apparel"),
    Industry.LEATHER_GOODS.value: _("Leather and leather goods"),
    Industry.FOOTWEAR.value: _("Footwear"),
    Industry.CHILDREN_TOYS.value: _("Children's toys"),
    Industry.FURNITURE.value: _("Furniture"),
    Industry.OTHER.value: _("Other"),
}

RISK_CLASS_LABELS: dict[int, Promise] = {
    1: _("I: very low"),
    2: _("II: low"),
    3: _("III: medium"),
    4: _("IV: high"),
    5: _("V: very high"),
}

#: Words the engine puts inside note parameters, shown in the reader's language.
NOTE_WORDS: dict[str, Promise] = {
    "high": _("high"),
    "medium": _("medium"),
    "low": _("low"),
    "floor_to_step": _("rounded down to the tier step"),
}


def label(labels: dict[Any, Promise], key: Any) -> str:
    """The translated label of a code, or the code itself when it has none."""
    found = labels.get(key)
    return str(found) if found is not None else str(key)


def _note_param(name: str, value: Any, language: str) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return format_number(value, language)
    if name in {"confidence", "rule"} and value in NOTE_WORDS:
        with translation.override(language):
            return str(NOTE_WORDS[value])
    return value


def render_notes(notes: Iterable[Note], language: str) -> list[str]:
    """The breakdown's notes as sentences, numbers grouped the reader's way."""
    language = language_of(language)
    return [
        render_note(
            note.code,
            language,
            **{name: _note_param(name, value, language) for name, value in note.params.items()},
        )
        for note in notes
    ]
