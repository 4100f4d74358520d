"""Settings for the stationing portal.

Everything that differs between a laptop and a city deployment comes from the environment; the
README's configuration table lists each variable. With nothing set the portal runs on an SQLite
file with Celery tasks executed in-process, so `make run` works on a fresh machine.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envfloat(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


CI = envbool("CI", "false")
DEBUG = envbool("DEBUG", "true")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 # DEBUG only  # nosec B105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "csp",
    "axes",
    "core",
    "notifications",
    "stationing",
    "enterprises",
    "projects",
    "supervision",
    "bench",
]

MIDDLEWARE = [
    # First: after the process's first request, keeps its loaded code out of every full GC.
    "core.middleware.SettledHeapMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The audit trail: the request's address for services' events, and every 403 recorded.
    "core.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a sign-in that django-axes refused into the lockout answer (core/signin.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.roles",
                "notifications.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    if CI:
        # CI must prove the suite on PostgreSQL; silently testing SQLite would hide that.
        raise ImproperlyConfigured("CI=true requires DATABASE_URL (PostgreSQL)")
    DATABASE_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60))
}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that does not answer fails a request after this many seconds, not the
    # operating system's two minutes.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = envint(
        "DB_CONNECT_TIMEOUT", 5
    )
    # PostgreSQL's JIT compiles the dashboard's and the appraisal's big aggregates on every
    # run, which cost more than they save: the province dashboard took 2.6 s with it and 1.8 s
    # without (make bench). PG_JIT=on restores the server's setting.
    if os.environ.get("PG_JIT", "off") == "off":
        DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two requests writing at once (a double-tapped submit): a deferred SQLite transaction
    # that reads first cannot take the write lock later and fails with "database is locked".
    # IMMEDIATE takes it at the start, so the second waits (up to `timeout` s) and then sees
    # the first one's work.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and Celery broker ---------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# Seconds any one Redis operation (connect, send, answer) may take, for the cache and for
# publishing tasks. A Redis that hangs (stopped, not down) otherwise holds a web request until
# the kernel gives up, minutes later; with it the request goes on and the delivery scan sends
# what could not be queued.
REDIS_TIMEOUT = envfloat("REDIS_TIMEOUT", 3)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_timeout": REDIS_TIMEOUT, "socket_connect_timeout": REDIS_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
# Several portals (or a test run) can share one Redis, each on its own queue.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_RESULT_BACKEND = None
# Without a broker the tasks run in-process, so a newcomer's `make run` still does everything.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Bounded publishing: one try, each operation within REDIS_TIMEOUT, so a publish waits at most
# about REDIS_TIMEOUT. (A stale connection after a Redis restart is reopened by redis-py within
# that try; a retry would double the wait on a hung Redis. The worker and beat keep
# reconnecting on their own; systemd restarts them if they give up.)
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": REDIS_TIMEOUT,
    "socket_connect_timeout": REDIS_TIMEOUT,
    "socket_keepalive": True,
    "health_check_interval": 25,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
# After a failed publish, this process queues nothing for this many seconds: the rows are in
# PostgreSQL and the every-minute delivery scan sends them, so later requests do not each wait
# REDIS_TIMEOUT on a broker already known to be away.
BROKER_BACKOFF_SECONDS = envfloat("BROKER_BACKOFF_SECONDS", 30)
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A password reset link (e-mailed to the user, or asked for by the office) works this long.
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", 3 * 24 * 3600)

# --- Sign-in lockout (django-axes; core/signin.py) -----------------------------------------
# Axes first: it refuses a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed sign-ins (page and API token endpoint alike) within the cool-off that lock an account,
# whatever address they come from...
AXES_FAILURE_LIMIT = envint("SIGN_IN_FAILURE_LIMIT", 5)
# ...and that lock an address for every account. Higher than the account limit: a whole office
# building often signs in from one NAT address.
SIGN_IN_IP_FAILURE_LIMIT = envint("SIGN_IN_IP_FAILURE_LIMIT", 20)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "core.signin.PortalAxesHandler"
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("SIGN_IN_COOLOFF_MINUTES", 15))
# Not reset by a success: the reset deletes every failure recorded from that address, so someone
# with an account of their own could clear their guesses at another's between tries.
AXES_RESET_ON_SUCCESS = False
# A wrong password during the lockout does not restart the cool-off, so the owner can get in
# after it even while someone keeps guessing (the guesses are still refused).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "core.signin.client_ip"
AXES_LOCKOUT_CALLABLE = "core.signin.lockout_response"
# Proxies in front of the portal that append to X-Forwarded-For (deploy/nginx: one). The client
# address is the entry this far from the right; without a proxy, REMOTE_ADDR.
TRUSTED_PROXY_COUNT = envint(
    "TRUSTED_PROXY_COUNT", 1 if envbool("BEHIND_TLS_PROXY", "false") and not DEBUG else 0
)

# --- API tokens -----------------------------------------------------------------------------
# Days an API token works after it was issued; the user gets a new one at /password/token/.
API_TOKEN_TTL_DAYS = envint("API_TOKEN_TTL_DAYS", 90)

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 12 * 1024 * 1024)
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
TICKET_ATTACHMENT_MAX_BYTES = envint("TICKET_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 20000)

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "驻企服务平台 <noreply@localhost>")
# Seconds for each SMTP connect and each answer; a send that runs out is retried with backoff.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
# Seconds for a chat-robot webhook POST (connect and answer).
WEBHOOK_TIMEOUT = envint("WEBHOOK_TIMEOUT", 5)

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # A load balancer may probe over plain HTTP inside the machine room.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    if envbool("BEHIND_TLS_PROXY", "false"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Served from static/ only: government networks are closed and the portal takes no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request is then answered 401 with a WWW-Authenticate
        # challenge (DRF answers 403 when the first class is SessionAuthentication).
        "core.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "core.api.filters.NaturalOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.NarrowPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.PortalAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "驻企服务平台 API",
    "DESCRIPTION": "Stationing portal API. Every list is scoped to what the signed-in user sees.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # With DEBUG off the schema and the docs page are for signed-in users only.
    "SERVE_PERMISSIONS": ["core.api.permissions.SignedInUnlessDebug"],
    # A unit's level would otherwise be named LevelEnum, the name of a ticket's level.
    "ENUM_NAME_OVERRIDES": {"UnitLevelEnum": "core.choices.UnitLevel"},
}

# --- Health (/healthz) ---------------------------------------------------------------------
HEALTH_BROKER_TIMEOUT = envfloat("HEALTH_BROKER_TIMEOUT", 1)
# A scheduled job whose slot passed this long ago without a run makes /healthz answer 503.
HEALTH_JOB_LATE_SECONDS = envint("HEALTH_JOB_LATE_SECONDS", 24 * 3600)

# --- Portal ---------------------------------------------------------------------------------
PAGE_SIZE = envint("PAGE_SIZE", 25)
# The most rows one .xlsx export of a list writes; past it the list asks to narrow the filters.
EXPORT_MAX_ROWS = envint("EXPORT_MAX_ROWS", 20000)
# The leadership dashboard's figures are recomputed at most this often per user and scope
# (0: every request). The page says when they were computed.
DASHBOARD_CACHE_SECONDS = envint("DASHBOARD_CACHE_SECONDS", 300)
# A list filter's empty choice reads 全部 (all), not django-filter's "---------". The forms'
# own empty choices read 请选择… (core.forms.PortalFormMixin).
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("全部")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
