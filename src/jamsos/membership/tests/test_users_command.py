"""`jamsos users`: grant roles, list accounts, issue and revoke API tokens."""

from __future__ import annotations

import getpass
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from jamsos.access.models import ApiToken, AuditEvent, Role, UserAccess
from jamsos.access.services import api_token_issue, api_token_user
from jamsos.membership.management.commands import users as users_command
from jamsos.membership.tests.factories import employer_create, person_create


def run(*args):
    out = StringIO()
    call_command("users", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def operator(monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "siti")
    return "cli:siti"


# --- grant -----------------------------------------------------------------------------------


def test_grant_a_branch_officer(regions, operator):
    # when
    out = run("grant", "petugas-bdg", "--role", "branch_officer", "--branch", "kc3204")
    # then
    access = UserAccess.objects.get(user__username="petugas-bdg")
    assert access.role == Role.BRANCH_OFFICER
    assert access.branch_office.code == "KC3204"
    assert "petugas-bdg is now branch_officer of KC3204 Kantor Cabang Bandung." in out
    assert "no password" in out
    assert not access.user.has_usable_password()
    event = AuditEvent.objects.get(action="access_granted")
    assert event.actor_name == operator
    assert event.detail["role"] == "branch_officer"


def test_grant_each_binding(regions, operator):
    employer = employer_create(village=regions.cileunyi_kulon)
    person = person_create(domicile=regions.cileunyi_kulon)
    run("grant", "hr", "--role", "employer_user", "--employer", employer.npp)
    run("grant", "budi", "--role", "worker", "--person", person.nik)
    run(
        "grant",
        "mitra",
        "--role",
        "partner_user",
        "--partner",
        "KOPERASI-01",
        "--region",
        "32.04",
        "--region",
        "32.73",
    )
    run("grant", "kepala", "--role", "admin")
    access = {a.user.username: a for a in UserAccess.objects.select_related("user")}
    assert access["hr"].employer == employer
    assert access["budi"].person == person
    assert access["mitra"].partner_ref == "KOPERASI-01"
    assert {r.code for r in access["mitra"].partner_regions.all()} == {"32.04", "32.73"}
    assert access["kepala"].role == Role.ADMIN
    assert access["kepala"].user.is_staff


def test_grant_again_changes_the_role(regions, operator):
    run("grant", "ani", "--role", "analyst")
    run("grant", "ani", "--role", "branch_officer", "--branch", "KC3204")
    access = UserAccess.objects.get(user__username="ani")
    assert access.role == Role.BRANCH_OFFICER
    assert UserAccess.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "branch_officer"], "Role branch_officer needs --branch."),
        (["--role", "worker", "--branch", "KC3204"], "--branch does not apply to role worker."),
        (["--role", "analyst", "--region", "32.04"], "--region applies to partner users only."),
        (["--role", "branch_officer", "--branch", "KC9"], "No branch office has the code 'KC9'."),
        (["--role", "employer_user", "--employer", "3200000010"], "3200000010"),
        (["--role", "worker", "--person", "3204051705900001"], "3204********0001"),
        (["--role", "partner_user", "--partner", "X", "--region", "99.99"], "99.99"),
    ],
)
def test_grant_refusals_change_nothing(regions, operator, args, message):
    with pytest.raises(CommandError) as refused:
        run("grant", "someone", *args)
    assert message in str(refused.value)
    assert not get_user_model().objects.filter(username="someone").exists()
    assert not AuditEvent.objects.exists()


def test_grant_with_a_password_prompt(regions, operator, monkeypatch):
    answers = iter(["rahasia-panjang-1", "rahasia-panjang-1"])
    monkeypatch.setattr(users_command.getpass, "getpass", lambda prompt: next(answers))
    out = run("grant", "dewi", "--role", "analyst", "--password-prompt")
    user = get_user_model().objects.get(username="dewi")
    assert user.check_password("rahasia-panjang-1")
    assert "no password" not in out


def test_a_mistyped_password_is_refused(regions, operator, monkeypatch):
    answers = iter(["rahasia-panjang-1", "rahasia-panjang-2"])
    monkeypatch.setattr(users_command.getpass, "getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="differ"):
        run("grant", "dewi", "--role", "analyst", "--password-prompt")
    assert not get_user_model().objects.filter(username="dewi").exists()


def test_password_validators_apply(regions, operator, monkeypatch, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}
    ]
    monkeypatch.setattr(users_command.getpass, "getpass", lambda prompt: "pendek")
    with pytest.raises(CommandError, match="8"):
        run("grant", "dewi", "--role", "analyst", "--password-prompt")


# --- list ------------------------------------------------------------------------------------


def test_list_shows_roles_bindings_and_live_tokens(regions, operator):
    run("grant", "petugas", "--role", "branch_officer", "--branch", "KC3204")
    run("grant", "ani", "--role", "analyst")
    get_user_model().objects.create_superuser("root", password="x-root-password")
    user = get_user_model().objects.get(username="petugas")
    api_token_issue(user=user, name="laptop")
    expired = api_token_issue(user=user, name="old")
    ApiToken.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now())
    # when
    out = run("list")
    lines = {line.split()[0]: line for line in out.splitlines()[2:]}
    # then
    assert out.splitlines()[0].split() == [
        "USERNAME",
        "ROLE",
        "BOUND",
        "TO",
        "ACTIVE",
        "LAST",
        "LOGIN",
        "TOKENS",
    ]
    assert lines["petugas"].split()[1] == "branch_officer"
    assert "KC3204 Kantor Cabang Bandung" in lines["petugas"]
    assert lines["petugas"].split()[-1] == "1"
    assert lines["root"].split()[1] == "admin"
    assert lines["ani"].split()[1] == "analyst"


def test_list_filters_by_role_and_shows_tokens(regions, operator):
    run("grant", "petugas", "--role", "branch_officer", "--branch", "KC3204")
    run("grant", "ani", "--role", "analyst")
    issued = api_token_issue(user=get_user_model().objects.get(username="ani"), name="notebook")
    out = run("list", "--role", "analyst", "--tokens")
    assert "petugas" not in out
    assert issued.token.prefix in out
    assert "notebook" in out
    assert issued.raw not in out


def test_list_without_accounts(db):
    assert run("list") == "No accounts.\n"


# --- tokens ----------------------------------------------------------------------------------


def test_token_is_printed_once_and_works(regions, operator):
    run("grant", "ani", "--role", "analyst")
    # when
    out = run("token", "ani", "--name", "dashboard")
    # then
    raw = out.splitlines()[1]
    assert raw.startswith("jms_")
    assert api_token_user(raw).username == "ani"
    token = ApiToken.objects.get()
    assert token.name == "dashboard"
    assert raw not in {token.digest, token.prefix}
    assert abs(token.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    event = AuditEvent.objects.get(action="create", target_type="access.apitoken")
    assert event.actor_name == operator
    assert raw not in str(event.detail) + event.target_label
    assert raw not in run("list", "--tokens")


def test_token_without_expiry(regions, operator):
    run("grant", "ani", "--role", "analyst")
    out = run("token", "ani", "--name", "batch", "--days", "0")
    assert "never expires" in out
    assert ApiToken.objects.get().expires_at is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--name", "x"], "No account named 'nobody'"),
        (["ani", "--name", "x", "--days", "-1"], "--days must be 0"),
        (["disabled", "--name", "x"], "is disabled"),
    ],
)
def test_token_refusals(regions, operator, args, message):
    run("grant", "ani", "--role", "analyst")
    get_user_model().objects.create_user("disabled", is_active=False)
    with pytest.raises(CommandError, match=message):
        run("token", *args)
    assert not ApiToken.objects.exists()


def test_revoke_token_by_prefix(regions, operator):
    run("grant", "ani", "--role", "analyst")
    raw = run("token", "ani", "--name", "dashboard").splitlines()[1]
    # when
    out = run("revoke-token", raw[:8])
    # then
    assert "Revoked" in out
    assert api_token_user(raw) is None
    assert ApiToken.objects.get().revoked_at is not None
    event = AuditEvent.objects.get(action="update", target_type="access.apitoken")
    assert event.changes == {"revoked": [False, True]}
    with pytest.raises(CommandError, match="No active token"):
        run("revoke-token", raw[:8])


def test_revoke_token_refusals_and_ambiguity(regions, operator):
    run("grant", "ani", "--role", "analyst")
    first = run("token", "ani", "--name", "one").splitlines()[1]
    second = run("token", "ani", "--name", "two").splitlines()[1]
    ApiToken.objects.update(prefix=first[:8])  # two tokens that start alike
    with pytest.raises(CommandError, match="looks like"):
        run("revoke-token", "abc")
    with pytest.raises(CommandError, match="2 active tokens"):
        run("revoke-token", first[:8])
    # the whole token chooses one
    run("revoke-token", second)
    assert api_token_user(second) is None
    assert api_token_user(first).username == "ani"


@pytest.mark.parametrize("weak", ["1", "12345678901234", "pendek"])
def test_the_configured_validators_refuse_a_weak_password(regions, operator, monkeypatch, weak):
    monkeypatch.setattr(users_command.getpass, "getpass", lambda prompt: weak)
    with pytest.raises(CommandError):
        run("grant", "dewi", "--role", "analyst", "--password-prompt")
    assert not get_user_model().objects.filter(username="dewi").exists()
