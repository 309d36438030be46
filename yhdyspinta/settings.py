"""Yhdyspinta settings: one module, everything from the environment.

Without any environment the portal runs on an embedded default (a SQLite file under var/, Celery
tasks run eagerly in-process) so that a newcomer needs no server. With DEBUG off, a missing secret
or host list is a loud failure, never a silent fallback.
"""

import datetime
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from yhdyspinta.env import env, env_bool, env_choices, env_email, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "yhdyspinta.third_party.AxesConfig",  # axes, with a translated name
    "django_otp",
    "yhdyspinta.third_party.TOTPConfig",  # django_otp.plugins.otp_totp, with translated names
    "users",
    "regions",
    "agreements",
    "tym",
    "register",
    "pdfs",
    "audit",
    "yhdyspinta",  # project-wide commands: backup, restore
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "yhdyspinta.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "yhdyspinta.middleware.RefuseOddPathParametersMiddleware",
    "yhdyspinta.middleware.PrivateNoStoreMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # After OTPMiddleware and MessageMiddleware: it reads the OTP state and leaves a message.
    "users.middleware.TwoFactorMiddleware",
]

ROOT_URLCONF = "yhdyspinta.urls"
WSGI_APPLICATION = "yhdyspinta.wsgi.application"

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
            ],
        },
    },
]

# The embedded default is a SQLite file, so `python3 dev.py start` needs no server.
DATABASE_URL = env("DATABASE_URL", "")
if not DATABASE_URL:
    VAR_DIR.mkdir(exist_ok=True)
# In production a connection is kept for a minute and checked before it is reused: opening one per
# request cost PostgreSQL more CPU than the requests themselves. Not under `runserver`, whose thread
# per request would leave each kept connection behind. The audit log's acting user is cleared from a
# kept connection after every request (audit.context); docs/architecture.md says what this means for
# a connection pooler.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{VAR_DIR / 'yhdyspinta.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "users.backends.UserBackend",  # Django's ModelBackend, with the two-factor state loaded alongside
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Brute-force protection: after LOGIN_FAILURE_LIMIT wrong passwords for one username from one
# address, that pair is locked out for LOGIN_LOCKOUT_MINUTES; other users and addresses are not.
# After LOGIN_ADDRESS_FAILURE_LIMIT wrong passwords for any usernames from one address, the address
# is (one password tried against many usernames). users.lockout keeps the two limits apart.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 50)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_HANDLER = "users.lockout.LoginLockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["ip_address"]]  # in this order: users.lockout
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Behind a reverse proxy the client's address is the last one the proxies appended.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if TRUSTED_PROXY_COUNT else ["REMOTE_ADDR"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Guardian's anonymous user lets permission checks treat anonymous visitors like any other user.
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# Two-factor authentication (TOTP, django-otp) is optional for everyone; TWO_FACTOR_REQUIRED_FOR
# lists who must use it: "superuser" (portal admins) and any of the organisation roles.
TWO_FACTOR_CHOICES = ("superuser", "coordinator", "admin", "official", "signatory")
TWO_FACTOR_REQUIRED_FOR = env_choices("TWO_FACTOR_REQUIRED_FOR", TWO_FACTOR_CHOICES, [])
OTP_TOTP_ISSUER = "Yhdyspinta"
# Admins may remove a lost device in the admin, but never see another user's secret or QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Finnish first; Swedish is the other official language; English for everyone else.
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
ANNEX_MAX_BYTES = env_int("ANNEX_MAX_BYTES", 20 * 1000 * 1000)
# The largest text of one section, as sanitised HTML (every save keeps a full copy of it).
SECTION_TEXT_MAX_BYTES = env_int("SECTION_TEXT_MAX_BYTES", 1000 * 1000)
# Whether a party signs only once its decision is legally final (not only approved), and the
# agreement moves to signing only when enough parties' approvals are (agreements.decisions).
SIGNING_REQUIRES_LEGAL_FORCE = env_bool("SIGNING_REQUIRES_LEGAL_FORCE", False)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1000 * 1000
FILE_UPLOAD_PERMISSIONS = 0o640
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names in production (collectstatic); plain files while developing and testing.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Celery: a real broker when REDIS_URL is set, otherwise tasks run eagerly in the calling process.
REDIS_URL = env("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Redis redelivers a message a worker took and never acknowledged (it died) after this many seconds;
# longer than any task's time limit, or a slow task would be run twice at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

# PDFs (pdfs): rendered by WeasyPrint in a Celery job, in the font family shipped in static/vendor/dejavu.
PDF_FONT_DIR = Path(env("PDF_FONT_DIR", str(BASE_DIR / "static" / "vendor" / "dejavu")))
PDF_RENDER_TIME_LIMIT = env_int("PDF_RENDER_TIME_LIMIT", 300)  # seconds; a job past it fails
# The organisation certificate and key that seal the signed agreement (PEM files; the key may be
# encrypted with SEAL_KEY_PASSPHRASE); `manage.py make_demo_certificate` writes a self-signed pair
# for development at these paths. SEAL_TSA_URL: an RFC 3161 timestamp authority, used when set.
SEAL_CERTIFICATE = Path(env("SEAL_CERTIFICATE", str(VAR_DIR / "seal" / "certificate.pem")))
SEAL_KEY = Path(env("SEAL_KEY", str(VAR_DIR / "seal" / "key.pem")))
SEAL_KEY_PASSPHRASE = env("SEAL_KEY_PASSPHRASE", "")
SEAL_TSA_URL = env("SEAL_TSA_URL", "")
# Certificates that sealed earlier PDFs (comma-separated PEM paths): kept trusted after a renewal.
SEAL_EARLIER_CERTIFICATES = env_list("SEAL_EARLIER_CERTIFICATES", [])

# The daily date task (agreements.tasks.daily_dates): statuses moved by dates, reminders sent.
# `celery beat` runs it (docker-compose.yml); `manage.py daily_dates` is the same for cron.
CELERY_TIMEZONE = "Europe/Helsinki"
CELERY_BEAT_SCHEDULE = {
    "daily-dates": {"task": "agreements.tasks.daily_dates", "schedule": crontab(hour=5, minute=15)},
}

# E-mail: notifications of the workflow and reminders (agreements.services.notifications), sent by
# a Celery task. EMAIL_URL names the SMTP server; unset, mails are printed to the console.
_email = env_email("EMAIL_URL")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Yhdyspinta <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's own address, for the links in e-mails (no request to take it from).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# /health/ shows the database, Redis and worker states to the machine itself and to a monitor that
# sends this token in the X-Health-Token header; anyone else gets only the overall status.
HEALTH_TOKEN = env("HEALTH_TOKEN", "")

# Rendered page parts (yhdyspinta.fragments): one Redis shared by every web process when CACHE_URL
# is set (use a database of its own, not the Celery broker's); otherwise each process keeps its own
# in memory, which is as correct, only colder.
CACHE_URL = env("CACHE_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        # A cache that does not answer at once is treated as empty (yhdyspinta.fragments).
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}
}

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Everything goes to the root logger's one handler. Django's own default configuration, applied
# first, gives the "django" logger a console handler of its own while DEBUG is on: every django.*
# line (a 404, the autoreloader) was printed by both. Its "django.server" logger stays as Django
# sets it (runserver's request lines, not propagated).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # No handler of its own; NOTSET: the root's level (LOG_LEVEL) applies, not Django's INFO.
        "django": {"handlers": [], "level": "NOTSET", "propagate": True},
        # django-axes' start-up banner, printed by every process (runserver: its reloader and its server).
        "axes.apps": {"level": "WARNING"},
    },
}
