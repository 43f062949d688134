"""Abuse limits count in a cache every process shares: the database by default, Redis with
JAMSOS_CACHE_URL. Never a per-process memory, where each server worker would count alone."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from jamsos.access.errors import TooManyRequests
from jamsos.access.limits import Rate, client_address, count_request, enforce, nik_key
from jamsos.access.models import RefusalCount, RefusalReason, Role
from jamsos.access.scope import Scope
from jamsos.access.selectors import refusal_counts
from jamsos.access.services import refusal_count_add
from jamsos.core.clock import today_in_jakarta
from jamsos.core.errors import NotPermitted

REDIS_URL = "redis://127.0.0.1:6379/15"


def _python(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter with a clean environment, as a server starting would."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("JAMSOS_", "DJANGO_"))}
    clean.update(
        {
            "DJANGO_SETTINGS_MODULE": "jamsos.config.settings",
            "JAMSOS_VAR_DIR": str(tmp_path / "var"),
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=120
    )


SHOW_CACHE = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'backend': s.CACHES['default']['BACKEND'], "
    "'location': s.CACHES['default'].get('LOCATION'), 'limits': s.ABUSE_LIMITS}))"
)

COUNT = (
    "import django, json; django.setup(); "
    "from jamsos.access.limits import count_request; "
    "print(json.dumps(count_request('register.address', 'shared-{key}')[0]))"
)


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url():
    """Redis on 127.0.0.1:6379; skipped when it is not there, except under CI (.ci/run starts
    it), where its absence fails."""
    if not redis_reachable():
        if os.environ.get("CI"):
            pytest.fail("Redis is not reachable on 127.0.0.1:6379 under CI (.ci/run starts it)")
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    return REDIS_URL


# --- settings -----------------------------------------------------------------------------------


def test_the_default_cache_is_the_database_not_a_per_process_memory(tmp_path):
    done = _python(SHOW_CACHE, tmp_path)
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["backend"] == "django.core.cache.backends.db.DatabaseCache"
    assert "locmem" not in shown["backend"].lower()
    assert shown["location"] == "jamsos_cache"
    assert shown["limits"] == {
        "register.address": "20/10m",
        "register.nik": "5/1h",
        "public.address": "120/1m",
        "signin.address": "30/10m",
        "code.address": "20/1h",
        "code.nik": "5/1h",
        "check.address": "20/10m",
        "check.nik": "5/1h",
    }


def test_the_tests_count_in_the_database_cache_too():
    assert isinstance(caches["default"], DatabaseCache)


def test_a_redis_url_uses_redis_and_limits_are_settings(tmp_path):
    done = _python(
        SHOW_CACHE,
        tmp_path,
        JAMSOS_CACHE_URL="redis://cache.internal:6379/0",
        JAMSOS_LIMIT_REGISTER_PER_NIK="3/1d",
    )
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["backend"] == "django.core.cache.backends.redis.RedisCache"
    assert shown["location"] == "redis://cache.internal:6379/0"
    assert shown["limits"]["register.nik"] == "3/1d"


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"JAMSOS_CACHE_URL": "memcached://x:11211"}, "JAMSOS_CACHE_URL must be a redis://"),
        ({"JAMSOS_LIMIT_PUBLIC_PER_ADDRESS": "lots"}, "must read COUNT/PERIOD"),
        ({"JAMSOS_LIMIT_SIGNIN_PER_ADDRESS": "0/1m"}, "must read COUNT/PERIOD"),
    ],
)
def test_a_wrong_cache_or_limit_setting_refuses_to_start(tmp_path, env, says):
    done = _python(SHOW_CACHE, tmp_path, **env)
    assert done.returncode != 0
    assert says in done.stderr


def test_rates_read_count_and_period():
    assert Rate.parse("20/10m") == Rate(count=20, seconds=600)
    assert Rate.parse("5/1h") == Rate(count=5, seconds=3600)
    assert Rate.parse("3/2d") == Rate(count=3, seconds=172800)
    with pytest.raises(ValueError, match="COUNT/PERIOD"):
        Rate.parse("5 per hour")


# --- counting -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_two_cache_instances_count_together():
    # given: two separate connections to the configured cache, as two processes hold
    first = caches.create_connection("default")
    second = caches.create_connection("default")
    assert first is not second
    key = f"two-{uuid.uuid4().hex}"
    # when
    counts = [
        count_request("register.address", key, backend=backend)[0]
        for backend in (first, second, first, second)
    ]
    # then
    assert counts == [1, 2, 3, 4]


@pytest.mark.django_db
def test_a_count_keeps_its_period_and_a_new_period_starts_again():
    # given: the start of an hour
    start = (time.time() // 3600 + 1) * 3600
    # when
    assert count_request("register.nik", "k", now=start)[0] == 1
    # then
    assert count_request("register.nik", "k", now=start + 600) == (2, 3000)
    assert count_request("register.nik", "k", now=start + 3600) == (1, 3600)


@pytest.mark.django_db
def test_counting_again_does_not_shorten_the_life_of_a_count(settings):
    """Django's own ``incr`` on the database cache writes the default timeout (300 s) again;
    the limits write the end of the period every time."""
    settings.ABUSE_LIMITS = {**settings.ABUSE_LIMITS, "register.nik": "5/1d"}
    count_request("register.nik", "life")
    count, left = count_request("register.nik", "life")
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM jamsos_cache WHERE cache_key LIKE %s", ["%:life:%"])
        (expires,) = cursor.fetchone()
    if isinstance(expires, str):
        expires = datetime.fromisoformat(expires)
    if timezone.is_naive(expires):
        expires = expires.replace(tzinfo=UTC)
    assert count == 2
    assert abs(expires.timestamp() - (time.time() + left)) < 5


def test_two_processes_count_together_in_the_database_cache(tmp_path):
    # given: one SQLite file with the cache table, as `jamsos migrate` creates it
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}"}
    made = _python(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('createcachetable')",
        tmp_path,
        **env,
    )
    assert made.returncode == 0, made.stderr
    key = uuid.uuid4().hex
    # when: two processes count one after the other
    counts = [_python(COUNT.format(key=key), tmp_path, **env) for _ in range(2)]
    # then
    assert [c.returncode for c in counts] == [0, 0], [c.stderr for c in counts]
    assert [json.loads(c.stdout) for c in counts] == [1, 2]


def test_two_processes_and_two_instances_count_together_in_redis(tmp_path, redis_url, settings):
    # given
    key = uuid.uuid4().hex
    env = {"JAMSOS_CACHE_URL": redis_url}
    # when: two processes count, then this one with two instances of its own
    counts = [_python(COUNT.format(key=key), tmp_path, **env) for _ in range(2)]
    assert [c.returncode for c in counts] == [0, 0], [c.stderr for c in counts]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "jamsos",
        }
    }
    first, second = caches.create_connection("default"), caches.create_connection("default")
    here = [
        count_request("register.address", f"shared-{key}", backend=b)[0] for b in (first, second)
    ]
    # then
    assert [json.loads(c.stdout) for c in counts] + here == [1, 2, 3, 4]
    period = int(time.time() // 600)
    stored = first.get(f"limit:register.address:shared-{key}:600:{period}")
    assert stored == 4
    ttl = first._cache.get_client(write=False).ttl(
        first.make_and_validate_key(f"limit:register.address:shared-{key}:600:{period}")
    )
    assert 0 < ttl <= 601
    first.delete(f"limit:register.address:shared-{key}:600:{period}")


# --- refusing and counting refusals ----------------------------------------------------------


@pytest.mark.django_db
def test_past_the_limit_the_refusal_is_counted_and_raised(settings):
    settings.ABUSE_LIMITS = {**settings.ABUSE_LIMITS, "public.address": "2/1m"}
    for _ in range(2):
        enforce(route="test", limit="public.address", key="a", reason=RefusalReason.LIMIT_ADDRESS)
    with pytest.raises(TooManyRequests) as raised:
        enforce(route="test", limit="public.address", key="a", reason=RefusalReason.LIMIT_ADDRESS)
    assert raised.value.http_status == 429
    assert raised.value.code == "access.too_many_requests"
    assert 1 <= raised.value.retry_after <= 60
    assert raised.value.message_in("id").startswith("Terlalu banyak permintaan")
    assert "Wait 1 min." in raised.value.message_in("en")
    row = RefusalCount.objects.get()
    assert (row.route, row.reason, row.count) == ("test", "limit_address", 1)


@pytest.mark.django_db
def test_refusals_are_counted_per_day_route_and_reason():
    now = timezone.now()
    for _ in range(3):
        refusal_count_add(route="web:masuk", reason=RefusalReason.LIMIT_ADDRESS, now=now)
    refusal_count_add(route="web:masuk", reason=RefusalReason.LIMIT_NIK, now=now)
    refusal_count_add(
        route="web:masuk", reason=RefusalReason.LIMIT_ADDRESS, now=now - timedelta(days=1)
    )
    rows = {(r.day, r.reason): r.count for r in RefusalCount.objects.all()}
    today = today_in_jakarta(now)
    assert rows == {
        (today, "limit_address"): 3,
        (today, "limit_nik"): 1,
        (today - timedelta(days=1), "limit_address"): 1,
    }


@pytest.mark.django_db
def test_only_an_administrator_reads_the_counts():
    refusal_count_add(route="api:regions", reason=RefusalReason.LIMIT_ADDRESS)
    admin = Scope(role=Role.ADMIN, actor_name="admin")
    totals = refusal_counts(admin, days=1)
    assert totals.total == 1
    assert totals.since == today_in_jakarta()
    for role in (Role.ANALYST, Role.BRANCH_OFFICER, Role.WORKER, None):
        with pytest.raises(NotPermitted):
            refusal_counts(Scope(role=role, actor_name="x"), days=1)


@pytest.mark.django_db
def test_the_command_shows_one_line_per_count_and_a_total(django_user_model):
    refusal_count_add(route="api:registrations/bpu", reason=RefusalReason.NIK_UNPROVEN)
    refusal_count_add(route="api:registrations/bpu", reason=RefusalReason.NIK_UNPROVEN)
    out = StringIO()
    call_command("refusals", "--days", "2", "--lang", "en", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["day", "route", "reason", "count"]
    assert lines[2].split() == [
        today_in_jakarta().isoformat(),
        "api:registrations/bpu",
        "nik_unproven",
        "2",
    ]
    assert lines[-1].startswith("2 requests refused since")
    # an account that is not an administrator is refused
    get_user_model().objects.create_user(username="plain")
    with pytest.raises(CommandError, match="may not see the counts"):
        call_command("refusals", "--as", "plain", "--lang", "en", stdout=StringIO())


def test_addresses_and_niks_as_the_limits_count_them(rf, settings):
    assert client_address(rf.get("/", REMOTE_ADDR="192.0.2.5")) == "192.0.2.5"
    assert client_address(rf.get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")) == "2001:db8:1:2::/64"
    assert client_address(rf.get("/", REMOTE_ADDR="")) == "unknown"
    key = nik_key("3204054907880321")
    assert len(key) == 32
    assert "3204054907880321" not in key
    assert key == nik_key("3204054907880321") != nik_key("3204054907880322")
    settings.SECRET_KEY = "another-installation-" + "y" * 40
    assert nik_key("3204054907880321") != key
