"""Outreach events: recording (with the refusals), the attribution rule with its ties, the
window's edge, re-running, and an event's yield."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from jamsos.partners.models import EventEnrolment, OutreachEvent
from jamsos.partners.services.agreements import AgreementExpired
from jamsos.partners.services.attribution import EVENT_WINDOW_DAYS, events_attribute
from jamsos.partners.services.events import (
    AgreementNotOfPartners,
    EventInFuture,
    event_record,
    events_yield,
)
from jamsos.partners.services.partners import RegionUnknown
from jamsos.partners.tests.agreements.world import OPERATOR, TODAY, World, bill, member


def _event(title: str, held_on: date, region: str, partners=()) -> OutreachEvent:
    return event_record(
        scope=OPERATOR,
        kind="socialisation",
        title=title,
        held_on=held_on,
        region=region,
        branch_office="KC3204",
        partners=list(partners),
        attendance=40,
        registrations_on_site=3,
        today=TODAY,
    )


def test_attribution_rule_ties_and_window(world: World) -> None:
    r = world.regions
    e1 = _event("Sosialisasi Cileunyi", date(2025, 3, 1), "32.04.05", ["apindo-bdg"])
    e2 = _event("Talk show kecamatan", date(2025, 3, 10), "32.04.05")
    e3 = _event("Safari Pemkab", date(2025, 3, 10), "32.04.05", ["pemkab-bdg"])
    mm = {
        # on the day of E1, E1's partner -> E1 on_site
        "a": member(r, "cileunyi_kulon", date(2025, 3, 1)),
        # E1, E2, E3 qualify by channel; E2 and E3 tie (same day, same level, no partner
        # match) -> the one recorded first, E2
        "b": member(r, "cileunyi_kulon", date(2025, 3, 15)),
        # self-registered pemkab member: only E3's partner makes it qualify
        "c": member(
            r, "cileunyi_wetan", date(2025, 3, 11), partner_ref="pemkab-bdg", channel="self"
        ),
        # pemkab member registered by a partner: E2 and E3 tie on day and level; E3 has the
        # member's partner -> E3
        "d": member(r, "cileunyi_wetan", date(2025, 3, 12), partner_ref="pemkab-bdg"),
        # outside the events' region
        "e": member(r, "sukarasa", date(2025, 3, 2)),
        # after every window (E2/E3 + 30 days = 2025-04-09)
        "f": member(r, "cileunyi_kulon", date(2025, 4, 10)),
        # self-registered, no partner: never attributed
        "g": member(r, "cileunyi_kulon", date(2025, 3, 2), partner_ref=None, channel="self"),
        # a cadre's registration on the last day of the window
        "h": member(r, "cileunyi_kulon", date(2025, 4, 9), partner_ref=None, channel="cadre"),
    }
    result = events_attribute(scope=OPERATOR)
    got = {
        name: (EventEnrolment.objects.filter(membership=m).values_list("event_id", "rule").first())
        for name, m in mm.items()
    }
    assert got == {
        "a": (e1.pk, "on_site"),
        "b": (e2.pk, "after_event"),
        "c": (e3.pk, "after_event"),
        "d": (e3.pk, "after_event"),
        "e": None,
        "f": None,
        "g": None,
        "h": (e2.pk, "after_event"),
    }
    assert (result.attributed, result.on_site, result.after_event) == (5, 1, 4)
    assert result.window_days == EVENT_WINDOW_DAYS == 30
    # Re-runnable: the same result, no duplicates; a shorter window drops h.
    assert events_attribute(scope=OPERATOR).attributed == 5
    assert events_attribute(scope=OPERATOR, window_days=29).attributed == 4
    # Removing E2 hands b and h to E3 (the tie's other event).
    e2.delete()
    events_attribute(scope=OPERATOR)
    assert EventEnrolment.objects.get(membership=mm["b"]).event_id == e3.pk
    assert EventEnrolment.objects.get(membership=mm["h"]).event_id == e3.pk


def test_deeper_region_wins_a_tie(world: World) -> None:
    wide = _event("Audiensi kabupaten", date(2025, 3, 10), "32.04")
    narrow = _event("FGD kecamatan", date(2025, 3, 10), "32.04.05")
    m = member(world.regions, "cileunyi_kulon", date(2025, 3, 12))
    events_attribute(scope=OPERATOR)
    assert EventEnrolment.objects.get(membership=m).event_id == narrow.pk
    assert wide.enrolments.count() == 0


def test_yield_counts_paid_first_months(world: World) -> None:
    e = _event("Sosialisasi pasar", date(2025, 3, 1), "32.04", ["apindo-bdg"])
    paid = member(world.regions, "cileunyi_kulon", date(2025, 3, 1))
    unpaid = member(world.regions, "cileunyi_wetan", date(2025, 3, 20))
    bill(paid, "2025-03", paid=True)
    bill(unpaid, "2025-03", paid=False)
    events_attribute(scope=OPERATOR)
    y = events_yield([e.pk])[e.pk]
    assert (y.attributed, y.on_site, y.after_event, y.paid) == (2, 1, 1, 1)


def test_recording_refusals(world: World) -> None:
    with translation.override("id"), pytest.raises(AgreementExpired) as error:
        event_record(
            scope=OPERATOR,
            kind="audience",
            title="Audiensi",
            held_on=date(2026, 1, 5),
            region="32.04",
            branch_office="KC3204",
            agreement="PKS-001/2025",
            today=date(2026, 1, 6),
        )
    assert "sudah berakhir pada 2025-12-31" in error.value.message
    with pytest.raises(AgreementNotOfPartners):
        event_record(
            scope=OPERATOR,
            kind="audience",
            title="Audiensi",
            held_on=date(2025, 5, 5),
            region="32.04",
            branch_office="KC3204",
            agreement="PKS-001/2025",
            partners=["pemkab-bdg"],
            today=TODAY,
        )
    with pytest.raises(EventInFuture):
        event_record(
            scope=OPERATOR,
            kind="audience",
            title="Audiensi",
            held_on=date(2025, 7, 1),
            region="32.04",
            branch_office="KC3204",
            today=TODAY,
        )
    with pytest.raises(RegionUnknown):
        event_record(
            scope=OPERATOR,
            kind="audience",
            title="Audiensi",
            held_on=date(2025, 5, 1),
            region="32.99",
            branch_office="KC3204",
            today=TODAY,
        )
    assert not OutreachEvent.objects.exists()
    ok = event_record(
        scope=OPERATOR,
        kind="audience",
        title="Audiensi",
        held_on=date(2025, 5, 5),
        region="32.04",
        branch_office="KC3204",
        agreement="PKS-001/2025",
        today=TODAY,
    )
    assert [p.code for p in ok.partners.all()] == ["apindo-bdg"]
