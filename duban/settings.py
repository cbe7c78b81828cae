"""Duban settings: one module, driven by environment variables (see README).

Everything a deployment may change comes from ``DUBAN_*`` variables or ``DATABASE_URL``;
the defaults give a working single-server install with SQLite under ``var/``.

Importing this module creates nothing: the data directory and the secret key file in it are made by the
``duban`` command before Django starts (``duban.core.datadir.ensure_data_dir``), or on first use of
``SECRET_KEY`` (see ``__getattr__`` below).
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url

from duban.core.datadir import data_dir, ensure_secret_key, env_bool, env_list, read_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


DATA_DIR = data_dir()  # DUBAN_DATA_DIR, default var/; not created here


def _secret_key() -> str:
    """DUBAN_SECRET_KEY, else the key kept in the data dir (made by `duban` before Django starts, else here)."""
    if key := os.environ.get("DUBAN_SECRET_KEY"):
        return key
    return read_secret_key(DATA_DIR) or ensure_secret_key(DATA_DIR)  # e.g. the WSGI application started on a data dir `duban` never made


SECRET_KEY: str  # worked out on first use, not on import: see __getattr__


def __getattr__(name: str) -> str:
    """``SECRET_KEY`` on first use (Django reads it when it loads the settings); computed once."""
    if name == "SECRET_KEY":
        globals()["SECRET_KEY"] = key = _secret_key()
        return key
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "SECRET_KEY"})  # Django loads the settings it finds in dir(module)


DEBUG = env_bool("DUBAN_DEBUG")
ALLOWED_HOSTS = env_list("DUBAN_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DUBAN_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    # Bottom to top, as the layers go (README, "How the code is laid out").
    "duban.core",
    "duban.units",
    "duban.people",
    "duban.notify",
    "duban.tasks",
    "duban.tasks.reporting",
    "duban.letters",
    "duban.imports",
    "duban.assessment",
    "duban.exports",
    "duban.documents",
    "duban.dashboard",
    "duban.api",
    "duban.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "duban.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "duban.people.middleware.AccountPolicyMiddleware",
    "duban.site.first_run.FirstRunMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "duban.core.security.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "duban.urls"
WSGI_APPLICATION = "duban.wsgi.application"

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
                "duban.notify.context.unread",
                "duban.core.context.office",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'duban.sqlite3'}"),
        conn_max_age=int(os.environ.get("DUBAN_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers run while a writer commits; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # lockout after repeated failures (checked first)
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": int(os.environ.get("DUBAN_PASSWORD_MIN_LENGTH", "10"))}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "duban.people.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "duban.people.passwords.HistoryValidator",
     "OPTIONS": {"keep": int(os.environ.get("DUBAN_PASSWORD_HISTORY", "5"))}},
]
# 国密 (GB/T 39786-2021), off by default; see docs/security.md.
DUBAN_GM = env_bool("DUBAN_GM")
_DJANGO_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
_SM3_HASHER = "duban.people.hashers.SM3PBKDF2PasswordHasher"
# SM3 stays in the list when GM is off, so passwords hashed with it keep verifying.
PASSWORD_HASHERS = [_SM3_HASHER, *_DJANGO_HASHERS] if DUBAN_GM else [*_DJANGO_HASHERS, _SM3_HASHER]
DUBAN_SM3_ITERATIONS = int(os.environ.get("DUBAN_SM3_ITERATIONS", "600000"))
# "id:32-hex-digit-key,…"; the first encrypts, the others only decrypt (key rotation).
DUBAN_SM4_KEYS = os.environ.get("DUBAN_SM4_KEYS", "")
# The audit log's hash chain (`duban audit verify`): SM3 under 国密, else SHA-256; kept at least 180 days.
DUBAN_AUDIT_HASH = os.environ.get("DUBAN_AUDIT_HASH", "sm3" if DUBAN_GM else "sha256")
DUBAN_AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("DUBAN_AUDIT_RETENTION_DAYS", "365")))
DUBAN_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("DUBAN_PASSWORD_MAX_AGE_DAYS", "0"))  # 0: passwords do not expire
# Roles that must use the authenticator app (e.g. "supervisor,admin"); by default it is optional for everyone.
DUBAN_OTP_REQUIRED_ROLES = env_list("DUBAN_OTP_REQUIRED_ROLES", "")
OTP_TOTP_ISSUER = "督办 Duban"

# Lockout (django-axes): N failures per account, and per address unless offices share one NAT address.
AXES_FAILURE_LIMIT = int(os.environ.get("DUBAN_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("DUBAN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"] if env_bool("DUBAN_LOCKOUT_BY_ADDRESS", True) else ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "duban.people.views.lockout"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "duban" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"  # made by `duban` (ensure_data_dir) and filled by collectstatic
# Front-end packages come from npm at install time (never committed, never a CDN).
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "uploads"
GENERATED_ROOT = DATA_DIR / "generated"
# Exports of up to this many rows are written in the request; larger ones run in the background with progress.
DUBAN_EXPORT_INLINE_ROWS = int(os.environ.get("DUBAN_EXPORT_INLINE_ROWS", "2000"))
# The task chart's figures are reused for this many seconds (0: computed on every view); the page says when.
# The worker recomputes the office-wide chart before it expires, so no page view waits for it.
DUBAN_DASHBOARD_CACHE_SECONDS = int(os.environ.get("DUBAN_DASHBOARD_CACHE_SECONDS", "300"))
# "shared" is in the database, so every web process and the worker see one cache (the chart the worker computes
# is the one the pages serve) with nothing more to install; its table is made by a migration (core 0006).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "duban_cache"},
}
# Fonts named in generated documents, e.g. "body=仿宋,title=华文中宋" where the office has other fonts installed.
DUBAN_DOC_FONTS = dict(item.split("=", 1) for item in env_list("DUBAN_DOC_FONTS", "") if "=" in item)

# Sessions end after DUBAN_SESSION_IDLE_MINUTES without activity (the expiry slides with every request).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("DUBAN_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind HTTPS (DUBAN_HTTPS=1): secure cookies, HSTS, and trust the proxy's X-Forwarded-Proto.
if env_bool("DUBAN_HTTPS"):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DUBAN_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DUBAN_HSTS_SUBDOMAINS")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DUBAN_SSL_REDIRECT", True)
# API rate limits (django-ninja throttling, per address for anonymous calls and per user otherwise).
DUBAN_API_RATE_ANON = os.environ.get("DUBAN_API_RATE_ANON", "60/m")
DUBAN_API_RATE_USER = os.environ.get("DUBAN_API_RATE_USER", "1200/m")

# The address users reach Duban at, for links in e-mails and group-robot messages (e.g. https://duban.gov.cn).
DUBAN_SITE_URL = os.environ.get("DUBAN_SITE_URL", "")
# Background work (django-tasks with its database backend: no extra server). `duban worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Outgoing mail for notifications; configure SMTP with DUBAN_EMAIL_* (console output when no host is set).
EMAIL_HOST = os.environ.get("DUBAN_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("DUBAN_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DUBAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DUBAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DUBAN_EMAIL_TLS")
EMAIL_USE_SSL = env_bool("DUBAN_EMAIL_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DUBAN_EMAIL_FROM", "duban@localhost")
EMAIL_BACKEND = ("django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                 else "django.core.mail.backends.console.EmailBackend")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger uploads spool to a temporary file, not memory
DUBAN_PAGE_SIZE = 50
# The words statuses are shown in until the office chooses its own (设置 → 状态用语, Office.status_vocabulary):
# default, tuijin, shouxian, jinzhai, anxushi, 12345, zhenggai.
DUBAN_STATUS_VOCABULARY = os.environ.get("DUBAN_STATUS_VOCABULARY", "default")
DUBAN_API_MAX_PAGE_SIZE = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DUBAN_LOG_LEVEL", "WARNING")},
}
