"""Property tests of the partners' list readers (enrolment lists, door-to-door data in every
format): any bytes in any declared format are read or refused with an ApplicationError, never
anything else. Bounded: few examples, a deadline."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamsos.core.errors import ApplicationError
from jamsos.partners.services.enrolment.columns import REQUIRED
from jamsos.partners.services.enrolment.parse import parse_list
from jamsos.partners.services.xlsform import FORMATS, read_rows

BOUNDED = settings(
    max_examples=30,
    deadline=2_000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@BOUNDED
@given(content=st.binary(max_size=2_000), fmt=st.sampled_from(sorted(FORMATS)))
def test_door_to_door_bytes_are_read_or_refused(settings, content: bytes, fmt: str) -> None:
    settings.JAMSOS_UPLOAD_MAX_LINES = 30
    with contextlib.suppress(ApplicationError):
        read_rows(content, file_name="pendataan.csv", file_format=fmt)


@BOUNDED
@given(data=JSON_VALUE, fmt=st.sampled_from(["kobo-json", "odk-json"]))
def test_door_to_door_json_is_read_or_refused(data: object, fmt: str) -> None:
    content = json.dumps({"results": data, "value": data}).encode()
    with contextlib.suppress(ApplicationError):
        read_rows(content, file_name="kobo.json", file_format=fmt)


def test_json_nested_past_the_interpreter_is_refused() -> None:
    content = b'{"results": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}"
    with pytest.raises(ApplicationError) as caught:
        read_rows(content, file_name="kobo.json", file_format="kobo-json")
    assert "kobo.json" in caught.value.message_in("en")


@BOUNDED
@given(content=st.binary(max_size=2_000), kind=st.sampled_from(sorted(REQUIRED)))
def test_enrolment_lists_are_read_or_refused(settings, content: bytes, kind: str) -> None:
    settings.JAMSOS_UPLOAD_MAX_LINES = 30
    with contextlib.suppress(ApplicationError):
        parse_list(content, file_name="daftar.csv", kind=kind)
