"""Settings, read from the environment.

Nothing set gives the embedded default: SQLite, a server-less Celery broker
(kombu's SQLAlchemy transport over a SQLite file), console email. Production
sets DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and DJANGO_DEBUG=false;
it only ever tightens what the defaults allow. Every variable is in README.md.
"""

import os
from datetime import timedelta
from importlib import import_module
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured

from . import settings_api, wiring
from .env import env_bool, env_list, env_required

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GROWTH_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(exist_ok=True)


# Local development is the default; production turns DEBUG off and must then
# provide its own secret and host names, or start-up stops here.
DEBUG = env_bool("DJANGO_DEBUG", True)
if DEBUG:
    SECRET_KEY = os.environ.get("SECRET_KEY") or "insecure-local-development-key-do-not-deploy"
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
else:
    SECRET_KEY = env_required("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or env_list(env_required("ALLOWED_HOSTS"))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_filters",
    "simple_history",
    "core",
    "people",
    "ladders",
    "mentorship",
    "onboarding",
    "messaging",
    "calendars",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
                "people.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'growth.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, for the test database: a worker thread shares it.
    # One per process, so two test runs side by side do not share a file.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-growth-{os.getpid()}.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (allauth's rate limits count in it) --------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # The prefix keeps cache keys apart from the broker's in the same database.
    # While Redis is down each process counts in its own memory (core/cache.py),
    # so sign-in keeps working; short timeouts so no request waits long for it.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cache",
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "FALLBACK_RETRY_AFTER": 5,  # seconds before asking Redis again
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -----------------------------------------------------------------
# Durable jobs (core/jobs.py): a running job's lease, how often beat's relay
# sends due jobs, when a sent job nobody claimed is sent again, and how many
# times a job may start before it is marked failed.
JOBS_LEASE_SECONDS = int(os.environ.get("JOBS_LEASE_SECONDS", "60"))
JOBS_RELAY_SECONDS = int(os.environ.get("JOBS_RELAY_SECONDS", "15"))
JOBS_RESEND_SECONDS = int(os.environ.get("JOBS_RESEND_SECONDS", "90"))
JOBS_MAX_ATTEMPTS = int(os.environ.get("JOBS_MAX_ATTEMPTS", "8"))
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A message whose worker died is redelivered after this long (acks_late):
        # sized to the longest task, not an hour. The job's lease takes over sooner.
        "visibility_timeout": CELERY_TASK_TIME_LIMIT + 5 * 60,
        # A request that records a job tries the broker once, briefly.
        "socket_connect_timeout": 2,
    }
else:
    # Server-less broker for the embedded default. Redis-only transport
    # options crash this transport, so none are set here.
    CELERY_BROKER_URL = f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = os.environ.get("ORG_TIMEZONE", "UTC")  # beat's hours are the organisation's
# Periodic work (closing sign-ups, reminders...): each app may define
# BEAT_SCHEDULE in its schedule.py; they are merged here, for one beat.
CELERY_BEAT_SCHEDULE: dict = {
    # Often: work recorded while the broker was down, lost with a restarted
    # Redis, or held by a worker that died is sent again within a minute or two.
    "core-jobs-relay": {
        "task": "core.tasks.jobs_relay_task",
        "schedule": float(JOBS_RELAY_SECONDS),
        "options": {"expires": 60},
    },
}
for _app in ("people", "ladders", "mentorship", "onboarding", "messaging"):
    try:
        CELERY_BEAT_SCHEDULE.update(import_module(f"{_app}.schedule").BEAT_SCHEDULE)
    except ModuleNotFoundError as _missing:
        if _missing.name != f"{_app}.schedule":
            raise

# --- Authentication -----------------------------------------------------------
AUTH_USER_MODEL = "people.User"
# Django's and allauth's backends, both refusing anyone whose last day has
# come (people.rules.may_sign_in), even before the daily sweep ran.
AUTHENTICATION_BACKENDS = [
    "people.backends.ModelBackend",
    "people.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "people.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "people.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False  # no "remember me": sessions end with SESSION_COOKIE_AGE
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PREVENT_ENUMERATION = True
# Failed sign-ins: 10 a minute from one client address, and 5 in 5 minutes for
# one account from one address (the adapter puts the address into the "key"),
# so nobody can lock a colleague out by guessing from elsewhere.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# Client addresses: behind N proxies that each append to X-Forwarded-For, the
# client is the N-th entry from the right (people.adapters.client_address).
# 0 ignores the header, which a client can write itself.
try:
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0") or "0")
except ValueError:
    TRUSTED_PROXY_COUNT = -1
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT must be a whole number of proxies (0 or more), "
        f"not {os.environ.get('TRUSTED_PROXY_COUNT')!r}."
    )
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT  # the same for any allauth code reading it
# Sign-up is closed unless the address is in one of these domains (or invited).
ALLOWED_SIGNUP_DOMAINS = [d.lower() for d in env_list("ALLOWED_SIGNUP_DOMAINS")]
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_PROVIDERS: dict = {}
if os.environ.get("OIDC_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": os.environ.get("OIDC_PROVIDER_ID", "sso"),
                "name": os.environ.get("OIDC_PROVIDER_NAME", "Single sign-on"),
                "client_id": os.environ["OIDC_CLIENT_ID"],
                "secret": env_required("OIDC_CLIENT_SECRET"),
                "settings": {
                    "server_url": env_required("OIDC_SERVER_URL"),
                    "token_auth_method": os.environ.get(
                        "OIDC_TOKEN_AUTH_METHOD", "client_secret_basic"
                    ),
                },
            }
        ],
    }

# An HR system: a working day, not two weeks, and gone when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_HOURS", "9")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Email ------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Growth <growth@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Internationalisation ----------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("ORG_TIMEZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security (tightened when DEBUG is off) ------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): only our own files, nothing inline. No
# template has inline scripts, event handlers or style attributes; per-row
# sizes (chart bars) are SVG attributes, which CSP does not govern.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # 'unsafe-hashes' admits exactly the style attributes hashed here, not
        # others: sha256 of "border-top: 0", which django-simple-history's
        # history page writes (tests/config/test_security.py checks it is still there).
        "style-src": [SELF, UNSAFE_HASHES, "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        # No form-action: Chromium applies it to the redirects after a form is
        # sent, and single sign-on redirects to the identity provider's hosts.
    }
}
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    if not SECURE_SSL_REDIRECT:
        # Only for the README's "the proxy already redirects to HTTPS" setup:
        # plain HTTP never reaches us and HSTS (still on) keeps browsers on
        # HTTPS, but check --deploy cannot see the proxy and warns (W008).
        SILENCED_SYSTEM_CHECKS = ["security.W008"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Product settings -----------------------------------------------------------
PEOPLE_TEAM_GROUP = "People team"
# core may not import the apps; its people-team pages ask the access policy here.
PEOPLE_TEAM_CHECK = "people.access.is_people_team"
PEOPLE_PAGE_SIZE = 25
INVITATION_VALID_FOR = timedelta(days=7)
# Who listens to whom across apps (the lifecycle's subscribers, the audit log's
# kinds, the kinds of commitment, the invitation's words): config/wiring.py,
# the composition root.
PERSON_LIFECYCLE_SUBSCRIBERS = wiring.PERSON_LIFECYCLE_SUBSCRIBERS
AUDIT_KINDS = wiring.AUDIT_KINDS
COMMITMENT_SOURCES = wiring.COMMITMENT_SOURCES
INVITATION_EMAIL = wiring.INVITATION_EMAIL

# How many stretch assignments and rotations a person may be on at once.
GROWTH_COMMITMENT_LIMIT = int(os.environ.get("COMMITMENT_LIMIT", "2"))
# Onboarding: who may be a buddy (a level code and above), how many new hires
# one person buddies at once, when overdue items go to the manager (working
# days) and from which local hour a person's daily digest is sent.
ONBOARDING_BUDDY_MIN_LEVEL = os.environ.get("ONBOARDING_BUDDY_MIN_LEVEL", "L3")
ONBOARDING_BUDDY_CAP = int(os.environ.get("ONBOARDING_BUDDY_CAP", "2"))
ONBOARDING_ESCALATE_AFTER = int(os.environ.get("ONBOARDING_ESCALATE_AFTER", "3"))
ONBOARDING_DIGEST_HOUR = int(os.environ.get("ONBOARDING_DIGEST_HOUR", "8"))
# Absolute links in emails (invitations) start with this.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000")

# --- API -------------------------------------------------------------------------
# The REST API (/api/v1/) and SCIM provisioning (/scim/v2/), both with bearer
# tokens the people team creates (api/models.py). Docs are served from the
# sidecar package, never from a CDN.
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar", "api"]
# What Django REST framework and drf-spectacular read: long, so in their own
# module, config/settings_api.py.
API_TOKEN_RATE = settings_api.API_TOKEN_RATE
REST_FRAMEWORK = settings_api.REST_FRAMEWORK
SPECTACULAR_SETTINGS = settings_api.SPECTACULAR_SETTINGS

# --- Calendars and Slack (messaging/, calendars/) -----------------------------------
# Invitations (rotation kick-offs...) default to this local time in the
# organiser's chosen zone, and last this long.
CALENDAR_DEFAULT_SLOT = os.environ.get("CALENDAR_DEFAULT_SLOT", "10:00")
CALENDAR_MEETING_MINUTES = int(os.environ.get("CALENDAR_MEETING_MINUTES", "45"))
# Slack is on when a bot token is set; SLACK_API_URL points the Web API
# elsewhere (tests, an air-gapped proxy); the channel hears about runs and
# buddies not found.
SLACK_BOT_TOKEN = os.environ.get("SLACK_BOT_TOKEN", "")
SLACK_API_URL = os.environ.get("SLACK_API_URL", "https://slack.com/api/")
SLACK_PEOPLE_TEAM_CHANNEL = os.environ.get("SLACK_PEOPLE_TEAM_CHANNEL", "")
SLACK_TIMEOUT = int(os.environ.get("SLACK_TIMEOUT", "10"))
SLACK_RATE_LIMIT_RETRIES = int(os.environ.get("SLACK_RATE_LIMIT_RETRIES", "3"))
