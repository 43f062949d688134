"""Signing in: lockout after repeated failures (django-axes), password rules, the strong hasher
in production settings, and every sign-in, failure and lockout in the audit trail."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from jamsos.access.models import AuditAction, AuditEvent
from jamsos.access.signin import account_label

PASSWORD = "rahasia-kantor-panjang-1"
NIK = "3204015708450001"

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return get_user_model().objects.create_user(username="t-masuk", password=PASSWORD)


def sign_in(client, password, username="t-masuk", address="10.0.0.1"):
    return client.post("/masuk/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_right_password_signs_in_and_is_audited(officer):
    response = sign_in(Client(), PASSWORD)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN)
    assert event.actor_id == officer.pk
    assert event.target_label == "t-masuk"
    assert event.ip == "10.0.0.1"
    assert event.channel == "web"
    assert PASSWORD not in str(event.detail) + str(event.changes) + event.target_label


def test_a_wrong_password_is_audited_without_the_password(officer):
    sign_in(Client(), "salah-sekali-ini")
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.target_label == "t-masuk"
    assert event.actor_id is None
    assert event.ip == "10.0.0.1"
    text = f"{event.target_label} {event.actor_name} {event.detail} {event.changes}"
    assert "salah-sekali-ini" not in text


def test_a_nik_typed_as_the_account_name_is_masked(officer):
    sign_in(Client(), "salah", username=NIK)
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert NIK not in f"{event.target_label} {event.actor_name}"
    assert event.target_label == account_label(NIK) == "3204********0001"


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(officer, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    for _ in range(6):
        sign_in(client, "bukan-sandinya")
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Masuk dikunci" in page
    assert "15 menit" in page
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()


def test_the_lockout_is_per_account_and_address(officer):
    for _ in range(5):
        sign_in(Client(), "bukan-sandinya", address="10.0.0.1")
    assert sign_in(Client(), PASSWORD, address="10.0.0.1").status_code == 429
    # the same account from another address still signs in
    assert sign_in(Client(), PASSWORD, address="10.0.0.2").status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(officer):
    for _ in range(4):
        sign_in(Client(), "bukan-sandinya")
    assert sign_in(Client(), PASSWORD).status_code == 302
    for _ in range(4):
        sign_in(Client(), "bukan-sandinya")
    assert sign_in(Client(), PASSWORD).status_code == 302


@pytest.mark.parametrize("password", ["1", "12345678901234", "password1234", "rahasia"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_passes():
    validate_password("kopi-tubruk-di-bandung-2026")


def test_the_production_settings_hash_with_argon2_first():
    from jamsos.config import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert production.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert production.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    importlib.import_module("argon2")  # the hasher's library is installed


def test_argon2_hashes_and_checks_a_password(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = get_user_model()(username="argon")
    user.set_password(PASSWORD)
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


def test_a_session_opened_outside_a_request_is_not_a_sign_in(officer):
    Client().force_login(officer)
    assert not AuditEvent.objects.exists()


def test_the_demo_password_is_set_by_the_builder_and_signs_in(settings):
    """The validators check passwords people choose; the demo builder sets its shared password
    directly (jamsos.demo.accounts through user_access_grant), and it signs in."""
    from jamsos.access.models import Role
    from jamsos.access.services import DEMO_PASSWORD
    from jamsos.membership.services.accounts import user_access_grant

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    with pytest.raises(ValidationError):
        validate_password(DEMO_PASSWORD)  # too short for a person's own password
    user_access_grant(username="demo-analis", role=Role.ANALYST, password=DEMO_PASSWORD)
    response = sign_in(Client(), DEMO_PASSWORD, username="demo-analis")
    assert response.status_code == 302
