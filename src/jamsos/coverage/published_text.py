"""The published figures' precision and source, in the reader's language.

The figures are loaded as their sources give them (``services/published.py``), with short
English remarks on their precision ("rounded to 10k") and on where they come from ("processed
BPJS Ketenagakerjaan data"). The remarks are a small fixed vocabulary: each known phrase is
replaced by its translation when shown; names, numbers and addresses stay as they are.
"""

from __future__ import annotations

import re
from functools import cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: Known phrases, longest first (a phrase inside a longer one is replaced after it).
PHRASES: tuple[tuple[str, Promise], ...] = (
    ("(processed BPJS Ketenagakerjaan data)", _("(processed BPJS Ketenagakerjaan data)")),
    ("republished by SPN", _("republished by SPN")),
    ("active participants, February 2025", _("active participants, February 2025")),
    ("not verified beyond this report", _("not verified beyond this report")),
    ("2 decimals of a percentage", _("2 decimals of a percentage")),
    ("1 decimal of a percentage", _("1 decimal of a percentage")),
    ("except bottom-3 (ribu)", _("except the bottom 3 (thousands)")),
    ("rounded to thousands", _("rounded to thousands")),
    ("rounded to 100k", _("rounded to 100 thousand")),
    ("rounded to 10k", _("rounded to 10 thousand")),
    ("exact persons", _("exact count of persons")),
    ("year figure", _("figure for the year")),
    ("juta 2dp", _("millions, 2 decimals")),
    ("Kemnaker data via", _("Kemnaker data via")),
    ("as stated", _("as stated")),
    ("non-active", _("non-active")),
    ("derived:", _("derived:")),
    ("(series)", _("(series)")),
    ("about", _("about")),
    ("active", _("active")),
)  # fmt: skip

_MONTHS = {
    "Jan": _("Jan"), "Feb": _("Feb"), "Mar": _("Mar"), "Apr": _("Apr"), "May": _("May"),
    "Jun": _("Jun"), "Jul": _("Jul"), "Aug": _("Aug"), "Sep": _("Sep"), "Oct": _("Oct"),
    "Nov": _("Nov"), "Dec": _("Dec"),
}  # fmt: skip


@cache
def _pattern() -> re.Pattern[str]:
    words = [re.escape(p) for p, _t in PHRASES]
    months = r"(?<=\d )(?:" + "|".join(_MONTHS) + r")(?= \d{4})"
    return re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w-])|" + months)


def published_text(text: str) -> str:
    """A precision or source remark with its known phrases in the reader's language."""
    if not text:
        return text
    phrases = dict(PHRASES)

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        translated = phrases.get(found) or _MONTHS.get(found)
        return str(translated) if translated is not None else found

    return _pattern().sub(replace, text)
