"""Reading people, employers and memberships, always within the caller's scope.

Every function takes the caller's :class:`~jamsos.access.scope.Scope` first and returns only what
that scope may see (docs/registry/access.md). A record outside the scope is reported exactly as
a record that does not exist, so a guessed NIK, KPJ, NPP or id tells nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import StrIndex, Substr

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
    Person,
    WageReport,
)

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


#: Names read at a time, in name order, when looking for the first ones in scope.
SEARCH_CHUNK = 500
#: A first word shorter than this is looked for later in the names by reading them in order.
SHORT_WORD = 3


def person_search(scope: Scope, *, name: str, limit: int = SEARCH_LIMIT) -> list[Person]:
    """Visible people whose name holds every word of ``name`` (accents and case ignored), A–Z.

    The first word is matched at the start of a word of the name. The first ``limit`` in name
    order are the first ``limit`` of two smaller searches put together:

    - names *starting* with the word, read in name order from the ``(search_name, nik)`` index
      :data:`SEARCH_CHUNK` at a time and checked against the scope, until ``limit`` are found
      (a common first name matches tens of thousands of people: they are never all read);
    - names holding the word later (`` siti``): on PostgreSQL through a trigram index of the
      words after the first (migration ``membership.0007``), so that the people whose *first*
      name it is are not candidates there; a word of one or two letters, later in a good share
      of all names, by reading the names in order as above.

    A third query orders the two handfuls.
    """
    words = search_name_of(name).split()
    if not words:
        return []
    first, *rest = words
    visible = people_visible(scope)
    for word in rest:
        visible = visible.filter(search_name__contains=word)
    order = ("search_name", "nik")
    upper = first[:-1] + chr(ord(first[-1]) + 1)
    starting = Person.objects.filter(search_name__gte=first, search_name__lt=upper)
    found = set(
        _first_in_order(scope, visible, starting, rest, lambda t: t.startswith(first), limit)
    )
    marker = f" {first}"
    if len(first) < SHORT_WORD:
        # A word of one or two letters ("i" of "I Made", "ni" of "Ni Luh") is later in a good
        # share of all names: they are read in name order too, until enough are found.
        everyone = Person.objects.filter(search_name__contains=marker)
        found.update(_first_in_order(scope, visible, everyone, rest, None, limit))
    else:
        # " ani siti" of "budi ani siti": the words after the first, each after its space.
        later = visible.alias(
            later_words=Substr("search_name", StrIndex("search_name", Value(" ")))
        ).filter(later_words__contains=marker)
        found.update(later.order_by(*order).values_list("pk", flat=True)[:limit])
    if not found:
        return []
    return list(
        Person.objects.filter(pk__in=found).select_related("domicile").order_by(*order)[:limit]
    )


def _visible_among(scope: Scope, visible: QuerySet[Person], pks: list[int]) -> set[int]:
    """Which of ``pks`` ``visible`` (:func:`people_visible`, perhaps narrowed) holds; the
    candidates were narrowed the same way. For a branch officer in two indexed queries (living
    in the service area; else a membership the officer sees): as one query with ``OR EXISTS``,
    PostgreSQL hashes every membership of the office (about a second at 1 million people)."""
    if scope.role != Role.BRANCH_OFFICER:
        return set(visible.filter(pk__in=pks).order_by().values_list("pk", flat=True))
    near = set(
        Person.objects.filter(pk__in=pks, domicile__regency_code__in=scope.regency_codes)
        .order_by()
        .values_list("pk", flat=True)
    )
    others = [pk for pk in pks if pk not in near]
    if others:
        near.update(
            memberships_visible(scope)
            .filter(person_id__in=others)
            .order_by()
            .values_list("person_id", flat=True)
        )
    return near


def _first_in_order(
    scope: Scope,
    visible: QuerySet[Person],
    candidates: QuerySet[Person],
    rest: list[str],
    test: Callable[[str], bool] | None,
    limit: int,
) -> list[int]:
    """The first ``limit`` of ``candidates`` in name order that hold every word of ``rest``,
    whose name passes ``test`` (when given) and that ``scope`` may see: read from
    the ``(search_name, nik)`` index :data:`SEARCH_CHUNK` at a time, the scope checked on each
    chunk, until enough are found."""
    for word in rest:
        candidates = candidates.filter(search_name__contains=word)
    candidates = candidates.order_by("search_name", "nik")
    everyone = scope.role == Role.ADMIN
    found: list[int] = []
    offset = 0
    while len(found) < limit:
        chunk = list(candidates.values_list("pk", "search_name")[offset : offset + SEARCH_CHUNK])
        matching = [pk for pk, text in chunk if test is None or test(text)]
        if matching and not everyone:
            allowed = _visible_among(scope, visible, matching)
            matching = [pk for pk in matching if pk in allowed]
        found.extend(matching)
        if len(chunk) < SEARCH_CHUNK:
            break
        offset += SEARCH_CHUNK
    return found[:limit]


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
