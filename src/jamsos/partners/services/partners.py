"""Partners and their contacts (docs/partners/agreements.md).

A partner is an organisation that helps enrol workers: an employer association, a regional
government, a union, a company's CSR, a zakat body, a platform or market operator, a cadre
group. Its ``code`` is the ``partner_ref`` memberships and partner users carry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from jamsos.access.audit import audit_record, changes_of
from jamsos.access.models import AuditAction, Role
from jamsos.access.policy import refuse
from jamsos.access.scope import Scope
from jamsos.membership.identifiers import phone_normalise
from jamsos.membership.models import Association, BranchOffice
from jamsos.partners.errors import (  # noqa: F401 (public here too)
    CORE_LABELS,
    FIELD_LABELS,
    CoreError,
    PartnerNotFound,
    PartnersError,
)
from jamsos.partners.models import Partner, PartnerContact, PartnerKind
from jamsos.partners.policy import PARTNERS
from jamsos.partners.selectors.partners import require_writer
from jamsos.registry.models import Level, Region, RegionEdition

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")

# ---------------------------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------------------------


class FieldRequired(CoreError):
    code = "partners.required"
    text = {"id": "{label} wajib diisi.", "en": "{label} is required."}


class BadChoice(CoreError):
    code = "partners.bad_choice"
    text = {
        "id": "{label} '{value}' tidak dikenal; pilih salah satu: {choices}.",
        "en": "{label} '{value}' is not known; choose one of: {choices}.",
    }


class BadCode(CoreError):
    code = "partners.bad_code"
    default_field = "code"
    text = {
        "id": "Kode '{value}' tidak sah: 2-64 huruf kecil, angka atau tanda hubung.",
        "en": "Code '{value}' is not valid: 2-64 lowercase letters, digits or hyphens.",
    }


class DuplicateCode(CoreError):
    code = "partners.duplicate_code"
    default_field = "code"
    http_status = 409
    text = {
        "id": "Kode '{value}' sudah dipakai.",
        "en": "Code '{value}' is already used.",
    }


class RegionUnknown(CoreError):
    code = "partners.region_unknown"
    default_field = "region"
    text = {
        "id": "{label} dengan kode '{value}' tidak ada dalam daftar wilayah yang berlaku.",
        "en": "{label} with code '{value}' is not in the current list of regions.",
    }


class RegionRequired(CoreError):
    code = "partners.region_required"
    default_field = "region"
    text = {
        "id": "{label} wajib untuk pemerintah daerah (provinsi, kabupaten/kota, kecamatan atau "
        "desa/kelurahan).",
        "en": "{label} is required for a regional government (province, regency, district or "
        "village).",
    }


class AssociationUnknown(CoreError):
    code = "partners.association_unknown"
    default_field = "association"
    text = {
        "id": "Asosiasi '{value}' tidak dikenal.",
        "en": "Association '{value}' is not known.",
    }


class OfficeUnknown(CoreError):
    code = "partners.office_unknown"
    default_field = "branch_office"
    text = {
        "id": "Kantor cabang '{value}' tidak dikenal.",
        "en": "Branch office '{value}' is not known.",
    }


class OutsideOffice(CoreError):
    code = "partners.outside_office"
    default_field = "branch_office"
    http_status = 403
    text = {
        "id": "Anda hanya dapat mencatat untuk kantor cabang Anda sendiri, bukan {value}.",
        "en": "You may only record for your own branch office, not {value}.",
    }


class BadContact(CoreError):
    code = "partners.bad_contact"
    text = {
        "id": "Kontak ke-{row}: {label} '{value}' tidak sah ({reason}).",
        "en": "Contact {row}: {label} '{value}' is not valid ({reason}).",
    }


class ContactNameRequired(CoreError):
    code = "partners.contact_name_required"
    default_field = "name"
    text = {
        "id": "Kontak ke-{row}: {label} wajib diisi.",
        "en": "Contact {row}: {label} is required.",
    }


# ---------------------------------------------------------------------------------------------
# Shared checks (also used by the other core services)
# ---------------------------------------------------------------------------------------------


def require_text(value: Any, *, field: str, max_length: int = 250) -> str:
    text = str(value or "").strip()
    if not text:
        raise FieldRequired(field=field)
    return text[:max_length]


def require_choice_of(value: Any, choices: Iterable[str], *, field: str) -> str:
    text = str(value or "").strip()
    allowed = list(choices)
    if not text:
        raise FieldRequired(field=field)
    if text not in allowed:
        raise BadChoice(field=field, value=text, choices=", ".join(allowed))
    return text


def region_of(value: Region | str | None, *, field: str = "region") -> Region | None:
    """A region given as a row or a code (dotted or not) of the current edition."""
    if value is None or value == "":
        return None
    if isinstance(value, Region):
        return value
    text = str(value).strip()
    edition = RegionEdition.objects.filter(is_current=True).first()
    query = Region.objects.filter(edition=edition) if edition else Region.objects.none()
    region = query.filter(code=text).first() or query.filter(code_nodot=text).first()
    if region is None:
        raise RegionUnknown(field=field, value=text)
    return region


def office_of(scope: Scope, value: BranchOffice | str | None) -> BranchOffice:
    """The branch office a record belongs to: a branch officer's own office (another is
    refused), or the one an administrator names."""
    if isinstance(value, BranchOffice):
        office: BranchOffice | None = value
    elif value:
        office = BranchOffice.objects.filter(code=str(value).strip().upper()).first()
        if office is None:
            raise OfficeUnknown(value=str(value))
    elif scope.role == Role.BRANCH_OFFICER:
        # A branch officer's scope always names the office.
        office = BranchOffice.objects.get(pk=scope.branch_office_id)  # type: ignore[misc]
    else:
        raise FieldRequired(field="branch_office")
    assert office is not None
    if scope.role == Role.BRANCH_OFFICER and office.pk != scope.branch_office_id:
        raise OutsideOffice(value=office.code)
    return office


def require_office_scope(scope: Scope, office_id: int | None) -> None:
    """A branch officer changes only their own office's records (else 403)."""
    require_writer(scope)
    if scope.role == Role.BRANCH_OFFICER and office_id != scope.branch_office_id:
        raise refuse(scope, PARTNERS.rule("partners.record").says)


# ---------------------------------------------------------------------------------------------
# Partners
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactData:
    name: str
    position: str = ""
    phone: str = ""
    email: str = ""
    is_primary: bool = False


def _contacts(contacts: Iterable[ContactData | Mapping[str, Any]]) -> list[PartnerContact]:
    rows: list[PartnerContact] = []
    for number, raw in enumerate(contacts, start=1):
        item = raw if isinstance(raw, ContactData) else ContactData(**dict(raw))
        name = str(item.name or "").strip()
        phone_text = str(item.phone or "").strip()
        email = str(item.email or "").strip()
        if not name:
            if not (phone_text or email or item.position):
                continue  # an empty line of a form
            raise ContactNameRequired(row=number)
        phone, problem = phone_normalise(phone_text)
        if problem:
            raise BadContact(field="phone", row=number, value=phone_text, reason=problem)
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise BadContact(field="email", row=number, value=email, reason="format") from None
        rows.append(
            PartnerContact(
                name=name[:120],
                position=str(item.position or "").strip()[:120],
                phone=phone or "",
                email=email,
                is_primary=bool(item.is_primary),
            )
        )
    if rows and not any(c.is_primary for c in rows):
        rows[0].is_primary = True
    seen_primary = False
    for row in rows:  # one primary contact: the first marked
        row.is_primary = row.is_primary and not seen_primary
        seen_primary = seen_primary or row.is_primary
    return rows


def _kind_rules(kind: str, region: Region | None) -> None:
    if kind == PartnerKind.REGIONAL_GOVERNMENT and (
        region is None or region.level == Level.NATIONAL
    ):
        raise RegionRequired()


def _association(value: Association | str | None) -> Association | None:
    if value is None or value == "":
        return None
    if isinstance(value, Association):
        return value
    found = Association.objects.filter(code=str(value).strip()).first()
    if found is None:
        raise AssociationUnknown(value=str(value))
    return found


@transaction.atomic
def partner_create(
    *,
    scope: Scope,
    code: str,
    name: str,
    kind: str,
    region: Region | str | None = None,
    branch_office: BranchOffice | str | None = None,
    association: Association | str | None = None,
    note: str = "",
    contacts: Iterable[ContactData | Mapping[str, Any]] = (),
) -> Partner:
    """Record a partner and its contacts. A regional government needs its region (its level is
    the government's level); a branch officer records partners of their own office."""
    require_writer(scope)
    code = str(code or "").strip().lower()
    if not code:
        raise FieldRequired(field="code")
    if not _CODE.match(code):
        raise BadCode(value=code)
    name = require_text(name, field="name", max_length=200)
    kind = require_choice_of(kind, PartnerKind.values, field="kind")
    region_row = region_of(region)
    _kind_rules(kind, region_row)
    office = office_of(scope, branch_office)
    assoc = _association(association)
    rows = _contacts(contacts)
    if Partner.objects.filter(code=code).exists():
        raise DuplicateCode(value=code)
    partner = Partner.objects.create(
        code=code,
        name=name,
        kind=kind,
        region=region_row,
        branch_office=office,
        association=assoc,
        note=str(note or "").strip(),
    )
    for row in rows:
        row.partner = partner
    PartnerContact.objects.bulk_create(rows)
    audit_record(
        scope,
        AuditAction.CREATE,
        partner,
        detail={"kind": kind, "contacts": len(rows), "office": office.code},
    )
    return partner


_EDITABLE = ("name", "kind", "region", "branch_office", "association", "note", "is_active")


@transaction.atomic
def partner_update(
    *,
    scope: Scope,
    partner: Partner,
    contacts: Iterable[ContactData | Mapping[str, Any]] | None = None,
    **fields: Any,
) -> Partner:
    """Change a partner's fields (``name``, ``kind``, ``region``, ``branch_office``,
    ``association``, ``note``, ``is_active``) and, when given, replace its contacts."""
    require_office_scope(scope, partner.branch_office_id)
    unknown = set(fields) - set(_EDITABLE)
    if unknown:
        raise BadChoice(field="field", value=",".join(sorted(unknown)), choices=",".join(_EDITABLE))
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    before = {
        f: getattr(partner, f + "_id" if f in {"region", "branch_office", "association"} else f)
        for f in _EDITABLE
    }
    if "name" in fields:
        partner.name = require_text(fields["name"], field="name", max_length=200)
    if "kind" in fields:
        partner.kind = require_choice_of(fields["kind"], PartnerKind.values, field="kind")
    if "region" in fields:
        partner.region = region_of(fields["region"])
    if "branch_office" in fields:
        partner.branch_office = office_of(scope, fields["branch_office"])
    if "association" in fields:
        partner.association = _association(fields["association"])
    if "note" in fields:
        partner.note = str(fields["note"] or "").strip()
    if "is_active" in fields:
        partner.is_active = bool(fields["is_active"])
    _kind_rules(partner.kind, partner.region)
    rows = _contacts(contacts) if contacts is not None else None
    partner.save(update_fields=[f for f in _EDITABLE if f in fields] or ["name"])
    after = {
        f: getattr(partner, f + "_id" if f in {"region", "branch_office", "association"} else f)
        for f in _EDITABLE
    }
    changes = changes_of(before, after)
    if rows is not None:
        partner.contacts.all().delete()
        for row in rows:
            row.partner = partner
        PartnerContact.objects.bulk_create(rows)
        changes["contacts"] = ["replaced", len(rows)]
    audit_record(scope, AuditAction.UPDATE, partner, changes=changes)
    return partner
