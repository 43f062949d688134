from datetime import date

import pytest
from django.db import IntegrityError, transaction

from jamsos.access.scope import Scope
from jamsos.core.models import AppendOnlyError
from jamsos.membership import errors
from jamsos.membership.identifiers import kpj_is_valid
from jamsos.membership.models import EventKind, Membership, MembershipEvent, Status, WageReport
from jamsos.membership.selectors import membership_get_by_kpj, membership_list_for_person
from jamsos.membership.services import (
    PersonData,
    bpu_income_change,
    bpu_self_register,
    construction_project_register,
    jakon_worker_register,
    membership_end,
    membership_programs_change,
    pmi_register,
    pu_worker_register,
    wage_report_submit,
)
from jamsos.membership.tests.factories import PersonDataFactory, employer_create, person_create
from jamsos.membership.tests.fixtures import TODAY

OPERATOR = Scope.operator("test")


@pytest.fixture
def person(regions):
    return person_create(domicile=regions.cileunyi_kulon)


def employer_of(size, regions):
    return employer_create(village=regions.sukarasa, size=size)


@pytest.mark.parametrize(
    ("size", "programs"),
    [
        ("micro", "JKK,JKM"),
        ("small", "JKK,JKM,JHT"),
        ("medium", "JKK,JKM,JHT,JP"),
        ("large", "JKK,JKM,JHT,JP"),
    ],
)
def test_pu_mandatory_programs_follow_employer_size(branch_office, regions, person, size, programs):
    membership = pu_worker_register(
        employer=employer_of(size, regions),
        person=person,
        wage_idr=5_000_000,
        start_date=date(2024, 1, 1),
    )
    assert membership.programs == programs


def test_micro_employer_may_add_jht_and_mandatory_programs_stay(branch_office, regions, person):
    membership = pu_worker_register(
        employer=employer_of("micro", regions),
        person=person,
        wage_idr=3_000_000,
        start_date=date(2024, 1, 1),
        programs=["JHT"],
    )
    assert membership.programs == "JKK,JKM,JHT"


def test_pu_worker_register_creates_kpj_first_wage_and_started_event(
    branch_office, regions, person
):
    # when
    membership = pu_worker_register(
        employer=employer_of("large", regions),
        person=person,
        wage_idr=5_000_000,
        start_date=date(2024, 1, 15),
    )
    # then
    assert membership.kpj.startswith("24")
    assert kpj_is_valid(membership.kpj)
    assert membership_get_by_kpj(OPERATOR, kpj=membership.kpj) == membership
    assert list(membership.wage_reports.values_list("period", "wage_idr")) == [
        ("2024-01", 5_000_000)
    ]
    assert list(membership.events.values_list("kind", flat=True)) == [EventKind.STARTED]


def test_pu_worker_register_with_new_person_data(branch_office, regions):
    data = PersonDataFactory(domicile=regions.cileunyi_kulon)
    membership = pu_worker_register(
        employer=employer_of("small", regions),
        person=data,
        wage_idr=4_000_000,
        start_date=date(2024, 6, 1),
        today=TODAY,
    )
    assert membership.person.nik == data.nik


def test_pu_worker_register_refuses_known_nik_as_new_data(branch_office, regions, person):
    data = PersonData(
        nik=person.nik,
        name="Other",
        birth_date=person.birth_date,
        sex=person.sex,
        domicile=regions.cileunyi_kulon,
    )
    with pytest.raises(errors.DuplicateNik):
        pu_worker_register(
            employer=employer_of("small", regions),
            person=data,
            wage_idr=4_000_000,
            start_date=date(2024, 6, 1),
            today=TODAY,
        )


def test_jkp_is_not_a_chosen_program(branch_office, regions, person):
    with pytest.raises(errors.ProgramNotAllowed) as caught:
        pu_worker_register(
            employer=employer_of("large", regions),
            person=person,
            wage_idr=5_000_000,
            start_date=date(2024, 1, 1),
            programs=["JKP"],
        )
    assert "PP 37/2021" in caught.value.message_in("en")
    assert not Membership.objects.exists()


def test_unknown_program_is_an_invalid_choice(regions, person):
    with pytest.raises(errors.InvalidChoice):
        bpu_self_register(person=person, declared_income_idr=1_000_000, programs=["XYZ"])


def test_start_before_the_program_rules_is_refused(branch_office, regions, person):
    with pytest.raises(errors.StartBeforeLaw):
        pu_worker_register(
            employer=employer_of("large", regions),
            person=person,
            wage_idr=5_000_000,
            start_date=date(2015, 6, 30),
        )


def test_second_active_pu_with_the_same_employer_is_refused(branch_office, regions, person):
    employer = employer_of("large", regions)
    first = pu_worker_register(
        employer=employer, person=person, wage_idr=5_000_000, start_date=date(2024, 1, 1)
    )
    with pytest.raises(errors.MembershipAlreadyActive) as caught:
        pu_worker_register(
            employer=employer, person=person, wage_idr=5_000_000, start_date=date(2024, 2, 1)
        )
    assert first.kpj in caught.value.message


def test_bpu_jp_is_refused(regions, person):
    with pytest.raises(errors.ProgramNotAllowed) as caught:
        bpu_self_register(person=person, declared_income_idr=2_000_000, programs=["JP", "JHT"])
    assert caught.value.params["program"] == "JP"
    assert caught.value.field == "programs"
    assert "PP 46/2015" in caught.value.message_in("id")


def test_bpu_with_jht_and_a_sponsor(regions, person):
    membership = bpu_self_register(
        person=person,
        declared_income_idr=1_000_000,
        programs=["jht"],
        ecosystem="rentan",
        channel="partner",
        sponsor_name="BAZNAS Kabupaten Bandung",
        sponsor_kind="zakat",
        start_date=date(2024, 3, 1),
    )
    assert membership.programs == "JKK,JKM,JHT"
    assert (membership.sponsor_kind, membership.sponsor_ref) == ("zakat", None)


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"declared_income_idr": 0}, errors.AmountNotPositive),
        ({"ecosystem": "mall"}, errors.InvalidChoice),
        ({"channel": "fax"}, errors.InvalidChoice),
        ({"sponsor_kind": "csr"}, errors.SponsorIncomplete),
        ({"sponsor_name": "X", "sponsor_kind": "lottery"}, errors.InvalidChoice),
        ({"start_date": date(1980, 1, 1)}, errors.StartBeforeLaw),
    ],
)
def test_bpu_refusals(regions, person, overrides, error):
    values = {"person": person, "declared_income_idr": 1_500_000, "start_date": date(2024, 1, 1)}
    values.update(overrides)
    with pytest.raises(error):
        bpu_self_register(**values)


def test_start_before_birth_is_refused(regions):
    young = person_create(domicile=regions.cileunyi_kulon, birth_date=date(2016, 2, 3))
    with pytest.raises(errors.StartBeforeBirth):
        bpu_self_register(person=young, declared_income_idr=1_000_000, start_date=date(2016, 1, 1))


def test_membership_end_keeps_history(branch_office, regions, person):
    # given
    membership = pu_worker_register(
        employer=employer_of("small", regions),
        person=person,
        wage_idr=4_000_000,
        start_date=date(2024, 1, 1),
    )
    wage_report_submit(membership=membership, period="2024-02", wage_idr=4_200_000)
    # when
    ended = membership_end(membership=membership, end_date=date(2024, 2, 29), reason="resignation")
    # then
    ended.refresh_from_db()
    assert (ended.status, ended.end_reason) == (Status.ENDED, "resignation")
    assert WageReport.objects.filter(membership=membership).count() == 2
    assert list(ended.events.values_list("kind", flat=True)) == [
        EventKind.STARTED,
        EventKind.WAGE_CHANGED,
        EventKind.ENDED,
    ]
    with pytest.raises(errors.MembershipAlreadyEnded):
        membership_end(membership=ended, end_date=date(2024, 3, 1), reason="phk")
    with pytest.raises(errors.PeriodOutsideMembership):
        wage_report_submit(membership=ended, period="2024-03", wage_idr=4_200_000)
    assert list(membership_list_for_person(OPERATOR, person=person)) == [ended]


def test_membership_end_refusals(regions, person):
    membership = bpu_self_register(
        person=person, declared_income_idr=1_000_000, start_date=date(2024, 5, 1)
    )
    with pytest.raises(errors.EndBeforeStart):
        membership_end(membership=membership, end_date=date(2024, 4, 30), reason="other")
    with pytest.raises(errors.InvalidChoice):
        membership_end(membership=membership, end_date=date(2024, 6, 1), reason="bored")


def test_wage_history_one_report_per_month(branch_office, regions, person):
    # given
    membership = pu_worker_register(
        employer=employer_of("large", regions),
        person=person,
        wage_idr=5_000_000,
        start_date=date(2024, 12, 2),
    )
    # when
    wage_report_submit(membership=membership, period="2025-01", wage_idr=5_325_000)
    wage_report_submit(membership=membership, period="2025-02", wage_idr=5_325_000)
    # then
    history = list(membership.wage_reports.order_by("period").values_list("period", "wage_idr"))
    assert history == [("2024-12", 5_000_000), ("2025-01", 5_325_000), ("2025-02", 5_325_000)]
    changes = membership.events.filter(kind=EventKind.WAGE_CHANGED)
    assert [e.data["old_wage_idr"] for e in changes] == [5_000_000]
    with pytest.raises(errors.WageAlreadyReported):
        wage_report_submit(membership=membership, period="2025-02", wage_idr=6_000_000)
    with pytest.raises(errors.InvalidPeriod):
        wage_report_submit(membership=membership, period="2025-13", wage_idr=6_000_000)
    with pytest.raises(errors.AmountNotPositive):
        wage_report_submit(membership=membership, period="2025-03", wage_idr=-1)
    with pytest.raises(errors.PeriodOutsideMembership):
        wage_report_submit(membership=membership, period="2024-11", wage_idr=5_000_000)


def test_wage_reports_are_for_pu_only(regions, person):
    membership = bpu_self_register(
        person=person, declared_income_idr=1_000_000, start_date=date(2024, 5, 1)
    )
    with pytest.raises(errors.WrongSegment):
        wage_report_submit(membership=membership, period="2024-06", wage_idr=1_000_000)


def test_database_refuses_two_reports_for_one_month_and_non_positive_wages(
    branch_office, regions, person
):
    membership = pu_worker_register(
        employer=employer_of("large", regions),
        person=person,
        wage_idr=5_000_000,
        start_date=date(2024, 1, 1),
    )
    report = membership.wage_reports.get()
    for period, wage in (("2024-01", 1), ("2024-02", 0)):
        with pytest.raises(IntegrityError), transaction.atomic():
            WageReport.objects.create(
                membership=membership,
                period=period,
                wage_idr=wage,
                reported_at=report.reported_at,
                source="employer",
            )


def test_database_refuses_end_before_start_and_bpu_without_income(regions, person):
    membership = bpu_self_register(
        person=person, declared_income_idr=1_000_000, start_date=date(2024, 5, 1)
    )
    updates = [
        {"status": "ended", "end_date": date(2024, 4, 1), "end_reason": "other"},
        {"declared_income_idr": None},
        {"status": "ended"},  # ended without an end date
        {"programs": "JKK"},
    ]
    for update in updates:
        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.filter(pk=membership.pk).update(**update)


def test_events_are_append_only(regions, person):
    membership = bpu_self_register(person=person, declared_income_idr=1_000_000)
    event = membership.events.get()
    event.data = {"changed": True}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert MembershipEvent.objects.get().data != {"changed": True}


def test_programs_and_income_changes_are_events(regions, person):
    membership = bpu_self_register(
        person=person, declared_income_idr=1_000_000, start_date=date(2024, 5, 1)
    )
    membership_programs_change(membership=membership, programs=["JHT"], on=date(2024, 7, 1))
    bpu_income_change(membership=membership, declared_income_idr=2_500_000, on=date(2024, 8, 1))
    bpu_income_change(membership=membership, declared_income_idr=2_500_000, on=date(2024, 9, 1))
    membership.refresh_from_db()
    assert (membership.programs, membership.declared_income_idr) == ("JKK,JKM,JHT", 2_500_000)
    events = list(membership.events.values_list("kind", "data"))
    assert events[1] == (
        EventKind.PROGRAMS_CHANGED,
        {"on": "2024-07-01", "old": "JKK,JKM", "new": "JKK,JKM,JHT"},
    )
    assert events[2][1]["old_income_idr"] == 1_000_000
    assert len(events) == 3
    with pytest.raises(errors.ProgramNotAllowed):
        membership_programs_change(membership=membership, programs=["JP"], on=date(2024, 10, 1))


def test_jakon_worker_on_a_project(branch_office, regions, person):
    contractor = employer_create(village=regions.sukarasa, size="medium", sector="F", risk_class=5)
    project = construction_project_register(
        contractor=contractor,
        name="Jembatan Cileunyi",
        contract_value_idr=2_500_000_000,
        village=regions.cileunyi_wetan,
        start_date=date(2024, 7, 1),
        end_date=date(2025, 6, 30),
    )
    membership = jakon_worker_register(project=project, person=person)
    assert (membership.programs, membership.employer, membership.start_date) == (
        "JKK,JKM",
        contractor,
        date(2024, 7, 1),
    )
    with pytest.raises(errors.EndBeforeStart):
        construction_project_register(
            contractor=contractor,
            name="X",
            contract_value_idr=1,
            village=regions.cileunyi_wetan,
            start_date=date(2024, 7, 1),
            end_date=date(2024, 6, 30),
        )


def test_pmi_placement(regions, person):
    membership = pmi_register(
        person=person, destination_country="tw", placement_months=24, start_date=date(2024, 1, 31)
    )
    placement = membership.placement
    assert (placement.destination_country, placement.end_date) == ("TW", date(2026, 1, 31))
    assert membership.programs == "JKK,JKM"
    with pytest.raises(errors.MembershipAlreadyActive):
        pmi_register(
            person=person,
            destination_country="MY",
            placement_months=12,
            start_date=date(2024, 2, 1),
        )
    with pytest.raises(errors.OutOfRange):
        pmi_register(person=person, destination_country="MY", placement_months=0, start_date=TODAY)
