"""Property tests of bank statement files: random lines, cells and bytes. Whatever comes in,
the file is posted whole or refused with an ApplicationError (never another exception); a refused
file writes nothing; every line made bad is reported with its line number. Bounded: few
examples, a deadline."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamsos.billing.errors import StatementHasErrors
from jamsos.billing.models import JournalEntry, Payment, StatementFile
from jamsos.billing.services.statements import statement_check, statement_post
from jamsos.billing.tests.test_statements import HEADER, payers  # noqa: F401 (fixture)
from jamsos.core.errors import ApplicationError

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=25,
    deadline=3_000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: What a bad line's amount, date or currency may hold: formulas, digits of other scripts,
#: huge numbers, words, nothing.
BAD_AMOUNT = st.sampled_from(
    ["=1+1", "٣٠٠", "３００", "-5", "0", "1e9", "9" * 40, "tiga ratus", "", "@SUM(A1)", "3.00.0"]
)
BAD_DATE = st.sampled_from(["2025-13-01", "15/04/2025", "=TODAY()", "", "２０２５-04-10"])


def _writes() -> tuple[int, int, int]:
    return Payment.objects.count(), JournalEntry.objects.count(), StatementFile.objects.count()


@BOUNDED
@given(content=st.binary(max_size=1_500))
def test_any_bytes_are_refused_or_posted_whole(payers, content: bytes) -> None:  # noqa: F811
    before = _writes()
    try:
        statement_post(content, name="acak.csv", dry_run=True)
    except ApplicationError:
        assert _writes() == before


@BOUNDED
@given(
    bad=st.lists(
        st.tuples(st.integers(min_value=0, max_value=7), BAD_AMOUNT, BAD_DATE), max_size=4
    ),
    blank_lines=st.integers(min_value=0, max_value=3),
)
def test_every_bad_line_is_reported_and_nothing_is_written(
    payers,  # noqa: F811
    bad: list[tuple[int, str, str]],
    blank_lines: int,
) -> None:
    employer, _ = payers
    lines = [
        f"H-{n},{employer.virtual_account},100,IDR,2025-04-1{n % 5},PT Maju," for n in range(8)
    ]
    broken: set[int] = set()
    for index, amount, paid_on in bad:
        lines[index] = f"H-{index},{employer.virtual_account},{amount},IDR,{paid_on},PT Maju,"
        broken.add(index + 2)  # the header is line 1
    content = ("\n".join([HEADER, *lines]) + "\n" * (1 + blank_lines)).encode()
    before = _writes()
    if not broken:
        assert len(statement_check(content)) == 8
        return
    with pytest.raises(StatementHasErrors) as caught:
        statement_post(content, name="rusak.csv")
    assert {e.line for e in caught.value.lines} == broken
    assert _writes() == before


@BOUNDED
@given(cells=st.lists(st.text(max_size=40), min_size=7, max_size=7))
def test_any_cells_are_refused_or_checked(payers, cells: list[str]) -> None:  # noqa: F811
    content = (
        HEADER + "\n" + ",".join(c.replace(",", "").replace("\n", "") for c in cells)
    ).encode()
    before = _writes()
    with contextlib.suppress(ApplicationError):
        statement_check(content)
    assert _writes() == before
