"""Dates and numbers in Bahasa Indonesia: one date format on every page (``6 Des 2026``,
``6 Des 2026 16.09``), thousands grouped with a dot (``1.914``). Django's own Indonesian formats
otherwise (input formats, first day of the week)."""

from django.conf.locale.id.formats import *  # noqa: F403

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H.i"
SHORT_DATETIME_FORMAT = "j M Y H.i"
TIME_FORMAT = "H.i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
