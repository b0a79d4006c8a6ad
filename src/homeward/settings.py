"""Homeward settings: one file, every knob from the environment.

A bad value stops the process with a message naming the variable, so that a
misconfigured deployment never starts half-working.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("HOMEWARD_VAR_DIR", Path.cwd() / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# The demo (``homeward demo``) and the test suite set HOMEWARD_DEMO; everything
# else gets production defaults: DEBUG off and a secret key that must be given.
DEMO = env_bool("HOMEWARD_DEMO", False)
DEBUG = env_bool("DEBUG", DEMO)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEMO:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or run the demo with `homeward demo`."
        )
    SECRET_KEY = "homeward-demo-only-not-secret"  # noqa: S105 - demo and tests only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "django_htmx",
    "ninja",
    "auditlog",
    "homeward.core",
    "homeward.accounts",
    "homeward.people",
    "homeward.programmes",
    "homeward.cases",
    "homeward.work",
    "homeward.counselling",
    "homeward.safeguarding",
    "homeward.travel",
    "homeward.assistance",
    "homeward.grants",
    "homeward.reintegration",
    "homeward.budgets",
    "homeward.monitoring",
    "homeward.surveys",
    "homeward.feedback",
    "homeward.outreach",
    "homeward.jobs",
    "homeward.reporting",
    "homeward.imports",
    "homeward.partners",
    "homeward.triage",
    "homeward.appointments",
    "homeward.accommodation",
    "homeward.health",
    "homeward.activities",
    "homeward.public",
    "homeward.matching",
    "homeward.privacy",
    "homeward.demo",
    "django_tasks",
    "django_tasks_db",
    # ACCESS (issue 10): login lockout and two-factor authentication.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

# E-mail (task reminders). The demo prints mails to the console; production names an SMTP server.
EMAIL_BACKEND = os.environ.get(
    "HOMEWARD_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEMO else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("HOMEWARD_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("HOMEWARD_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("HOMEWARD_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("HOMEWARD_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("HOMEWARD_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("HOMEWARD_EMAIL_FROM", "homeward@localhost")

# An origin mission answers a referral within this many days, or it escalates to the host supervisors.
HOMEWARD_REFERRAL_ANSWER_DAYS = env_int("HOMEWARD_REFERRAL_ANSWER_DAYS", 5)
# Feedback submissions from one address per hour on the public form; more get a 429.
HOMEWARD_FEEDBACK_PER_HOUR = env_int("HOMEWARD_FEEDBACK_PER_HOUR", 5)
# The address the public pages are reached at (e.g. https://homeward.example.org), printed on
# travel letters; empty: the address the letter was printed from.
HOMEWARD_PUBLIC_URL = os.environ.get("HOMEWARD_PUBLIC_URL", "")

# On pages, exports and the API of users who see only aggregates (programme viewers),
# counts below this are shown as "<N" so no person can be singled out.
HOMEWARD_SMALL_COUNT_THRESHOLD = env_int("HOMEWARD_SMALL_COUNT_THRESHOLD", 5)
# Exports of more rows than this run in the background, with a progress bar and a download link.
HOMEWARD_EXPORT_INLINE_ROWS = env_int("HOMEWARD_EXPORT_INLINE_ROWS", 2000)
# Files that jobs leave (exports, uploaded trackers) are deleted this many days later.
HOMEWARD_JOB_FILE_DAYS = env_int("HOMEWARD_JOB_FILE_DAYS", 7)

# The public site (no login) speaks more languages than the staff pages: code, name in itself, right-to-left.
HOMEWARD_PUBLIC_LANGUAGES = [
    ("en", "English", False),
    ("el", "Ελληνικά", False),
    ("ro", "Română", False),
    ("sk", "Slovenčina", False),
    ("hu", "Magyar", False),
    ("fr", "Français", False),
    ("ar", "العربية", True),
    ("fa", "فارسی / دری", True),
    ("ur", "اردو", True),
]
# Self-referrals from one address per hour on the public site; more are refused and logged. Higher than
# the feedback form's: people in one reception facility often share one address.
HOMEWARD_SELF_REFERRALS_PER_HOUR = env_int("HOMEWARD_SELF_REFERRALS_PER_HOUR", 20)
# Behind a reverse proxy, the header it sets to the visitor's address (e.g. X-Real-IP), for the public
# forms' rate limits; empty: the connection's own address.
HOMEWARD_CLIENT_IP_HEADER = os.environ.get("HOMEWARD_CLIENT_IP_HEADER", "")
# How appointment reminders are sent: a dotted path to a channel class (appointments/channels.py).
HOMEWARD_REMINDER_CHANNEL = os.environ.get("HOMEWARD_REMINDER_CHANNEL", "homeward.appointments.channels.LoggingChannel")
# An SMS gateway that takes a JSON POST {"to", "text"} (for the SmsGatewayChannel), and its bearer token.
HOMEWARD_SMS_GATEWAY_URL = os.environ.get("HOMEWARD_SMS_GATEWAY_URL", "")
HOMEWARD_SMS_GATEWAY_TOKEN = os.environ.get("HOMEWARD_SMS_GATEWAY_TOKEN", "")
# Reminders go out this many hours before an appointment.
HOMEWARD_REMINDER_HOURS = env_int("HOMEWARD_REMINDER_HOURS", 24)
# Two records are shown as a likely match from this probability (per cent) of being one person.
HOMEWARD_MATCH_THRESHOLD = env_int("HOMEWARD_MATCH_THRESHOLD", 50) / 100
if not 0 < HOMEWARD_MATCH_THRESHOLD < 1:
    raise ImproperlyConfigured("HOMEWARD_MATCH_THRESHOLD must be a percentage between 1 and 99")

# Background work (reminders) runs from a table in the database: `homeward worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # HARDENING (issue 10): the Content Security Policy header on every response (settings below), and a
    # clear 503 (page, or JSON under /api/) instead of a 500 when the database cannot be reached.
    "csp.middleware.CSPMiddleware",
    "homeward.core.dberrors.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "homeward.core.audit.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "homeward.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "homeward.accounts.middleware.LoginRequiredMiddleware",
    "homeward.accounts.middleware.TwoFactorRequiredMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "homeward.urls"
WSGI_APPLICATION = "homeward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
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
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'homeward.sqlite3'}",
        conn_max_age=env_int("HOMEWARD_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Concurrent readers while a write is under way; the demo and small
    # offices run on SQLite.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# ACCESS (issue 10): passwords, lockout, two-factor authentication, idle sign-out, cookies.
# Passwords: at least 12 characters, not common, not like the user's name, and hard to guess by zxcvbn's estimate.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "homeward.accounts.passwords.ZxcvbnValidator", "OPTIONS": {"min_score": 3}},
]
# django-axes checks for a lockout before any other backend tries the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# HOMEWARD_LOGIN_ATTEMPTS wrong passwords (or two-factor codes) for one username from one address lock that
# pair for HOMEWARD_LOCKOUT_MINUTES; an administrator unlocks at once: `homeward axes_reset_username NAME`.
# The address is the one the rate limits use (HOMEWARD_CLIENT_IP_HEADER behind a proxy, core/throttle.py).
AXES_ENABLED = env_bool("HOMEWARD_LOCKOUT", True)
AXES_FAILURE_LIMIT = env_int("HOMEWARD_LOGIN_ATTEMPTS", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("HOMEWARD_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "homeward.core.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "homeward.accounts.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # no banner on every command
# Two-factor authentication (TOTP app + recovery codes) is required of administrators, case supervisors,
# finance officers and superusers when HOMEWARD_TWO_FACTOR_REQUIRED is on (the default, except in the demo,
# where anyone can still turn it on from the profile page); optional for others.
HOMEWARD_TWO_FACTOR_REQUIRED = env_bool("HOMEWARD_TWO_FACTOR_REQUIRED", not DEMO)
OTP_TOTP_ISSUER = os.environ.get("HOMEWARD_TWO_FACTOR_ISSUER", "Homeward")
# Signed out after this many minutes without a request (0: never); the session ends after 8 hours anyway.
HOMEWARD_IDLE_MINUTES = env_int("HOMEWARD_IDLE_MINUTES", 30)
# Cookies: never readable by scripts, never sent on another site's POST (Secure under HOMEWARD_HTTPS).
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # pages send the token from the HTML (base.html's hx-headers), never the cookie
CSRF_FAILURE_VIEW = "homeward.accounts.views.csrf_failure"

LANGUAGE_CODE = os.environ.get("HOMEWARD_LANGUAGE", "en")
LANGUAGES = [
    ("en", _("English")),
    ("el", _("Greek")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["homeward.formats"]
TIME_ZONE = os.environ.get("HOMEWARD_TIME_ZONE", "Europe/Athens")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT: Path | None = Path(os.environ.get("HOMEWARD_STATIC_ROOT", VAR_DIR / "static"))
if DEMO and not STATIC_ROOT.exists():
    STATIC_ROOT = None  # the demo and tests serve from the finders; collectstatic is for production
# Uploaded files (declarations, scans, evidence) live outside the web root and
# are only ever served by a view that checks permission (core/files.py).
FILES_ROOT = Path(os.environ.get("HOMEWARD_FILES_DIR", VAR_DIR / "files"))
UPLOAD_MAX_BYTES = env_int("HOMEWARD_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "homeward.core.files.EncryptedFileSystemStorage",
        "OPTIONS": {"location": FILES_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            # DEPLOY (issue 10): hashed names and .gz copies, no brotli (slow; nginx serves the .gz ones).
            else "homeward.core.staticfiles.GzipManifestStaticFilesStorage"
        )
    },
}
# Serve from the finders when collectstatic has not been run (demo, tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_AGE = env_int("HOMEWARD_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("HOMEWARD_HTTPS", not DEBUG):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Plain HTTP is answered by a redirect; browsers then use HTTPS only, for a year by default,
    # on the host's subdomains too (HSTS: once sent it cannot be taken back before it expires, so
    # 0 turns it off for a trial). "preload" only allows a submission to the browsers' list.
    SECURE_SSL_REDIRECT = env_bool("HOMEWARD_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("HOMEWARD_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HOMEWARD_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HOMEWARD_HSTS_PRELOAD", True)

# HARDENING (issue 10): Content Security Policy (django-csp 4). Nothing inline: no <script> code, no event
# handlers, no style attributes (static/homeward/behaviours.js, homeward.css); QR codes are data: images. The
# other headers: nosniff, X-Frame-Options DENY and Referrer-Policy above, HSTS under HOMEWARD_HTTPS.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Idempotency-Key (payment and transition endpoints, core/idempotency.py): a stored answer is replayed to a
# retry for this many hours, then swept.
HOMEWARD_IDEMPOTENCY_HOURS = env_int("HOMEWARD_IDEMPOTENCY_HOURS", 24)

# Phone numbers typed without a country prefix are read in this region.
PHONENUMBER_DEFAULT_REGION = os.environ.get("HOMEWARD_PHONE_REGION", "GR")

# Audit: who changed which field of personal data, from the services' actor.
AUDITLOG_DISABLE_REMOTE_ADDR = env_bool("HOMEWARD_AUDIT_NO_IP", False)

# ENCRYPTION (issue 10): the most sensitive fields and every uploaded file are encrypted at rest
# (core/crypto.py, docs/decisions/0013-encryption-at-rest.md).
# HOMEWARD_ENCRYPTION_KEYS: comma-separated Fernet keys; the first encrypts, all decrypt. To rotate, put a new
#   key first, run `homeward encryption rotate`, then drop the old one. Make one: `homeward encryption newkey`.
# HOMEWARD_INDEX_KEY: a separate random value (32+ characters) for the blind indexes that let encrypted
#   document numbers be compared (duplicates, matching); it does not rotate with the keys above.
# Production refuses to start without them; the demo and the tests use fixed, published, NOT secret keys.
from homeward.core.crypto import check_index_key, parse_keys  # noqa: E402

HOMEWARD_ENCRYPTION_KEYS = parse_keys(os.environ.get("HOMEWARD_ENCRYPTION_KEYS", ""))
HOMEWARD_INDEX_KEY = os.environ.get("HOMEWARD_INDEX_KEY", "")
if not HOMEWARD_ENCRYPTION_KEYS or not HOMEWARD_INDEX_KEY:
    if not DEMO:
        missing = [n for n, v in (("HOMEWARD_ENCRYPTION_KEYS", HOMEWARD_ENCRYPTION_KEYS),
                                  ("HOMEWARD_INDEX_KEY", HOMEWARD_INDEX_KEY)) if not v]  # fmt: skip
        raise ImproperlyConfigured(
            f"{' and '.join(missing)} not set: Homeward never runs with personal data unencrypted. "
            "Make an encryption key with `homeward encryption newkey` (or python -c 'from cryptography.fernet "
            "import Fernet; print(Fernet.generate_key().decode())') and an index key with "
            "`homeward encryption newkey --index` (or python -c 'import secrets; print(secrets.token_urlsafe(32))')."
        )
    HOMEWARD_ENCRYPTION_KEYS = HOMEWARD_ENCRYPTION_KEYS or ["aG9tZXdhcmQtZGVtby1rZXktbm90LXNlY3JldCEhISE="]
    HOMEWARD_INDEX_KEY = HOMEWARD_INDEX_KEY or "homeward-demo-index-key-not-secret"
HOMEWARD_INDEX_KEY = check_index_key(HOMEWARD_INDEX_KEY)

# BACKUP (issue 10): `homeward backup` / `homeward restore` (core/backup.py, docs/backups.md).
# HOMEWARD_BACKUP_KEY: comma-separated Fernet keys that encrypt the archives; the first encrypts, all decrypt
#   (rotation). Separate from HOMEWARD_ENCRYPTION_KEYS so an off-site copy is opened with a key kept elsewhere;
#   a restore needs both. No default, not even in the demo: without it `homeward backup` refuses.
# HOMEWARD_BACKUP_DIR: where `homeward backup` without a path writes (default var/backups).
HOMEWARD_BACKUP_KEYS = env_list("HOMEWARD_BACKUP_KEY", [])
HOMEWARD_BACKUP_DIR = Path(os.environ.get("HOMEWARD_BACKUP_DIR", VAR_DIR / "backups"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HOMEWARD_LOG_LEVEL", "INFO")},
}

PAGE_SIZE = env_int("HOMEWARD_PAGE_SIZE", 25)
