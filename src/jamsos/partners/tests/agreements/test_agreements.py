"""Agreements: lifecycle (sign, activate, renew, terminate, expire), the status derivation,
the 90-day list, targets and the refusals of an expired agreement."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from jamsos.access.models import Role
from jamsos.membership.errors import NotPermitted
from jamsos.partners.models import Agreement, AgreementStatus, AgreementTarget
from jamsos.partners.selectors.partners import (
    agreement_effective_status,
    agreements_ending_soon,
    agreements_visible,
)
from jamsos.partners.services.agreements import (
    AgreementExpired,
    AgreementNotInForce,
    BadTransition,
    DatesOrder,
    TargetOutsideAgreement,
    agreement_activate,
    agreement_create,
    agreement_renew,
    agreement_require_in_force,
    agreement_sign,
    agreement_target_add,
    agreement_terminate,
    agreements_expire,
)
from jamsos.partners.services.attribution import attributed_counts
from jamsos.partners.tests.agreements.world import (
    OPERATOR,
    TODAY,
    World,
    branch_scope,
    other_branch_scope,
    scope_of,
)


def _draft(world: World, number: str, start: date, end: date, **kw) -> Agreement:
    return agreement_create(
        scope=OPERATOR,
        number=number,
        title="PKS",
        partner=world.apindo,
        starts_on=start,
        ends_on=end,
        branch_office="KC3204",
        **kw,
    )


def test_sign_and_status_derivation(world: World) -> None:
    # Signed on 2024-12-20 and checked on 2025-06-15: stored active at once.
    assert world.a1.status == AgreementStatus.ACTIVE
    future = _draft(world, "PKS-9", date(2025, 9, 1), date(2026, 8, 31))
    future = agreement_sign(
        scope=OPERATOR, agreement=future, signed_on=date(2025, 6, 1), today=TODAY
    )
    assert future.status == AgreementStatus.SIGNED
    # Without the daily job, the derived status still follows the dates.
    assert agreement_effective_status(future, date(2025, 9, 1)) == "active"
    assert agreement_effective_status(future, date(2026, 9, 1)) == "expired"
    statuses = dict(
        agreements_visible(OPERATOR, today=date(2026, 1, 5)).values_list(
            "number", "effective_status"
        )
    )
    assert statuses == {"PKS-001/2025": "expired", "PKS-9": "active"}
    with pytest.raises(BadTransition):
        agreement_sign(scope=OPERATOR, agreement=future, signed_on=date(2025, 6, 1), today=TODAY)


def test_activate(world: World) -> None:
    a = _draft(world, "PKS-10", date(2025, 7, 1), date(2025, 12, 31))
    with pytest.raises(BadTransition):
        agreement_activate(scope=OPERATOR, agreement=a, today=TODAY)  # still a draft
    agreement_sign(scope=OPERATOR, agreement=a, signed_on=date(2025, 6, 1), today=TODAY)
    with pytest.raises(BadTransition):
        agreement_activate(scope=OPERATOR, agreement=a, today=TODAY)  # starts in July
    a = agreement_activate(scope=OPERATOR, agreement=a, today=date(2025, 7, 1))
    assert a.status == AgreementStatus.ACTIVE


def test_daily_expire_job(world: World) -> None:
    a = _draft(world, "PKS-11", date(2025, 1, 1), date(2025, 3, 31))
    agreement_sign(scope=OPERATOR, agreement=a, signed_on=date(2024, 12, 1), today=date(2025, 1, 5))
    b = _draft(world, "PKS-12", date(2025, 6, 1), date(2025, 12, 31))
    agreement_sign(scope=OPERATOR, agreement=b, signed_on=date(2025, 5, 1), today=date(2025, 5, 2))
    result = agreements_expire(scope=OPERATOR, today=TODAY)
    assert (result.expired, result.activated) == (1, 1)
    assert Agreement.objects.get(number="PKS-11").status == "expired"
    assert Agreement.objects.get(number="PKS-12").status == "active"
    assert Agreement.objects.get(number="PKS-001/2025").status == "active"
    again = agreements_expire(scope=OPERATOR, today=TODAY)
    assert (again.expired, again.activated) == (0, 0)
    # The day after its end date, the agreement is expired; on its last day it is not.
    assert agreements_expire(scope=OPERATOR, today=date(2025, 12, 31)).expired == 0
    assert agreements_expire(scope=OPERATOR, today=date(2026, 1, 1)).expired == 2


def test_renewal(world: World) -> None:
    new = agreement_renew(
        scope=OPERATOR,
        agreement=world.a1,
        number="PKS-001/2026",
        ends_on=date(2026, 12, 31),
        budget_idr=12_000_000,
        signed_on=date(2025, 12, 1),
        today=date(2025, 12, 10),
    )
    old = Agreement.objects.get(pk=world.a1.pk)
    assert old.status == AgreementStatus.RENEWED
    assert (new.renewed_from_id, new.starts_on, new.status) == (old.pk, date(2026, 1, 1), "signed")
    assert (new.segments, new.partner_id) == ("BPU", world.apindo.pk)
    with pytest.raises(BadTransition):
        agreement_renew(
            scope=OPERATOR,
            agreement=old,
            number="PKS-X",
            ends_on=date(2027, 1, 1),
            today=date(2025, 12, 10),
        )
    # The old agreement's enrolments stay its own: nothing started in 2026 yet.
    assert attributed_counts([old.pk, new.pk]) == {old.pk: 3}


def test_terminate_shortens_and_stops_attribution(world: World) -> None:
    a = agreement_terminate(
        scope=OPERATOR, agreement=world.a1, on=date(2025, 1, 31), reason="Mitra bubar", today=TODAY
    )
    assert (a.status, a.ends_on) == ("terminated", date(2025, 1, 31))
    assert attributed_counts([a.pk]) == {a.pk: 2}  # m1, m2 (January) only
    with pytest.raises(BadTransition):
        agreement_terminate(scope=OPERATOR, agreement=a, today=TODAY)


def test_ending_within_90_days(world: World) -> None:
    soon = _draft(world, "PKS-13", date(2025, 1, 1), date(2025, 9, 12))
    agreement_sign(scope=OPERATOR, agreement=soon, signed_on=date(2025, 1, 1), today=TODAY)
    edge = _draft(world, "PKS-14", date(2025, 1, 1), date(2025, 9, 13))  # day 90
    agreement_sign(scope=OPERATOR, agreement=edge, signed_on=date(2025, 1, 1), today=TODAY)
    late = _draft(world, "PKS-15", date(2025, 1, 1), date(2025, 9, 14))  # day 91
    agreement_sign(scope=OPERATOR, agreement=late, signed_on=date(2025, 1, 1), today=TODAY)
    _draft(world, "PKS-16", date(2025, 1, 1), date(2025, 7, 1))  # a draft is not listed
    rows = agreements_ending_soon(OPERATOR, today=TODAY)
    assert [(r["number"], r["days_left"]) for r in rows] == [("PKS-13", 89), ("PKS-14", 90)]
    assert agreements_ending_soon(other_branch_scope(world.regions), today=TODAY) == []
    assert len(agreements_ending_soon(branch_scope(), today=TODAY)) == 2


def test_target_refused_on_expired_agreement(world: World) -> None:
    with translation.override("id"), pytest.raises(AgreementExpired) as error:
        agreement_target_add(
            scope=OPERATOR,
            agreement=world.a1,
            period_from="2025-01",
            period_to="2025-03",
            enrolments=10,
            today=date(2026, 1, 2),
        )
    assert error.value.message.startswith("PKS PKS-001/2025 sudah berakhir pada 2025-12-31")
    with pytest.raises(TargetOutsideAgreement):
        agreement_target_add(
            scope=OPERATOR,
            agreement=world.a1,
            period_from="2024-12",
            period_to="2025-03",
            enrolments=10,
            today=TODAY,
        )
    assert not AgreementTarget.objects.exists()


def test_in_force_check_for_other_areas(world: World) -> None:
    agreement_require_in_force(world.a1, on=date(2025, 6, 1))
    with pytest.raises(AgreementExpired):
        agreement_require_in_force(world.a1, on=date(2026, 1, 1))
    draft = _draft(world, "PKS-17", date(2025, 1, 1), date(2025, 12, 31))
    with translation.override("en"), pytest.raises(AgreementNotInForce) as error:
        agreement_require_in_force(draft, on=date(2025, 6, 1))
    assert "status draft" in error.value.message


def test_bad_dates_and_scope(world: World) -> None:
    with pytest.raises(DatesOrder):
        _draft(world, "PKS-18", date(2025, 5, 1), date(2025, 4, 1))
    other = other_branch_scope(world.regions)
    with pytest.raises(NotPermitted):
        agreement_target_add(
            scope=other,
            agreement=world.a1,
            period_from="2025-01",
            period_to="2025-03",
            enrolments=10,
            today=TODAY,
        )
    partner_user = scope_of("mitra", Role.PARTNER_USER, partner_ref="apindo-bdg")
    with pytest.raises(NotPermitted):
        agreement_sign(scope=partner_user, agreement=world.a1, signed_on=TODAY, today=TODAY)
    assert [a.number for a in agreements_visible(partner_user)] == ["PKS-001/2025"]
    assert (
        list(agreements_visible(scope_of("pemkab", Role.PARTNER_USER, partner_ref="pemkab-bdg")))
        == []
    )
