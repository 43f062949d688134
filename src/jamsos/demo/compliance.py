"""A few demo employers that fall short in the ways the generated population never does, so the
compliance list (docs/registry/compliance.md) shows every kind of case on ``make run``.

The generator already gives employers fewer workers than their size and wages below a UMK; it
always gives the mandatory programs and reports every month. Here, set-based and deterministic
(the employers with the smallest NPPs that qualify), run by ``jamsos setup_demo`` after the build:

- three medium or large employers get one wage earner each without JP (``programs_missing``);
- three other employers lose the wage reports of the snapshot month (``months_not_reported``);
  only employers whose wages did not change that month are chosen, so no ``wage_changed`` event
  points at a month without a report.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef

from jamsos.legal.periods import Period
from jamsos.membership.models import EventKind, Membership, MembershipEvent, Status, WageReport

CASES = 3


def demo_compliance_cases(as_of_period: Period) -> dict[str, int]:
    """Make the cases; returns how many rows changed of each kind."""
    pu_active = Membership.objects.filter(segment="PU", status=Status.ACTIVE)
    big = list(
        pu_active.filter(employer__size__in=("medium", "large"), programs__contains="JP")
        .values("employer_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .order_by("employer__npp")
        .values_list("employer_id", flat=True)[:CASES]
    )
    without_jp = [
        pu_active.filter(employer_id=employer_id).order_by("pk").values_list("pk", flat=True)[0]
        for employer_id in big
    ]
    changed = Membership.objects.filter(pk__in=without_jp).update(programs="JKK,JKM,JHT")
    month = str(as_of_period)
    changed_that_month = MembershipEvent.objects.filter(
        membership__employer_id=OuterRef("membership__employer_id"),
        kind=EventKind.WAGE_CHANGED,
        data__period=month,
    )
    silent = list(
        WageReport.objects.filter(period=month, membership__segment="PU")
        .exclude(membership__employer_id__in=big)
        .annotate(changed=Exists(changed_that_month))
        .filter(changed=False)
        .order_by("membership__employer__npp")
        .values_list("membership__employer_id", flat=True)
        .distinct()[:CASES]
    )
    removed, _ = WageReport.objects.filter(
        period=month, membership__employer_id__in=silent
    ).delete()
    return {"programs_missing": changed, "months_not_reported": removed}
