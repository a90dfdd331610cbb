"""Django settings, derived from the typed environment in ``geocases.config``.

Nothing here reads ``os.environ`` directly: add a field to ``Environment``
instead, so every setting is validated and documented in one place.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from geocases.config import BASE_DIR, environment_load

ENV = environment_load()

DEBUG = ENV.DEBUG
SECRET_KEY = ENV.secret_key
ALLOWED_HOSTS = ENV.ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = ENV.CSRF_TRUSTED_ORIGINS

INSTALLED_APPS = [
    "geocases.accounts.apps.GeocasesAdminConfig",  # django.contrib.admin, our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "geocases.core.staticfiles.GeocasesStaticFilesConfig",  # staticfiles without ReDoc
    "django.contrib.gis",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    # Domain apps: one per concept, see README "Architecture".
    "geocases.core",
    "geocases.organisations",
    "geocases.accounts",
    "geocases.categories",
    "geocases.areas",
    "geocases.cases",
    "geocases.routing",
    "geocases.open311",
    "geocases.geocoding",
    "geocases.tracking",
    "geocases.knowledge",
    "geocases.deadlines",
    "geocases.notifications",
    "geocases.intake",
    "geocases.insights",
    "geocases.audit",
    "geocases.privacy",
    "geocases.demo",
    "axes",  # log-in lock-out; last, as its checks ask
    # HTTP
    "api",
    "frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "api.middleware.RequestSizeMiddleware",
    "api.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lock-out into its page
]

ROOT_URLCONF = "geocases.urls"
WSGI_APPLICATION = "geocases.wsgi.application"

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
                "frontend.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        ENV.DATABASE_URL,
        engine="django.contrib.gis.db.backends.postgis",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = ENV.DATABASE_CONNECT_TIMEOUT
# No JIT compilation: PostGIS functions carry high planner costs, so PostgreSQL
# would JIT-compile ordinary spatial look-ups, spending 100-400 ms to save a few.
# Prepared statements (``geocases.core.db.execute_prepared``, e.g. a case's
# routing) keep one generic plan: they are prepared because planning costs
# more than running them. Django's own queries are not server-side prepared.
DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off -c plan_cache_mode=force_generic_plan"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# GDAL before 3.9 cannot be told not to open files or URLs named in a spatial
# reference. Nothing the public or staff type or draw reaches GDAL: GeoJSON is
# parsed by shapely and given to GEOS as WKB with SRID 4326
# (geocases/core/geometry.py, core/admin.py; tested with a hostile "crs"
# member in tests/fuzz/). The one exception is deliberate: service-area files
# an administrator imports (from the GIS department or a contractor) are read
# by GDAL, their coordinate system included — trusted input, not the public's.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

AUTH_USER_MODEL = "accounts.User"
# Who someone is: passwords here, checked by django-axes first (lock-out).
# An e-ID log-in (e.g. BankID through an OpenID Connect broker) is another
# backend on this list, mapping the person to a User; roles stay ours.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "geocases.accounts.backends.CachedModelBackend",  # ModelBackend, users kept a few seconds
]
GEOCASES_USER_CACHE_SECONDS = ENV.USER_CACHE_SECONDS
# Argon2id (the winner of the Password Hashing Competition, OWASP's first
# choice); older hashes are upgraded at the next log-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Lock-out: failures for one user name from one address (an office behind one
# address is not locked out by one person's typos, nor a user by a stranger).
AXES_FAILURE_LIMIT = ENV.LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(minutes=ENV.LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "geocases.core.client.client_address"
AXES_LOCKOUT_CALLABLE = "frontend.pages.login.locked_out"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # failures are kept; who opened which case is in the audit log
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "frontend:login"
LOGIN_REDIRECT_URL = "frontend:staff-home"
LOGOUT_REDIRECT_URL = "frontend:report"

# Internationalisation: Swedish by default, English available.
LANGUAGE_CODE = ENV.LANGUAGE_CODE.value
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "geocases" / "locale"]
TIME_ZONE = ENV.TIME_ZONE
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = ENV.STATIC_ROOT
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = ENV.MEDIA_ROOT

EMAIL_BACKEND = ENV.email_backend
EMAIL_HOST = ENV.EMAIL_HOST
EMAIL_PORT = ENV.EMAIL_PORT
EMAIL_HOST_USER = ENV.EMAIL_HOST_USER
EMAIL_HOST_PASSWORD = ENV.EMAIL_HOST_PASSWORD.get_secret_value()
EMAIL_USE_TLS = ENV.EMAIL_USE_TLS
EMAIL_USE_SSL = ENV.EMAIL_USE_SSL
EMAIL_FILE_PATH = ENV.EMAIL_FILE_PATH
DEFAULT_FROM_EMAIL = ENV.DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = ENV.EMAIL_TIMEOUT
SERVER_EMAIL = ENV.SERVER_EMAIL

# One site's keys and queue in a Redis that others may share: by default
# named after its database (what is cached is read from it).
REDIS_NAMESPACE = ENV.REDIS_NAMESPACE or DATABASES["default"]["NAME"]

# A shared cache in Redis: sessions are read from it (saving a database
# query on every request) and kept in the database too (cached_db), so a
# Redis outage costs speed, not log-ins.
CACHES = {
    "default": {
        "BACKEND": "geocases.core.cache.RedisCache",  # Django's, clients reused
        "LOCATION": ENV.CACHE_URL or urlsplit(ENV.CELERY_BROKER_URL)._replace(path="/1").geturl(),
        "KEY_PREFIX": REDIS_NAMESPACE,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
SESSION_ENGINE = "geocases.core.sessions"  # cached_db, every cache call guarded

# Celery: Redis as broker; tasks are acknowledged after they ran so a worker
# that dies mid-task leaves the message for another worker.
CELERY_BROKER_URL = ENV.CELERY_BROKER_URL
CELERY_TASK_DEFAULT_QUEUE = REDIS_NAMESPACE  # workers take this queue's tasks only
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# With Redis down, handing a task over fails within about a second instead of
# holding up the request: the outbox keeps the work for the sweep.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "deadline-reminders": {
        "task": "geocases.deadlines.tasks.deadline_reminders",
        "schedule": 300.0,
    },
    "daily-followup": {
        "task": "geocases.deadlines.tasks.daily_followup",
        "schedule": crontab(
            hour=dt.time.fromisoformat(ENV.FOLLOWUP_TIME).hour,
            minute=dt.time.fromisoformat(ENV.FOLLOWUP_TIME).minute,
        ),
    },
    "email-intake": {
        "task": "geocases.intake.tasks.email_intake_poll",
        "schedule": 60.0,
    },
    # Case changes folded into the map's cell counts (readers see them before).
    "insights-cells-fold": {
        "task": "geocases.insights.tasks.cells_fold_task",
        "schedule": 10.0,
    },
    # The dashboard's year of durations computed before planners ask.
    "insights-statistics-warm": {
        "task": "geocases.insights.tasks.statistics_warm_task",
        "schedule": max(60.0, ENV.STATISTICS_DURATIONS_SECONDS / 2),
    },
    # What the outbox could not hand to a worker (Redis down) or failed to send.
    "notifications-sweep": {
        "task": "geocases.notifications.tasks.notification_sweep",
        "schedule": 60.0,
    },
    # Re-routing runs that could not be handed to a worker (Redis down).
    "routing-reroute-sweep": {
        "task": "geocases.routing.tasks.reroute_sweep_task",
        "schedule": 300.0,
    },
    # Service areas' validity periods and seasons take effect on their dates.
    "routing-reroute-daily": {
        "task": "geocases.routing.tasks.reroute_daily_task",
        "schedule": crontab(hour=0, minute=5),
    },
    # Next year's case numbers ready before its first registrations.
    "case-numbers-prepare": {
        "task": "geocases.cases.tasks.case_numbers_prepare_task",
        "schedule": crontab(hour=4, minute=5),
    },
    # Clients' Idempotency-Keys forgotten after IDEMPOTENCY_DAYS.
    "idempotency-prune": {
        "task": "geocases.core.tasks.idempotency_prune_task",
        "schedule": crontab(hour=3, minute=15),
    },
    # Resolved cases past the citizen's reopen window closed, so that their
    # retention period starts (it counts from closing).
    "cases-close-resolved": {
        "task": "geocases.cases.tasks.cases_close_resolved_task",
        "schedule": crontab(hour=2, minute=10),
    },
    # Personal data of cases past their category's retention period erased.
    "privacy-retention": {
        "task": "geocases.privacy.tasks.retention_run_task",
        "schedule": crontab(hour=2, minute=30),
    },
}

REST_FRAMEWORK = {
    # Our pages use the session (with CSRF); other systems send
    # "Authorization: Token <key>" (keys issued in the admin).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",  # first: 401 with a challenge
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Closed unless a view says who may use it (api/permissions.py).
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsStaff"],
    # Public clients per address (geocases/core/ratelimits.py); staff never.
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PublicRateLimit"],
    # DRF's parsers, the JSON one refusing documents nested too deep or
    # holding unpaired surrogates with a 400 (api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "geocases API",
    "DESCRIPTION": "Cases with a place: REST/GeoJSON. Open311 GeoReport v2 is at /open311/v2/.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ArticleKindEnum": "geocases.knowledge.models.ArticleKind",
        "PlaceKindEnum": "geocases.categories.models.PlaceKind",
        "UnitKindEnum": "geocases.organisations.models.OrganisationUnit.Kind",
    },
}

GEOCASES_MAX_PLACE_VERTICES = ENV.MAX_PLACE_VERTICES
GEOCASES_MAX_ATTACHMENT_BYTES = ENV.MAX_ATTACHMENT_BYTES
GEOCASES_MAX_REQUEST_BYTES = ENV.MAX_REQUEST_BYTES
GEOCASES_ROUTING_CONFIRM_METERS = ENV.ROUTING_CONFIRM_METERS
# Database connections that bulk re-routing uses side by side (one per core).
GEOCASES_REROUTE_WORKERS = ENV.REROUTE_WORKERS
GEOCASES_REOPEN_DAYS = ENV.REOPEN_DAYS
GEOCASES_SITE_URL = ENV.SITE_URL
GEOCASES_EMAIL_INTAKE_CATEGORY = ENV.EMAIL_INTAKE_CATEGORY
GEOCASES_MAX_EMAIL_BYTES = ENV.MAX_EMAIL_BYTES
GEOCASES_EMAIL_INTAKE_MAILDIR = ENV.EMAIL_INTAKE_MAILDIR
GEOCASES_REMIND_AT_SHARE = ENV.REMIND_AT_SHARE
GEOCASES_ESCALATE_AFTER = dt.timedelta(hours=ENV.ESCALATE_AFTER_HOURS)
GEOCASES_OFFICE_HOURS = tuple(
    dt.time.fromisoformat(part.strip()) for part in ENV.OFFICE_HOURS.split("-")
)
GEOCASES_MAX_PHOTOS = ENV.MAX_PHOTOS
GEOCASES_IDEMPOTENCY_DAYS = ENV.IDEMPOTENCY_DAYS
GEOCASES_OUTBOX_RECLAIM = dt.timedelta(seconds=ENV.OUTBOX_RECLAIM_SECONDS)
GEOCASES_STATISTICS_DURATIONS_SECONDS = ENV.STATISTICS_DURATIONS_SECONDS
# Address search: a function (query, limit) -> [PlaceHit]; plug in a real geocoder here.
GEOCASES_GEOCODER = ENV.GEOCODER

# Rate limits on the public endpoints, per client address (see config.py).
GEOCASES_TRUSTED_PROXIES = ENV.TRUSTED_PROXIES
GEOCASES_RATE_LIMITS = (
    {
        "report": ENV.RATE_LIMIT_REPORT,
        "lookup": ENV.RATE_LIMIT_LOOKUP,
        "track": ENV.RATE_LIMIT_TRACK,
        "login": ENV.RATE_LIMIT_LOGIN,
        "api_key": ENV.RATE_LIMIT_API_KEY,
    }
    if ENV.RATE_LIMITS
    else {}
)
RATELIMIT_USE_CACHE = "default"  # Redis: counted across all workers

# Maps: centred on the demo city; tiles only when configured.
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (59.33, 18.02),
    "DEFAULT_ZOOM": 11,
    "MIN_ZOOM": 9,
    "MAX_ZOOM": 19,
    "TILES": [(_("Map"), ENV.MAP_TILE_URL, {"attribution": ENV.MAP_TILE_ATTRIBUTION})]
    if ENV.MAP_TILE_URL
    else [],
    "RESET_VIEW": False,
    "PLUGINS": {
        # On pages' maps (auto-include) and on the admin's geometry widgets (forms).
        "city-backdrop": {"js": ["frontend/js/city-backdrop.js"], "auto-include": True},
        "forms": {"js": ["frontend/js/city-backdrop.js"]},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": ENV.LOG_LEVEL},
    # django-axes logs every log-in at INFO; failures and lock-outs are WARNING.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Cookies: never readable by scripts (the pages send the CSRF token from the
# form), and only over HTTPS in production.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = ENV.SECURE_SSL_REDIRECT
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe speaks plain HTTP
    if ENV.SECURE_PROXY_SSL_HEADER:
        SECURE_PROXY_SSL_HEADER = (ENV.SECURE_PROXY_SSL_HEADER, "https")
    SECURE_HSTS_SECONDS = ENV.SECURE_HSTS_SECONDS
    SECURE_HSTS_INCLUDE_SUBDOMAINS = ENV.SECURE_HSTS_INCLUDE_SUBDOMAINS
    SECURE_HSTS_PRELOAD = ENV.SECURE_HSTS_PRELOAD
