"""Django settings, read from the environment.

DATABASE_URL picks the database (default: a SQLite file under var/). JAMSOS_SECRET_KEY and
JAMSOS_DEBUG matter in production; the defaults are for a local machine.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = Path(os.environ.get("JAMSOS_HOME", PACKAGE_DIR.parent.parent))
VAR_DIR = Path(os.environ.get("JAMSOS_VAR_DIR", PROJECT_DIR / "var"))
SHARED_DIR = Path(os.environ.get("JAMSOS_SHARED_DIR", PROJECT_DIR.parent / "shared"))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _bool("JAMSOS_DEBUG", True)
SECRET_KEY = os.environ.get(
    "JAMSOS_SECRET_KEY", "local-only-secret-key-change-me-in-production-0123456789abcdef"
)
ALLOWED_HOSTS = [
    h
    for h in os.environ.get("JAMSOS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "jamsos.core",
    "jamsos.jobs",
    "jamsos.registry",
    "jamsos.membership",
    "jamsos.access",
    "jamsos.uploads",
    "jamsos.billing",
    "jamsos.coverage",
    "jamsos.partners",
    "jamsos.calculator",
    "jamsos.web",
    "jamsos.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jamsos.web.middleware.IndonesianFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jamsos.access.middleware.AuditOriginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "jamsos.config.urls"
WSGI_APPLICATION = "jamsos.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jamsos.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
# Tests run on a database Django creates beside the configured one (test_<name>). `make test`
# runs them again on PostgreSQL by pointing DATABASE_URL at JAMSOS_TEST_DATABASE_URL. When both
# are set and name different databases, the second names the test database itself, so that
# several test runs can share one server.
_test_url = os.environ.get("JAMSOS_TEST_DATABASE_URL")
if _test_url:
    _test_name = dj_database_url.parse(_test_url)["NAME"]
    if _test_name != DATABASES["default"]["NAME"]:
        DATABASES["default"]["TEST"] = {"NAME": _test_name}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Long work started from a page runs in the task worker (`jamsos db_worker`, started by
# `make run` beside the web server): django-tasks with its database backend, so the queue is a
# table of the same database, on SQLite and PostgreSQL, with no other server (ADR 0106).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("JAMSOS_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [
    PACKAGE_DIR / "locale",
    PACKAGE_DIR / "uploads" / "locale",
    PACKAGE_DIR / "billing" / "locale",
    PACKAGE_DIR / "coverage" / "locale",
    PACKAGE_DIR / "partners" / "locale",
    PACKAGE_DIR / "jobs" / "locale",
]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "work-home"
LOGOUT_REDIRECT_URL = "home"
