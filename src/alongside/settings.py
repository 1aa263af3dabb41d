"""Alongside settings: every value comes from the environment, read here and nowhere else.

Profiles (``ALONGSIDE_PROFILE``):

- ``dev`` (default): local development; secrets are generated once into ``var/``.
- ``demo``: like dev, plus the conveniences of the synthetic demo (``alongside otp``).
- ``test``: fixed, throwaway secrets and fast password hashing for the test suite.
- ``production``: secure cookies, HSTS, SMTP; refuses to start without its secrets.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_str(name: str, default: str = "") -> str:
    """Return an environment variable, or ``default`` when unset or empty."""
    return os.environ.get(name, "") or default


def env_bool(name: str, default: bool = False) -> bool:
    """Return a boolean environment variable (1/true/yes/on, case-insensitive)."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    """Return an integer environment variable."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Return a comma-separated environment variable as a list of stripped strings."""
    raw = os.environ.get(name, "")
    if not raw.strip():
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """Return a secret from ``NAME`` or from the file named by ``NAME_FILE``."""
    path = os.environ.get(f"{name}_FILE", "")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE points to {path!r}, which cannot be read: {exc.strerror}."
            ) from None
    return os.environ.get(name, "").strip() or default


# pytest announces itself in PYTEST_VERSION before Django is set up: tests default to the test profile.
PROFILE = env_str("ALONGSIDE_PROFILE", "test" if os.environ.get("PYTEST_VERSION") else "dev")
if PROFILE not in {"dev", "demo", "test", "production"}:
    raise ImproperlyConfigured(f"ALONGSIDE_PROFILE must be dev, demo, test or production, not {PROFILE!r}.")
PRODUCTION = PROFILE == "production"
DEMO = PROFILE == "demo"
TESTING = PROFILE == "test"

VAR_DIR = Path(env_str("ALONGSIDE_VAR_DIR", str(BASE_DIR / "var")))


def _local_secret(filename: str, make: Any) -> str:
    """Return a secret kept in ``var/`` for dev and demo, creating it on first use."""
    path = VAR_DIR / filename
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(make(), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _new_master_key() -> str:
    import base64

    return base64.b64encode(secrets.token_bytes(32)).decode()


# A fixed key for the throwaway test databases only; never used outside PROFILE=test.
_TEST_MASTER_KEY = "dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMhISE="

if PRODUCTION:
    _missing = [
        name
        for name in ("SECRET_KEY", "ALONGSIDE_MASTER_KEY", "ALLOWED_HOSTS")
        if not (env_secret(name) if name != "ALLOWED_HOSTS" else env_list(name))
    ]
    if _missing:
        raise ImproperlyConfigured(
            "Alongside cannot start in production without "
            + ", ".join(_missing)
            + ". Set each in the environment (secrets may also come from NAME_FILE). "
            "See docs/operators/configuration.md."
        )
    SECRET_KEY = env_secret("SECRET_KEY")
    ALONGSIDE_MASTER_KEY = env_secret("ALONGSIDE_MASTER_KEY")
elif TESTING:
    SECRET_KEY = env_secret("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
    ALONGSIDE_MASTER_KEY = env_secret("ALONGSIDE_MASTER_KEY", _TEST_MASTER_KEY)
else:
    SECRET_KEY = env_secret("SECRET_KEY") or _local_secret("secret_key", lambda: secrets.token_urlsafe(50))
    ALONGSIDE_MASTER_KEY = env_secret("ALONGSIDE_MASTER_KEY") or _local_secret("master.key", _new_master_key)

# Earlier master keys, still accepted for unwrapping while `alongside keys rotate` runs.
ALONGSIDE_OLD_MASTER_KEYS = env_list("ALONGSIDE_OLD_MASTER_KEYS")

# Signed checkpoints of the audit chain (docs/operators/configuration.md). Off in the test profile unless set.
ALONGSIDE_AUDIT_CHECKPOINT_FILE = env_str(
    "ALONGSIDE_AUDIT_CHECKPOINT_FILE", "" if TESTING else str(VAR_DIR / "audit-checkpoints.jsonl")
)
ALONGSIDE_AUDIT_CHECKPOINT_EVERY = env_int("ALONGSIDE_AUDIT_CHECKPOINT_EVERY", 1000)
ALONGSIDE_AUDIT_CHECKPOINT_MINUTES = env_int("ALONGSIDE_AUDIT_CHECKPOINT_MINUTES", 10)
ALONGSIDE_AUDIT_ANCHOR = env_str("ALONGSIDE_AUDIT_ANCHOR")

# How long a server thread may hold the interpreter before another may run (docs/operators/configuration.md).
ALONGSIDE_SWITCH_INTERVAL_US = env_int("ALONGSIDE_SWITCH_INTERVAL_US", 1000)

# Debugging is for development only. The demo is shown to people (no tracebacks), and on SQLite Django's
# debug cursor runs an extra query per query to quote its parameters for the log, a third of a caseload view.
DEBUG = env_bool("DEBUG", default=PROFILE == "dev")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "alongside.core",
    "alongside.accounts",
    "alongside.care",
    "alongside.consent",
    "alongside.audit",
    "alongside.crypto",
    "alongside.safety",
    "alongside.web",
    "alongside.measures",
    "alongside.selfcare",
    "alongside.messaging",
    "alongside.sessions",
    "alongside.telehealth",
    "alongside.notify",
    "alongside.dashboards",
    "alongside.wearables",
    "alongside.risk",
    "alongside.applibrary",
    "alongside.records",
    "alongside.synth",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "alongside.web.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "alongside.web.middleware.RequestIdMiddleware",
    "alongside.web.middleware.AccessDecisionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "alongside.accounts.middleware.UserLanguageMiddleware",
    "alongside.accounts.middleware.UserTimeZoneMiddleware",
    "alongside.accounts.middleware.SessionTimeoutMiddleware",
    "alongside.accounts.middleware.MfaRequiredMiddleware",
    "alongside.consent.middleware.ConsentRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "alongside.web.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "alongside.urls"
ASGI_APPLICATION = "alongside.asgi.application"
WSGI_APPLICATION = "alongside.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alongside.web.context_processors.shell",
                "alongside.applibrary.context_processors.modes",
            ],
            # The date, time and number filters of alongside.core.formatting, in every template.
            "builtins": ["alongside.core.templatetags.formatting"],
        },
    },
    {
        # Jinja2 for partials printed hundreds of times a page (the caseload rows, from apps' jinja2/ folders):
        # it compiles a template to a Python function, several times faster per value than the template above.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "alongside.web.jinja_env.environment"},
    },
]

# Databases: SQLite in var/ by default (WAL, immediate transactions: one audit chain writer at a time); DATABASE_URL.
DATABASE_URL = env_secret("DATABASE_URL", f"sqlite:///{VAR_DIR / 'alongside.sqlite3'}")
_db: dict[str, Any] = dict(dj_database_url.parse(DATABASE_URL, conn_max_age=0))
# A connection is checked before reuse (after a PostgreSQL restart the next request gets a fresh one, not an error).
_db["CONN_HEALTH_CHECKS"] = True
if _db["ENGINE"] == "django.db.backends.postgresql" and env_bool("ALONGSIDE_DB_POOL", True):
    # One psycopg pool per server process, shared by the reused threads that run its requests (alongside.runtime);
    # a connection goes back to the pool when its request ends. CONN_MAX_AGE must stay 0 with a pool.
    # WebSocket consumers use alongside.runtime.database_sync_to_async, which gives their connections back.
    _db["OPTIONS"] = {
        **_db.get("OPTIONS", {}),
        "pool": {
            "min_size": env_int("ALONGSIDE_DB_POOL_MIN_SIZE", 2),
            "max_size": env_int("ALONGSIDE_DB_POOL_MAX_SIZE", 25),
            "timeout": env_int("ALONGSIDE_DB_POOL_TIMEOUT", 5),
        },
    }
else:
    # Not 60 by default: under ASGI each request runs in a new thread, whose connection would never be reused.
    _db["CONN_MAX_AGE"] = env_int("ALONGSIDE_DB_CONN_MAX_AGE", 0)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    if _db.get("NAME") and _db["NAME"] != ":memory:":
        # A fresh checkout has no var/ yet; SQLite creates the file but not its folder.
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _db["OPTIONS"] = {
        # Server processes checkpoint the log from a thread (alongside.runtime), so no request waits for one;
        # 10,000 pages (40 MB) bounds the log for processes without that thread (commands).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; "
            "PRAGMA wal_autocheckpoint=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    if TESTING:
        # The test database is a file, not Django's shared in-memory one. With an in-memory database, Django
        # hands the live server one connection that every request thread shares, and concurrent requests on one
        # sqlite3 connection read each other's rows (CI: "badly formed hexadecimal UUID string" in a browser
        # test); the ASGI test server's threads met shared-cache table locks, which busy_timeout does not wait
        # on. A file in WAL mode gives each thread its own connection, and locks wait. One file per process.
        import tempfile

        _db["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"alongside-test-{os.getpid()}.sqlite3")}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_secret("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # redis-py 8 reads with a 5 s socket timeout by default, which cuts the layer's 5 s blocking
    # pop (BZPOPMIN) and closes every idle WebSocket (django/channels_redis#422): allow longer.
    _layer_host = {"address": REDIS_URL, "socket_timeout": 10}
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [_layer_host]}}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["alongside.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING and not env_bool("ALONGSIDE_TEST_REAL_HASHER"):
    # Argon2 stays the production hasher (tested); tests hash thousands of passwords.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "src" / "alongside" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages come from npm (package-lock.json) and are served by us, never a CDN.
STATICFILES_DIRS = [("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Email: files under var/mail outside production; SMTP in production.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Alongside <no-reply@alongside.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[Alongside] "
if PRODUCTION or env_str("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_secret("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }

# Background tasks (django.tasks): a queue in the database that `alongside worker` runs (tests: each task at once). A risk
# refresh runs this long after the write asking for it: a burst of writes costs one (issue #19). Emails retry with backoff.
ALONGSIDE_RISK_REFRESH_DELAY_SECONDS = env_int("ALONGSIDE_RISK_REFRESH_DELAY_SECONDS", 0 if TESTING else 5)
ALONGSIDE_TASKS_BACKEND = env_str("ALONGSIDE_TASKS_BACKEND", "immediate" if TESTING else "database")
ALONGSIDE_LIVE_TASKS_BACKEND = env_str("ALONGSIDE_LIVE_TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if ALONGSIDE_TASKS_BACKEND == "database"
            else "django.tasks.backends.immediate.ImmediateBackend"
        )
    },
    # Live pushes to open pages (alongside.notify.live.push_live). Immediate by default: the task runs in the
    # process that made the change, right after commit, so a live message is not held up by a queue.
    # "database" queues them for `alongside db_worker --backend live` (needs REDIS_URL; adds the worker's poll).
    "live": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if ALONGSIDE_LIVE_TASKS_BACKEND == "database"
            else "django.tasks.backends.immediate.ImmediateBackend"
        )
    },
}
ALONGSIDE_EMAIL_MAX_ATTEMPTS = env_int("ALONGSIDE_EMAIL_MAX_ATTEMPTS", 6)
ALONGSIDE_EMAIL_RETRY_SECONDS = env_int("ALONGSIDE_EMAIL_RETRY_SECONDS", 30)
ALONGSIDE_EMAIL_LEASE_SECONDS = env_int("ALONGSIDE_EMAIL_LEASE_SECONDS", 120)
# Web Push (content-free notices on a person's devices, opt-in per device): off until both VAPID keys are set.
ALONGSIDE_WEBPUSH_VAPID_PUBLIC_KEY = env_str("ALONGSIDE_WEBPUSH_VAPID_PUBLIC_KEY", "")
ALONGSIDE_WEBPUSH_VAPID_PRIVATE_KEY = env_secret("ALONGSIDE_WEBPUSH_VAPID_PRIVATE_KEY", "")
if DEMO and not (ALONGSIDE_WEBPUSH_VAPID_PUBLIC_KEY or ALONGSIDE_WEBPUSH_VAPID_PRIVATE_KEY):
    # The demo makes its own pair once, kept in var/ like its other secrets, so that Web Push works there.
    from alongside.notify import vapid as _vapid

    ALONGSIDE_WEBPUSH_VAPID_PRIVATE_KEY = _local_secret("webpush-vapid.key", _vapid.private_key_new)
    ALONGSIDE_WEBPUSH_VAPID_PUBLIC_KEY = _vapid.public_key_of(ALONGSIDE_WEBPUSH_VAPID_PRIVATE_KEY)
ALONGSIDE_WEBPUSH_SUBJECT = env_str("ALONGSIDE_WEBPUSH_SUBJECT", "mailto:no-reply@alongside.invalid")
ALONGSIDE_WEBPUSH_HOSTS = env_list(
    "ALONGSIDE_WEBPUSH_HOSTS",
    # The browsers' push services; an entry starting with a dot allows that domain's subdomains.
    ["fcm.googleapis.com", "updates.push.services.mozilla.com", "web.push.apple.com", ".notify.windows.com"],
)

# Sessions and cookies.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
ALONGSIDE_STAFF_IDLE_MINUTES = env_int("ALONGSIDE_STAFF_IDLE_MINUTES", 30)
ALONGSIDE_STAFF_ABSOLUTE_HOURS = env_int("ALONGSIDE_STAFF_ABSOLUTE_HOURS", 12)

# Login throttling (docs/operators/configuration.md): failures are counted per account from one address,
# per account and per address; too many pause sign-in for LOCK_MINUTES, doubling with each pause in a row.
ALONGSIDE_LOGIN_MAX_FAILURES = env_int("ALONGSIDE_LOGIN_MAX_FAILURES", 5)
ALONGSIDE_LOGIN_ACCOUNT_MAX_FAILURES = env_int("ALONGSIDE_LOGIN_ACCOUNT_MAX_FAILURES", 20)
ALONGSIDE_LOGIN_IP_MAX_FAILURES = env_int("ALONGSIDE_LOGIN_IP_MAX_FAILURES", 50)
ALONGSIDE_LOGIN_LOCK_MINUTES = env_int("ALONGSIDE_LOGIN_LOCK_MINUTES", 15)
ALONGSIDE_LOGIN_MAX_LOCK_HOURS = env_int("ALONGSIDE_LOGIN_MAX_LOCK_HOURS", 24)
# Personal access tokens: lifetime, and how long a staff token may go unused before it stops working.
ALONGSIDE_TOKEN_DAYS = env_int("ALONGSIDE_TOKEN_DAYS", 90)
ALONGSIDE_STAFF_TOKEN_IDLE_DAYS = env_int("ALONGSIDE_STAFF_TOKEN_IDLE_DAYS", 14)
ALONGSIDE_INVITATION_DAYS = env_int("ALONGSIDE_INVITATION_DAYS", 7)

# Messaging: how many messages one person may send per minute and per hour (a stuck key or a script).
ALONGSIDE_MESSAGES_PER_MINUTE = env_int("ALONGSIDE_MESSAGES_PER_MINUTE", 10)
ALONGSIDE_MESSAGES_PER_HOUR = env_int("ALONGSIDE_MESSAGES_PER_HOUR", 120)

# Video sessions (alongside.telehealth): ICE servers per join (TURN passwords by coturn's use-auth-secret); Janus.
TELEHEALTH_STUN_URLS = env_list("TELEHEALTH_STUN_URLS")
TELEHEALTH_TURN_URLS = env_list("TELEHEALTH_TURN_URLS")
TELEHEALTH_TURN_SECRET = env_secret("TELEHEALTH_TURN_SECRET")
TELEHEALTH_TURN_TTL = env_int("TELEHEALTH_TURN_TTL", 3600)
TELEHEALTH_ICE_POLICY = env_str("TELEHEALTH_ICE_POLICY", "all")
TELEHEALTH_JANUS_URL = env_str("TELEHEALTH_JANUS_URL")
TELEHEALTH_JANUS_PUBLIC_URL = env_str("TELEHEALTH_JANUS_PUBLIC_URL")
TELEHEALTH_JANUS_TOKEN_SECRET = env_secret("TELEHEALTH_JANUS_TOKEN_SECRET")
TELEHEALTH_JANUS_ADMIN_KEY = env_secret("TELEHEALTH_JANUS_ADMIN_KEY")
ALONGSIDE_PUBLIC_URL = env_str("ALONGSIDE_PUBLIC_URL").rstrip("/")  # "https://…": join links in emails and .ics

# Security headers.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Browser features no page may use (Permissions-Policy; an empty list denies the feature). A view
# that needs one opts in with alongside.web.middleware.permissions_policy, e.g. the video session
# pages: @permissions_policy(camera=["self"], microphone=["self"]). See docs/operators/deployment.md.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is hard to undo (months to leave browsers' lists), so it is the operator's decision: off by
    # default. Off, Django's reminder that it is off (security.W021) is silenced, so `check --deploy` is clean.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING" if TESTING else "INFO")},
}
