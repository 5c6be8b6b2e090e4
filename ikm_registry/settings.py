"""Settings for the IKM Registry, read from environment variables.

Defaults just work for a newcomer: SQLite in the project folder, DEBUG on, Bahasa Indonesia.
Production sets SECRET_KEY, ALLOWED_HOSTS, NIK_ENCRYPTION_KEY and DATABASE_URL (see README).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ya"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False if os.environ.get("SECRET_KEY") else True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-key-do-not-use-in-production-3f9a1c"

# Personal data (NIK) is encrypted with a key of its own so that rotating SECRET_KEY does not lose it.
NIK_ENCRYPTION_KEY = os.environ.get("NIK_ENCRYPTION_KEY", "")
if not NIK_ENCRYPTION_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("NIK_ENCRYPTION_KEY must be set when DEBUG is off.")
    NIK_ENCRYPTION_KEY = "dev-nik-key:" + SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

OFFICE_NAME = os.environ.get("OFFICE_NAME", "Dinas Perindustrian (demo)")
OFFICE_LOGO = os.environ.get("OFFICE_LOGO", "")  # path to a PNG/JPG for report headers
# Whether search engines may index the public pages (robots.txt); off for a training or test installation.
PUBLIC_INDEXING = env_bool("PUBLIC_INDEXING", True)
# Seconds that public figures over a whole province or the country (counts, totals, the home page) are kept after
# the data changed, so that offices saving units every few seconds do not have them counted again each time; only
# where that province or country has more than PUBLIC_SETTLED_ABOVE_UNITS public units (counting fewer costs
# milliseconds). Listings and anything within one kab/kota show a change within two seconds.
PUBLIC_SETTLED_SECONDS = float(os.environ.get("PUBLIC_SETTLED_SECONDS", "300"))
PUBLIC_SETTLED_ABOVE_UNITS = int(os.environ.get("PUBLIC_SETTLED_ABOVE_UNITS", "20000"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ikm_registry",
    "sentra",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ikm_registry.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ikm_registry.middleware.LazyMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ikm_registry.middleware.SettledPolicyCSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a locked-out login is answered before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ikm_registry.urls"

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
                "ikm_registry.context_processors.office",
                "ikm_registry.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "ikm_registry.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=0,
    )
}
# The directory's small, index-driven queries run as prepared statements with their generic plan, planned once
# per connection (public/compiled.py, planned_cursor). That pays only when connections are reused, so it
# follows the pool unless set. Turn off behind a pooler that cannot keep prepared statements (PgBouncer in
# transaction mode before 1.21).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", env_bool("DATABASE_POOL", True))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's own psycopg 3 pool; CONN_MAX_AGE must stay 0 with it.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["pool"] = env_bool("DATABASE_POOL", True)
    # JIT compilation costs 30-400 ms on the broad counts of directory facets and reports and never pays back
    # at our query sizes; random_page_cost 1.1 suits SSDs and keeps kab/kota queries on their indexes; a
    # higher parallel_setup_cost keeps parallel workers (several ms to start) for the broad national counts,
    # not the directory's few-millisecond facet query.
    options.setdefault(
        "options",
        os.environ.get("DATABASE_PG_OPTIONS", "-c jit=off -c random_page_cost=1.1 -c parallel_setup_cost=10000"),
    )
    if DATABASE_PREPARED_STATEMENTS:
        # psycopg prepares what it is asked to (prepare=True) only once a threshold is set; Django sets none.
        # Nothing else is prepared: Django's cursors bind client-side, which psycopg never prepares, so the
        # generic plan mode reaches only the statements planned_cursor prepares.
        options["prepare_threshold"] = 5
        options["options"] += " -c plan_cache_mode=force_generic_plan"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the background worker write while the site reads.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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

# Lock out guessing: 5 failures for one username from one address, for 30 minutes.
# Username and address together, so one office behind one NAT address is not locked out by one person.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "id")
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded and exported spreadsheets (personal data): outside MEDIA_ROOT, downloaded only through scoped views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Security: safe by default when DEBUG is off; a proxy that already redirects sets SECURE_SSL_REDIRECT=0.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: no CDN, no inline script. The admin and import-export use inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "https://*.tile.openstreetmap.org"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGIN_URL = "admin:login"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["ikm_registry.api.throttling.AnonWindowThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "120/minute")},
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "IKM Registry API",
    "DESCRIPTION": "Data publik IKM, sentra, produk OVOP dan wilayah. Tanpa data pribadi.",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ikm_registry.api.schema.document_errors",
    ],
    # Three models have a "kind" with different choices: name each enum, or check --deploy warns (W001).
    "ENUM_NAME_OVERRIDES": {
        "CertificateKindEnum": "ikm_registry.models.units.CertificateKind",
        "SentraKindEnum": "sentra.models.SentraKind",
        "RegionKindEnum": "ikm_registry.models.regions.RegionKind",
    },
}

# Each process has its own memory cache unless CACHE_URL names a Redis server shared by all workers, so a
# directory page counted once is served from the cache by every worker and after every restart.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ikm-registry"),
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured("CACHE_URL must be a redis:// address (or empty for each process's own memory).")
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ikm-registry",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "5000"))},
        }
    }

# Background work (large imports, large exports) runs in `python manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# import-export: only staff with the right model permission may import or export.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
# Rows above this count are validated and committed by the worker, never inside a web request.
IMPORT_BACKGROUND_THRESHOLD = int(os.environ.get("IMPORT_BACKGROUND_THRESHOLD", "2000"))
EXPORT_BACKGROUND_THRESHOLD = int(
    os.environ.get("EXPORT_BACKGROUND_THRESHOLD", str(max(IMPORT_BACKGROUND_THRESHOLD, 5000)))
)
# A table an import wrote this many rows to (kept or rolled back) gets VACUUM (ANALYZE) right after it,
# instead of waiting for autovacuum (ikm_registry/maintenance.py); 0 leaves every table to autovacuum.
IMPORT_VACUUM_ROWS = int(os.environ.get("IMPORT_VACUUM_ROWS", "5000"))

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
