"""A logging filter that keeps personal numbers out of the server's logs.

Request lines (``django.server``) and request errors (``django.request``) name addresses; an
address's query string may hold a search's text (a NIK, a name). The filter renders each record
once, drops every query string (``/kerja/cari/?q=…`` becomes ``/kerja/cari/?[…]``) and masks
any run of 16 digits, a NIK's length (``3204********0001``), wherever it is in the message.
"""

from __future__ import annotations

import logging
import re

#: A query string: from ``?`` to the next space, quote or end of the line.
QUERY_STRING = re.compile(r"\?[^\s\"']*")
#: Sixteen digits standing alone (a NIK), not part of a longer number.
SIXTEEN_DIGITS = re.compile(r"(?<![0-9])([0-9]{4})[0-9]{8}([0-9]{4})(?![0-9])")
REDACTED_QUERY = "?[…]"


def redact(text: str) -> str:
    """``text`` without query strings and with every 16-digit number masked."""
    text = QUERY_STRING.sub(REDACTED_QUERY, text)
    return SIXTEEN_DIGITS.sub(r"\1********\2", text)


class RedactRequestLines(logging.Filter):
    """Rewrites the record's message (query strings dropped, NIKs masked); never drops it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: keep only its template
            message = str(record.msg)
        record.msg = redact(message)
        record.args = ()
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
