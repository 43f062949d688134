"""What no request may carry, checked in one place before any form, schema or service sees it.

- A control character (NUL, escape, backspace, ...) in any text: PostgreSQL cannot store NUL,
  and no name, address or note holds the others. Tab, line feed and carriage return stay
  allowed (multi-line notes). Refused with ``input.control_character``.
- A whole number beyond a 64-bit integer (above 9.223.372.036.854.775.807 or below its
  negative): no column holds it. Refused with ``input.number_too_large``. In the address (query
  and path) a value written only in digits counts as a number; in a JSON body only numbers do.

The API checks every request with :func:`request_refusal` before its schemas read the body
(``jamsos.api.errors``); the pages, with the same function, in ``jamsos.web.middleware``. Each
refusal is a 400 naming the field, in the caller's language. Tighter bounds of the business
(wages, payments, dates) are the apps' own (``membership.bounds``, ``billing.bounds``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from jamsos.core.errors import ApplicationError

if TYPE_CHECKING:
    from django.http import HttpRequest

#: C0 controls except tab, line feed and carriage return; DEL; the C1 controls.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
INT64_MAX = 2**63 - 1
_WHOLE_NUMBER = re.compile(r"[+-]?\d+")


class InputError(ApplicationError):
    """Base of the refusals of raw input (codes ``input.*``); the field is named as sent."""

    code: ClassVar[str] = "input.error"


class ControlCharacter(InputError):
    code = "input.control_character"
    text = {
        "id": "Isian {label} memuat karakter kendali (misalnya NUL, kode {character}); "
        "hapus karakter itu.",
        "en": "Field {label} holds a control character (such as NUL, code {character}); remove it.",
    }


class NumberTooLarge(InputError):
    code = "input.number_too_large"
    text = {
        "id": "Isian {label}: bilangan {digits} angka terlalu besar untuk disimpan.",
        "en": "Field {label}: a number of {digits} digits is too large to store.",
    }


def json_items(value: Any, name: str = "") -> Iterator[tuple[str, Any]]:
    """The leaves of a decoded JSON document as ``(dotted name, value)``: ``people.0.name``."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            key_name = f"{name}.{key}" if name else str(key)
            yield key_name, str(key)  # a key is text the services may read too
            yield from json_items(item, key_name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from json_items(item, f"{name}.{index}" if name else str(index))
    else:
        yield name, value


def input_refusal(
    items: Iterable[tuple[str, Any]], *, digits_are_numbers: bool
) -> InputError | None:
    """The first refusal among ``(field, value)`` pairs, or ``None``.

    ``digits_are_numbers``: a text of digits only is read as a number (query strings, paths).
    """
    for field, value in items:
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            if abs(value) > INT64_MAX:
                return NumberTooLarge(field=field, digits=len(str(abs(value))))
            continue
        if not isinstance(value, str):
            continue
        found = CONTROL_CHARACTER.search(value)
        if found:
            return ControlCharacter(field=field, character=f"U+{ord(found.group()):04X}")
        text = value.strip()
        if (
            digits_are_numbers
            and len(text) > 18
            and _WHOLE_NUMBER.fullmatch(text)
            and abs(int(text)) > INT64_MAX
        ):
            return NumberTooLarge(field=field, digits=len(text.lstrip("+-")))
    return None


def json_body_refusal(body: bytes) -> InputError | None:
    """The refusal of a JSON body's values; ``None`` for a body that is not JSON (the schemas
    answer that) or has nothing to refuse."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return input_refusal(json_items(document), digits_are_numbers=False)


_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def request_refusal(
    request: HttpRequest, path_values: Mapping[str, Any] | None = None
) -> InputError | None:
    """The first refusal of a request: its path values, its query (names and values), then a
    form's text fields (never the files) or a JSON body."""
    query = [(name, value) for name, values in request.GET.lists() for value in [name, *values]]
    address = [*(path_values or {}).items(), *query]
    refused = input_refusal(address, digits_are_numbers=True)
    if refused is not None or request.method in ("GET", "HEAD", "OPTIONS"):
        return refused
    if (request.content_type or "").startswith(_FORMS):
        form = [(name, value) for name, values in request.POST.lists() for value in [name, *values]]
        return input_refusal(form, digits_are_numbers=False)
    return json_body_refusal(request.body) if request.body else None
