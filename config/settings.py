"""Unknot settings: one module, configured from the environment.

DJANGO_ENV selects the profile:
- ``development`` (default): DEBUG on, SQLite, a filesystem Celery broker and emails printed to
  the console, so ``make run`` needs no outside service.
- ``production``: DEBUG off; refuses to start without a real DJANGO_SECRET_KEY and
  DJANGO_ALLOWED_HOSTS; secure cookies, HSTS and SSL redirect on.

DATABASE_URL, REDIS_URL and EMAIL_URL override the defaults in any profile.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # local state for development: SQLite file, broker folders, beat schedule

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}.")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)

_DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="" if PRODUCTION else _DEV_SECRET_KEY)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY to a random value of at least 50 characters before starting in "
        "production, e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS (comma-separated host names) in production.")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "template_partials",
    "csp",
    "health_check",
    "accounts",
    "routines",
    "progress",
    "notifications",
    "coaching",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.session_backend_renamed",  # sessions from before accounts/backends.py
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.staff_two_factor_required",
    "django_htmx.middleware.HtmxMiddleware",
    # Marks a logged-in person's pages for the service worker's per-account cache (config/pwa.py).
    "config.pwa.account_header",
]

ROOT_URLCONF = "config.urls"
# Where the admin is (config/urls.py); accounts.middleware checks every request's path against it,
# so it ends with its slash ("admin" alone would match /administrator too).
ADMIN_PATH = "admin/"
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
                "config.pwa.offline_account",
            ],
            "libraries": {"links": "config.links"},
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# PostgreSQL in production and CI (DATABASE_URL); a SQLite file is the zero-setup default.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'unknot.sqlite3'}")}
if PRODUCTION and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    raise ImproperlyConfigured("Set DATABASE_URL to a PostgreSQL database in production.")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60 if PRODUCTION else 0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# Login rate limits live in the cache, so every web process must share it: Redis when given.
# REDIS_CACHE_URL puts the cache on a Redis of its own, which may evict (allkeys-lru) when it
# fills, while the broker's Redis (REDIS_URL) never does: a message evicted is an email late by
# the sweeper's lease. docker-compose runs the two (see the README). Every cache key has a
# timeout, and every key space is bounded (a key per person, per trainer and per page that exists).
# A Redis outage is a cache miss, never a 500 (config/cache.py): the timeouts keep the wait for
# an unreachable Redis short, and the rate limits count in each process until it is back.
REDIS_URL = env.str("REDIS_URL", default="")
REDIS_CACHE_URL = env.str("REDIS_CACHE_URL", default=REDIS_URL)
REDIS_CACHE_TIMEOUT = env.float("REDIS_CACHE_TIMEOUT", default=0.5)  # seconds, connect and each call
if REDIS_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CACHE_TIMEOUT,
                "socket_timeout": REDIS_CACHE_TIMEOUT,
                # Also kept in each process (config/cache.py): keys whose name holds everything
                # their value depends on, so that a value never changes under its key. Only
                # versioned keys may go here: the dashboard's and the roster's.
                "KEPT_IN_PROCESS": ("dashboard:", "roster:"),
                "KEPT_IN_PROCESS_MAX": env.int("CACHE_KEPT_IN_PROCESS_MAX", default=128),  # 0: none
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The parts of the layout that are the same on every page but for a few values ({% cache … using
# "layout" %} in templates/base.html: the head's files and the navigation's links), rendered once
# per process and value: a deploy starts new processes. With DEBUG, never kept, so that an edit
# to the layout shows at once.
CACHES["layout"] = {
    "LOCATION": "layout",  # its own store, apart from a local-memory default cache
    "BACKEND": "django.core.cache.backends.dummy.DummyCache"
    if DEBUG
    else "django.core.cache.backends.locmem.LocMemCache",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 1000},  # a few per page of the site
}

# Sessions are read from the cache and written through to the database: one query fewer on
# every page, and nobody is logged out when the cache restarts.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Accounts (django-allauth) ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's, loading the logged-in person without compiling the query on every
# request (accounts/backends.py).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
# An address typed in by someone else and never confirmed does not block its owner's sign-up;
# the login form has our words, and errors screen readers hear.
ACCOUNT_FORMS = {"signup": "accounts.signup.AccountSignupForm", "login": "accounts.login_form.LoginForm"}
# One login address per account: /accounts/email/ changes it (the new one takes over once
# confirmed), so nobody can park a list of other people's addresses on their account.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a GET shows a confirm button, so mail scanners don't verify
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# One subject prefix for every email: allauth's and the outbox's (notifications.messages).
EMAIL_SUBJECT_PREFIX = "[Unknot] "
ACCOUNT_EMAIL_SUBJECT_PREFIX = EMAIL_SUBJECT_PREFIX
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# allauth's defaults already limit login failures per address; these are stated so they are visible.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}

# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) and recovery codes, offered
# to everyone at /accounts/2fa/. Staff must have it before any admin page opens
# (accounts.middleware), on by default in production. The admin's own login form is routed through
# allauth's login (config/urls.py), so it is rate-limited like every login and asks for the code.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Unknot"
STAFF_REQUIRE_TWO_FACTOR = env.bool("STAFF_REQUIRE_TWO_FACTOR", default=PRODUCTION)

# Behind a proxy every request comes from the proxy's address, so allauth's per-IP rate limits
# would be site-wide. Set one of these to how the client's address reaches us: the number of
# proxies in front of the app that append to X-Forwarded-For (allauth then reads the address the
# outermost of them saw), or a header a single proxy sets to it (e.g. X-Real-IP). Never set them
# with no proxy in front: anyone could then pick the address they are counted under.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", default="") or None

# --- Email ------------------------------------------------------------------------------------
# Development prints every message to the terminal that runs `make run` (web and worker alike).
# Production must send from a domain whose SPF and DMARC records allow our mail server.
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="" if PRODUCTION else "Unknot <hello@unknot.localhost>"
)
if PRODUCTION and not DEFAULT_FROM_EMAIL:
    raise ImproperlyConfigured(
        "Set DEFAULT_FROM_EMAIL (e.g. 'Unknot <hello@unknot.example>', on a domain whose SPF and DMARC "
        "records allow your mail server) in production."
    )
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where links in emails point (emails sent by the worker have no request to build them from).
SITE_URL = env.str(
    "SITE_URL", default=f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://localhost:8000"
).rstrip("/")
if "EMAIL_URL" in env:
    globals().update(env.email_url("EMAIL_URL"))  # EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, …
elif PRODUCTION:
    raise ImproperlyConfigured(
        "Set EMAIL_URL (e.g. smtp+tls://user:password@smtp.example.com:587) in production."
    )
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Celery -----------------------------------------------------------------------------------
# With REDIS_URL, Redis is the broker; without it, kombu's filesystem transport lets `make run`
# start a real worker and beat with no server at all.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"socket_connect_timeout": 1}
else:
    _BROKER_DIR = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
    }
# Enqueueing happens after commit in web requests (the outbox's doorbell): with the broker down,
# give up within about a second and leave the delivery to the sweeper, instead of holding the page.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Turns due reminders and weekly emails into deliveries, and re-enqueues stalled ones
    # (notifications.dispatch). Safe to run from two beats at once.
    # A run not started within the minute is dropped: the next one does its work.
    "dispatch-due-emails": {
        "task": "notifications.dispatch_due_emails",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Deletes finished deliveries older than EMAIL_DELIVERY_RETENTION_DAYS (notifications.prune),
    # in batches; a quiet hour in Europe. Safe to run twice.
    "prune-deliveries": {
        "task": "notifications.deliveries_prune",
        "schedule": crontab(hour=3, minute=17),
        "options": {"expires": 60 * 60},
    },
    # Turns each programme's week at its person's local midnight (progress.enrolment). Safe to
    # run twice or from two beats: a turn is keyed by (enrolment, week) and moves the next one on.
    "programme-weeks-turn": {
        "task": "progress.programme_weeks_turn",
        "schedule": 15 * 60.0,
        "options": {"expires": 14 * 60},
    },
}
# The dispatcher has a queue (and a worker) of its own: thousands of emails waiting to be sent
# on the default queue must not hold up the next minute's dispatch, nor the sweeper in it.
CELERY_TASK_ROUTES = {"notifications.dispatch_due_emails": {"queue": "dispatch"}}

# --- Emails from the outbox (notifications.outbox, notifications.dispatch) ------------------------------
# A worker holds a delivery this long while sending; after that the sweeper hands it to another.
# Keep it longer than the send task's time limit (120 s, notifications/tasks.py).
EMAIL_LEASE_SECONDS = env.int("EMAIL_LEASE_SECONDS", default=5 * 60)
# After an SMTP error, retry the way a mail server does: wait 1, 2, 4 … minutes, at most an hour
# between attempts, and give up once the next attempt would be more than EMAIL_RETRY_HOURS after
# the email was due (reminders lapse long before: REMINDER_CATCH_UP_MINUTES).
EMAIL_RETRY_BASE_SECONDS = env.int("EMAIL_RETRY_BASE_SECONDS", default=60)
EMAIL_RETRY_MAX_SECONDS = env.int("EMAIL_RETRY_MAX_SECONDS", default=60 * 60)
EMAIL_RETRY_HOURS = env.int("EMAIL_RETRY_HOURS", default=24)
# A guard for attempts that never finish (a worker killed on the same email again and again):
# 24 hours of hourly retries take about 30.
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=40)
EMAIL_DISPATCH_BATCH = env.int("EMAIL_DISPATCH_BATCH", default=1000)  # fastest in `make bench`
# Deliveries per send task: claimed in one statement (each row its own claim token), read in a
# fixed number of queries, sent over one SMTP connection and marked sent one by one
# (notifications.sending.deliveries_send). A chunk shares one lease: on a server so slow that the
# rest would not fit in it, the task gives the rest back instead of sending them late.
EMAIL_SEND_CHUNK = env.int("EMAIL_SEND_CHUNK", default=100)
# A reminder the dispatcher could not send on time is still sent this late, never later.
REMINDER_CATCH_UP_MINUTES = 120
WEEKLY_EMAIL_CATCH_UP_MINUTES = 24 * 60
# Finished deliveries (sent, failed, skipped, missed) are deleted this long after they were written
# (notifications.prune, daily). About 676 B a row with its indexes: 25 GB a year at 100,000
# reminders a day if nothing were pruned. Red-flag alerts are kept.
EMAIL_DELIVERY_RETENTION_DAYS = env.int("EMAIL_DELIVERY_RETENTION_DAYS", default=90)
if EMAIL_DELIVERY_RETENTION_DAYS < 7:
    raise ImproperlyConfigured(
        "EMAIL_DELIVERY_RETENTION_DAYS must be at least 7 (the dedupe keys need a week)."
    )
# The SMTP connection's timeout: shorter than the lease, so a hung server cannot outlive a claim.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=60)

# --- Readiness (/health/ready/, config/health.py) -----------------------------------------------
# The dispatcher and a send worker each leave a heartbeat every minute; older than this, the app
# is not ready (beat, the dispatcher or the workers stopped).
HEALTH_HEARTBEAT_MAX_AGE_SECONDS = env.int("HEALTH_HEARTBEAT_MAX_AGE_SECONDS", default=3 * 60)

# --- Coaching ---------------------------------------------------------------------------------
# How long an invitation link works, and how many invitations a trainer may send in a day.
INVITATION_MAX_AGE_DAYS = env.int("INVITATION_MAX_AGE_DAYS", default=7)
INVITATIONS_PER_DAY = 20

# --- The guided player ------------------------------------------------------------------------
# Multiplies every countdown: 1 is real time. For tests and demos only, e.g. PLAYER_TIME_SCALE=0.05
# runs a 30-second hold in 1.5 seconds. Logged seconds stay the nominal ones.
PLAYER_TIME_SCALE = env.float("PLAYER_TIME_SCALE", default=1.0)
if PRODUCTION and PLAYER_TIME_SCALE != 1.0:
    raise ImproperlyConfigured("PLAYER_TIME_SCALE is for tests and demos; leave it unset in production.")

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Outside production, serve straight from static/ (no collectstatic needed for `make run` or tests).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "config.storage.StaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# What a deploy calls this release (e.g. a git commit): it goes into the service worker's version
# with the static files' hash, so a release that changes only code still replaces the worker.
RELEASE = env.str("RELEASE", default="")

# --- Security ---------------------------------------------------------------------------------
# No inline script or style anywhere: the CSP allows only our own files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
