"""Claims for the demo: every program in every state, so a new user sees the claims desk at
work (docs/claims.md "Demo").

``demo_claims_build`` takes people of the demo population whose months are paid (the demo's
billing) and files claims through the claims services as of May 2025: JKM and JKK deaths by an
heir, JKK disabilities and the demo worker's own temporary incapacity, full JHT withdrawals
after leaving work, JP lump sums; then moves them through the workflow so that each program has
a claim submitted, verified, approved, paid and rejected. JKP needs 12 paid months in the 24
before the job loss and the demo bills five: the few members who lose their job in the demo
are members since before December 2023 whose earlier months are paid
(:func:`jamsos.demo.billing.demo_history_build`, the 12 months before the demo's billing).
Idempotent: it does nothing when demo claims exist. A few dozen claims, a few seconds.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count
from django.utils import timezone

from jamsos.access.models import UserAccess
from jamsos.access.scope import Scope
from jamsos.billing.models import InvoiceLine
from jamsos.claims.errors import ClaimsError
from jamsos.claims.models import Claim
from jamsos.claims.rules import DOCUMENTS
from jamsos.claims.services.documents import document_add
from jamsos.claims.services.intake import ClaimInput, claim_submit
from jamsos.claims.services.payment import claim_pay
from jamsos.claims.services.workflow import claim_approve, claim_reject, claim_verify
from jamsos.demo.billing import PERIODS, demo_history_build
from jamsos.membership.models import Membership

OPERATOR = Scope.operator("demo")
SECOND = Scope.operator("demo-kedua")
TODAY = date(2025, 5, 20)
#: A small, whole PDF: the demo's stand-in for every scanned document.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
STATES = ("submitted", "verified", "approved", "paid", "rejected")
#: (program, case, heir relationship, extra input) filed for each state.
CASES: tuple[tuple[str, str, str, dict[str, Any]], ...] = (
    ("JKM", "death", "spouse", {"children": ["SD"]}),
    ("JKK", "death", "spouse", {}),
    ("JKK", "partial_disability", "", {"disability_percent": 35}),
    ("JKK", "temporary_disability", "", {"months_unable": 2}),
    ("JKK", "total_permanent_disability", "", {}),
    ("JHT", "full", "", {"ground": "stopped_work"}),
    ("JP", "death", "spouse", {}),
)
#: JKP job losses, one for each state, filed by members with the paid history it needs.
JKP_CASE: tuple[str, str, str, dict[str, Any]] = ("JKP", "job_loss", "", {})
#: Members since at least this day can have the paid history before the demo's billing.
HISTORY_FROM = date(2023, 12, 1)


def _job_losers(count: int, exclude: set[int]) -> list[Membership]:
    """PU members with JKK, JKM and JHT since before the history, whose demo months are paid."""
    paid = (
        InvoiceLine.objects.filter(
            paid_on__isnull=False,
            membership__segment="PU",
            membership__status="active",
            membership__start_date__lte=HISTORY_FROM,
            period__in=PERIODS[:4],
        )
        .values("membership_id")
        .annotate(n=Count("period", distinct=True))
        .filter(n__gte=4)
        .order_by("membership_id")
        .values_list("membership_id", flat=True)[: count * 20]
    )
    rows = (
        Membership.objects.filter(pk__in=list(paid))
        .filter(programs__contains="JKK")
        .filter(programs__contains="JKM")
        .filter(programs__contains="JHT")
        .exclude(person_id__in=exclude)
        .select_related("person")
        .order_by("id")
    )
    chosen: list[Membership] = []
    seen: set[int] = set(exclude)
    for membership in rows:
        if membership.person_id not in seen:
            seen.add(membership.person_id)
            chosen.append(membership)
        if len(chosen) == count:
            break
    return chosen


def _people(count: int, exclude: set[int]) -> list[Membership]:
    paid = (
        InvoiceLine.objects.filter(
            paid_on__isnull=False, membership__segment="PU", membership__status="active"
        )
        .values("membership_id")
        .annotate(n=Count("period", distinct=True))
        .filter(n__gte=3)
        .order_by("membership_id")
        .values_list("membership_id", flat=True)[: count * 20]
    )
    rows = (
        Membership.objects.filter(pk__in=list(paid), programs__contains="JP")
        .exclude(person_id__in=exclude)
        .select_related("person")
        .order_by("id")
    )
    chosen: list[Membership] = []
    seen: set[int] = set()
    for membership in rows:
        if membership.person_id not in seen:
            seen.add(membership.person_id)
            chosen.append(membership)
        if len(chosen) == count:
            break
    return chosen


def _input(
    m: Membership, program: str, case: str, relationship: str, extra: dict[str, Any], n: int
) -> ClaimInput:
    claimant = f"Ahli Waris {m.person.name}"[:120] if relationship else m.person.name
    return ClaimInput(
        nik=m.person.nik,
        program=program,
        case=case,
        event_date=date(2025, 4, 2),
        claimant_name=claimant,
        relationship=relationship,
        bank_code="014",
        account_number=f"{7000000000 + n}",
        account_name=claimant,
        **extra,
    )


def _advance(claim: Claim, state: str, at: datetime) -> None:
    if state == "submitted":
        return
    if state == "rejected":
        claim_reject(
            OPERATOR, claim.number, reason="Dokumen tidak sesuai dengan data peserta", now=at
        )
        return
    for kind in DOCUMENTS.get((claim.program, claim.case), ()):
        document_add(OPERATOR, claim.number, kind=kind, name=f"{kind}.pdf", content=PDF, now=at)
    claim_verify(OPERATOR, claim.number, now=at)
    if state == "verified":
        return
    claim = claim_approve(OPERATOR, claim.number, now=at)
    if claim.needs_second_approval:
        claim_approve(SECOND, claim.number, now=at + timedelta(hours=1))
    if state == "paid":
        claim_pay(
            OPERATOR,
            claim.number,
            idempotency_key=f"demo-{claim.number}",
            paid_on=TODAY,
            now=at + timedelta(hours=2),
        )


def demo_claims_build() -> dict[str, Any]:
    """File and move the demo's claims; a summary. Does nothing when demo claims exist."""
    if Claim.objects.filter(submitted_by="demo").exists():
        return {"claims": "already built"}
    worker = UserAccess.objects.filter(user__username="demo-peserta").first()
    exclude = {worker.person_id} if worker and worker.person_id else set()
    people = _people(len(CASES) * len(STATES), exclude)
    losers = _job_losers(len(STATES), exclude | {m.person_id for m in people})
    history = demo_history_build([m.pk for m in losers])
    # Each case in every state, one member each; then the job losses, one in every state.
    plan = [(case, state) for case in CASES for state in STATES][: len(people)]
    filings = [(c, s, m) for (c, s), m in zip(plan, people, strict=True)]
    filings += [(JKP_CASE, s, m) for s, m in zip(STATES, losers, strict=False)]
    made: dict[str, int] = {}
    refused: list[str] = []
    base = timezone.make_aware(datetime.combine(date(2025, 5, 5), time(9, 0)))
    for n, ((program, case, relationship, extra), state, m) in enumerate(filings, start=1):
        at = base + timedelta(hours=n)
        try:
            claim = claim_submit(
                OPERATOR, _input(m, program, case, relationship, extra, n), today=TODAY, now=at
            )
            _advance(claim, state, at + timedelta(hours=3))
        except ClaimsError as error:
            refused.append(f"{program} {case}: {error.message_in('en')}")
            continue
        made[state] = made.get(state, 0) + 1
    if worker is not None and worker.person_id:
        own = Membership.objects.filter(person_id=worker.person_id, segment="PU").first()
        if own is not None:
            try:
                claim_submit(
                    Scope.operator("demo"),
                    _input(own, "JKK", "temporary_disability", "", {"months_unable": 1}, 999),
                    today=TODAY,
                    now=base,
                )
                made["worker's own"] = 1
            except ClaimsError as error:
                refused.append(f"worker: {error.message_in('en')}")
    out: dict[str, Any] = {f"claims {k}": v for k, v in made.items()}
    out["paid months before the demo's billing"] = history
    out["claims by program"] = dict(
        Claim.objects.values_list("program").annotate(n=Count("id")).order_by("program")
    )
    if refused:
        out["claims refused"] = refused[:20]
    return out


__all__ = ["demo_claims_build"]
