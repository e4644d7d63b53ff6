"""Django settings, all from the environment (see docs/console.md). Defaults give a laptop
console on SQLite; `SIAGA_PRODUCTION=1` with a secret key and hosts gives a server. DEBUG is off
in every mode a user runs (a 500 shows siaga/templates/500.html, never a traceback);
`SIAGA_DEBUG=1` is for developers only."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
ROOT = BASE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    try:
        return default if value is None else int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database(url: str | None) -> dict[str, object]:
    """SQLite (WAL, IMMEDIATE transactions, a busy timeout) unless DATABASE_URL names PostgreSQL."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SIAGA_SQLITE", str(ROOT / "var" / "siaga.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
            "TEST": {"NAME": os.environ.get("SIAGA_SQLITE_TEST") or None},
        }
    scheme = urlparse(url).scheme
    if scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured(f"DATABASE_URL must start with postgres://, not {scheme}://")
    # dj-database-url keeps the query's options (`?sslmode=require&sslrootcert=...`) in OPTIONS.
    parsed: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    parsed["PORT"] = str(parsed.get("PORT") or "")
    return parsed


PRODUCTION = env_bool("SIAGA_PRODUCTION", False)
DEBUG = env_bool("SIAGA_DEBUG", False)
SECRET_KEY = os.environ.get("SIAGA_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SIAGA_SECRET_KEY must be set in production")
    SECRET_KEY = "siaga-development-only-not-secret-" + "x" * 20
ALLOWED_HOSTS = env_list("SIAGA_ALLOWED_HOSTS", "127.0.0.1,localhost" if not PRODUCTION else "")
CSRF_TRUSTED_ORIGINS = env_list("SIAGA_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "siaga.accounts",
    "siaga.audit",
    "siaga.operations",
    "siaga.plans",
    "siaga.field",
    "django_q",
    "siaga.jobs",
]

MIDDLEWARE = [
    "siaga.web.csp.ContentSecurityPolicyMiddleware",  # outermost: every answer carries the policy
    "siaga.web.middleware.ContentLengthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files with DEBUG off, laptop and server
    "django.contrib.sessions.middleware.SessionMiddleware",
    "siaga.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "siaga.accounts.middleware.LoginRequiredMiddleware",
    "siaga.web.middleware.MethodNotAllowedPageMiddleware",  # innermost: it renders with the user known
]

ROOT_URLCONF = "siaga.web.urls"
WSGI_APPLICATION = "siaga.web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "siaga.accounts.context.role",
            ]
        },
    }
]

DATABASES = {"default": database(os.environ.get("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SIAGA_SESSION_SECONDS", 8 * 3600)  # one duty shift
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Failed logins are slowed down per (user name, address) pair, never locked: after
# SIAGA_LOGIN_FAILURES failures the pair waits 2, 4, 8 ... seconds (at most SIAGA_LOGIN_MAX_DELAY)
# before its next attempt is even evaluated; other users and other addresses are untouched
# (siaga/accounts/throttle.py, docs/security.md "Masuk dan penguncian").
LOGIN_FAILURE_LIMIT = env_int("SIAGA_LOGIN_FAILURES", 5)
LOGIN_FIRST_DELAY_SECONDS = env_int("SIAGA_LOGIN_FIRST_DELAY", 2)  # then doubled at each failure
LOGIN_MAX_DELAY_SECONDS = env_int("SIAGA_LOGIN_MAX_DELAY", 5 * 60)
LOGIN_FORGET_SECONDS = env_int("SIAGA_LOGIN_FORGET_SECONDS", 24 * 3600)  # a quiet pair starts afresh
# The reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated);
# none by default: the client's address is the connection's (siaga/accounts/addresses.py).
SIAGA_TRUSTED_PROXIES = env_list("SIAGA_TRUSTED_PROXIES")

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("SIAGA_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("SIAGA_STATIC_ROOT", str(ROOT / "var" / "static")))
# WhiteNoise serves the static files with DEBUG off: from STATIC_ROOT after `collectstatic` on a
# server, straight from the app folders (finders) on a laptop where nobody ran it.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)  # no collectstatic yet
MEDIA_ROOT = Path(os.environ.get("SIAGA_MEDIA_ROOT", str(ROOT / "var" / "media")))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20

# Map tiles: none unless a URL is configured (nothing leaves the machine by default).
SIAGA_TILE_URL = os.environ.get("SIAGA_TILE_URL", "")
SIAGA_TILE_ATTRIBUTION = os.environ.get("SIAGA_TILE_ATTRIBUTION", "")
# An offline vector base map (roads, rivers, settlements): a PMTiles file made for the Polres area
# (docs/map.md), served by the console itself; empty: none, nothing fetched.
SIAGA_BASEMAP_PMTILES = os.environ.get("SIAGA_BASEMAP_PMTILES", "")
SIAGA_BASEMAP_ATTRIBUTION = os.environ.get("SIAGA_BASEMAP_ATTRIBUTION", "© OpenStreetMap")
# A TPS further than this (metres) outside its desa's outline is named on import and the TPS list.
SIAGA_TPS_OUTSIDE_M = env_int("SIAGA_TPS_OUTSIDE_M", 100)
# The key that signs the QR codes of the assignment cards (created on first use, mode 0600).
SIAGA_CARD_KEY_FILE = os.environ.get("SIAGA_CARD_KEY_FILE", str(ROOT / "var" / "card-key"))
# Plans, re-plans and orders run as jobs on a Django-Q2 queue kept in the database (the ORM
# broker), run by `manage.py worker` (docs/console.md). Tests may run them inline, in the request.
SIAGA_JOBS_INLINE = env_bool("SIAGA_JOBS_INLINE", False)
SIAGA_JOB_TIMEOUT = env_int("SIAGA_JOB_TIMEOUT", 3 * 3600)  # a national plan included
SIAGA_JOB_HEARTBEAT_SECONDS = env_int("SIAGA_JOB_HEARTBEAT_SECONDS", 5)
SIAGA_JOB_STALE_SECONDS = env_int("SIAGA_JOB_STALE_SECONDS", 60)  # no beat for this long: the worker died
SIAGA_JOB_SWEEP_SECONDS = env_int("SIAGA_JOB_SWEEP_SECONDS", 15)
SIAGA_JOB_ATTEMPTS = env_int("SIAGA_JOB_ATTEMPTS", 3)  # runs of a job whose worker keeps dying
# Where a console plan's Polres are planned (siaga.core.planning.engine, docs/scale.md): "local"
# (a pool of SIAGA_PLAN_WORKERS processes, default every core; one Polres runs in the job's own
# process) or "dask" (the cluster at SIAGA_DASK_SCHEDULER, or a LocalCluster made for the run).
# A Polda's server holds many Polres (docs/security.md): an account with no Polres set (but an
# admin's) sees no operation there. Off: a laptop or a Polres's server, where it sees them all.
SIAGA_POLDA_DATABASE = env_bool("SIAGA_POLDA_DATABASE", False)
SIAGA_PLAN_ENGINE = os.environ.get("SIAGA_PLAN_ENGINE", "local")
SIAGA_PLAN_WORKERS = env_int("SIAGA_PLAN_WORKERS", os.cpu_count() or 1)
SIAGA_DASK_SCHEDULER = os.environ.get("SIAGA_DASK_SCHEDULER", "")
if SIAGA_PLAN_ENGINE not in ("local", "dask"):
    raise ImproperlyConfigured(f"SIAGA_PLAN_ENGINE must be local or dask, not {SIAGA_PLAN_ENGINE!r}")
Q_CLUSTER = {
    "name": "siaga",
    "orm": "default",
    "workers": env_int("SIAGA_JOB_WORKERS", 2),
    "timeout": SIAGA_JOB_TIMEOUT,
    # the broker's lease: a message not acknowledged by then is delivered again (our sweep acts sooner)
    "retry": SIAGA_JOB_TIMEOUT + 2 * SIAGA_JOB_STALE_SECONDS,
    "max_attempts": SIAGA_JOB_ATTEMPTS,
    "daemonize_workers": False,  # a plan job starts its own pool of planning processes (or a Dask cluster)
    "ack_failures": True,
    "bulk": 1,
    "poll": 0.5,
    "catch_up": False,
    "save_limit": 200,
    "label": "Antrean",
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SIAGA_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SIAGA_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SIAGA_LOG_LEVEL", "WARNING")},
}
