"""The partner scorecard and agreement progress, with figures computed by hand
(test_partners_fixtures.py explains the world)."""

from __future__ import annotations

from decimal import Decimal

from jamsos.partners.services.agreements import agreement_target_add
from jamsos.partners.services.attribution import (
    attributed_by_month,
    attributed_counts,
    attributed_membership_ids,
    targets_progress,
)
from jamsos.partners.services.scorecards import partner_enrolments_by_month, scorecards
from jamsos.partners.tests.agreements.world import OPERATOR, TODAY, World


def test_scorecard_figures_by_hand(world: World) -> None:
    # L = 2025-05; eligible for the 3-month rate: started 2025-02 or earlier (m1..m5);
    # third month paid: m1 (03), m3 (04), m5 (2025-02); not m2 (03 unpaid), m4 (04 unpaid).
    apindo, pemkab = scorecards([world.apindo, world.pemkab])
    assert apindo.period == "2025-05"
    assert (apindo.enrolled, apindo.active) == (5, 3)  # active: m1, m2, m4 paid 2025-05
    assert (apindo.eligible_3m, apindo.paid_3m) == (5, 3)
    assert apindo.paying_rate_3m == Decimal("0.6")
    # Budget Rp10.000.000 over the 3 memberships attributed to PKS-001 (m1, m2, m3).
    assert (apindo.budget_idr, apindo.budget_enrolled) == (10_000_000, 3)
    assert apindo.cost_per_enrolment_idr == 3_333_333
    assert apindo.as_dict()["paying_rate_3m"] == "0.6000"
    assert (pemkab.enrolled, pemkab.active, pemkab.paying_rate_3m) == (0, 0, None)
    assert pemkab.cost_per_enrolment_idr is None


def test_scorecard_window_and_young_memberships(world: World) -> None:
    # Only memberships started in 2025-02: m3, m4; both eligible (02 <= 2025-02).
    card = scorecards(
        [world.apindo], since=TODAY.replace(month=2, day=1), until=TODAY.replace(month=2, day=28)
    )[0]
    assert (card.enrolled, card.active, card.eligible_3m, card.paid_3m) == (2, 1, 2, 1)


def test_attribution_to_the_agreement(world: World) -> None:
    m = world.m
    assert attributed_counts([world.a1.pk]) == {world.a1.pk: 3}
    assert attributed_membership_ids(world.a1.pk) == sorted([m["m1"].pk, m["m2"].pk, m["m3"].pk])
    assert attributed_by_month(world.a1.pk) == [("2025-01", 2), ("2025-02", 1)]
    assert partner_enrolments_by_month(world.apindo) == [
        ("2024-12", 1),
        ("2025-01", 2),
        ("2025-02", 2),
    ]


def test_explicit_regions_and_co_partner(world: World) -> None:
    from datetime import date

    from jamsos.partners.services.agreements import agreement_create
    from jamsos.partners.tests.agreements.world import member

    # A city-wide agreement of the regency government with APINDO as co-partner: m4 (Sukarasa,
    # Kota Bandung, apindo) counts; m1..m3 (Kabupaten) do not; a pemkab member in the city does.
    a2 = agreement_create(
        scope=OPERATOR,
        number="PKS-002/2025",
        title="Kota",
        partner=world.pemkab,
        other_partners=[world.apindo],
        regions=["32.73"],
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        branch_office="KC3204",
    )
    own = member(world.regions, "sukarasa", date(2025, 3, 3), partner_ref="pemkab-bdg")
    other = member(world.regions, "sukarasa", date(2025, 3, 3), partner_ref="someone-else")
    ids = attributed_membership_ids(a2.pk)
    assert ids == sorted([world.m["m4"].pk, own.pk])
    assert other.pk not in ids


def test_segment_and_ecosystem_scope(world: World) -> None:
    from datetime import date

    from jamsos.partners.services.agreements import agreement_create
    from jamsos.partners.tests.agreements.world import member

    a3 = agreement_create(
        scope=OPERATOR,
        number="PKS-003/2025",
        title="Pasar",
        partner=world.apindo,
        ecosystems="pasar",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        branch_office="KC3204",
    )
    pasar = member(world.regions, "cileunyi_wetan", date(2025, 4, 1), ecosystem="pasar")
    assert attributed_membership_ids(a3.pk) == [pasar.pk]
    a4 = agreement_create(
        scope=OPERATOR,
        number="PKS-004/2025",
        title="PU saja",
        partner=world.apindo,
        segments=["pu"],
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        branch_office="KC3204",
    )
    assert attributed_counts([a4.pk]) == {}


def test_targets_progress(world: World) -> None:
    t1 = agreement_target_add(
        scope=OPERATOR,
        agreement=world.a1,
        period_from="2025-01",
        period_to="2025-03",
        enrolments=4,
        active=2,
        today=TODAY,
    )
    t2 = agreement_target_add(
        scope=OPERATOR,
        agreement=world.a1,
        period_from="2025-02",
        period_to="2025-06",
        enrolments=5,
        segment="bpu",
        today=TODAY,
    )
    progress = {p.target.pk: p for p in targets_progress([world.a1.pk])}
    one, two = progress[t1.pk], progress[t2.pk]
    # T1: m1, m2, m3 started in 01..03; of them m1 and m2 paid 2025-05.
    assert (one.enrolled, one.active, one.period) == (3, 2, "2025-05")
    assert (one.enrolled_percent, one.active_percent) == (75, 100)
    assert one.enrolled_share == Decimal("0.75")
    # T2: m3 only (started 2025-02); not paid in 2025-05.
    assert (two.enrolled, two.active, two.enrolled_percent, two.active_percent) == (1, 0, 20, None)


def test_scorecard_active_is_the_latest_month_with_payments_known(world: World) -> None:
    """A new billing run (2025-06) before anyone paid does not drop "active" to 0: the
    scorecard stays on the latest billed month in which payments are recorded, and says so."""
    from jamsos.partners.tests.agreements.world import bill

    for name in ("m1", "m2", "m3", "m4", "m5"):
        bill(world.m[name], "2025-06", paid=False)
    card = scorecards([world.apindo])[0]
    assert card.period == "2025-05"
    assert card.billed_period == "2025-06"
    assert (card.enrolled, card.active) == (5, 3)
    # Once someone pays June, June is the month known.
    from jamsos.billing.models import InvoiceLine

    InvoiceLine.objects.filter(membership=world.m["m3"], period="2025-06").update(
        paid_on=TODAY.replace(month=6, day=12)
    )
    card = scorecards([world.apindo])[0]
    assert (card.period, card.active) == ("2025-06", 1)


def test_scorecard_page_names_the_month(world: World) -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    from jamsos.partners.tests.agreements.world import bill

    for name in ("m1", "m2"):
        bill(world.m[name], "2025-06", paid=False)
    card = scorecards([world.apindo])[0]
    with translation.override("id"):
        html = render_to_string("partners/core/_scorecard.html", {"card": card, "active": 3})
    assert "Aktif (2025-05)" in html
    assert "2025-06 sudah ditagih tetapi belum ada pembayaran yang tercatat" in html
