"""luoshi settings: one module, driven by the environment (LUOSHI_* and DATABASE_URL)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # the project root


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


# Production unless asked: `make run`, the tests and CI set LUOSHI_DEBUG=1 themselves.
DEBUG = env_bool("LUOSHI_DEBUG", False)
DATA_DIR = Path(os.environ.get("LUOSHI_DATA_DIR", BASE_DIR / "var"))
DEVELOPMENT_KEY = "development-only-key-never-used-in-production-" + "x" * 20
SECRET_KEY = os.environ.get("LUOSHI_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("LUOSHI_SECRET_KEY must be set when LUOSHI_DEBUG is off")
    SECRET_KEY = DEVELOPMENT_KEY
elif not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 10 or SECRET_KEY == DEVELOPMENT_KEY
):  # the same rule as Django's security.W009, but refusing to start instead of warning
    raise RuntimeError(
        "LUOSHI_SECRET_KEY is weak: use 50 or more random characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')"
    )
ALLOWED_HOSTS = os.environ.get("LUOSHI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "luoshi.audit.apps.AuditedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "luoshi.audit",
    "luoshi.plans",
    "luoshi.accounts",
    "luoshi.progress",
    "luoshi.metrics",
    "luoshi.cases",
    "luoshi.workplans",
    "luoshi.risks",
    "luoshi.funding",
    "luoshi.paperwork",
    "luoshi.supervision",
    "luoshi.consultation",
    "luoshi.versions",
    "luoshi.tokens",
    "luoshi.savedviews",
    "luoshi.web",
    "luoshi.api",
    "luoshi.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A token's repeated API reads, before the chain a token does not need (api/token_reads.py).
    "luoshi.api.token_reads.TokenReadMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the user row kept until a write changes it (web/session_user.py)
    "luoshi.web.session_user.KeptUserAuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified() (issue 19)
    "django.contrib.messages.middleware.MessageMiddleware",
    "luoshi.web.uploads.RequestSizeMiddleware",  # 413 before any body is read (issue 19)
    "luoshi.web.errors.BadParameterMiddleware",  # 400 for out-of-range parameters (issue 19)
    "luoshi.web.security.NoStoreMiddleware",  # signed-in pages never cached (issue 19)
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (issue 19)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "luoshi.audit.context.AuditContextMiddleware",
    "luoshi.accounts.middleware.IdentityMiddleware",  # session lifetime, 2FA, password age
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
    # After every gate above: a 304 without rendering on the API's reads (api/conditional.py).
    "luoshi.api.conditional.EarlyETagMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # lockout first
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"  # our sign-in page, not the admin's "logged out" page
CSRF_FAILURE_VIEW = "luoshi.web.views.errors.csrf_failure"

# Lockout after repeated failures (django-axes): per account whatever the address (a password
# guessed from many machines), and per address (one machine trying many accounts).
AXES_FAILURE_LIMIT = int(os.environ.get("LUOSHI_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LUOSHI_LOCKOUT_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Idle timeout: the session ends after this many idle minutes (a request renews it, at most once
# a minute: accounts.identity.renew_idle).
LUOSHI_IDLE_TIMEOUT_MINUTES = int(os.environ.get("LUOSHI_IDLE_TIMEOUT_MINUTES", "30"))
SESSION_COOKIE_AGE = LUOSHI_IDLE_TIMEOUT_MINUTES * 60
# Absolute lifetime: however active, a session ends this many hours after sign-in.
LUOSHI_SESSION_MAX_HOURS = float(os.environ.get("LUOSHI_SESSION_MAX_HOURS", "8"))

# Two-factor authentication (TOTP, django-otp): the roles that must use it. In production the
# office, leaders and the three administrators; in development nobody (the demo signs in plainly).
LUOSHI_TWO_FACTOR_ROLES = frozenset(
    filter(
        None,
        os.environ.get(
            "LUOSHI_TWO_FACTOR_ROLES",
            "" if DEBUG else "office,leader,sysadmin,secadmin,auditor",
        ).split(","),
    )
)
LUOSHI_TWO_FACTOR_SUPERUSER = not DEBUG  # the installing superuser too, in production
OTP_TOTP_ISSUER = "luoshi"
LUOSHI_BACKUP_CODES = 10

ROOT_URLCONF = "luoshi.urls"
WSGI_APPLICATION = "luoshi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "luoshi.web.context.layout",
                "luoshi.supervision.context.unread",
            ],
        },
    },
]

# An empty DATABASE_URL means the embedded default, so `DATABASE_URL= make …` selects SQLite.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'luoshi.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
# --- Serving: SQLite under concurrent writers (issue 18) ---
# WAL lets readers run beside the one writer; IMMEDIATE takes the write lock when a transaction
# starts, so a waiting writer queues (busy timeout) instead of failing on a lock upgrade.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
# Conditional GET: an ETag on every GET answer, 304 when the client already has it (issue 18).
MIDDLEWARE.insert(1, "django.middleware.http.ConditionalGetMiddleware")
# --- end serving ---
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Password policy (luoshi.accounts.passwords): length, classes, names, history, age.
LUOSHI_PASSWORD_HISTORY = int(os.environ.get("LUOSHI_PASSWORD_HISTORY", "5"))
LUOSHI_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("LUOSHI_PASSWORD_MAX_AGE_DAYS", "90"))
LUOSHI_PASSWORD_FORBIDDEN_WORDS = [
    word
    for word in os.environ.get(
        "LUOSHI_PASSWORD_FORBIDDEN_WORDS", "yueyang,luoshi,password,admin,qwerty"
    ).split(",")
    if word
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "luoshi.accounts.passwords.MaximumLengthValidator"},  # 1024: never hash a megabyte
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("LUOSHI_PASSWORD_MIN_LENGTH", "12"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "luoshi.accounts.passwords.CharacterClassesValidator",
        "OPTIONS": {"min_classes": int(os.environ.get("LUOSHI_PASSWORD_MIN_CLASSES", "3"))},
    },
    {"NAME": "luoshi.accounts.passwords.NoNamesValidator"},
    {
        "NAME": "luoshi.accounts.passwords.HistoryValidator",
        "OPTIONS": {"keep": LUOSHI_PASSWORD_HISTORY},
    },
]

LANGUAGE_CODE = "zh-hans"
# Each language named in its own words in the menu (简体中文, English), whatever the page language.
LANGUAGES = [(code, LANG_INFO[code]["name_local"]) for code in ("zh-hans", "en")]
TIME_ZONE = os.environ.get("LUOSHI_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("LUOSHI_STATIC_ROOT", DATA_DIR / "static"))
# Front-end libraries come from the npm registry at install time (package.json), never the repository.
STATICFILES_DIRS = [
    ("vendor/echarts", BASE_DIR / "node_modules" / ".bundle"),  # the lean build (Makefile)
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
LOCALE_PATHS = [BASE_DIR / "src" / "luoshi" / "web" / "locale"]

# Production hardening: on whenever DEBUG is off (`manage.py check --deploy` stays clean).
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("LUOSHI_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("LUOSHI_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes on loopback speak plain HTTP (issue 18)

LUOSHI_EVIDENCE_DIR = Path(os.environ.get("LUOSHI_EVIDENCE_DIR", DATA_DIR / "evidence"))
# --- Scale-out: file storage, cache and sessions (issue 18) ---
# Evidence in the local directory by default; in S3-compatible object storage when a bucket is
# named, so several app servers share it. Cache and sessions on Redis when LUOSHI_REDIS_URL is set.
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Fingerprinted names (cached for a year by nginx and WhiteNoise) and .gz/.br copies, written by
    # collectstatic. With DEBUG on, pages name the plain files, so development needs no manifest.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
LUOSHI_S3_BUCKET = os.environ.get("LUOSHI_S3_BUCKET", "")
if LUOSHI_S3_BUCKET:
    STORAGES["evidence"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": LUOSHI_S3_BUCKET,
            "endpoint_url": os.environ.get("LUOSHI_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("LUOSHI_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("LUOSHI_S3_SECRET_KEY") or None,
            "region_name": os.environ.get("LUOSHI_S3_REGION") or None,
            "location": "evidence",
            "addressing_style": "path",
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
LUOSHI_REDIS_URL = os.environ.get("LUOSHI_REDIS_URL", "")
if LUOSHI_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "luoshi.ops.cache.RedisCache",  # one client per pool (ops/cache.py)
            "LOCATION": LUOSHI_REDIS_URL,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
elif not DEBUG:
    # Cached figures are invalidated across gunicorn's workers (metrics/cache.py): a process-local
    # cache would let one worker serve figures another worker's write made stale.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }
# --- end scale-out ---

# Background jobs (the briefing as PDF): queued in the database, run by `luoshi db_worker`
# (deploy/systemd/luoshi-worker.service), so no web worker waits on LibreOffice.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LUOSHI_MAX_UPLOAD_BYTES = int(os.environ.get("LUOSHI_MAX_UPLOAD_MB", "20")) * 1024 * 1024
# Form fields and JSON bodies stay small; files stream through a handler that stops past the limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "luoshi.web.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Warning-light thresholds (DOMAIN.md): red = overdue / returned N times / N cycles without a report;
# yellow = due within N days and not reported complete / no report last cycle.
LUOSHI_LIGHTS = {
    "due_soon_days": int(os.environ.get("LUOSHI_LIGHT_DUE_SOON_DAYS", "60")),
    "red_returns": int(os.environ.get("LUOSHI_LIGHT_RED_RETURNS", "2")),
    "red_missed_cycles": int(os.environ.get("LUOSHI_LIGHT_RED_MISSED_CYCLES", "2")),
    "yellow_missed_cycles": int(os.environ.get("LUOSHI_LIGHT_YELLOW_MISSED_CYCLES", "1")),
}
# Consistency of reports (progress.consistency): refused contradictions, and flags for the reviewers.
LUOSHI_REPORT_RULES = {
    "completed_is_100": True,  # 已完成 means 100%
    "not_started_is_0": True,  # 未启动 means 0%
    "hundred_is_done": True,  # 100% is 已完成 or 机制已建立
    "in_place_only_ongoing": True,  # 机制已建立 only on a 持续推进 measure
    "flag_past_deadline": True,  # not complete although the measure's deadline has passed
    "flag_going_back": True,  # lower percentage than, or no longer complete after, the last report
}
# When an indicator's value is expected (days after its period ends) before it is shown as 未报送:
# a quarter's about a month and a half after it, a year's in the following spring.
LUOSHI_KPI_ARRIVAL = {
    "quarter_days": int(os.environ.get("LUOSHI_KPI_QUARTER_DAYS", "45")),
    "year_days": int(os.environ.get("LUOSHI_KPI_YEAR_DAYS", "120")),
}
# Department scoring (考核): points per event, as data.
LUOSHI_SCORING = {
    "accepted_on_time": 5,
    "accepted_late": 2,
    "late_report": -1,
    "missing_report": -2,
    "returned": -1,
    "notice_late": -2,  # a 督办单 not answered by its reply deadline (per 督办单)
}
# 加分 for a unit's innovation cases: selected (入选), and promoted by the case's level.
LUOSHI_SCORING_CASES = {"selected": 1, "area": 1, "city": 2, "province": 3, "national": 5}
LUOSHI_REMIND_DAYS = int(os.environ.get("LUOSHI_REMIND_DAYS", "7"))
# The office may take back a 验收 for this long, while the report is not public (撤销验收).
LUOSHI_UNDO_ACCEPT_MINUTES = int(os.environ.get("LUOSHI_UNDO_ACCEPT_MINUTES", "5"))
# The 催办 → 督办 ladder (supervision.escalation): days after a cycle's due date without a report
# before the reporter, then the unit's head, is reminded; cycles in a row a measure must be red (or
# overdue) before its 分管领导 is told and a 督办单 proposed; days a unit has to 签收 a 督办单.
LUOSHI_ESCALATION = {
    "reporter_after_days": int(os.environ.get("LUOSHI_ESCALATE_REPORTER_DAYS", "1")),
    "head_after_days": int(os.environ.get("LUOSHI_ESCALATE_HEAD_DAYS", "7")),
    "leader_red_cycles": int(os.environ.get("LUOSHI_ESCALATE_RED_CYCLES", "2")),
    "sign_within_days": int(os.environ.get("LUOSHI_NOTICE_SIGN_DAYS", "2")),
    "reply_within_days": int(os.environ.get("LUOSHI_NOTICE_REPLY_DAYS", "10")),
    # new 督办单 proposed per daily run at most, the longest overdue first
    "proposals_per_run": int(os.environ.get("LUOSHI_ESCALATE_PROPOSALS", "5")),
}
# 延期申请 on a key (重点/挂牌督办) item moving its deadline by more than this many days needs the
# 分管领导's approval after the office's.
LUOSHI_EXTENSION_LEADER_DAYS = int(os.environ.get("LUOSHI_EXTENSION_LEADER_DAYS", "30"))
# Outside channels (robots, SMS gateway, e-mail): tries per run, overall tries, seconds per try.
LUOSHI_CHANNELS = {
    "retries": int(os.environ.get("LUOSHI_CHANNEL_RETRIES", "3")),
    "give_up_after": int(os.environ.get("LUOSHI_CHANNEL_GIVE_UP", "9")),
    "timeout": float(os.environ.get("LUOSHI_CHANNEL_TIMEOUT", "5")),
}

# E-mail: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("LUOSHI_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("LUOSHI_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("LUOSHI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("LUOSHI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("LUOSHI_EMAIL_TLS", True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("LUOSHI_EMAIL_FROM", "luoshi@localhost")

LUOSHI_BUNDLED_PLAN = BASE_DIR / "data" / "plans" / "yueyang-ftz-implementation-plan-2021.txt"
LUOSHI_MAX_IMPORT_BYTES = int(os.environ.get("LUOSHI_MAX_IMPORT_BYTES", str(20 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LUOSHI_LOG_LEVEL", "WARNING")},
}


# ---- Security defaults (等保 2.0 三级; issue 19) ----
from csp.constants import NONE, SELF  # noqa: E402  (django-csp)

# No inline script or style anywhere: every script and stylesheet is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The OpenAPI schema and its docs page: signed-in users only unless opened up on purpose.
LUOSHI_API_SCHEMA_PUBLIC = env_bool("LUOSHI_API_SCHEMA_PUBLIC", False)
# Requests one API token may make (django-ninja throttle syntax, e.g. 120/min, 5000/h): 429 beyond.
LUOSHI_API_TOKEN_RATE = os.environ.get("LUOSHI_API_TOKEN_RATE", "120/min")
# Requests with an unknown, revoked or expired token per source address: beyond, 429 (audited once).
LUOSHI_API_BAD_TOKEN_RATE = os.environ.get("LUOSHI_API_BAD_TOKEN_RATE", "20/min")
# Generated documents (briefing PDFs made by the job worker) kept this many days (luoshi prune-generated).
LUOSHI_GENERATED_RETENTION_DAYS = int(os.environ.get("LUOSHI_GENERATED_RETENTION_DAYS", "7"))
# Files luoshi creates (database, evidence, exports) are readable by its own account only.
LUOSHI_FILE_MODE_MASK = 0o077
# 征求意见: comments one sender (by address) may send per hour on the public portal.
LUOSHI_COMMENTS_PER_HOUR = int(os.environ.get("LUOSHI_COMMENTS_PER_HOUR", "5"))
# The audit chain's checkpoints: signed with LUOSHI_AUDIT_KEY, else a key file outside the database.
LUOSHI_AUDIT_KEY = os.environ.get("LUOSHI_AUDIT_KEY", "")
LUOSHI_AUDIT_KEY_FILE = Path(os.environ.get("LUOSHI_AUDIT_KEY_FILE", DATA_DIR / "audit.key"))
LUOSHI_AUDIT_CHECKPOINT_EVERY = int(os.environ.get("LUOSHI_AUDIT_CHECKPOINT_EVERY", "500"))
LUOSHI_AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("LUOSHI_AUDIT_RETENTION_DAYS", "365")))
# Personal fields (phones, addresses) are encrypted with SM4 under LUOSHI_FIELD_KEY, else a key file
# made once beside the data; back it up apart from the database (luoshi.accounts.crypto).
LUOSHI_FIELD_KEY = os.environ.get("LUOSHI_FIELD_KEY", "")
LUOSHI_FIELD_KEY_FILE = Path(os.environ.get("LUOSHI_FIELD_KEY_FILE", DATA_DIR / "field.key"))
