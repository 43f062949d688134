"""Reading people and memberships."""

from __future__ import annotations

from django.db.models import QuerySet

from jamsos.membership.checks import search_name_of
from jamsos.membership.errors import MembershipNotFound, PersonNotFound
from jamsos.membership.identifiers import mask_nik, nik_compact
from jamsos.membership.models import Membership, Person

SEARCH_LIMIT = 50


def person_get_by_nik(*, nik: str) -> Person:
    compact = nik_compact(nik)
    person = Person.objects.select_related("domicile").filter(nik=compact).first()
    if person is None:
        raise PersonNotFound(nik=mask_nik(compact))
    return person


def membership_get_by_kpj(*, kpj: str) -> Membership:
    text = str(kpj).replace(" ", "").replace("-", "").replace(".", "")
    membership = (
        Membership.objects.select_related("person", "employer", "project", "placement")
        .filter(kpj=text)
        .first()
    )
    if membership is None:
        raise MembershipNotFound(kpj=text)
    return membership


def person_search(*, name: str, limit: int = SEARCH_LIMIT) -> list[Person]:
    """People whose name holds every word of ``name`` (accents and case ignored), A–Z.

    The first word is matched at the start of a word of the name; on a million people this is a
    scan of ``search_name``, fine for a desk and the admin, not for an autocomplete.
    """
    words = search_name_of(name).split()
    if not words:
        return []
    query = Person.objects.all()
    first, *rest = words
    query = query.filter(search_name__startswith=first) | query.filter(
        search_name__contains=f" {first}"
    )
    for word in rest:
        query = query.filter(search_name__contains=word)
    return list(query.order_by("search_name", "nik")[:limit])


def membership_list_for_person(*, person: Person) -> QuerySet[Membership]:
    """All the person's memberships, current first then by start date (newest first)."""
    return (
        Membership.objects.filter(person=person)
        .select_related("employer", "project", "placement")
        .order_by("status", "-start_date", "-id")
    )
