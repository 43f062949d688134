"""People: `/people` (list), `POST /people/search`, `/people/{id}`, `/people/{id}/full`, PATCH.

Interface only: the scoped selectors decide what the caller sees (a person outside the scope
is "not found", exactly like a number that does not exist), ``person_update`` changes and
audits, and :func:`~jamsos.access.audit.audit_record` writes each full view.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db.models import F, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction, Role
from jamsos.access.scope import Scope
from jamsos.api.auth import SIGNED_IN, caller_scope
from jamsos.api.pagination import (
    COUNT_CAP,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Key,
    Keyset,
    page_fields,
    page_of,
)
from jamsos.core.identifiers import compact_identifier
from jamsos.membership.api.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    Cursor,
    Limit,
    WithCount,
    region_for,
)
from jamsos.membership.api.schemas import (
    PersonDetailOut,
    PersonListOut,
    PersonOut,
    PersonUpdateIn,
    membership_out,
    person_out,
)
from jamsos.membership.errors import NikInAddress
from jamsos.membership.models import Person
from jamsos.membership.policy import MEMBERSHIP
from jamsos.membership.selectors import (
    membership_list_for_person,
    memberships_visible,
    people_visible,
    person_get,
    worker_search,
)
from jamsos.membership.services import person_update

router = Router(tags=["people"], auth=SIGNED_IN)

PeopleSearch = Query[
    str | None,
    {"description": "KPJ (11 digits) or name; a NIK is searched by POST /people/search"},
]
#: Newest registrations first, on the primary key.
PEOPLE_ORDER = Keyset("people", (Key("id", int, descending=True),))


@router.get(
    "/people",
    response={200: PersonListOut, **READ_ERRORS},
    summary="List or search people",
    url_name="people-list",
)
def people_list(
    request: HttpRequest,
    q: PeopleSearch = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
    with_count: WithCount = False,
) -> dict[str, Any]:
    """Without `q`: the people the caller may see, newest registrations first, a page at a
    time (follow `next`). With `q`: a search by KPJ (11 digits) or name, as `POST
    /people/search` answers it. A NIK in `q` is refused (400 `membership.nik_in_address`):
    addresses are kept in server logs, so a NIK is searched by `POST /people/search` with the
    query in the body. NIK and phone are masked.

    Analysts and accounts without a role: 403.
    """
    scope = caller_scope(request)
    MEMBERSHIP.require(scope, "person.view")
    if q is not None and q.strip():
        if _is_nik(q):
            raise NikInAddress()
        return _search(scope, q, limit)
    query = people_visible(scope).select_related("domicile")
    if scope.role not in (Role.ADMIN, Role.WORKER):
        before = PEOPLE_ORDER.decode(cursor)[0] if cursor else None
        query = query.filter(pk__in=_next_ids(scope, before=before, count=limit + 1))
    page = page_of(query, PEOPLE_ORDER, cursor=cursor, limit=limit, with_count=False)
    if with_count:
        page = replace(page, **_capped_count(people_visible(scope)))
    return {
        "items": [person_out(p) for p in page.items],
        "search": None,
        **page_fields(request, page),
    }


class PeopleSearchIn(Schema):
    q: str = Field(
        ..., max_length=120, description="NIK (16 digits), KPJ (11 digits) or words of a name"
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="People answered, at most")


@router.post(
    "/people/search",
    response={200: PersonListOut, **READ_ERRORS},
    summary="Search people by NIK, KPJ or name",
    url_name="people-search",
)
def people_search(request: HttpRequest, payload: PeopleSearchIn) -> dict[str, Any]:
    """A search by NIK (16 digits), KPJ (11 digits) or name (every word, accents and case
    ignored), the query in the body so that no NIK or name is kept in an address or a server
    log. Answers at most `limit` people, best first; `has_more` says to narrow it. NIK and
    phone are masked.

    Analysts and accounts without a role: 403.
    """
    scope = caller_scope(request)
    MEMBERSHIP.require(scope, "person.view")
    return _search(scope, payload.q, payload.limit)


def _is_nik(text: str) -> bool:
    """True when ``text`` holds a NIK's worth of digits (16 or more, in any spelling or script,
    alone or among words): such a query is not read from an address."""
    return sum(char.isdigit() for char in compact_identifier(text)) >= 16


def _search(scope: Scope, text: str, limit: int) -> dict[str, Any]:
    found = worker_search(scope, text=text, limit=limit + 1)
    return {
        "items": [person_out(p) for p in found.people[:limit]],
        "search": found.kind,
        "next_cursor": None,
        "next": None,
        "limit": limit,
        "has_more": len(found.people) > limit,
        "count": None,
        "count_capped": False,
    }


def _next_ids(scope: Scope, *, before: int | None, count: int) -> list[int]:
    """The ids of the scope's next ``count`` people, newest first, found through the scope's own
    indexes (the memberships of the office, employer or partner; the office's service area).

    Only a shortcut: the page is still ``people_visible(scope)`` filtered by these ids, so a
    person outside the scope never shows. Without it, ordering ``people_visible`` by id walks the
    whole table backwards whenever the scope's people are not the newest (seconds at a million
    people); with it, the cost follows the size of the scope. The sources mirror the rules of
    ``people_visible`` (a test compares the walked list with the selector for every role).
    """
    members = memberships_visible(scope)
    if before is not None:
        members = members.filter(person_id__lt=before)
    # "+ 0" keeps the database from walking the person_id index in order (the scope's filter
    # on its own index is far more selective); the top-N sort then runs on the scope's rows.
    ids = set(
        members.annotate(key=F("person_id") + 0)
        .order_by("-key")
        .values_list("key", flat=True)
        .distinct()[:count]
    )
    if scope.role == Role.BRANCH_OFFICER:
        residents = Person.objects.filter(domicile__regency_code__in=scope.regency_codes)
        if before is not None:
            residents = residents.filter(id__lt=before)
        ids.update(
            residents.annotate(key=F("id") + 0)
            .order_by("-key")
            .values_list("key", flat=True)[:count]
        )
    return sorted(ids, reverse=True)[:count]


def _capped_count(query: QuerySet[Person]) -> dict[str, Any]:
    count = query.order_by()[: COUNT_CAP + 1].count()
    return {"count": min(count, COUNT_CAP), "count_capped": count > COUNT_CAP}


def _detail(request: HttpRequest, person_id: int, *, full: bool) -> dict[str, Any]:
    scope = caller_scope(request)
    MEMBERSHIP.require(scope, "person.view")
    person = person_get(scope, pk=person_id)
    memberships = list(membership_list_for_person(scope, person=person))
    for membership in memberships:
        membership.person = person
    if full:
        audit_record(
            scope,
            AuditAction.VIEW_FULL,
            person,
            detail={"fields": ["nik", "phone"], "via": "GET /api/v1/people/{id}/full"},
        )
    return {
        **person_out(person, full=full),
        "memberships": [membership_out(m) for m in memberships],
    }


@router.get(
    "/people/{int:person_id}",
    response={200: PersonDetailOut, **READ_ERRORS},
    summary="One person, masked",
    url_name="people-detail",
)
def person_detail(request: HttpRequest, person_id: int) -> dict[str, Any]:
    """The person and their memberships, NIK and phone masked. A person outside the caller's
    scope is 404, the same as a number that does not exist."""
    return _detail(request, person_id, full=False)


@router.get(
    "/people/{int:person_id}/full",
    response={200: PersonDetailOut, **READ_ERRORS},
    summary="One person with full NIK and phone (audited)",
    url_name="people-detail-full",
)
def person_detail_full(request: HttpRequest, person_id: int) -> dict[str, Any]:
    """As `/people/{id}`, with the full NIK and phone number. Every call is written to the
    audit trail (who, when, from which address)."""
    return _detail(request, person_id, full=True)


@router.patch(
    "/people/{int:person_id}",
    response={200: PersonOut, **WRITE_ERRORS},
    summary="Correct a person's name, phone or domicile (audited)",
    url_name="people-update",
)
def person_correct(request: HttpRequest, person_id: int, payload: PersonUpdateIn) -> dict[str, Any]:
    """Administrators and branch officers (for people in their scope) may correct the name,
    phone and domicile; a worker may correct their own phone number only. Employer and partner
    users may not (403). Only the fields sent change; `"phone": ""` removes the number. Every
    change is written to the audit trail with the values before and after (NIK and phone
    masked). The answer is the person, masked."""
    scope = caller_scope(request)
    MEMBERSHIP.require(scope, "person.correct")
    if payload.name is not None or payload.domicile is not None:
        MEMBERSHIP.require(scope, "person.correct_name_or_domicile")
    person = person_get(scope, pk=person_id)
    domicile = region_for(payload.domicile, field="domicile") if payload.domicile else None
    phone = payload.phone
    updated = person_update(
        person=person,
        name=payload.name,
        phone=phone if phone and phone.strip() else None,
        clear_phone=phone is not None and not phone.strip(),
        domicile=domicile,
        by=scope,
    )
    return person_out(updated)
