"""Django settings, read from the environment.

DATABASE_URL picks the database (default: a SQLite file under var/). Debug is off unless a
developer sets JAMSOS_DEBUG=1. The secret key is JAMSOS_SECRET_KEY, or else one generated once
per installation into var/secret_key. JAMSOS_PRODUCTION=1 turns on the production profile (HTTPS
only, HSTS, secure cookies, a session idle timeout); docs/deployment.md lists every variable.
"""

from __future__ import annotations

import os
import re
import warnings
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = Path(os.environ.get("JAMSOS_HOME", PACKAGE_DIR.parent.parent))
VAR_DIR = Path(os.environ.get("JAMSOS_VAR_DIR", PROJECT_DIR / "var"))
SHARED_DIR = Path(os.environ.get("JAMSOS_SHARED_DIR", PROJECT_DIR.parent / "shared"))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {value!r}).") from None


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless a developer turns it on: a debug page shows settings, local variables and every URL.
DEBUG = _bool("JAMSOS_DEBUG", False)
# The production profile (docs/deployment.md): HTTPS only, HSTS, secure cookies, an idle timeout.
PRODUCTION = _bool("JAMSOS_PRODUCTION", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("JAMSOS_PRODUCTION=1 and JAMSOS_DEBUG=1 cannot be on together.")

#: The key this repository once shipped as its default; it is public, so it never signs anything.
REPOSITORY_DEFAULT_SECRET_KEY = "local-only-secret-key-change-me-in-production-0123456789abcdef"
SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY_MIN_LENGTH = 50


def _installation_secret_key(path: Path) -> str:
    """The key of this installation: written once into ``path`` (mode 0600), read after.

    The key is written to a private scratch file first and linked into place, so that two
    processes starting at once (the web server and the task worker) read the same whole key.
    """
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            scratch = path.with_name(f".{path.name}.{os.getpid()}")
            fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(get_random_secret_key() + "\n")
            try:
                os.link(scratch, path)
            except FileExistsError:
                pass  # another process was first: its key is the installation's
            finally:
                scratch.unlink()
        except OSError as error:
            raise ImproperlyConfigured(
                f"Cannot write the secret key file {path} ({error.strerror}); "
                "set JAMSOS_SECRET_KEY instead."
            ) from error
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = os.environ.get("JAMSOS_SECRET_KEY", "").strip() or _installation_secret_key(
    SECRET_KEY_FILE
)
if not DEBUG and (
    SECRET_KEY == REPOSITORY_DEFAULT_SECRET_KEY or len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
):
    raise ImproperlyConfigured(
        "JAMSOS_SECRET_KEY is the repository's public default or shorter than "
        f'{SECRET_KEY_MIN_LENGTH} characters. Set a long random key (python -c "from '
        'django.core.management.utils import get_random_secret_key as k; print(k())"), or '
        f"unset it to use the installation's own key in {SECRET_KEY_FILE}."
    )
ALLOWED_HOSTS = _list("JAMSOS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    # WhiteNoise serves static files under `runserver` too, the same way with debug on or off.
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "jamsos.core",
    "jamsos.jobs",
    "jamsos.registry",
    "jamsos.membership",
    "jamsos.access",
    "jamsos.uploads",
    "jamsos.billing",
    "jamsos.claims",
    "jamsos.coverage",
    "jamsos.partners",
    "jamsos.selfservice",
    "jamsos.agents",
    "jamsos.employer_signup",
    "jamsos.calculator",
    "jamsos.notifications",
    "jamsos.web",
    "jamsos.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content Security Policy header on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jamsos.web.middleware.IndonesianFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jamsos.access.middleware.AuditOriginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jamsos.web.middleware.RawInputGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a locked-out sign-in into the locked-out page (AXES_LOCKOUT_TEMPLATE).
    "axes.middleware.AxesMiddleware",
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
                "jamsos.config.nav.nav",
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

# --- messages (docs/notifications.md, docs/deployment.md) ---------------------------------------
# E-mail goes through Django's e-mail framework. In production (JAMSOS_PRODUCTION=1) it is SMTP
# with the JAMSOS_EMAIL_* variables; elsewhere every e-mail is written as a file under var/mail/,
# so a laptop never sends one by accident. JAMSOS_EMAIL_BACKEND names another backend outright.
EMAIL_BACKEND = os.environ.get(
    "JAMSOS_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("JAMSOS_EMAIL_HOST", "localhost")
EMAIL_PORT = _int("JAMSOS_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("JAMSOS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("JAMSOS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _bool("JAMSOS_EMAIL_STARTTLS", True)
EMAIL_USE_SSL = _bool("JAMSOS_EMAIL_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    EMAIL_USE_TLS = False  # implicit TLS (port 465) replaces STARTTLS
EMAIL_TIMEOUT = _int("JAMSOS_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("JAMSOS_EMAIL_FROM", "Jamsos <noreply@jamsos.localhost>")
# SMS and WhatsApp go through an HTTP provider; "file" (the default outside production) writes
# each request to var/messages/ instead of sending it, "" turns the channel off.
NOTIFICATIONS = {
    "SMS_PROVIDER": os.environ.get("JAMSOS_SMS_PROVIDER", "" if PRODUCTION else "file"),
    "SMS_URL": os.environ.get("JAMSOS_SMS_URL", "https://api.twilio.com"),
    "SMS_ACCOUNT": os.environ.get("JAMSOS_SMS_ACCOUNT_SID", ""),
    "SMS_TOKEN": os.environ.get("JAMSOS_SMS_TOKEN", ""),
    "SMS_FROM": os.environ.get("JAMSOS_SMS_FROM", ""),
    "WHATSAPP_PROVIDER": os.environ.get("JAMSOS_WHATSAPP_PROVIDER", "" if PRODUCTION else "file"),
    "WHATSAPP_URL": os.environ.get("JAMSOS_WHATSAPP_URL", "https://graph.facebook.com/v21.0"),
    "WHATSAPP_PHONE_NUMBER_ID": os.environ.get("JAMSOS_WHATSAPP_PHONE_NUMBER_ID", ""),
    "WHATSAPP_TOKEN": os.environ.get("JAMSOS_WHATSAPP_TOKEN", ""),
    "HTTP_TIMEOUT": _int("JAMSOS_MESSAGE_HTTP_TIMEOUT", 15),
    "FILE_DIR": str(VAR_DIR / "messages"),
    "MAX_ATTEMPTS": _int("JAMSOS_MESSAGE_MAX_ATTEMPTS", 6),
}

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [
    PACKAGE_DIR / "locale",
    PACKAGE_DIR / "uploads" / "locale",
    PACKAGE_DIR / "billing" / "locale",
    PACKAGE_DIR / "claims" / "locale",
    PACKAGE_DIR / "coverage" / "locale",
    PACKAGE_DIR / "partners" / "locale",
    PACKAGE_DIR / "jobs" / "locale",
    PACKAGE_DIR / "calculator" / "locale",
    PACKAGE_DIR / "notifications" / "locale",
    PACKAGE_DIR / "selfservice" / "locale",
    PACKAGE_DIR / "agents" / "locale",
    PACKAGE_DIR / "employer_signup" / "locale",
]
# The site's address, for links in e-mails sent outside a request (the command line).
SITE_URL = os.environ.get("JAMSOS_SITE_URL", "http://127.0.0.1:8000")
# One date format on every page (6 Des 2026), numbers grouped the language's way (docs/language.md).
FORMAT_MODULE_PATH = ["jamsos.config.formats"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Static files are served by the application itself (WhiteNoise), never from a CDN. By default
# they are found in the apps' static/ folders, so `make run` needs no collectstatic. With
# JAMSOS_STATIC_MANIFEST=1 (on by default in the production profile) they are served from
# STATIC_ROOT as compressed files with hashed names, cached for a year: run
# `jamsos collectstatic --no-input` at each deployment.
STATIC_MANIFEST = _bool("JAMSOS_STATIC_MANIFEST", PRODUCTION)

# A self-paying BPU participant's virtual account and first invoice are issued in the
# registration's transaction (docs/workers.md); off, they wait for the worker's page or the run.
BILL_BPU_AT_REGISTRATION = _bool("JAMSOS_BILL_BPU_AT_REGISTRATION", True)
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
if WHITENOISE_USE_FINDERS:
    # The files come from the apps' folders; STATIC_ROOT exists only after a collectstatic.
    warnings.filterwarnings("ignore", message=f"No directory at: {re.escape(str(STATIC_ROOT))}")
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "work-home"
LOGOUT_REDIRECT_URL = "home"

# --- signing in --------------------------------------------------------------------------------
# django-axes counts failed sign-ins per account name and client address together: after
# AXES_FAILURE_LIMIT failures in a row that pair is locked out for AXES_COOLOFF_TIME, even with
# the right password, and shown the locked-out page. A success resets the count.
# Sign-ins, failures and lockouts are written to the audit trail (jamsos.access.signin).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = _int("JAMSOS_SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=_int("JAMSOS_SIGNIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/registry/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address"]
# The client's address is REMOTE_ADDR, as the audit trail reads it.
AXES_VERBOSE = False

# --- the shared cache, and abuse limits (docs/security-abuse.md) ------------------------------
# The limits below count requests in Django's cache, which every process (the web server's
# workers, the task worker) must share. By default it is a table of the database itself
# (`jamsos migrate` creates it); JAMSOS_CACHE_URL=redis://host:6379/0 uses Redis instead, as a
# production server with several processes or hosts should (docs/deployment.md).
CACHE_URL = os.environ.get("JAMSOS_CACHE_URL", "").strip()
CACHE_TABLE = "jamsos_cache"
CACHES: dict[str, dict[str, Any]]
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "jamsos",
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured(
        f"JAMSOS_CACHE_URL must be a redis://, rediss:// or unix:// address (got {CACHE_URL!r}); "
        "leave it unset to keep the cache in the database."
    )
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "KEY_PREFIX": "jamsos",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }


def _rate(name: str, default: str) -> str:
    """A limit as ``COUNT/PERIOD`` (``20/10m``: 20 requests in 10 minutes; s, m, h, d)."""
    value = os.environ.get(name, "").strip() or default
    if not re.fullmatch(r"[1-9][0-9]*/[1-9][0-9]*[smhd]", value):
        raise ImproperlyConfigured(
            f"{name} must read COUNT/PERIOD, for example 20/10m (s, m, h or d); got {value!r}."
        )
    return value


# Requests allowed to an anonymous caller (or a signed-in account without a role), per client
# address (REMOTE_ADDR; an IPv6 address counts by its /64 network) and, for self-registration,
# per NIK whatever the address. Past a limit the answer is 429 until the period ends.
# Signing in is also counted by django-axes per account name and address (below).
ABUSE_LIMITS = {
    # BPU self-registration: the public form and POST /api/v1/registrations/bpu together.
    "register.address": _rate("JAMSOS_LIMIT_REGISTER_PER_ADDRESS", "20/10m"),
    "register.nik": _rate("JAMSOS_LIMIT_REGISTER_PER_NIK", "5/1h"),
    # The public simulator, the calculation API and the regions API.
    "public.address": _rate("JAMSOS_LIMIT_PUBLIC_PER_ADDRESS", "120/1m"),
    # Sign-in forms sent from one address, whatever the account name.
    "signin.address": _rate("JAMSOS_LIMIT_SIGNIN_PER_ADDRESS", "30/10m"),
    # A worker's one-time codes asked and identity checks failed (jamsos.selfservice).
    "code.address": _rate("JAMSOS_LIMIT_CODE_PER_ADDRESS", "20/1h"),
    "code.nik": _rate("JAMSOS_LIMIT_CODE_PER_NIK", "5/1h"),
    # "Am I protected?" (jamsos.selfservice): checks sent from one address, and on one NIK.
    "check.address": _rate("JAMSOS_LIMIT_CHECK_PER_ADDRESS", "20/10m"),
    "check.nik": _rate("JAMSOS_LIMIT_CHECK_PER_NIK", "5/1h"),
}

# Passwords people set (`jamsos users grant --password-prompt`, any form) are checked by these
# validators. The demo accounts' shared password is set directly by the demo builder
# (jamsos.demo.accounts), which is not a person choosing a password, and is not checked.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id for new and changed passwords; older hashes are still read and upgraded on sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# --- security --------------------------------------------------------------------------------
# Always: no MIME sniffing, no framing, no referrer sent to other sites.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Origins allowed to POST forms besides the site's own host, e.g. https://jamsos.example.go.id
CSRF_TRUSTED_ORIGINS = _list("JAMSOS_TRUSTED_ORIGINS")

# The Content Security Policy (django-csp), in every profile: the pages run only the site's own
# script files (no inline script, no eval, nothing from another origin), apply only its own
# style sheets, and may not be framed. The one hash is that of an empty <style> element: Plotly
# creates one and fills it through the CSSOM (insertRule, which the policy allows), so nothing
# but empty text is let through. Plotly also sets style attributes on the chart's SVG as it
# draws, so style attributes (style-src-attr) are allowed; they cannot run script or load
# anything from another origin (img-src and font-src stay the site's), and the templates write
# none (web/tests/test_csp.py). Images: the site's own, and the data:/blob: ones Plotly and
# the API docs draw.
EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, EMPTY_STYLE_HASH],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

if PRODUCTION:
    # HTTPS only. The site runs behind a reverse proxy that ends TLS and sets X-Forwarded-Proto
    # (it must overwrite any value the client sent); Django trusts that header to know a request
    # came over HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = _int("JAMSOS_HSTS_SECONDS", 31_536_000)  # one year
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # A session ends after this many minutes without a request (an idle timeout: every request
    # starts the time again), and when the browser closes.
    SESSION_COOKIE_AGE = _int("JAMSOS_SESSION_IDLE_MINUTES", 30) * 60
    SESSION_SAVE_EVERY_REQUEST = True
    SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# With debug off, Django only mails a server error to ADMINS; it is written to the standard error
# as well, where the server's log keeps it (with debug on, Django prints it already).
# Request lines (`runserver`'s django.server) and request errors (django.request) pass through
# `redact_personal_numbers` first: query strings are dropped and any 16-digit number (a NIK) is
# masked, so that no search text or NIK reaches a log (jamsos.config.logfilters).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "debug_off": {"()": "django.utils.log.RequireDebugFalse"},
        "redact_personal_numbers": {"()": "jamsos.config.logfilters.RedactRequestLines"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "errors": {
            "level": "ERROR",
            "class": "logging.StreamHandler",
            "filters": ["debug_off", "redact_personal_numbers"],
        },
        "django.server": {
            "level": "INFO",
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_personal_numbers"],
        },
    },
    "loggers": {
        "django.request": {
            "handlers": ["errors"],
            "level": "ERROR",
            "filters": ["redact_personal_numbers"],
        },
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_personal_numbers"],
        },
    },
}
