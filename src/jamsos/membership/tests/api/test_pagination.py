"""Keyset cursors: what they hold, what they refuse, and the conditions they make."""

from __future__ import annotations

import base64
import json
from datetime import date
from types import SimpleNamespace

import pytest
from django.db.models import Q
from django.test import RequestFactory

from jamsos.api.pagination import InvalidCursor, Key, Keyset, next_link

MEMBERSHIPS = Keyset("memberships", (Key("start_date", date, True), Key("id", int, True)))
EMPLOYERS = Keyset("employers", (Key("npp", str),))


def raw(payload):
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def test_a_cursor_holds_the_last_row_s_keys():
    cursor = MEMBERSHIPS.encode(SimpleNamespace(start_date=date(2024, 3, 1), id=42))
    assert "=" not in cursor
    assert MEMBERSHIPS.decode(cursor) == [date(2024, 3, 1), 42]
    assert EMPLOYERS.decode(EMPLOYERS.encode(SimpleNamespace(npp="3200000010"))) == ["3200000010"]


@pytest.mark.parametrize(
    ("keyset", "cursor"),
    [
        (MEMBERSHIPS, raw(["employers", ["2024-03-01", 42]])),  # another list's
        (MEMBERSHIPS, raw(["memberships", ["2024-03-01"]])),  # a key missing
        (MEMBERSHIPS, raw(["memberships", ["2024-03-01", "42"]])),  # a string for the id
        (MEMBERSHIPS, raw(["memberships", ["2024-03-01", True]])),  # a boolean for the id
        (MEMBERSHIPS, raw(["memberships", ["1 March 2024", 42]])),  # not a date
        (MEMBERSHIPS, raw({"memberships": 1})),
        (EMPLOYERS, raw(["employers", [3200000010]])),  # a number for a code
        (MEMBERSHIPS, "%%%"),
        (MEMBERSHIPS, "e30"),  # {}
        (EMPLOYERS, "bm90IGpzb24"),  # "not json"
    ],
)
def test_a_cursor_that_was_altered_is_refused(keyset, cursor):
    with pytest.raises(InvalidCursor) as refused:
        keyset.decode(cursor)
    assert refused.value.field == "cursor"
    assert refused.value.message_in("en").startswith("The page cursor is not recognised")


def test_the_condition_after_a_cursor_starts_at_the_cursor():
    condition = MEMBERSHIPS.after([date(2024, 3, 1), 42])
    expected = Q(start_date__lte=date(2024, 3, 1)) & (
        Q(start_date__lt=date(2024, 3, 1)) | (Q(start_date=date(2024, 3, 1)) & Q(id__lt=42))
    )
    assert condition == expected
    assert EMPLOYERS.after(["3200000010"]) == Q(npp__gt="3200000010")


def test_the_next_link_keeps_the_filters():
    request = RequestFactory().get("/api/v1/memberships", {"segment": "PU", "cursor": "old"})
    link = next_link(request, "abc")
    assert link == "/api/v1/memberships?segment=PU&cursor=abc"
    assert next_link(request, None) is None
