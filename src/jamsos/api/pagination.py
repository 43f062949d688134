"""Keyset (cursor) pagination for the API's lists.

A page is the first ``limit`` rows after the cursor in a fixed, indexed order (for example
memberships by ``(start_date, id)`` newest first). The cursor is the sort key of the last row
shown, base64url-encoded JSON tagged with the list it belongs to; the next page is one indexed
range scan, however deep, where ``OFFSET`` would read and drop every earlier row. No page counts
the whole list: on a million rows ``COUNT(*)`` costs more than the page itself. A caller that
wants a size asks ``with_count=true`` and gets a count capped at :data:`COUNT_CAP`
(``count_capped`` says when the true number is larger).

The cursor is not a secret and gives no access: the caller's scope filters every page, so a
cursor forged or copied from someone else shows only rows the caller may see.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

from jamsos.api.errors import ApiError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
COUNT_CAP = 10_000

M = TypeVar("M", bound=Model)


class InvalidCursor(ApiError):
    code = "api.invalid_cursor"
    default_field = "cursor"
    text = {
        "id": "Kursor halaman tidak dikenal; mulai lagi dari halaman pertama (tanpa cursor).",
        "en": "The page cursor is not recognised; start again from the first page (no cursor).",
    }


@dataclass(frozen=True)
class Key:
    """One column of a keyset order: its name, its Python type, and its direction."""

    field: str
    kind: type  # int, str or date
    descending: bool = False


@dataclass(frozen=True)
class Keyset:
    """A list's order: a tag (so that a cursor of one list is refused by another) and its keys.

    The last key must be unique (the primary key or a unique code), so the order is total.
    """

    tag: str
    keys: tuple[Key, ...]

    def order_by(self) -> list[str]:
        return [("-" if key.descending else "") + key.field for key in self.keys]

    def encode(self, row: Model) -> str:
        values = [_plain(_value_of(row, key.field)) for key in self.keys]
        raw = json.dumps([self.tag, values], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode(self, cursor: str) -> list[Any]:
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            tag, values = json.loads(base64.urlsafe_b64decode(padded.encode()))
            if tag != self.tag or len(values) != len(self.keys):
                raise ValueError(cursor)
            return [_typed(value, key.kind) for value, key in zip(values, self.keys, strict=True)]
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            raise InvalidCursor() from None

    def after(self, values: Sequence[Any]) -> Q:
        """Rows strictly after ``values`` in this order: ``(a > x) or (a = x and b > y) ...``.

        With several keys, the first one is also bounded on its own (``a >= x``): a plain range
        the database answers from the index, so a deep page starts at the cursor instead of
        filtering every row before it.
        """
        last = len(self.keys) - 1
        key = self.keys[last]
        condition = Q(**{f"{key.field}__{'lt' if key.descending else 'gt'}": values[last]})
        for position in range(last - 1, -1, -1):
            key = self.keys[position]
            beyond = Q(**{f"{key.field}__{'lt' if key.descending else 'gt'}": values[position]})
            condition = beyond | (Q(**{key.field: values[position]}) & condition)
        if last > 0:
            first = self.keys[0]
            bound = Q(**{f"{first.field}__{'lte' if first.descending else 'gte'}": values[0]})
            condition = bound & condition
        return condition


def _value_of(row: Model, field: str) -> Any:
    value: Any = row
    for part in field.split("__"):
        value = getattr(value, part)
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def _typed(value: Any, kind: type) -> Any:
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(value)
        return value
    if kind is date:
        return date.fromisoformat(str(value))
    if not isinstance(value, str):
        raise TypeError(value)
    return value


@dataclass(frozen=True)
class Page(Generic[M]):
    items: list[M]
    next_cursor: str | None
    limit: int
    count: int | None = None
    count_capped: bool = False


def page_of(
    query: QuerySet[M],
    keyset: Keyset,
    *,
    cursor: str | None,
    limit: int,
    with_count: bool = False,
) -> Page[M]:
    """One page of ``query`` in ``keyset``'s order, after ``cursor``; one query (two with
    ``with_count``)."""
    ordered = query.order_by(*keyset.order_by())
    if cursor:
        ordered = ordered.filter(keyset.after(keyset.decode(cursor)))
    rows = list(ordered[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    count = None
    capped = False
    if with_count:
        count = query.order_by()[: COUNT_CAP + 1].count()
        capped = count > COUNT_CAP
        count = min(count, COUNT_CAP)
    return Page(
        items=rows,
        next_cursor=keyset.encode(rows[-1]) if more and rows else None,
        limit=limit,
        count=count,
        count_capped=capped,
    )


def next_link(request: HttpRequest, cursor: str | None) -> str | None:
    """The same request with the next page's cursor, for clients that follow links."""
    if cursor is None:
        return None
    params = request.GET.copy()
    params["cursor"] = cursor
    return f"{request.path}?{params.urlencode()}"


class PageOut(Schema):
    """What every list answers beside its items."""

    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page"
    )
    next: str | None = Field(description="The address of the next page; null on the last page")
    limit: int = Field(description="Rows asked for (at most 200)")
    has_more: bool = Field(description="True when rows follow this page")
    count: int | None = Field(
        None, description="Rows in the whole list, only with `with_count=true`; capped"
    )
    count_capped: bool = Field(
        False, description="True when the list holds more rows than `count` says (10,000 cap)"
    )


def page_fields(request: HttpRequest, page: Page[Any]) -> dict[str, Any]:
    return {
        "next_cursor": page.next_cursor,
        "next": next_link(request, page.next_cursor),
        "limit": page.limit,
        "has_more": page.next_cursor is not None,
        "count": page.count,
        "count_capped": page.count_capped,
    }
