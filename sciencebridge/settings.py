"""Settings, all from the environment (12-factor).

Embedded default: SQLite, in-process background jobs, console e-mail.
Production: DATABASE_URL=postgres://..., JOBS_BACKEND=celery, CELERY_BROKER_URL=redis://... .
DEBUG is off unless DEBUG=true; with DEBUG off a real SECRET_KEY is required (see below).
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("SCIENCEBRIDGE_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]", "testserver"]),
)

DEBUG = env("DEBUG")
# This key is public (it is in the source): it is only ever used with DEBUG on.
DEV_SECRET_KEY = "dev-only-not-secret-change-me-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
if DEBUG and not SECRET_KEY:
    SECRET_KEY = DEV_SECRET_KEY
elif not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or SECRET_KEY.startswith("change-me")):
    # The development key or the example's placeholder in production: treat as unset. Django refuses
    # every use of an empty key (sessions, CSRF, signing), and the server entry points (wsgi.py, so
    # gunicorn and runserver; the Celery worker) refuse to start: core/startup.py. Offline tools
    # (makemigrations, compilemessages) still run.
    SECRET_KEY = ""
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "djmoney",
    "import_export",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "sciencebridge.core",
    "sciencebridge.accounts",
    "sciencebridge.institutions",
    "sciencebridge.classification",
    "sciencebridge.jobs",
    "sciencebridge.notifications",
    "sciencebridge.funding",
    "sciencebridge.experts",
    "sciencebridge.exclusions",  # before review: its demo names experts to avoid before the runs
    "sciencebridge.review",
    "sciencebridge.decisions",
    "sciencebridge.projects",
    "sciencebridge.transfer",
    "sciencebridge.platforms",
    "sciencebridge.talent",
    "sciencebridge.cooperation",
    "sciencebridge.remittances",
    "sciencebridge.dataflows",
    "sciencebridge.labfunding",
    "sciencebridge.nominations",
    "sciencebridge.rechecks",
    "sciencebridge.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sciencebridge.core.request_cache.RequestCacheMiddleware",  # per-request values (conflicts)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "sciencebridge.core.middleware.RejectHostileInputMiddleware",  # NUL / over-long input: 400, not 500
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "sciencebridge.urls"
WSGI_APPLICATION = "sciencebridge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sciencebridge" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sciencebridge.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'sciencebridge.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # Writes are serialised, never refused: WAL lets readers run beside the one writer; every
    # transaction.atomic() starts with BEGIN IMMEDIATE, so it takes the write lock up front (waiting up
    # to `timeout` seconds for it) instead of failing with "database is locked" when a read turns into
    # a write; synchronous=NORMAL is safe with WAL. bench/sqlite_parallel.py measures it.
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": env.str("SQLITE_TRANSACTION_MODE", default="IMMEDIATE"),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # JIT compilation costs ~100 ms per query and pays off only for long analytical queries; pages
    # and API lists are short OLTP queries (measured on the scale benchmark's officer lists).
    if not env.bool("POSTGRES_JIT", default=False):
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Prepared statements: a query the connection has run POSTGRES_PREPARE_THRESHOLD times is
    # prepared on the server, which then parses and plans it once, not on every request (planning
    # was 7 of a dashboard's 9 ms of SQL; in-process the pages took 13-25 % less, issue 16). Needs
    # server-side parameters. Set POSTGRES_PREPARED_STATEMENTS=false behind a pooler in transaction
    # mode that does not track them (PgBouncer before 1.21).
    if env.bool("POSTGRES_PREPARED_STATEMENTS", default=True):
        # Django's backend, but a statement over the protocol's 65,535 parameters is bound on the
        # client (sciencebridge/core/postgresql/base.py)
        DATABASES["default"]["ENGINE"] = "sciencebridge.core.postgresql"
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True,
            prepare_threshold=env.int("POSTGRES_PREPARE_THRESHOLD", default=5),
        )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Django's database sessions; the row is read with SQL compiled once per process (core.sessions)
SESSION_ENGINE = "sciencebridge.core.sessions"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

AUTHENTICATION_BACKENDS = [
    "sciencebridge.accounts.backends.LockoutBackend",  # first: django-axes refuses locked-out attempts
    "rules.permissions.ObjectPermissionBackend",
    "sciencebridge.accounts.backends.EmailOrUsernameBackend",  # log in with the e-mail address or username
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: English, Traditional Chinese (Hong Kong), Simplified Chinese (Mainland).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hant", "繁體中文"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "sciencebridge" / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": ("en",),
    "zh-hans": ("zh-hant", "en"),
    "zh-hant": ("zh-hans", "en"),
}
TIME_ZONE = "Asia/Hong_Kong"
USE_I18N = True
USE_TZ = True

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Rendered rows of long lists, kept per process ({% cache … using="fragments" %}). A row's key
    # holds every value the row shows, so a kept row is never out of date (``funding.officer_list``,
    # ``decisions.meeting_rows``).
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
}

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "sciencebridge" / "static"]
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
# Uploaded and generated files live under MEDIA_ROOT with a random directory in every name and are
# never served from it directly (no MEDIA_URL route): /files/<signed name>/ checks the permission, then
# Django streams the file ("django", the embedded default) or hands it to the web server
# ("x-accel-redirect": nginx internal location FILES_ACCEL_PREFIX; "x-sendfile": Apache/lighttpd).
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
FILES_SERVE_METHOD = env.str("FILES_SERVE_METHOD", default="django")
FILES_ACCEL_PREFIX = env.str("FILES_ACCEL_PREFIX", default="/protected-files/")
STORAGES = {
    "default": {"BACKEND": "sciencebridge.core.files.ProtectedStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env.str("EMAIL_URL", default=""):  # e.g. smtp+tls://user:password@smtp.example.org:587
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="ScienceBridge <no-reply@sciencebridge.local>"
)
# Links in e-mails: the address the platform answers on (scripts/demo serves on $PORT, default 8000).
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}")
SUPPORT_EMAIL = env.str(
    "SUPPORT_EMAIL", default="support@sciencebridge.local"
)  # help page and error pages

# Money: the Hong Kong side funds in HKD, the Mainland side in RMB (ISO code CNY).
CURRENCIES = ("HKD", "CNY")
CURRENCY_CHOICES = [("HKD", "HKD"), ("CNY", "RMB (CNY)")]
DEFAULT_CURRENCY = "HKD"

# ---- Background jobs, the queue and notifications (owned by the jobs app; see bench/RESULTS-faults.md) ----
# "thread" runs jobs in-process (embedded default); "celery" sends them to a queue; "sync" runs them inline.
JOBS_BACKEND = env.str("JOBS_BACKEND", default="thread")
# A running job holds a lease renewed by a heartbeat every third of it; when the worker dies the lease
# expires and the reaper (every JOBS_REAPER_INTERVAL s) requeues the job: the first retry at once, later
# ones after JOBS_RETRY_BACKOFF * 2^(n-1) s (at most JOBS_RETRY_BACKOFF_MAX), up to JOBS_MAX_ATTEMPTS runs.
# A job that could not reach the broker is sent again after the same backoff.
JOBS_LEASE_SECONDS = env.int("JOBS_LEASE_SECONDS", default=30)
JOBS_REAPER_INTERVAL = env.int("JOBS_REAPER_INTERVAL", default=30)
JOBS_MAX_ATTEMPTS = env.int("JOBS_MAX_ATTEMPTS", default=3)
JOBS_RETRY_BACKOFF = env.int("JOBS_RETRY_BACKOFF", default=30)
JOBS_RETRY_BACKOFF_MAX = env.int("JOBS_RETRY_BACKOFF_MAX", default=600)
# A queued job sent to the broker but not picked up within this time is sent again (the first worker to
# claim it runs it; the other message finds it claimed and does nothing).
JOBS_PICKUP_TIMEOUT = env.int("JOBS_PICKUP_TIMEOUT", default=600)
# A job that could not reach the queue for this long is given up (failed, visible to the secretariat).
JOBS_GIVE_UP_AFTER = env.int("JOBS_GIVE_UP_AFTER", default=86400)
# Renew the lease from a background thread (not for "sync", whose jobs run inside a request or a test).
JOBS_HEARTBEAT_THREAD = env.bool("JOBS_HEARTBEAT_THREAD", default=JOBS_BACKEND != "sync")

# Load the expert-matching text models when a serving process starts (gunicorn worker, Celery worker,
# manage.py runserver; never tests or other management commands), in a background thread, so the first
# expert search does not wait ~25 s for weights: sciencebridge/experts/warmup.py. Every such process
# then holds the models in memory; 0 to load them on first use instead.
MATCHING_WARM_AT_START = env.bool("MATCHING_WARM_AT_START", default=True)

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None)
# Late acknowledgement: a message is acknowledged after its job ran, and a worker killed mid-job puts it
# back. Safe because execute() claims the job row first: a redelivery of a running or finished job is a no-op.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long jobs: a worker holds no more messages than it runs
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="sciencebridge")
# Publishing must fail fast (the job then waits for the reaper), never hang a request.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=3.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis redelivers an unacknowledged message after visibility_timeout: it must exceed the longest job
# (JOBS_LONGEST_SECONDS), or a long job's message is delivered to a second worker while the first still
# runs it (harmless thanks to the claim, but wasted). Recovery from a dead worker does not wait for it:
# the lease expires after JOBS_LEASE_SECONDS and the reaper requeues the job.
# RabbitMQ: the server's consumer_timeout (rabbitmq.conf, default 30 min) must also exceed the longest job.
JOBS_LONGEST_SECONDS = env.int("JOBS_LONGEST_SECONDS", default=1800)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=JOBS_LONGEST_SECONDS + 300),
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "max_retries": 0,  # publishing: one connection attempt, then the job waits for the reaper
}


def _beat_schedule():
    from sciencebridge.jobs.schedule import SCHEDULE

    return {
        name: {
            "task": "sciencebridge.jobs.tasks.run_scheduled",
            "schedule": float(every),
            "args": (path,),
        }
        for name, path, every in SCHEDULE
    }


CELERY_BEAT_SCHEDULE = _beat_schedule()
# Notifications: an e-mail that fails is retried after NOTIFY_RETRY_BACKOFF * 2^(attempt-1) s, up to
# NOTIFY_MAX_ATTEMPTS times (the in-app notification is there from the start either way).
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=8)
NOTIFY_RETRY_BACKOFF = env.int("NOTIFY_RETRY_BACKOFF", default=60)
# ---- end of background jobs ----

# Proposal attachments
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Request bodies other than uploaded files (forms, JSON): Django's default 2.5 MB is ample for every
# form and API payload; uploads are bounded separately (ATTACHMENT_MAX_BYTES, the import form).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# No single text value of a form, query string or JSON body may exceed this (core/middleware.py).
MAX_TEXT_VALUE_CHARS = env.int("MAX_TEXT_VALUE_CHARS", default=100_000)

# Production hardening: on when DEBUG is off (TLS is terminated by the reverse proxy in front).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # SECURE_COOKIES=false switches both off at once (plain-HTTP intranet trials); the per-cookie
    # variables win over it.
    SESSION_COOKIE_SECURE = env.bool(
        "SESSION_COOKIE_SECURE", default=env.bool("SECURE_COOKIES", default=True)
    )
    CSRF_COOKIE_SECURE = env.bool(
        "CSRF_COOKIE_SECURE", default=env.bool("SECURE_COOKIES", default=True)
    )
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # the load balancer probes over plain HTTP
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
    # Opt-in: only when every subdomain is HTTPS-only / when the domain is to be submitted to the
    # browsers' preload list (deploy/production.env.example sets both).
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "sciencebridge.api.schema.ScienceBridgeAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ScienceBridge API",
    "VERSION": "0.1.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "sciencebridge.core.openapi.document_input_guard",  # no NUL, bounded length (core/middleware.py)
    ],
    "ENUM_NAME_OVERRIDES": {
        "JurisdictionEnum": "sciencebridge.projects.models.Jurisdiction",
        "RunStateEnum": "sciencebridge.review.models.RunState",
        "AssignmentStateEnum": "sciencebridge.review.models.AssignmentState",
        "ReviewStateEnum": "sciencebridge.review.models.ReviewState",
        # Two different "confidence" choice sets (cooperation records: C/P/U/D; platforms: C/P/U).
        "RecordConfidenceEnum": "sciencebridge.cooperation.models.Confidence",
        "PlatformConfidenceEnum": "sciencebridge.platforms.models.Confidence",
    },
}
# --- Identity: log-in throttling, API tokens, password rules (accounts app; kept in one block) ------------
INSTALLED_APPS += ["axes"]  # noqa: F405
# Last, as django-axes asks: it turns a lockout flagged during authentication into a 429 page.
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # noqa: F405
# Failed log-ins (page and API token endpoint) per (username, client address): the 5th failure locks that
# pair out for 15 minutes; a success resets the count.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("LOGIN_LOCKOUT_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = (
    "sciencebridge.accounts.throttling.lockout_response"  # JSON for /api/, a page otherwise
)
AXES_USERNAME_CALLABLE = "sciencebridge.accounts.throttling.username_from_request"
AXES_CLIENT_IP_CALLABLE = "sciencebridge.accounts.throttling.client_ip"
TRUSTED_PROXY_COUNT = env.int(
    "TRUSTED_PROXY_COUNT", default=0
)  # 1 behind nginx: the client is in X-Forwarded-For
API_TOKEN_LIFETIME_DAYS = env.int("API_TOKEN_LIFETIME_DAYS", default=30)
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "sciencebridge.api.authentication.ExpiringTokenAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]

# Cross-boundary remittances (sciencebridge.remittances): a remittance not confirmed received within this many
# working days (Hong Kong and Mainland public holidays excluded) is reminded; a receipt more than
# REMITTANCE_TOLERANCE_PERCENT above the remitted RMB converted at the day's reference rate is refused, and one
# differing from it by more than REMITTANCE_FLAG_PERCENT either way is flagged for reconciliation.
REMITTANCE_RECEIPT_WORKING_DAYS = env.int("REMITTANCE_RECEIPT_WORKING_DAYS", default=10)
REMITTANCE_TOLERANCE_PERCENT = env.str("REMITTANCE_TOLERANCE_PERCENT", default="2")
REMITTANCE_FLAG_PERCENT = env.str("REMITTANCE_FLAG_PERCENT", default="0.5")
# The Hetao white-list model for sample transfers (a proposal, [P] in domain.md): used only while no
# sample-flow rule (admin, data) is in effect; a rule row decides from its date on.
DATAFLOWS_HGR_WHITELIST = env.bool("DATAFLOWS_HGR_WHITELIST", default=False)

# Matching: the discipline-code bonus (in standard deviations of the model's similarity for a full code
# match, NSFC ↔ RGC crosswalk included). Off unless set: no data with both codes and expertise judgements
# was available to tune it (bench/RESULTS-issue14.md §6).
MATCHING_DISCIPLINE_WEIGHT = env.float("MATCHING_DISCIPLINE_WEIGHT", default=0.0)
