"""JHT accounts: balance, statement, the yearly development return, by hand-computed figures."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

from jamsos.access.models import AuditEvent, Role
from jamsos.access.scope import Scope
from jamsos.billing.errors import JhtReturnDone, JhtReturnUnknown
from jamsos.billing.models import JhtEntry, JhtKind
from jamsos.billing.services.jht import (
    development_return_idr,
    jht_balance,
    jht_return_credit,
    jht_statement,
    return_rate,
)
from jamsos.billing.tests.conftest import World
from jamsos.membership.errors import NotPermitted

ADMIN = Scope(role=Role.ADMIN, actor_name="operator")
RATE_2016 = Decimal("0.0719")


def credit(person, amount: int, booked_on: date, kind: str = JhtKind.CONTRIBUTION) -> JhtEntry:
    return JhtEntry.objects.create(
        person=person,
        kind=kind,
        period=f"{booked_on.year:04d}-{booked_on.month:02d}",
        amount_idr=amount,
        booked_on=booked_on,
    )


# --- the arithmetic ----------------------------------------------------------------------------


def test_return_on_an_opening_balance() -> None:
    # Rp 10,000,000 x 7.19% = Rp 719,000
    assert development_return_idr(
        opening_idr=10_000_000, weighted_idr_months=0, rate=RATE_2016
    ) == (719_000)


def test_return_on_a_contribution_booked_in_march() -> None:
    # 285,000 x 0.0719 x 9/12 = 15,368.625 -> 15,369 (half up)
    assert development_return_idr(
        opening_idr=0, weighted_idr_months=285_000 * 9, rate=RATE_2016
    ) == (15_369)


def test_december_contributions_earn_nothing_and_rounding_is_once_per_account() -> None:
    assert development_return_idr(opening_idr=0, weighted_idr_months=0, rate=RATE_2016) == 0
    # two March contributions: 30,737.25 -> 30,737 (rounding each would give 30,738)
    assert (
        development_return_idr(opening_idr=0, weighted_idr_months=2 * 285_000 * 9, rate=RATE_2016)
        == 30_737
    )


def test_half_rupiah_rounds_up() -> None:
    # 12 x 0.0719 / 12 ... use a rate giving exactly .5: 1 x 0.5 = 0.5 -> 1
    assert development_return_idr(opening_idr=1, weighted_idr_months=0, rate=Decimal("0.5")) == 1
    assert development_return_idr(opening_idr=1, weighted_idr_months=0, rate=Decimal("0.4")) == 0


def test_rates_come_from_the_parameters() -> None:
    rate, reference = return_rate(2016)
    assert rate == RATE_2016
    assert "PP 46/2015" in reference
    assert return_rate(2020)[0] == Decimal("0.0559")
    for year in (2015, 2021, 2022, 2025, 2014):
        with pytest.raises(JhtReturnUnknown):
            return_rate(year)


# --- balances and statements -------------------------------------------------------------------


def test_balance_and_statement(world: World) -> None:
    person = world.bpu_person
    credit(person, 10_000_000, date(2015, 12, 31))
    credit(person, 285_000, date(2016, 3, 10))
    credit(person, 1_000, date(2017, 1, 5))
    assert jht_balance(person) == 10_286_000
    assert jht_balance(person, on=date(2016, 3, 9)) == 10_000_000
    statement = jht_statement(person, 2016)
    assert (statement.opening_idr, statement.closing_idr) == (10_000_000, 10_285_000)
    assert [e.amount_idr for e in statement.entries] == [285_000]
    whole = jht_statement(person)
    assert (whole.opening_idr, whole.closing_idr, len(whole.entries)) == (0, 10_286_000, 3)


# --- crediting the yearly return ---------------------------------------------------------------


def test_return_credit_2016_hand_computed(world: World) -> None:
    # given: A has Rp 10,000,000 at the start of 2016 and Rp 285,000 booked in March;
    # B only a December contribution; C nothing in or before 2016
    a, b, c = world.bpu_person, world.worker_a.person, world.worker_b.person
    credit(a, 10_000_000, date(2015, 12, 31))
    credit(a, 285_000, date(2016, 3, 10))
    credit(b, 500_000, date(2016, 12, 20))
    credit(c, 999_999, date(2017, 2, 1))
    # when
    summary = jht_return_credit(2016, by=ADMIN)
    # then: 719,000 + 15,368.625 = 734,368.625 -> 734,369; B earns 0 (booked in December)
    returns = dict(
        JhtEntry.objects.filter(kind=JhtKind.RETURN).values_list("person_id", "amount_idr")
    )
    assert returns == {a.pk: 734_369}
    assert (summary.accounts, summary.credited, summary.amount_idr) == (2, 1, 734_369)
    entry = JhtEntry.objects.get(kind=JhtKind.RETURN)
    assert (entry.period, entry.booked_on) == ("2016-12", date(2016, 12, 31))
    assert jht_balance(a, on=date(2016, 12, 31)) == 10_285_000 + 734_369
    assert AuditEvent.objects.filter(target_type="billing.jhtentry", target_id="2016-12").exists()


def test_return_of_2016_counts_in_the_2017_opening(world: World) -> None:
    a = world.bpu_person
    credit(a, 10_000_000, date(2015, 12, 31))
    jht_return_credit(2016, by=ADMIN)
    assert jht_statement(a, 2017).opening_idr == 10_719_000


def test_return_refusals(world: World) -> None:
    credit(world.bpu_person, 1_000_000, date(2015, 12, 31))
    with pytest.raises(JhtReturnUnknown):
        jht_return_credit(2021, by=ADMIN)
    jht_return_credit(2016, by=ADMIN)
    with pytest.raises(JhtReturnDone):
        jht_return_credit(2016, by=ADMIN)
    assert JhtEntry.objects.filter(kind=JhtKind.RETURN).count() == 1
    with pytest.raises(NotPermitted):
        jht_return_credit(2020, by=Scope(role=Role.BRANCH_OFFICER, branch_office_id=1))


def test_sql_crediting_matches_the_python_arithmetic(world: World) -> None:
    # given: four accounts with entries at random days around 2016
    rng = random.Random(2016)
    people = [
        world.bpu_person,
        world.worker_a.person,
        world.worker_b.person,
        world.sponsored.person,
    ]
    expected = {}
    for person in people:
        opening = weighted = 0
        for _ in range(rng.randint(1, 12)):
            day = date(rng.choice([2015, 2016, 2016, 2017]), rng.randint(1, 12), rng.randint(1, 28))
            amount = rng.randint(1, 5_000_000)
            credit(person, amount, day)
            if day.year < 2016:
                opening += amount
            elif day.year == 2016:
                weighted += amount * (12 - day.month)
        expected[person.pk] = development_return_idr(
            opening_idr=opening, weighted_idr_months=weighted, rate=RATE_2016
        )
    # when
    jht_return_credit(2016, by=ADMIN)
    # then
    got = dict(JhtEntry.objects.filter(kind=JhtKind.RETURN).values_list("person_id", "amount_idr"))
    assert got == {pk: amount for pk, amount in expected.items() if amount > 0}
