from collections import Counter
from datetime import date

import lokal
import pytest
from django.core.management import call_command
from django.db.models import Max

from jamsos.demo.population import calibration as cal
from jamsos.demo.population import demo_population_build, demo_population_remove
from jamsos.legal.types import EmployerSize, Segment
from jamsos.membership import errors
from jamsos.membership.identifiers import kpj_is_valid, npp_is_valid, npwp_normalise
from jamsos.membership.models import (
    BranchOffice,
    DemoPopulation,
    Employer,
    EventKind,
    Membership,
    MembershipEvent,
    Person,
    WageReport,
)
from jamsos.membership.programs import programs_for
from jamsos.membership.services import bpu_self_register, pu_worker_register, validate_people
from jamsos.membership.tests.factories import person_create
from jamsos.membership.tests.fixtures import TODAY


def build(workers=2_000, seed=1, **kwargs):
    return demo_population_build(workers=workers, seed=seed, progress=False, **kwargs)


def snapshot():
    """The generated content, without ids and allocated serials (KPJ, NPP)."""
    people = sorted(
        Person.objects.values_list("nik", "name", "birth_date", "sex", "phone", "domicile_id")
    )
    memberships = sorted(
        Membership.objects.values_list(
            "person__nik", "segment", "programs", "start_date", "end_date", "end_reason",
            "declared_income_idr", "ecosystem", "channel", "sponsor_kind",
        )
    )  # fmt: skip
    wages = sorted(WageReport.objects.values_list("membership__person__nik", "period", "wage_idr"))
    return people, memberships, wages


@pytest.fixture
def demo(regions):
    return build()


def test_demo_counts_add_up(demo):
    # then
    assert demo["status"] == "built"
    assert demo["people"] == Person.objects.count() == 2_000
    by_segment = sum(c["active"] + c["ended"] for c in demo["memberships"].values())
    assert by_segment == Membership.objects.count() == 2_000
    assert MembershipEvent.objects.filter(kind=EventKind.STARTED).count() == 2_000
    assert DemoPopulation.objects.get().summary["rows"] == demo["rows"]


def test_demo_niks_are_valid_and_consistent(demo):
    # The only reason validate_people finds is that everyone is registered already.
    people = list(Person.objects.values("nik", "name", "birth_date", "sex", "phone"))
    result = validate_people(people, today=TODAY)
    codes = Counter(reason.code for reasons in result.reasons.values() for reason in reasons)
    assert codes == {"membership.duplicate_nik": 2_000}
    assert all(lokal.parse_phone(p["phone"]).valid for p in people if p["phone"])
    assert 0.85 < sum(1 for p in people if p["phone"]) / len(people) < 0.95


def test_demo_nik_district_is_mostly_where_people_live(demo, regions):
    home = Person.objects.filter(nik__startswith="320405", domicile__code__startswith="32.04.05")
    assert home.count() / Person.objects.count() > 0.5


def test_demo_identifiers_have_valid_check_digits(demo):
    assert all(kpj_is_valid(k) for k in Membership.objects.values_list("kpj", flat=True))
    for npp, npwp in Employer.objects.values_list("npp", "npwp"):
        assert npp_is_valid(npp)
        assert npwp_normalise(npwp) == npwp


def test_demo_segment_shares_match_the_calibration(regions):
    build(workers=6_000)
    active = Counter(Membership.objects.filter(status="active").values_list("segment", flat=True))
    total = sum(active.values())
    for segment, share in cal.active_segment_shares().items():
        assert active[segment.value] / total == pytest.approx(share, abs=0.03), segment
    ended = Membership.objects.filter(status="ended").count() / Membership.objects.count()
    expected = cal.INACTIVE_DEC_2023 / (cal.INACTIVE_DEC_2023 + cal.ACTIVE_DEC_2023)
    assert ended == pytest.approx(expected, abs=0.03)
    sizes = Counter(Employer.objects.exclude(sector="F").values_list("size", flat=True))
    assert sizes["micro"] / sum(sizes.values()) == pytest.approx(0.807, abs=0.06)


def test_demo_programs_obey_the_law_at_their_start(demo):
    for segment, programs, start, size in Membership.objects.values_list(
        "segment", "programs", "start_date", "employer__size"
    ).distinct():
        chosen = programs_for(
            segment=Segment(segment),
            on=start,
            chosen=programs.split(","),
            employer_size=EmployerSize(size) if segment == "PU" else None,
        )
        assert ",".join(p.value for p in cal_order(chosen)) == programs
    assert not Membership.objects.filter(segment="BPU", programs__contains="JP").exists()


def cal_order(programs):
    from jamsos.membership.models import PROGRAM_ORDER

    return [p for p in PROGRAM_ORDER if p in programs]


def test_demo_history_wages_and_ends(demo):
    pu = Membership.objects.filter(segment="PU")
    reports = Counter(WageReport.objects.values_list("membership_id", flat=True))
    assert set(reports) == set(pu.values_list("id", flat=True))
    assert max(reports.values()) == cal.WAGE_MONTHS
    active_last = pu.filter(status="active").annotate(last=Max("wage_reports__period"))
    assert set(active_last.values_list("last", flat=True)) == {"2025-02"}
    for end, last in (
        pu.filter(status="ended")
        .annotate(last=Max("wage_reports__period"))
        .values_list("end_date", "last")[:200]
    ):
        assert last == f"{end:%Y-%m}"
    ended = Membership.objects.filter(status="ended")
    assert MembershipEvent.objects.filter(kind=EventKind.ENDED).count() == ended.count()
    assert set(ended.values_list("end_reason", flat=True)) <= {
        "resignation", "phk", "death", "retirement", "term_ended", "other",
    }  # fmt: skip
    assert MembershipEvent.objects.filter(kind=EventKind.WAGE_CHANGED).exists()
    assert not Membership.objects.filter(end_date__gt=cal.AS_OF).exists()
    assert not Membership.objects.filter(start_date__gt=cal.AS_OF).exists()


def test_demo_wages_are_plausible(demo):
    wages = sorted(WageReport.objects.filter(period="2025-02").values_list("wage_idr", flat=True))
    median = wages[len(wages) // 2]
    assert 2_000_000 < median < 6_000_000
    above_jp_cap = sum(1 for w in wages if w > 10_547_400) / len(wages)
    assert 0.005 < above_jp_cap < 0.15
    assert min(wages) >= cal.WAGE_MIN


def test_demo_is_deterministic_and_idempotent(regions):
    # given
    first = build(workers=500, seed=7)
    content = snapshot()
    # when: the same again does nothing
    again = build(workers=500, seed=7)
    # then
    assert again["status"] == "exists"
    assert again["same_parameters"] is True
    assert Person.objects.count() == 500
    # when: rebuilt with the same seed
    replaced = build(workers=500, seed=7, replace=True)
    # then: the same people, memberships and wages (KPJ and NPP serials move on)
    assert replaced["status"] == "replaced"
    assert replaced["removed"]["people"] == 500
    assert snapshot() == content
    assert first["rows"] == replaced["rows"]
    # and another seed gives another population
    build(workers=500, seed=8, replace=True)
    assert snapshot()[0] != content[0]


def test_existing_population_with_other_parameters_is_kept(regions):
    build(workers=300, seed=1)
    summary = build(workers=400, seed=2)
    assert (summary["status"], summary["same_parameters"]) == ("exists", False)
    assert Person.objects.count() == 300


def test_services_keep_working_after_the_demo(demo, regions):
    # given: a registration after the bulk load gets fresh ids and serials
    person = person_create(domicile=regions.cileunyi_kulon, serial=7_000, sex="F", name="Ani")
    employer = Employer.objects.filter(size="large").first()
    # when
    membership = pu_worker_register(
        employer=employer, person=person, wage_idr=6_000_000, start_date=date(2025, 1, 6)
    )
    # then
    demo_kpjs = Membership.objects.filter(source="demo", kpj__startswith="25")
    assert int(membership.kpj[2:10]) > max(
        int(k[2:10]) for k in demo_kpjs.values_list("kpj", flat=True)
    )
    assert membership.pk > Membership.objects.filter(source="demo").aggregate(m=Max("id"))["m"]


def test_remove_keeps_what_was_registered_through_the_services(branch_office, demo, regions):
    # given
    person = person_create(domicile=regions.cileunyi_kulon, serial=7_001, name="Tetap Ada")
    bpu_self_register(person=person, declared_income_idr=1_000_000, today=TODAY)
    # when
    removed = demo_population_remove()
    # then
    assert removed["people"] == 2_000
    assert list(Person.objects.values_list("name", flat=True)) == ["Tetap Ada"]
    assert Membership.objects.count() == 1
    assert list(BranchOffice.objects.values_list("code", flat=True)) == ["KC3204"]
    assert not DemoPopulation.objects.exists()


def test_demo_branch_offices_serve_every_regency(demo, regions):
    # The fixtures' office serves Bandung; the demo makes one for Bulungan only.
    demo_offices = BranchOffice.objects.filter(is_demo=True)
    served = {r for o in demo_offices for r in o.service_area.values_list("code", flat=True)}
    assert served == {"65.01"}
    for employer in Employer.objects.select_related("branch_office", "address_village"):
        area = set(employer.branch_office.service_area.values_list("code", flat=True))
        assert employer.address_village.regency_code in area
    # Every membership is served by the office of its employer, or of its person's domicile.
    for membership in Membership.objects.select_related("employer", "person__domicile"):
        if membership.employer is not None:
            assert membership.branch_office_id == membership.employer.branch_office_id
        else:
            area = membership.branch_office.service_area.values_list("code", flat=True)
            assert membership.person.domicile.regency_code in set(area)


def test_orm_writer_gives_the_same_population(regions):
    build(workers=300, seed=3, method="orm")
    content = snapshot()
    build(workers=300, seed=3, replace=True)
    assert snapshot() == content


def test_demo_needs_regions(db):
    with pytest.raises(errors.DemoRegionsMissing):
        build(workers=10)
    with pytest.raises(errors.DemoTooSmall):
        build(workers=0)


def test_demo_command(regions, capsys):
    call_command("demo", workers=120, seed=4, verbosity=0)
    assert "Demo population built: 120 people" in capsys.readouterr().out
    call_command("demo", workers=120, seed=4, verbosity=0)
    assert "already exists" in capsys.readouterr().out
    call_command("demo", remove=True)
    assert "removed" in capsys.readouterr().out
    assert not Person.objects.exists()


def test_demo_on_all_regions_spreads_people_like_the_published_figures(db):
    # given: the full 2025 edition (83,762 villages; about 2 s on SQLite)
    from jamsos.registry.services import regions_load_packaged

    regions_load_packaged()
    # when
    build(workers=5_000)
    # then: provinces hold their calibrated share of active participants
    # (the focus district's people aside: they are placed there on purpose)
    active = Counter(
        Membership.objects.filter(status="active")
        .exclude(person__domicile__district_code=cal.FOCUS_DISTRICT)
        .values_list("person__domicile__province_code", flat=True)
    )
    total = sum(active.values())
    weights = cal.province_weights()
    assert len(active) >= 35
    for code in ("31", "32", "35", "33"):
        assert active[code] / total == pytest.approx(weights[code].weight, abs=0.025), code


def test_demo_has_employers_tripping_each_compliance_rule(demo):
    from jamsos.access.scope import Scope
    from jamsos.demo.compliance import demo_compliance_cases
    from jamsos.legal.periods import Period
    from jamsos.membership.compliance import ComplianceFilter, Problem, employer_compliance

    cases = demo_compliance_cases(Period(2025, 2))  # as setup_demo does after the build
    assert cases["programs_missing"] == 3
    assert cases["months_not_reported"] > 0
    rows = employer_compliance(
        Scope.operator("test"), ComplianceFilter(period=Period(2025, 2), months=1)
    )
    seen = {problem for row in rows for problem in row.problems}
    assert {
        Problem.FEW_WORKERS,
        Problem.PROGRAMS_MISSING,
        Problem.BELOW_MINIMUM,
        Problem.MONTHS_NOT_REPORTED,
    } <= seen
    assert sum(1 for row in rows if Problem.PROGRAMS_MISSING in row.problems) == 3
    assert sum(1 for row in rows if Problem.MONTHS_NOT_REPORTED in row.problems) == 3


def test_demo_focus_district_holds_its_share_and_the_rest_spreads(db):
    # given: the full 2025 edition, which holds the focus district
    from jamsos.registry.services import regions_load_packaged

    regions_load_packaged()
    # when
    build(workers=5_000)
    # then: the planned share of people live in the focus district, the summary says so,
    # and the rest of its regency still holds people outside it
    in_focus = Person.objects.filter(domicile__district_code=cal.FOCUS_DISTRICT).count()
    planned = round(5_000 * cal.FOCUS_SHARE)
    assert abs(in_focus - planned) <= 60
    regency = cal.FOCUS_DISTRICT.rsplit(".", 1)[0]
    assert (
        Person.objects.filter(domicile__regency_code=regency)
        .exclude(domicile__district_code=cal.FOCUS_DISTRICT)
        .exists()
    )
    summary = DemoPopulation.objects.get().summary
    assert summary["focus"] == {
        "district": cal.FOCUS_DISTRICT,
        "people": planned,
        "share": cal.FOCUS_SHARE,
    }
