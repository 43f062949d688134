"""``audit_record_many`` writes, set-based, what ``audit_record`` writes one at a time."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from jamsos.access.audit import AuditEntry, Origin, audit_record, audit_record_many, origin
from jamsos.access.models import AuditAction, AuditEvent, Role
from jamsos.access.scope import Scope

pytestmark = pytest.mark.django_db

ENTRIES = [
    AuditEntry(
        action=AuditAction.CREATE,
        target_type="membership.person",
        target_id="41",
        label="3204********0001 Asep Sunandar",
        changes={"nik": [None, "3204********0001"], "name": [None, "Asep Sunandar"]},
    ),
    AuditEntry(
        action="update",
        target_type="membership.membership",
        target_id="7",
        label="KPJ 25000000001 BPU",
        changes={"declared_income_idr": [1_000_000, 2_500_000]},
        detail={"event": "income_changed", "catatan": "penghasilan naik"},
    ),
    AuditEntry(action=AuditAction.EXPORT, target_type="uploads.workerupload", target_id=""),
]


def _written() -> list[dict[str, object]]:
    skip = {"id", "at"}
    return [
        {
            f.attname: getattr(e, f.attname)
            for f in AuditEvent._meta.concrete_fields
            if f.attname not in skip
        }
        for e in AuditEvent.objects.order_by("id")
    ]


@pytest.mark.parametrize("with_scope", [True, False])
def test_many_records_equal_the_records_written_one_at_a_time(with_scope: bool) -> None:
    scope = None
    if with_scope:
        user = get_user_model().objects.create_user("analis")
        scope = Scope(role=Role.ANALYST, user_id=user.pk, actor_name="analis")
    with origin(Origin(channel="api", ip="192.0.2.4", client="curl/8.5")):
        for entry in ENTRIES:
            audit_record(
                scope,
                entry.action,
                target_type=entry.target_type,
                target_id=entry.target_id,
                label=entry.label,
                changes=entry.changes,
                detail=entry.detail,
            )
        one_by_one = _written()
        AuditEvent.objects.all()._raw_delete(AuditEvent.objects.db)
        assert audit_record_many(scope, ENTRIES) == 3
    assert _written() == one_by_one
    assert one_by_one[1]["changes"] == {"declared_income_idr": [1_000_000, 2_500_000]}
    assert one_by_one[1]["detail"] == {"event": "income_changed", "catatan": "penghasilan naik"}
    assert {r["actor_name"] for r in one_by_one} == {"analis" if with_scope else "system"}
    assert {r["channel"] for r in one_by_one} == {"api"}
    assert AuditEvent.objects.filter(at__isnull=True).count() == 0


def test_nothing_to_record_writes_nothing() -> None:
    assert audit_record_many(None, []) == 0
    assert not AuditEvent.objects.exists()


def test_only_the_audit_service_writes_audit_records() -> None:
    """Audit rows are made in ``access.audit`` only (``audit_record``, ``audit_record_many``)."""
    import re
    from pathlib import Path

    import jamsos

    root = Path(jamsos.__file__).parent
    writes = re.compile(
        r"AuditEvent\(|AuditEvent\.objects\.(create|bulk_create|get_or_create)|"
        r"(insert|insert_with_ids|write_frame)\(\s*AuditEvent"
    )
    found = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "models.py"
        and writes.search(path.read_text(encoding="utf-8"))
    ]
    assert found == ["access/audit.py"]
