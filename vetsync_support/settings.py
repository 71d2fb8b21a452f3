"""Settings of the VetSync support portal, read from the environment (django-environ).

Every variable is documented in the README. With DEBUG false every secure default is on;
the three SECURE_SSL_REDIRECT / *_COOKIE_SECURE variables may be set to false to serve plain
HTTP on loopback (tests, a TLS-terminating proxy on the same host).
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str(
        "SECRET_KEY", default="insecure-development-only-key-do-not-use-in-production"
    )
else:
    try:
        SECRET_KEY = env.str("SECRET_KEY")
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "value (for example: python -c 'import secrets; print(secrets.token_urlsafe(64))')."
        ) from exc

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
# The portal's own database, and the read-only VetSync database (alias "vetsync"). When
# VETSYNC_DATABASE_URL is unset the VetSync tables live in the portal's own database.

VAR_DIR.mkdir(exist_ok=True)
_SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
    ),
    "transaction_mode": "IMMEDIATE",
}


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
            # Values sent apart from the SQL, and a query run 5 times on a connection is
            # prepared: PostgreSQL stops planning it again, which costs more than running the
            # portal's indexed reads (README, How the pages stay fast). Turn it off behind a
            # pooler that cannot keep prepared statements (PgBouncer before 1.21).
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
    # The test suite gives the VetSync alias its own test database, so that the tests
    # create the unmanaged contract tables there themselves, as on a real deployment.
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

# Lockout (django-axes): keyed on "<clinic RUT>:<user RUT>" in normalized form (and on the
# username for the admin's login). A password spray from one address is slowed by the
# per-address limit in accounts/lockout.py, which is much higher so that one clinic behind
# one router is not locked out by a single careless user.
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
# A failed login is answered no sooner than this after it began, whoever the RUT belongs to:
# above 1.25 x the slowest VetSync hash (Django's PBKDF2: 0.46 s here), or each worker raises
# its own floor to that (accounts/login_timing.py, docs/SECURITY.md "Login timing").
# 1.5 s: Django's PBKDF2 check takes 0.6-0.8 s on a busy 2-core machine, and the floor must
# stay above 1.25x the slowest check, or workers raise their own floors apart (a CI run on such
# a machine saw 1.0 s and 1.19 s).
LOGIN_FAILURE_SECONDS = env.float("LOGIN_FAILURE_SECONDS", default=1.5)

# --- Sessions and cookies ----------------------------------------------------------------------

# App servers keep no state: sessions live in the database, or with CACHE_URL (for example
# redis://127.0.0.1:6379/1) in the cache in front of the database (cached_db).
CACHE_URL = env.str("CACHE_URL", default="")
if CACHE_URL:
    CACHES = {"default": env.cache_url_config(CACHE_URL)}
    if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
        # Redis stopped or unreachable is a cache miss, not an error: sessions are read from
        # the database meanwhile, and nobody is logged out (docs/RESILIENCE.md).
        CACHES["default"].setdefault("OPTIONS", {}).update(
            {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
        )
        DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
        DJANGO_REDIS_LOGGER = "vetsync.cache"
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# How old the agents' queue counts and the index's numbers may be (tickets/queues.py); 0 reads
# them on every page.
ADMIN_COUNTS_CACHE_SECONDS = env.int("ADMIN_COUNTS_CACHE_SECONDS", default=30)
# How old the figures of Informes may be (reports/views.py); 0 reads them on every page.
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
# Only es-cl: LocaleMiddleware answers every browser's Accept-Language in Spanish (Chile).
# Django 6.1 ships no es_CL catalog and leaves a few admin words untranslated in its es one
# ("- Select an option -", "Run"); locale/es_CL holds them, and the libraries' model names.
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
# The tickets' attached files: never under a public URL (attachments/views.py serves them).
# Local disk by default; an S3-compatible object store when ATTACHMENTS_S3_BUCKET is set, so
# that several app servers share them.
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
            # A download is copied from the bucket to a temporary file past this size, not
            # kept in the worker's memory (django-storages' default keeps it all in memory).
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "attachments": ATTACHMENTS_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "vetsync_support.static_storage.ManifestStaticStorage"
        )
    },
}

# --- E-mail ------------------------------------------------------------------------------------

# EMAIL_URL (django-environ's e-mail URL: smtp+tls://user:pass@host:587, consolemail://,
# dummymail://) becomes the default mailer of Django's MAILERS setting.
# Development prints e-mails to the console; production must say where they go.
_email = (
    env.email_url("EMAIL_URL", default="consolemail://") if DEBUG else env.email_url("EMAIL_URL")
)
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

# A failed send is tried again after these waits (seconds); after the last, it is failed and an
# agent may retry it in the admin. A worker that dies mid-send leaves its notification claimed
# for NOTIFICATION_SENDING_LEASE seconds, then retry_notifications queues it again.
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
    "formatters": {
        "structured": {
            "()": "vetsync_support.logging.StructuredFormatter",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "structured"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "vetsync": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# axes.W006 asks for "ip_address" among the lockout parameters; the portal keys accounts on
# the RUTs and limits addresses separately (accounts/lockout.py, LOGIN_IP_FAILURE_LIMIT).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
