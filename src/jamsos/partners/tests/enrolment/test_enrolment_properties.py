"""Property test of bulk enrolment's staging: cells made bad at random (formulas, digits of
other scripts, huge cells, nothing) are each reported on their own row, with a reason, and
staging writes no person and no membership. Bounded: few examples, a deadline."""

from __future__ import annotations

import itertools
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamsos.membership.models import Membership, Person
from jamsos.partners.models import EnrolmentRow, RowStatus
from jamsos.partners.services.enrolment import batch_stage
from jamsos.partners.tests.enrolment.test_enrolment import BPU_HEADER, TODAY, World, csv_bytes, nik

KEYS = itertools.count()
BAD_CELL = st.sampled_from(["=1+1", "٣٢٠٤", "３２", "", "x" * 90, "@A1", "-1", "0" * 20])


@settings(
    max_examples=15,
    deadline=5_000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    bad=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=3),
            st.sampled_from([0, 4]),  # nik, kode_desa
            BAD_CELL,
        ),
        max_size=3,
    ),
)
def test_every_bad_row_is_reported_and_staging_writes_no_member(
    world: World, bad: list[tuple[int, int, str]]
) -> None:
    # given: four good rows, some cells made bad
    rows = [
        [nik(200 + n), f"Pekerja {n}", "1990-05-17", "L", "32.04.05.2001", ""] for n in range(4)
    ]
    broken: set[int] = set()
    for index, column, value in bad:
        rows[index][column] = value
        broken.add(index + 2)  # the header is row 1
    people, memberships = Person.objects.count(), Membership.objects.count()
    # when
    batch = batch_stage(
        scope=world.scope("mitra_baznas"),
        partner_code="baznas-bandung",
        kind="sponsored",
        idempotency_key=f"sifat-{next(KEYS)}",
        file_name="rentan.csv",
        content=csv_bytes(BPU_HEADER, rows),
        term_from=date(2025, 3, 1),
        term_until=date(2025, 12, 31),
        today=TODAY,
    ).batch
    # then
    verdicts = {r.row_number: r for r in EnrolmentRow.objects.filter(batch=batch)}
    assert set(verdicts) == set(range(2, 6))
    for line in broken:
        assert verdicts[line].status in (RowStatus.INVALID, RowStatus.DUPLICATE)
        assert verdicts[line].reason
    assert (Person.objects.count(), Membership.objects.count()) == (people, memberships)
