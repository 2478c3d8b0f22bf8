"""Settings for Titres, read from the environment only.

One module for every deployment: what differs between a laptop and a
prefecture's servers is set by environment variables, never by a second
settings file. Defaults give a safe local run (SQLite and media under var/).
"""

import os
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("TITRES_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# Without SECRET_KEY, a random key is generated once and kept in var/ (0600):
# fine for one machine in development. Several app servers must share
# SECRET_KEY; with DEBUG off a missing SECRET_KEY is refused.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and not DEBUG and not env.bool("ALLOW_GENERATED_SECRET_KEY", default=False):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SECRET_KEY doit être défini lorsque DEBUG est désactivé "
        "(ou ALLOW_GENERATED_SECRET_KEY=1 pour une machine isolée)."
    )
if not SECRET_KEY:
    _key_file = VAR_DIR / "secret_key"
    try:
        # O_EXCL + mode 0600 at creation: the key is never readable by others,
        # not even for an instant.
        _fd = os.open(_key_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        pass
    else:
        import secrets

        with os.fdopen(_fd, "w") as _f:
            _f.write(secrets.token_urlsafe(50))
    SECRET_KEY = _key_file.read_text().strip()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "widget_tweaks",
    "dsfr",
    "captcha",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "oauth2_provider",
    "django_tasks",
    "django_tasks_db",
    "titres.core",
    "titres.jobs",
    "titres.accounts",
    "titres.franceconnect",
    "titres.devidp",
    "titres.procedures",
    "titres.paiements",
    "titres.permis",
    "titres.vehicules",
    "titres.identite",
    "titres.instruction",
    "titres.partenaires",
    "titres.annuaire",
    "titres.contact",
    "titres.infos",
    # django-ninja's templates and static files: Swagger UI served from here.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "titres.core.files.StoredFilesCleanupMiddleware",
    "titres.partenaires.middleware.PartnerApiMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "titres.core.sessions.SessionRenewalMiddleware",
    "titres.core.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "titres.instruction.otp.OTPMiddleware",
    "titres.annuaire.maintenance.MaintenanceModeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "titres.core.csp.CSPMiddleware",
    "titres.core.middleware.NoStoreByDefaultMiddleware",
    "titres.core.middleware.LoginRequiredMiddleware",
    "titres.accounts.middleware.TermsAcceptanceMiddleware",
]

ROOT_URLCONF = "titres.urls"
WSGI_APPLICATION = "titres.wsgi.application"
ASGI_APPLICATION = "titres.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            # After Django's: {% extends %} keeps the root parent's blocks (issue 17).
            "builtins": ["titres.core.templatetags.titres_extends"],
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "titres.core.context_processors.site_config",  # dsfr's, cached
                "titres.core.context_processors.portal",
                "titres.annuaire.context_processors.notices",
                "titres.infos.context_processors.home_news",  # lazy, cached
                # Last: replaces the csrf_token of Django's built-in one (cheaper mask).
                "titres.core.csrf.csrf",
            ],
        },
    },
]
FORM_RENDERER = "dsfr.forms.DsfrDjangoTemplates"
DSFR_MARK_OPTIONAL_FIELDS = True

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'titres.sqlite3'}")
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the worker and the web process share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions ---------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
from titres.core.caches import cache_settings  # noqa: E402 - plain function, no Django import

CACHES = cache_settings(
    REDIS_URL,
    prefix=env.str("CACHE_KEY_PREFIX", default="titres"),
    connect_timeout=env.float("REDIS_CONNECT_TIMEOUT", default=0.5),
    socket_timeout=env.float("REDIS_SOCKET_TIMEOUT", default=0.5),
)
# Sessions live in the database and are read through the soft cache: a
# Redis restart or outage neither logs anybody out nor breaks a page.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "soft"
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "titres.cache"

# Without REDIS_URL the cache and the rate limits are per process: refused
# with DEBUG off (core.E001) unless this installation runs a single process.
SINGLE_PROCESS_INSTALLATION = env.bool("SINGLE_PROCESS_INSTALLATION", default=False)

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
# Inactivity timeout, not absolute: renewed at most once per
# SESSION_REFRESH_SECONDS (titres/core/sessions.py), not written on every page.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
# HSTS is on by default in production (Secure cookies mean the site is served
# over TLS): one year. SecurityMiddleware only sends it on HTTPS requests
# (behind a proxy, with BEHIND_TLS_PROXY=1).
SECURE_HSTS_SECONDS = env.int(
    "SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if SECURE_COOKIES and not DEBUG else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Number of reverse proxies in front of the app that append to
# X-Forwarded-For; 0 means clients connect directly (REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)

# --- Content Security Policy (django-csp 4) -------------------------------
from csp.constants import NONCE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "form-action": [SELF] + env.list("CSP_FORM_ACTION_EXTRA", default=[]),
        "frame-ancestors": ["'none'"],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

# --- Authentication -------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses locked identifiers/IPs first, for every login form including
    # the operators' admin; the sessions that the portal, FranceConnect and
    # the agents' entrance open name it too (its get_user is the cheap one).
    # ModelBackend stays listed for the sessions opened before they did.
    "titres.accounts.backends.LockoutModelBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "titres.accounts.validators.CnilPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
PUBLIC_PATH_PREFIXES = ["/captcha/", "/static/", "/devidp/o/", "/api/"]
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)
ACCOUNT_ACTIVATION_HOURS = 48

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
# Each app keeps its translations in titres/<app>/locale (found by app).
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# No MEDIA_URL is routed: uploaded files are only served through views that
# check the reader's rights.
MEDIA_URL = "/media-not-served/"
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------
# In DEBUG every message is kept in the development mailbox (/dev/mailbox/)
# unless an SMTP server is configured.
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    # Without SMTP and outside development, nothing is sent and only the
    # subject and recipients are logged: message bodies carry reset links
    # and tokens that must never land in logs. A system check warns.
    EMAIL_BACKEND = (
        "titres.core.mailbox.MailboxBackend" if DEBUG else "titres.core.mailbox.UnconfiguredBackend"
    )
# Without a timeout, smtplib waits forever on a server that accepts the
# connection and never answers, and the mail worker with it.
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Titres <ne-pas-repondre@titres.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Contact given by the accessibility statement (/accessibilite/, RGAA).
ACCESSIBILITY_CONTACT_EMAIL = env.str(
    "ACCESSIBILITY_CONTACT_EMAIL", default="accessibilite@titres.localhost"
)
# Mentions légales and données personnelles (/mentions-legales/,
# /donnees-personnelles/): who hosts this installation, and the data
# protection officer's address. Set them per deployment (docs/infos.md).
LEGAL_HOSTING = env.str(
    "LEGAL_HOSTING",
    default="Agence nationale des titres sécurisés, sur des serveurs situés en France.",
)
PRIVACY_CONTACT_EMAIL = env.str(
    "PRIVACY_CONTACT_EMAIL", default="donnees-personnelles@titres.localhost"
)
DEV_MAILBOX_ENABLED = env.bool("DEV_MAILBOX_ENABLED", default=DEBUG)
SMS_BACKEND = env.str("SMS_BACKEND", default="titres.core.sms.LogSmsBackend")

# --- Background tasks -----------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        # One queue per kind of work, each with its own workers: a slow
        # mail server never delays an antivirus scan or the factory.
        "QUEUES": ["default", "mail", "documents", "production"],
    }
}
# Leases, retries and probe thresholds of the job workers (docs/operations.md).
TASKS_LEASE_SECONDS = env.int("TASKS_LEASE_SECONDS", default=60)
TASKS_HEARTBEAT_SECONDS = env.float("TASKS_HEARTBEAT_SECONDS", default=10)
TASKS_MAX_ATTEMPTS = env.int("TASKS_MAX_ATTEMPTS", default=5)
TASKS_RETRY_BASE_SECONDS = env.float("TASKS_RETRY_BASE_SECONDS", default=30)
TASKS_RETRY_MAX_SECONDS = env.float("TASKS_RETRY_MAX_SECONDS", default=3600)
TASKS_MAX_WAIT_SECONDS = env.int("TASKS_MAX_WAIT_SECONDS", default=300)
# The periodic jobs' scheduler (titres/jobs/schedule.py, docs/operations.md).
SCHEDULER_LEASE_SECONDS = env.int("SCHEDULER_LEASE_SECONDS", default=30)
SCHEDULER_PERIODS = env.dict("SCHEDULER_PERIODS", cast={"value": int}, default={})
SCHEDULER_GRACE_SECONDS = env.int("SCHEDULER_GRACE_SECONDS", default=300)
SCHEDULER_RUNS_KEPT_DAYS = env.int("SCHEDULER_RUNS_KEPT_DAYS", default=90)
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {
        name: {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}
        for name in TASKS["default"]["QUEUES"]
    }

# --- Audit journal checkpoints (docs/journal.md) ---------------------------
# The signing key is a file the database never holds (on the sealer's machine);
# old public keys stay listed after a rotation so their checkpoints still count.
JOURNAL_CHECKPOINT_KEY = env.str(
    "JOURNAL_CHECKPOINT_KEY", default=str(VAR_DIR / "journal-checkpoint.pem") if DEBUG else ""
)
JOURNAL_CHECKPOINT_PUBLIC_KEYS = env.list("JOURNAL_CHECKPOINT_PUBLIC_KEYS", default=[])
JOURNAL_CHECKPOINT_DIR = env.str(
    "JOURNAL_CHECKPOINT_DIR", default=str(VAR_DIR / "journal-checkpoints")
)
JOURNAL_CHECKPOINT_EMAIL = env.str("JOURNAL_CHECKPOINT_EMAIL", default="")
JOURNAL_CHECKPOINT_INTERVAL = env.int("JOURNAL_CHECKPOINT_INTERVAL", default=600)

# --- Third parties --------------------------------------------------------
CAPTCHA_IMAGE_SIZE = (180, 60)
CAPTCHA_FONT_SIZE = 36
CAPTCHA_LENGTH = 6
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.random_char_challenge"
CAPTCHA_TEST_MODE = env.bool("CAPTCHA_TEST_MODE", default=False)
OTP_TOTP_ISSUER = "Titres"
# An operator must never read an agent's TOTP secret (key field, QR code and
# configuration URL in the admin): whoever holds it holds the second factor.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"

# Local identity provider standing in for FranceConnect (titres.devidp).
DEVIDP_ENABLED = env.bool("DEVIDP_ENABLED", default=DEBUG)
DEVIDP_ALLOW_WITHOUT_DEBUG = env.bool("DEVIDP_ALLOW_WITHOUT_DEBUG", default=False)

# No photographers' e-photo service here: a photo-signature registered
# without images gets specimen ones (titres.permis.ephoto_specimen), as the
# real service always answers with images. Off where real images arrive.
EPHOTO_LOCAL_SPECIMENS = env.bool("EPHOTO_LOCAL_SPECIMENS", default=DEBUG)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Maintenance mode (docs/annuaire.md) -----------------------------------
# On during a deployment: citizens and partners get the 503 page, operators,
# agents and the health probes keep working. Operators also switch it in /gestion/.
MAINTENANCE_MODE = env.bool("MAINTENANCE_MODE", default=False)
MAINTENANCE_RETRY_AFTER = env.int("MAINTENANCE_RETRY_AFTER", default=300)
