"""Settings from the environment (django-environ), every variable documented in the README.
With DEBUG false every secure default is on; SECURE_SSL_REDIRECT and *_COOKIE_SECURE may be set
to false to serve plain HTTP on loopback (tests, a TLS-terminating proxy on the same host)."""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# Outside DEBUG there is no default: a missing key stops the portal.
_DEVELOPMENT_KEY = "insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEVELOPMENT_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
        "value (for example: python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set: list the portal's host names.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "desk.admin_site.VetSyncAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "vetsync_support.apps.AxesConfig",  # django-axes, named in Spanish
    "vetsync_support.apps.TasksConfig",  # django-tasks-db, named in Spanish
    "vetsync_support.apps.PlumbingConfig",  # manage.py makemessages reads the Jinja2 pages
    "accounts",
    "tickets",
    "notifications",
    "attachments",
    "feedback",
    "notices",
    "service_levels",
    "canned_answers",
    "reports",
    # The composition: the clinics' pages and the agents' desk, over the core and the features.
    "portal",
    "desk",
]

MIDDLEWARE = [
    "vetsync_support.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.PortalSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vetsync_support.urls"
WSGI_APPLICATION = "vetsync_support.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.portal",
            ],
        },
    },
    {
        # The clinic's pages (jinja2/, vetsync_support/templating.py): rendered with
        # using="jinja2". The admin, the e-mails and the form widgets stay above.
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "vetsync_support.templating.environment",
            "auto_reload": DEBUG,
            "context_processors": [
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.portal",
            ],
        },
    },
]

# Form widgets are rendered by the project's template engine, so templates/ may hold widgets.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Databases -------------------------------------------------------------------------------
# The portal's database and the read-only VetSync one (alias "vetsync"): without
# VETSYNC_DATABASE_URL, the VetSync tables live in the portal's own database.
VAR_DIR.mkdir(exist_ok=True)
_SQLITE_PRAGMAS = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
_SQLITE_OPTIONS = {"init_command": _SQLITE_PRAGMAS, "transaction_mode": "IMMEDIATE"}


def _database(url: str, *, test_suffix: str = "") -> dict:
    config = env.db_url_config(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**_SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    else:
        config.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
        config["CONN_HEALTH_CHECKS"] = True
        options = config.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", 5)
        if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
            # A query run 5 times on a connection is prepared, not planned again, which costs
            # more than the indexed reads (README, How the pages stay fast). Off behind a pooler
            # that cannot keep prepared statements (PgBouncer before 1.21).
            options.setdefault("server_side_binding", True)
            options.setdefault("prepare_threshold", 5)
        if test_suffix:
            config["TEST"] = {"NAME": f"test_{config['NAME']}_{test_suffix}"}
    return config


DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")
VETSYNC_DATABASE_URL = env.str("VETSYNC_DATABASE_URL", default="")
VETSYNC_DATABASE_IS_EMBEDDED = not VETSYNC_DATABASE_URL

DATABASES = {
    "default": _database(DATABASE_URL),
    # Its own test database, where the tests create the contract tables as on a deployment.
    "vetsync": _database(VETSYNC_DATABASE_URL or DATABASE_URL, test_suffix="vetsync"),
}
DATABASE_ROUTERS = ["vetsync_support.db_router.VetSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

VETSYNC_CLINIC_TABLE = env.str("VETSYNC_CLINIC_TABLE", default="vetsync_clinic")
VETSYNC_USER_TABLE = env.str("VETSYNC_USER_TABLE", default="vetsync_user")

# --- Authentication ----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.VetSyncBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal-home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout (django-axes) on "<clinic RUT>:<user RUT>" normalized (the admin's: the username), and
# a much higher limit per address (accounts/lockout.py), so one user cannot lock out a clinic.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.lockout.axes_username"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password"]
# A lockout ends 15 minutes after it began, whatever an attacker keeps sending meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=50)
# The least time a failed login takes, whoever the RUT belongs to (accounts/login_timing.py):
# above 1.25x the slowest hash (Django's PBKDF2: 0.46 s here, 0.6-0.8 s on a busy 2-core
# machine), or workers raise their own floors apart (a CI run saw 1.0 s and 1.19 s). 1.5 s.
LOGIN_FAILURE_SECONDS = env.float("LOGIN_FAILURE_SECONDS", default=1.5)

# --- Sessions and cookies ----------------------------------------------------------------------
# Sessions live in the database, or with CACHE_URL (e.g. redis://127.0.0.1:6379/1) in the cache
# in front of it (cached_db): app servers keep no state.
CACHE_URL = env.str("CACHE_URL", default="")
if CACHE_URL:
    CACHES = {"default": env.cache_url_config(CACHE_URL)}
    if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
        # Redis away is a cache miss: sessions come from the database (docs/RESILIENCE.md).
        CACHES["default"].setdefault("OPTIONS", {}).update(
            {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
        )
        DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
        DJANGO_REDIS_LOGGER = "vetsync.cache"
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# How old the agents' queue counts and the index's numbers may be (tickets/queues.py; 0: none).
ADMIN_COUNTS_CACHE_SECONDS = env.int("ADMIN_COUNTS_CACHE_SECONDS", default=30)
# How old the figures of Informes may be (reports/views.py; 0: none).
REPORTS_CACHE_SECONDS = env.int("REPORTS_CACHE_SECONDS", default=300)
SESSION_COOKIE_AGE = int(timedelta(hours=8).total_seconds())  # absolute lifetime
SESSION_IDLE_TIMEOUT = int(timedelta(hours=2).total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# The __Host- prefix pins a cookie to this host and path; browsers accept it only when Secure.
SESSION_COOKIE_NAME = "__Host-vetsync_session" if SESSION_COOKIE_SECURE else "vetsync_session"
CSRF_COOKIE_NAME = "__Host-vetsync_csrf" if CSRF_COOKIE_SECURE else "vetsync_csrf"
CSRF_FAILURE_VIEW = "vetsync_support.error_views.csrf_failure"

# --- Security headers --------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else int(timedelta(days=365).total_seconds())
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# The forms' text fields; files are not counted here (attachments/limits.py has theirs).
DATA_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024
# An uploaded file larger than this goes to a temporary file, not to the worker's memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# --- Language, time, formats -------------------------------------------------------------------
LANGUAGE_CODE = "es-cl"
LANGUAGES = [("es-cl", "Español (Chile)")]
# Only es-cl, whatever the browser asks. Django 6.1 has no es_CL catalog and leaves some admin
# words in English ("- Select an option -", "Run"): locale/es_CL holds them and the libraries'.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Santiago"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["vetsync_support.formats"]

# --- Static files ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# The tickets' files, never under a public URL (attachments/views.py serves them): local disk,
# or an S3-compatible store shared by several app servers when ATTACHMENTS_S3_BUCKET is set.
ATTACHMENTS_S3_BUCKET = env.str("ATTACHMENTS_S3_BUCKET", default="")
if ATTACHMENTS_S3_BUCKET:
    ATTACHMENTS_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ATTACHMENTS_S3_BUCKET,
            "endpoint_url": env.str("ATTACHMENTS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("ATTACHMENTS_S3_REGION", default="") or None,
            "access_key": env.str("ATTACHMENTS_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("ATTACHMENTS_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("ATTACHMENTS_S3_PREFIX", default="attachments"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            # Past this size a download goes to a temporary file, not the worker's memory.
            "max_memory_size": 256 * 1024,
        },
    }
else:
    ATTACHMENTS_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env.str("ATTACHMENTS_DIR", default=str(VAR_DIR / "attachments")),
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
_STATICFILES_BACKEND = "django.contrib.staticfiles.storage.StaticFilesStorage"
if not DEBUG:
    _STATICFILES_BACKEND = "vetsync_support.static_storage.ManifestStaticStorage"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "attachments": ATTACHMENTS_STORAGE,
    "staticfiles": {"BACKEND": _STATICFILES_BACKEND},
}

# --- E-mail ------------------------------------------------------------------------------------
# EMAIL_URL (smtp+tls://user:pass@host:587, consolemail://, dummymail://) is the default mailer
# of MAILERS; development prints e-mails to the console, production must say where they go.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else env.NOTSET)
_mailer_options = {}
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    _mailer_options = {
        "host": _email.get("EMAIL_HOST") or "localhost",
        "port": _email.get("EMAIL_PORT") or 25,
        "username": _email.get("EMAIL_HOST_USER") or "",
        "password": _email.get("EMAIL_HOST_PASSWORD") or "",
        "use_tls": bool(_email.get("EMAIL_USE_TLS")),
        "use_ssl": bool(_email.get("EMAIL_USE_SSL")),
        "timeout": env.int("EMAIL_TIMEOUT", default=10),
    }
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _mailer_options}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Soporte VetSync <soporte@vetsync.cl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SUPPORT_TEAM_EMAIL = env.str("SUPPORT_TEAM_EMAIL", default="equipo-soporte@vetsync.cl")
# The portal's public address, for the absolute links in e-mails (no trailing slash needed).
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# --- Background tasks (notifications) ----------------------------------------------------------
# Django's tasks framework with the ORM backend: `manage.py db_worker` runs them.
# A failed send is retried after these waits (seconds), then failed (an agent may retry it). A
# worker dying mid-send holds it NOTIFICATION_SENDING_LEASE s; then retry_notifications requeues it.
NOTIFICATION_RETRY_DELAYS = env.list(
    "NOTIFICATION_RETRY_DELAYS", cast=int, default=[60, 300, 900, 3600, 14400]
)
NOTIFICATION_SENDING_LEASE = env.int("NOTIFICATION_SENDING_LEASE", default=600)
# Seconds a worker keeps trying to record a message it has sent while the database is away.
NOTIFICATION_SENT_RECORD_PATIENCE = env.int("NOTIFICATION_SENT_RECORD_PATIENCE", default=60)

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Logging -----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"structured": {"()": "vetsync_support.logging.StructuredFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "vetsync": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# axes.W006 asks to lock on "ip_address": addresses have their own limit (accounts/lockout.py).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
