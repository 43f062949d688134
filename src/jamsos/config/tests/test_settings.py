"""Settings read from the environment: debug off by default, a secret key of the installation's
own, refusal to start on the repository's public key, and a production profile that passes
``jamsos check --deploy``.

Each case imports the settings in a fresh interpreter with a clean environment (no JAMSOS_* or
DJANGO_* variable but the ones given), as a server starting would.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

OLD_DEFAULT_KEY = "local-only-secret-key-change-me-in-production-0123456789abcdef"
LONG_KEY = "k3y-0f-a-test-s3rver-" + "x8Q!" * 10  # 61 characters, varied enough for the check

#: The production environment docs/deployment.md documents.
PRODUCTION_ENV = {
    "JAMSOS_PRODUCTION": "1",
    "JAMSOS_SECRET_KEY": LONG_KEY,
    "JAMSOS_ALLOWED_HOSTS": "jamsos.example.go.id",
    "JAMSOS_TRUSTED_ORIGINS": "https://jamsos.example.go.id",
}

SHOW = (
    "from django.conf import settings as s; "
    "print(s.DEBUG, len(s.SECRET_KEY), s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
)


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("JAMSOS_", "DJANGO_"))}
    clean.update(
        {
            "DJANGO_SETTINGS_MODULE": "jamsos.config.settings",
            "JAMSOS_VAR_DIR": str(tmp_path / "var"),
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, *args], env=clean, capture_output=True, text=True, timeout=120
    )


def _python(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return _run(["-c", code], tmp_path, **env)


def _jamsos(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return _run(["-c", "from jamsos.cli import main; main()", *args], tmp_path, **env)


def test_debug_is_off_when_nothing_is_set(tmp_path: Path) -> None:
    done = _python(SHOW, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "False"


def test_a_developer_turns_debug_on(tmp_path: Path) -> None:
    done = _python(SHOW, tmp_path, JAMSOS_DEBUG="1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "True"


def test_a_new_installation_gets_its_own_key_once(tmp_path: Path) -> None:
    show_key = "from django.conf import settings as s; print(s.SECRET_KEY)"
    first = _python(show_key, tmp_path)
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "var" / "secret_key"
    key = key_file.read_text().strip()
    assert first.stdout.strip() == key
    assert len(key) >= 50
    assert key != OLD_DEFAULT_KEY
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = _python(show_key, tmp_path)
    assert again.stdout.strip() == key  # read back, not made again
    assert [p.name for p in key_file.parent.iterdir()] == ["secret_key"]  # no scratch left


def test_the_environment_key_wins_and_no_file_is_written(tmp_path: Path) -> None:
    done = _python(
        "from django.conf import settings as s; print(s.SECRET_KEY)",
        tmp_path,
        JAMSOS_SECRET_KEY=LONG_KEY,
    )
    assert done.stdout.strip() == LONG_KEY
    assert not (tmp_path / "var" / "secret_key").exists()


@pytest.mark.parametrize("key", [OLD_DEFAULT_KEY, "short-key"])
def test_refuses_to_start_with_the_public_or_a_short_key_and_debug_off(
    tmp_path: Path, key: str
) -> None:
    done = _python(SHOW, tmp_path, JAMSOS_SECRET_KEY=key)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "JAMSOS_SECRET_KEY" in done.stderr
    assert key not in done.stderr  # the message names the problem, not the key


def test_a_developer_with_debug_on_may_keep_the_old_key(tmp_path: Path) -> None:
    done = _python(SHOW, tmp_path, JAMSOS_SECRET_KEY=OLD_DEFAULT_KEY, JAMSOS_DEBUG="1")
    assert done.returncode == 0, done.stderr


def test_production_and_debug_cannot_be_on_together(tmp_path: Path) -> None:
    done = _python(SHOW, tmp_path, **PRODUCTION_ENV, JAMSOS_DEBUG="1")
    assert done.returncode != 0
    assert "JAMSOS_PRODUCTION" in done.stderr


def test_the_production_profile(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; print(repr(("
        "s.DEBUG, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD,"
        " s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_PROXY_SSL_HEADER, s.CSRF_TRUSTED_ORIGINS, s.SESSION_COOKIE_AGE,"
        " s.SESSION_SAVE_EVERY_REQUEST, s.STORAGES['staticfiles']['BACKEND'])))"
    )
    done = _python(code, tmp_path, **PRODUCTION_ENV, JAMSOS_SESSION_IDLE_MINUTES="20")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == repr(
        (
            False,
            31_536_000,
            True,
            True,
            True,
            True,
            True,
            ("HTTP_X_FORWARDED_PROTO", "https"),
            ["https://jamsos.example.go.id"],
            20 * 60,
            True,
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    )


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path: Path) -> None:
    done = _jamsos(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, **PRODUCTION_ENV)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
    assert "WARNING" not in done.stdout + done.stderr


def test_check_deploy_warns_without_the_production_profile(tmp_path: Path) -> None:
    """The clean check above is the profile's doing, not a check that cannot fail."""
    done = _jamsos(["check", "--deploy"], tmp_path)
    assert "security.W004" in done.stdout + done.stderr  # no HSTS
