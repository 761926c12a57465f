"""Dialogue Atlas settings.

Every setting that differs between machines comes from an environment variable, declared once
here with its type and default (see `.env.example`). With nothing set, a first run works on
SQLite with DEBUG on; `DJANGO_ENV=production` turns on every production safeguard.
"""

from pathlib import Path

import environ
from corsheaders.defaults import default_headers as cors_default_headers
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
IS_PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DEBUG", default=not IS_PRODUCTION)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
if IS_PRODUCTION and (not SECRET_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DJANGO_ENV=production needs SECRET_KEY: a random string of at least 50 characters "
        "(for example: python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )
SECRET_KEY = SECRET_KEY or _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Absolute URLs (API web_url, feeds, sitemap, citations) use the request's host unless set.
SITE_URL = env.str("SITE_URL", default="").rstrip("/")

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, so translated fields reach it
    "staff.apps.AtlasAdminConfig",  # django.contrib.admin with the two-step sign-in site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "simple_history",
    "import_export",
    "corsheaders",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "django_rq",
    # The kernel, the domain apps (lower first), then the apps that compose them.
    "core",
    "stakeholders",
    "dialogue",
    "findings",
    "web",
    "partners",
    "staff",
    "demo",
    "alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.security.PermissionsPolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    # Compresses API answers only (see core/api/http.py: BREACH).
    "core.api.http.ApiGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.middleware.RequestLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # Below ConditionalGetMiddleware: the API's ETags, 304s (HEAD too), RateLimit and Cache-Control.
    "core.api.http.ApiHttpMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so that every middleware above still runs on a cache hit.
    "core.routers.ReplicaRoutingMiddleware",
    "core.cache.PublicCacheMiddleware",
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
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Performance mechanisms that `make bench` switches off one at a time for the README's
# with/without table (never set in production): memo_counts, memo_records, record_versions,
# compiled_statements, memo_id_lists, socket_health_check. The page cache has its own switch
# (PUBLIC_CACHE_ENABLED).
PERFORMANCE_OFF = frozenset(env.list("PERFORMANCE_OFF", default=[]))

# Database: SQLite file by default, PostgreSQL (>= 15) through DATABASE_URL in production and CI.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default=None)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes share the file (web workers, publish_due, a worker): writers take the lock
    # when their transaction begins and wait for one another; readers never wait (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=20,
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and (
    "socket_health_check" not in PERFORMANCE_OFF
):
    # The same backend, with a health check that asks the socket instead of the server.
    DATABASES["default"]["ENGINE"] = "core.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DATABASE_CONNECT_TIMEOUT", default=3
    )

# Optional read replica: public reads go there, writes and the admin stay on the primary.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"]["ENGINE"] = "core.postgresql"
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.routers.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every app server), else local memory.
# A dead Redis must never take the site down: django-redis ignores its errors and the site
# runs uncached.
REDIS_URL = env.str("REDIS_URL", default="")
CACHE_TIMEOUT = env.int("CACHE_TIMEOUT", default=600)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": CACHE_TIMEOUT,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": CACHE_TIMEOUT,
            # Per worker process. Django's default (300) is less than one language's worth of
            # API records for twenty list pages: entries would be culled as fast as they are made.
            "OPTIONS": {"MAX_ENTRIES": env.int("CACHE_MAX_ENTRIES", default=2000)},
        }
    }

# Rate-limit counters (core/ratelimit.py): shared by every worker process and app server, and
# counted atomically. In Redis when REDIS_URL is set; else in a table of the database (created by
# core's migration 0003), never in per-process memory, where each worker would count apart.
if REDIS_URL:
    CACHES["ratelimit"] = {**CACHES["default"], "KEY_PREFIX": "ratelimit"}
else:
    CACHES["ratelimit"] = {
        "BACKEND": "core.ratelimit.DatabaseCounterCache",
        "LOCATION": "core_ratelimit_counter",
    }

# Public page cache (core/cache.py): anonymous public pages and API responses, invalidated
# exactly on every change. With the local-memory cache, the version that invalidates is a file
# shared by the worker processes of one machine; several machines need REDIS_URL.
PUBLIC_CACHE_ENABLED = env.bool("PUBLIC_CACHE_ENABLED", default=True)
PUBLIC_CACHE_TIMEOUT = env.int("PUBLIC_CACHE_TIMEOUT", default=CACHE_TIMEOUT)
# Records' API representations and cards (core/memo.py) are kept under each record's own version,
# so they are exact whatever their age: the timeout only bounds how long an unread one stays.
RECORD_CACHE_TIMEOUT = env.int("RECORD_CACHE_TIMEOUT", default=24 * 3600)
# The findings list's searches come from an in-memory index of each process (core/textindex/),
# built once in a background thread (PostgreSQL answers meanwhile, with the same results) and
# shared with the other processes through the cache; False builds it in the first search's request.
SEARCH_INDEX_BACKGROUND = env.bool("SEARCH_INDEX_BACKGROUND", default=True)
PUBLIC_CACHE_VERSION_FILE = Path(
    env.str("PUBLIC_CACHE_VERSION_FILE", default=str(BASE_DIR / "var" / "public-cache.version"))
)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: English, French, Korean. English is the fallback for content.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ko", _("Korean")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr", "ko")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "fr")}
# Tabbed translation admin: modeltranslation loads jQuery UI from a CDN unless told otherwise;
# ours is vendored from npm under static/.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# Static files: hashed, compressed, served by whitenoise with long-lived cache headers.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=IS_PRODUCTION)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

# Staff admin lives under a configurable path.
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"

# Sessions expire; staff sign in again after SESSION_COOKIE_AGE seconds.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes): a locked account shows a clear message.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = ["username"]
# Lock the account, not the address: staff often share one office address, and a per-address
# lock would let one mistyping colleague lock everyone out.
SILENCED_SYSTEM_CHECKS = [
    "axes.W006",
    # Covering indexes (INCLUDE) serve PostgreSQL; SQLite builds the same index without the extra
    # columns, which is all a first run needs.
    "models.W040",
]
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_LOCKOUT_CALLABLE = "staff.lockout.lockout_response"  # the template above, plus Retry-After
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# Two-factor sign-in: when on, Editors and superusers must pass a TOTP check.
OTP_REQUIRED_FOR_EDITORS = env.bool("OTP_REQUIRED_FOR_EDITORS", default=False)
OTP_TOTP_ISSUER = "Dialogue Atlas"

# Security headers. CSP: 'self' plus nonces; a relaxed policy only on views that need one.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# REST API: configured once here; resources come from each app's api.py.
API_THROTTLE_ANON = env.str("API_THROTTLE_ANON", default="120/minute")
API_THROTTLE_KEY = env.str("API_THROTTLE_KEY", default="1200/minute")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["core.api.rendering.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": API_THROTTLE_ANON, "partner": API_THROTTLE_KEY},
    # Whom the anonymous limit counts: the address of the peer (0), or, behind N trusted proxies,
    # the N-th address from the end of X-Forwarded-For. Never the whole header, which a client
    # could change on every request to escape the limit.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dialogue Atlas API",
    "DESCRIPTION": "Read-only access to the published records of Track 1.5 policy dialogues.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The partners' API (config/api): only /api/v1/ is described, tags follow the resource paths.
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PREPROCESSING_HOOKS": ["core.api.schema.only_api_v1"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.add_links",
    ],
    "ENUM_NAME_OVERRIDES": {"RecommendationStatusEnum": "findings.models.RecommendationStatus"},
    # Response components apart from request ones: a response's fields are all required
    # (core/api/schema.py), which would be wrong of a request body if the API ever takes one.
    "COMPONENT_SPLIT_REQUEST": True,
}
# Seconds a shared cache (a CDN, a proxy) may keep an anonymous API answer (Cache-Control).
API_CACHE_MAX_AGE = env.int("API_CACHE_MAX_AGE", default=60)
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# Browsers may revalidate cross-origin (If-None-Match for a 304), and read the limits.
CORS_ALLOW_HEADERS = (*cors_default_headers, "if-none-match", "if-modified-since")
CORS_EXPOSE_HEADERS = [
    "Content-Language",
    "ETag",
    "Last-Modified",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
]

# Background tasks (django.tasks): rows of the database by default, so that a task enqueued in a
# transaction that rolls back never runs; a Redis queue (RQ) at scale. `manage.py worker` runs
# the worker of whichever is configured.
TASKS_BACKEND = env.str("TASKS_BACKEND", default="") or ("redis" if REDIS_URL else "database")
if TASKS_BACKEND not in ("database", "redis"):
    raise ImproperlyConfigured("TASKS_BACKEND is `database` or `redis`.")
if TASKS_BACKEND == "redis" and not REDIS_URL:
    raise ImproperlyConfigured("TASKS_BACKEND=redis needs REDIS_URL.")
TASKS = {
    "default": (
        {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
        if TASKS_BACKEND == "redis"
        else {"BACKEND": "django_tasks_db.DatabaseBackend"}
    )
}
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 300}}

# E-mail (Django's MAILERS): EMAIL_URL (smtp://user:pass@host:587, smtp+tls://..., smtp+ssl://...).
# Without it, in development each message is written as a .eml file under EMAIL_OUTBOX_DIR. Both
# backends render messages without folding long headers (core/mail.py).
EMAIL_URL = env.str("EMAIL_URL", default="")
EMAIL_OUTBOX_DIR = Path(env.str("EMAIL_OUTBOX_DIR", default="") or BASE_DIR / "var" / "outbox")
_EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
if EMAIL_URL or IS_PRODUCTION:
    # In production without EMAIL_URL: the local mail server (localhost:25).
    _email = env.email_url_config(EMAIL_URL or "smtp://localhost:25")
    MAILERS = {
        "default": {
            "BACKEND": "core.mail.SMTPBackend",
            "OPTIONS": {
                "host": _email["EMAIL_HOST"],
                "port": _email["EMAIL_PORT"],
                "username": _email.get("EMAIL_HOST_USER") or "",
                "password": _email.get("EMAIL_HOST_PASSWORD") or "",
                "use_tls": bool(_email.get("EMAIL_USE_TLS")),
                "use_ssl": bool(_email.get("EMAIL_USE_SSL")),
                "timeout": _EMAIL_TIMEOUT,
            },
        }
    }
else:
    MAILERS = {
        "default": {"BACKEND": "core.mail.OutboxBackend", "OPTIONS": {"directory": str(EMAIL_OUTBOX_DIR)}}
    }
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Dialogue Atlas <alerts@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Optional: django-anymail's tracking webhooks at /anymail/<esp>/tracking/ (installed separately),
# so that hard bounces and complaints end the address's alerts.
ANYMAIL_WEBHOOK_SECRET = env.str("ANYMAIL_WEBHOOK_SECRET", default="")
if ANYMAIL_WEBHOOK_SECRET:
    ANYMAIL = {"WEBHOOK_SECRET": ANYMAIL_WEBHOOK_SECRET}

# Alerts: how many subscription requests an address, and a client, may make per hour.
ALERTS_LIMIT_PER_ADDRESS = env.int("ALERTS_LIMIT_PER_ADDRESS", default=5)
ALERTS_LIMIT_PER_CLIENT = env.int("ALERTS_LIMIT_PER_CLIENT", default=30)

# Partners: bulk snapshots (kept in SNAPSHOTS_DIR, a volume every app server shares; the newest
# SNAPSHOTS_KEEP; at most one every SNAPSHOT_INTERVAL seconds) and webhooks.
SNAPSHOTS_DIR = Path(env.str("SNAPSHOTS_DIR", default="") or BASE_DIR / "var" / "snapshots")
SNAPSHOTS_KEEP = env.int("SNAPSHOTS_KEEP", default=7)
SNAPSHOT_INTERVAL = env.int("SNAPSHOT_INTERVAL", default=3600)
# Development only: let webhooks reach private, loopback and link-local addresses (and plain http).
WEBHOOKS_ALLOW_PRIVATE = env.bool("WEBHOOKS_ALLOW_PRIVATE", default=False)
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10.0)

# Structured JSON lines in production (LOG_FORMAT=json), readable lines in development.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if IS_PRODUCTION else "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "config.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_redis": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}
