"""Reading people, employers and memberships, always within the caller's scope.

Every function takes the caller's :class:`~jamsos.access.scope.Scope` first and returns only what
that scope may see (docs/registry/access.md). A record outside the scope is reported exactly as
a record that does not exist, so a guessed NIK, KPJ, NPP or id tells nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import NullIf, StrIndex, Substr

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.core.errors import ApplicationError
from jamsos.core.identifiers import compact_identifier, is_ascii_digits
from jamsos.core.masking import mask_nik
from jamsos.legal.contribution import contribution
from jamsos.legal.periods import Period
from jamsos.legal.types import ContributionInput, Segment
from jamsos.membership.checks import search_name_of
from jamsos.membership.errors import (
    EmployerNotFound,
    InvalidNik,
    MembershipNotFound,
    PersonIdNotFound,
    PersonNotFound,
)
from jamsos.membership.identifiers import nik_compact
from jamsos.membership.models import (
    Employer,
    Membership,
    MembershipEvent,
    NameOrder,
    Person,
    WageReport,
)
from jamsos.registry.models import Region

SEARCH_LIMIT = 50


# --- scope filters -----------------------------------------------------------------------------


def in_partner_regions(scope: Scope, prefix: str = "") -> Q:
    """People (``prefix`` the path to a person, e.g. ``"person__"``) living in the partner's
    agreement regions (``Scope.partner_region_codes``: a province, regency, district or village
    each). A partner without regions matches nobody (never "everywhere")."""
    codes = sorted(scope.partner_region_codes)
    where = f"{prefix}domicile__"
    return (
        Q(**{f"{where}province_code__in": codes})
        | Q(**{f"{where}regency_code__in": codes})
        | Q(**{f"{where}district_code__in": codes})
        | Q(**{f"{where}code__in": codes})
    )


def memberships_visible(scope: Scope) -> QuerySet[Membership]:
    """The memberships the scope may see."""
    query = Membership.objects.all()
    role = scope.role
    if role == Role.ADMIN:
        return query
    # A role without the record it is bound to sees nothing (never "IS NULL").
    if role == Role.BRANCH_OFFICER and scope.branch_office_id is not None:
        return query.filter(branch_office_id=scope.branch_office_id)
    if role == Role.EMPLOYER_USER and scope.employer_id is not None:
        return query.filter(employer_id=scope.employer_id)
    if role == Role.WORKER and scope.person_id is not None:
        return query.filter(person_id=scope.person_id)
    if role == Role.PARTNER_USER and scope.partner_ref:
        # What the partner registered, of people living in its regions: registering someone
        # elsewhere never widens what it sees.
        return query.filter(in_partner_regions(scope, "person__"), partner_ref=scope.partner_ref)
    return query.none()


def people_visible(scope: Scope) -> QuerySet[Person]:
    """The people the scope may see: through a visible membership, or (branch officer) living
    in the office's service area."""
    query = Person.objects.all()
    role = scope.role
    if role == Role.ADMIN:
        return query
    if role == Role.WORKER:
        return query.filter(pk=scope.person_id) if scope.person_id is not None else query.none()
    if role not in {Role.BRANCH_OFFICER, Role.EMPLOYER_USER, Role.PARTNER_USER}:
        return query.none()
    through = Exists(memberships_visible(scope).filter(person_id=OuterRef("pk")))
    if role == Role.BRANCH_OFFICER:
        return query.filter(Q(domicile__regency_code__in=scope.regency_codes) | through)
    if role == Role.PARTNER_USER:
        return query.filter(in_partner_regions(scope), through)
    return query.filter(through)


def employers_visible(scope: Scope) -> QuerySet[Employer]:
    """The employers the scope may see."""
    query = Employer.objects.all()
    role = scope.role
    if role == Role.ADMIN:
        return query
    if role == Role.BRANCH_OFFICER and scope.branch_office_id is not None:
        return query.filter(branch_office_id=scope.branch_office_id)
    if role == Role.EMPLOYER_USER and scope.employer_id is not None:
        return query.filter(pk=scope.employer_id)
    if role == Role.WORKER and scope.person_id is not None:
        return query.filter(
            Exists(Membership.objects.filter(employer_id=OuterRef("pk"), person_id=scope.person_id))
        )
    return query.none()


# --- single records ----------------------------------------------------------------------------


def person_get_by_nik(scope: Scope, *, nik: str) -> Person:
    compact = nik_compact(nik)
    if not compact.isascii():
        raise InvalidNik(value=nik, problem_code="script")
    person = people_visible(scope).select_related("domicile").filter(nik=compact).first()
    if person is None:
        raise PersonNotFound(nik=mask_nik(compact))
    return person


def registered_identity_proven(*, nik: str, name: str | None, birth_date: date | None) -> bool:
    """Whether a person with this NIK is registered *and* the name and birth date given are
    the record's. Nothing else of the record comes out: whoever does not hold the person's
    name and birth date learns nothing, not even that the NIK is registered (the NIK itself
    encodes the birth date but for its century, so the name is asked too)."""
    if not name or birth_date is None:
        return False
    found = (
        Person.objects.filter(nik=nik_compact(nik)).values_list("search_name", "birth_date").first()
    )
    return found is not None and found == (search_name_of(name), birth_date)


def person_get(scope: Scope, *, pk: int) -> Person:
    person = people_visible(scope).select_related("domicile").filter(pk=pk).first()
    if person is None:
        raise PersonIdNotFound(id=pk)
    return person


def kpj_compact(kpj: str) -> str:
    return compact_identifier(kpj)


def membership_get_by_kpj(scope: Scope, *, kpj: str) -> Membership:
    text = kpj_compact(kpj)
    membership = (
        memberships_visible(scope)
        .select_related("person", "employer", "project", "placement", "branch_office")
        .filter(kpj=text)
        .first()
    )
    if membership is None:
        raise MembershipNotFound(kpj=text)
    return membership


def employer_get_by_npp(scope: Scope, *, npp: str) -> Employer:
    text = compact_identifier(npp)
    employer = (
        employers_visible(scope)
        .select_related("branch_office", "address_village")
        .filter(npp=text)
        .first()
    )
    if employer is None:
        raise EmployerNotFound(npp=text)
    return employer


# --- lists and search --------------------------------------------------------------------------


def _scope_parts(scope: Scope) -> tuple[list[QuerySet[Person]], QuerySet[Person]]:
    """:func:`people_visible` as querysets whose union is exactly the scope, each a condition
    the name index can check as it is read, and as one queryset (the union) for the searches
    that read a few thousand rows and sort them. A branch officer's scope is two parts: people
    living in the service area (their villages as a list: checked on the index's
    ``domicile_id`` without reading a row) and people holding a membership of the office (an
    index-only probe of ``(person, branch_office)`` per name read). As one ``OR EXISTS`` read
    in name order, PostgreSQL hashes every membership of the office first (about 0.2 s for
    90,000)."""
    if scope.role == Role.BRANCH_OFFICER and scope.branch_office_id is not None:
        villages = list(
            Region.objects.filter(regency_code__in=sorted(scope.regency_codes))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        held = Exists(
            Membership.objects.filter(
                person_id=OuterRef("pk"), branch_office_id=scope.branch_office_id
            )
        )
        if not villages:
            return [Person.objects.filter(held)], Person.objects.filter(held)
        living = Q(domicile_id__in=villages)
        return (
            [Person.objects.filter(living), Person.objects.filter(held)],
            Person.objects.filter(living | held),
        )
    visible = people_visible(scope)
    return [visible], visible


def _first_of_each(searches: list[QuerySet[Any, Any]]) -> list[tuple[int, str, str]]:
    """The rows of every (sliced, ordered) search in one round trip: each a subquery of a
    ``UNION ALL`` (each keeps its own order and limit: SQLite refuses both in the arms of a
    compound query, not in a subquery); a search that can find nobody is left out."""
    arms: list[str] = []
    params: list[Any] = []
    for search in searches:
        try:
            sql, arm_params = search.query.sql_with_params()
        except EmptyResultSet:
            continue
        arms.append(f"SELECT * FROM ({sql}) AS arm{len(arms)}")
        params.extend(arm_params)
    if not arms:
        return []
    with connections[searches[0].db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(arms), params)
        return [(pk, text, nik) for pk, text, nik in cursor.fetchall()]


def person_search(scope: Scope, *, name: str, limit: int = SEARCH_LIMIT) -> list[Person]:
    """Visible people whose name holds every word of ``name`` (accents and case ignored), A–Z.

    The first word is matched at the start of a word of the name. The first ``limit`` in name
    order (:class:`NameOrder`, then NIK) are the first ``limit`` of smaller searches put
    together, each stopped at ``limit``:

    - names *starting* with the word, for each part of the scope (:func:`_scope_parts`): a
      range of the name index read in its order, the scope and the other words checked on the
      index entries (a common first name matches tens of thousands of people: they are never
      all read);
    - names holding the word later (`` siti``), in the whole scope: on PostgreSQL through a
      trigram index of the words after the first (migration ``membership.0008``), so that the
      people whose *first* name it is are not candidates there.

    All of them are one query (:func:`_first_of_each`); a last one reads the people found, in
    order.
    """
    words = search_name_of(name).split()
    if not words or limit <= 0:
        return []
    first, *rest = words
    upper = first[:-1] + chr(ord(first[-1]) + 1)
    marker = f" {first}"
    parts, whole = _scope_parts(scope)
    searches: list[QuerySet[Any, Any]] = []
    for part in parts:
        for word in rest:
            part = part.filter(search_name__contains=word)
        starting = part.alias(name_order=NameOrder("search_name")).filter(
            name_order__gte=first, name_order__lt=upper
        )
        rows = starting.order_by("name_order", "nik").values_list("pk", "search_name", "nik")
        searches.append(rows[:limit])
    for word in rest:
        whole = whole.filter(search_name__contains=word)
    # " ani siti" of "budi ani siti", NULL for a name of one word: the expression of the
    # trigram index (migration membership.0008).
    later = whole.alias(
        later_words=Substr("search_name", NullIf(StrIndex("search_name", Value(" ")), Value(0)))
    ).filter(later_words__contains=marker)
    # The later words in the column's own order, which no index holds: PostgreSQL then takes
    # the trigram index and sorts what it found (a few thousand names at most for a common
    # first name, 37,000 for "a" at 1 million people) rather than reading the name index in
    # order, which reads every name when fewer than ``limit`` are in scope. The two orders are
    # the same for these ASCII names (NameOrder).
    searches.append(
        later.order_by("search_name", "nik").values_list("pk", "search_name", "nik")[:limit]
    )
    keys = {pk: (text, nik) for pk, text, nik in _first_of_each(searches)}
    if not keys:
        return []
    chosen = sorted(keys, key=keys.__getitem__)[:limit]
    return list(
        Person.objects.filter(pk__in=chosen)
        .select_related("domicile")
        .alias(name_order=NameOrder("search_name"))
        .order_by("name_order", "nik")
    )


@dataclass(frozen=True)
class WorkerSearch:
    """What a search box found: how the text was read, and the people."""

    kind: str  # nik, kpj, name, empty
    people: list[Person]


def worker_search(scope: Scope, *, text: str, limit: int = SEARCH_LIMIT) -> WorkerSearch:
    """Find workers by NIK (16 digits), KPJ (11 digits) or name, within the scope.

    The number is read as ``jamsos.core.identifiers`` reads it (fullwidth digits, spaces and
    zero-width characters make the same number); a digit of another script is refused
    (:class:`InvalidNik`, problem ``script``), never searched as a different number.
    """
    compact = compact_identifier(text)
    if any(not char.isascii() and char.isdigit() for char in compact):
        raise InvalidNik(value=text, problem_code="script")
    if is_ascii_digits(compact) and len(compact) == 16:
        found = people_visible(scope).select_related("domicile").filter(nik=compact)
        return WorkerSearch("nik", list(found))
    if is_ascii_digits(compact) and len(compact) == 11:
        membership = memberships_visible(scope).filter(kpj=compact).values("person_id").first()
        if membership is None:
            return WorkerSearch("kpj", [])
        found = people_visible(scope).select_related("domicile").filter(pk=membership["person_id"])
        return WorkerSearch("kpj", list(found))
    if not (text or "").strip():
        return WorkerSearch("empty", [])
    return WorkerSearch("name", person_search(scope, name=text, limit=limit))


def membership_list(
    scope: Scope,
    *,
    segment: str | None = None,
    status: str | None = None,
    employer_id: int | None = None,
    person_id: int | None = None,
    search: str = "",
) -> QuerySet[Membership]:
    """Visible memberships, newest first, with what a list shows; ``search`` keeps those whose
    person's name contains it or whose KPJ starts with it."""
    query = memberships_visible(scope)
    if search:
        query = query.filter(Q(person__name__icontains=search) | Q(kpj__startswith=search))
    if segment:
        query = query.filter(segment=segment)
    if status:
        query = query.filter(status=status)
    if employer_id is not None:
        query = query.filter(employer_id=employer_id)
    if person_id is not None:
        query = query.filter(person_id=person_id)
    return query.select_related("person", "employer", "branch_office").order_by(
        "-start_date", "-id"
    )


def membership_list_for_person(scope: Scope, *, person: Person) -> QuerySet[Membership]:
    """The person's visible memberships, current first then by start date (newest first)."""
    return (
        memberships_visible(scope)
        .filter(person=person)
        .select_related("employer", "project", "placement", "branch_office")
        .order_by("status", "-start_date", "-id")
    )


def membership_events(scope: Scope, *, membership: Membership) -> QuerySet[MembershipEvent]:
    visible = memberships_visible(scope).filter(pk=membership.pk)
    return MembershipEvent.objects.filter(membership__in=visible).order_by("at", "id")


def wage_reports(scope: Scope, *, membership: Membership) -> QuerySet[WageReport]:
    visible = memberships_visible(scope).filter(pk=membership.pk)
    return WageReport.objects.filter(membership__in=visible).order_by("-period")


# --- Jakon and PMI: what the billing run bills them ------------------------------------------


def segment_contribution_idr(
    segment: Segment,
    start_date: date,
    *,
    contract_value_idr: int | None = None,
    placement_months: int | None = None,
) -> int | None:
    """The contribution the billing run of the start month bills a construction project (on
    its contract value, by band) or a placement (the PMI package), by the legal engine; None
    when the month is past the legal parameters known."""
    try:
        breakdown = contribution(
            ContributionInput(
                segment=segment,
                period=Period(start_date.year, start_date.month),
                contract_value_idr=contract_value_idr,
                placement_months=placement_months,
            )
        )
    except ApplicationError:
        return None
    return breakdown.totals.total_idr
