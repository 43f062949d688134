"""Ecosystems (EcosystemSite): markets, villages, e-commerce platforms, UMKM clusters,
construction projects and vulnerable-worker groups, each placed in a region and linked to
partners (docs/partners/events.md)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from jamsos.access.audit import audit_record, changes_of
from jamsos.access.models import AuditAction, Role
from jamsos.access.scope import Scope
from jamsos.partners.errors import CoreError
from jamsos.partners.models import EcosystemKind, EcosystemSite, Partner
from jamsos.partners.selectors.partners import require_writer
from jamsos.partners.services.agreements import _partner
from jamsos.partners.services.partners import (
    BadCode,
    DuplicateCode,
    FieldRequired,
    region_of,
    require_choice_of,
    require_text,
)

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")


class EcosystemNotFound(CoreError):
    code = "partners.ecosystem_not_found"
    default_field = "ecosystem"
    http_status = 404
    text = {"id": "{label} {value} tidak ditemukan.", "en": "{label} {value} was not found."}


class RegionOutsideScope(CoreError):
    code = "partners.region_outside_scope"
    default_field = "region"
    http_status = 403
    text = {
        "id": "{label} {value} di luar wilayah kantor cabang Anda.",
        "en": "{label} {value} is outside your branch office's area.",
    }


def require_region_in_scope(scope: Scope, region: Any) -> None:
    """A branch officer records only in their office's regencies (a province-wide record
    belongs to an administrator)."""
    if scope.role == Role.BRANCH_OFFICER and region.regency_code not in scope.regency_codes:
        raise RegionOutsideScope(value=region.code)


@transaction.atomic
def ecosystem_create(
    *,
    scope: Scope,
    code: str,
    name: str,
    kind: str,
    region: Any,
    partners: Iterable[Partner | str] = (),
    note: str = "",
) -> EcosystemSite:
    """Record an ecosystem in a region (a code of the current edition or a Region)."""
    require_writer(scope)
    code = str(code or "").strip().lower()
    if not code:
        raise FieldRequired(field="code")
    if not _CODE.match(code):
        raise BadCode(value=code)
    name = require_text(name, field="name", max_length=200)
    kind = require_choice_of(kind, EcosystemKind.values, field="kind")
    region_row = region_of(region)
    if region_row is None:
        raise FieldRequired(field="region")
    require_region_in_scope(scope, region_row)
    partner_rows = [_partner(p) for p in partners if p]
    if EcosystemSite.objects.filter(code=code).exists():
        raise DuplicateCode(value=code)
    site = EcosystemSite.objects.create(
        code=code, name=name, kind=kind, region=region_row, note=str(note or "").strip()
    )
    site.partners.set(partner_rows)
    audit_record(
        scope,
        AuditAction.CREATE,
        site,
        detail={"region": region_row.code, "partners": [p.code for p in partner_rows]},
    )
    return site


@transaction.atomic
def ecosystem_update(
    *,
    scope: Scope,
    site: EcosystemSite,
    name: str | None = None,
    kind: str | None = None,
    region: Any = None,
    partners: Iterable[Partner | str] | None = None,
    note: str | None = None,
) -> EcosystemSite:
    """Change an ecosystem's name, kind, region, partners or note (given fields only)."""
    require_writer(scope)
    site = EcosystemSite.objects.select_for_update().select_related("region").get(pk=site.pk)
    require_region_in_scope(scope, site.region)
    before = {"name": site.name, "kind": site.kind, "region": site.region.code, "note": site.note}
    fields: list[str] = []
    if name is not None:
        site.name = require_text(name, field="name", max_length=200)
        fields.append("name")
    if kind is not None:
        site.kind = require_choice_of(kind, EcosystemKind.values, field="kind")
        fields.append("kind")
    if region is not None:
        row = region_of(region)
        if row is None:
            raise FieldRequired(field="region")
        require_region_in_scope(scope, row)
        site.region = row
        fields.append("region")
    if note is not None:
        site.note = str(note).strip()
        fields.append("note")
    if fields:
        site.save(update_fields=fields)
    if partners is not None:
        site.partners.set([_partner(p) for p in partners if p])
    after = {"name": site.name, "kind": site.kind, "region": site.region.code, "note": site.note}
    audit_record(scope, AuditAction.UPDATE, site, changes=changes_of(before, after))
    return site
