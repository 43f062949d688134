"""The audit trail of personal data, roles and API tokens."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from jamsos.access.audit import Origin, audit_record, changes_of, origin
from jamsos.access.models import ApiToken, AuditAction, AuditEvent, Role
from jamsos.access.services import api_token_issue, api_token_revoke, api_token_user, require
from jamsos.core.models import AppendOnlyError
from jamsos.membership import errors
from jamsos.membership.services import membership_end, person_update, pu_worker_register
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.factories import PersonDataFactory
from jamsos.membership.tests.fixtures import TODAY


def test_registration_and_correction_are_audited_with_who_and_where(world, scopes, regions):
    officer = scopes["officer_bandung"]
    data = PersonDataFactory(
        domicile=regions.cileunyi_kulon, serial=77, name="Nining Sari", sex="F"
    )
    with origin(Origin(channel="web", ip="10.1.2.3", client="Firefox")):
        membership = pu_worker_register(
            employer=world.employer_a,
            person=data,
            wage_idr=4_000_000,
            start_date=date(2025, 2, 1),
            by=officer,
            today=TODAY,
        )
    created = AuditEvent.objects.get(
        target_type="membership.person", action="create", actor_name="kc3204"
    )
    assert created.actor_name == "kc3204"
    assert created.role == "branch_officer"
    assert (created.channel, created.ip, created.client) == ("web", "10.1.2.3", "Firefox")
    # The trail itself holds masked numbers only.
    assert created.changes["nik"] == [None, data.nik[:4] + "********" + data.nik[-4:]]
    assert data.nik not in str(created.changes)
    assert created.changes["phone"][1].count("*") >= 4
    assert AuditEvent.objects.filter(
        target_type="membership.membership", target_id=str(membership.pk), action="create"
    ).exists()

    person = membership.person
    person_update(person=person, phone="0813-1111-2222", name="Nining Sari Dewi", by=officer)
    updated = AuditEvent.objects.get(target_type="membership.person", action="update")
    assert set(updated.changes) == {"name", "phone"}
    assert updated.changes["name"] == ["Nining Sari", "Nining Sari Dewi"]
    assert "+6281311112222" not in str(updated.changes)
    assert updated.channel == "system"  # outside a request or command

    membership_end(
        membership=membership, end_date=date(2025, 3, 1), reason="resignation", by=officer
    )
    assert AuditEvent.objects.filter(action="end", target_id=str(membership.pk)).exists()


def test_an_update_that_changes_nothing_writes_nothing(world, scopes):
    before = AuditEvent.objects.count()
    person_update(person=world.worker_a, name=world.worker_a.name, by=scopes["admin"])
    assert AuditEvent.objects.count() == before


def test_update_refuses_bad_values_and_keeps_the_row(world, scopes, regions):
    with pytest.raises(errors.InvalidPhone):
        person_update(person=world.worker_a, phone="12", by=scopes["admin"])
    with pytest.raises(errors.WrongRegionLevel):
        person_update(person=world.worker_a, domicile=regions.cileunyi, by=scopes["admin"])
    with pytest.raises(errors.RequiredField):
        person_update(person=world.worker_a, name="   ", by=scopes["admin"])
    world.worker_a.refresh_from_db()
    assert world.worker_a.name == "Asep Sunandar"
    assert not AuditEvent.objects.filter(action="update").exists()


def test_audit_events_are_append_only(world, scopes):
    event = audit_record(scopes["admin"], AuditAction.VIEW_FULL, world.worker_a)
    assert event.target_label.startswith(world.worker_a.nik[:4] + "****")
    event.detail = {"x": 1}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_changes_of_masks_personal_numbers():
    changes = changes_of(
        {"nik": "3204051705900001", "phone": "+6281234567890", "name": "A"},
        {"nik": "3204051705900002", "phone": None, "name": "A"},
    )
    assert changes == {
        "nik": ["3204********0001", "3204********0002"],
        "phone": ["0812****7890", None],
    }


def test_grant_checks_what_each_role_is_bound_to(world):
    with pytest.raises(errors.RequiredField) as caught:
        user_access_grant(username="x", role=Role.BRANCH_OFFICER)
    assert caught.value.field == "branch_office"
    with pytest.raises(errors.RequiredField):
        user_access_grant(username="x", role=Role.PARTNER_USER, partner_ref="  ")
    with pytest.raises(errors.InvalidChoice):
        user_access_grant(username="x", role="superhero")
    # A binding the role does not use is dropped, not kept half-way.
    access = user_access_grant(
        username="y", role=Role.ANALYST, employer=world.employer_a, branch_office=world.bandung
    )
    assert access.employer is None
    assert access.branch_office is None
    assert AuditEvent.objects.filter(action="access_granted", target_label="y").exists()


def test_require_refuses_with_403_in_both_languages(scopes):
    require(scopes["admin"], True, {"id": "mendaftar", "en": "register"})
    with pytest.raises(errors.NotPermitted) as caught:
        require(
            scopes["analyst"],
            scopes["analyst"].may_register,
            {"id": "mendaftarkan peserta", "en": "register workers"},
        )
    assert caught.value.http_status == 403
    assert caught.value.message_in("id") == "Peran Anda (analis) tidak boleh mendaftarkan peserta."
    assert caught.value.message_in("en") == "Your role (analyst) may not register workers."


def test_api_tokens_are_stored_hashed_expire_and_revoke(world, scopes):
    access = user_access_grant(
        username="hr_api", role=Role.EMPLOYER_USER, employer=world.employer_a
    )
    issued = api_token_issue(user=access.user, name="payroll", days=30)
    assert issued.raw.startswith("jms_")
    stored = ApiToken.objects.get(pk=issued.token.pk)
    assert issued.raw not in (stored.digest, stored.prefix)
    assert api_token_user(issued.raw) == access.user
    assert api_token_user(issued.raw + "x") is None
    assert api_token_user("") is None
    ApiToken.objects.filter(pk=stored.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_token_user(issued.raw) is None
    second = api_token_issue(user=access.user, name="again", days=None)
    api_token_revoke(token=second.token)
    assert api_token_user(second.raw) is None
    third = api_token_issue(user=access.user, name="inactive")
    access.user.is_active = False
    access.user.save()
    assert api_token_user(third.raw) is None
