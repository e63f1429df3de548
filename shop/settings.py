"""Settings for the shop, read from environment variables.

Every value has a default that runs the shop on one machine with nothing but
Python: SQLite in the project folder, Celery tasks run eagerly, the local
memory cache, emails printed to the console and media on the local disk.
Production points the same variables at PostgreSQL, Redis and an SMTP server;
see README.md ("Running in production") for the list.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env")  # optional; a missing file is ignored

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env(
    "SECRET_KEY",
    default="insecure-development-key-only-for-debug" if DEBUG else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.line",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.facebook",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "import_export",
    "shop.core",
    "shop.accounts",
    "shop.catalog",
    "shop.orders",
    "shop.cart",
    "shop.checkout",
    "shop.demo",
    "loyalty",
    "returns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "shop.core.middleware.ShopperContextMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shop.core.context_processors.shop",
                "shop.catalog.context_processors.catalog",
                "shop.cart.context_processors.cart",
                # The member-day banner and the member area's privileges.
                "loyalty.privileges.context_processors.privileges",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; several gunicorn workers share one file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://shop")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"

# --- Language, time, money --------------------------------------------------
LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文"), ("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Taipei")
USE_I18N = True
USE_TZ = True
# Empty means the translated demo name (see shop.core.context_processors).
SHOP_NAME = env("SHOP_NAME", default="")
SHOP_CURRENCY = env("SHOP_CURRENCY", default="TWD")

# --- Static and media -------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)

# --- Email ------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="shop@example.com")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
# Without a broker the shop runs every task in-process, so one machine needs no worker.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "catalog-regenerate-missing-thumbnails": {
        "task": "shop.catalog.tasks.regenerate_missing_thumbnails",
        "schedule": crontab(minute=17, hour=3),
    },
    "orders-cancel-unpaid-transfer-orders": {
        "task": "shop.orders.tasks.cancel_unpaid_transfer_orders",
        "schedule": crontab(minute=5),
    },
    "orders-complete-cooled-off-orders": {
        "task": "shop.orders.tasks.complete_cooled_off_orders",
        "schedule": crontab(minute=35, hour=4),
    },
    # Points: released hourly once a cooling-off period ends; expired just
    # after the shop's midnight (the instant lots expire); reminders after that.
    "loyalty-release-due-points": {
        "task": "loyalty.tasks.points.release_due_points",
        "schedule": crontab(minute=20),
    },
    "loyalty-expire-due-points": {
        "task": "loyalty.tasks.points.expire_due_points",
        "schedule": crontab(minute=5, hour=0),
    },
    "loyalty-send-points-expiry-reminders": {
        "task": "loyalty.tasks.points.send_points_expiry_reminders",
        "schedule": crontab(minute=0, hour=10),
    },
    # Shopping credit: lots expire at any hour (a restored lot's or a gift's
    # expiry), so hourly.
    "loyalty-expire-due-credit": {
        "task": "loyalty.tasks.credit.expire_due_credit",
        "schedule": crontab(minute=8),
    },
    # Birthday gifts hourly, so a gift due at the shop's midnight goes out
    # within the hour; member-day reminders the morning before.
    "loyalty-issue-birthday-gifts": {
        "task": "loyalty.tasks.privileges.issue_birthday_gifts",
        "schedule": crontab(minute=2),
    },
    "loyalty-send-member-day-reminders": {
        "task": "loyalty.tasks.privileges.send_member_day_reminders",
        "schedule": crontab(minute=0, hour=10),
    },
    # Tiers: new tier rules take effect first, then expired tiers are renewed
    # or dropped under the rules in force; warnings go out in the morning.
    "loyalty-activate-due-tier-schemes": {
        "task": "loyalty.tasks.tiers.activate_due_tier_schemes",
        "schedule": crontab(minute=20, hour=0),
    },
    "loyalty-renew-or-downgrade-tiers": {
        "task": "loyalty.tasks.tiers.renew_or_downgrade_tiers",
        "schedule": crontab(minute=40, hour=0),
    },
    "loyalty-send-tier-expiry-warnings": {
        "task": "loyalty.tasks.tiers.send_tier_expiry_warnings",
        "schedule": crontab(minute=30, hour=9),
    },
    # Returns: approved returns never shipped back expire after their deadline.
    "returns-expire-unshipped-returns": {
        "task": "returns.tasks.expire_unshipped_returns",
        "schedule": crontab(minute=50),
    },
    # Serial returners are flagged at night, from the whole history.
    "returns-flag-serial-returners": {
        "task": "returns.tasks.flag_serial_returners",
        "schedule": crontab(minute=45, hour=3),
    },
    # Paid membership: periods that are over end hourly; renewal reminders
    # go out in the morning.
    "loyalty-lapse-paid-memberships": {
        "task": "loyalty.tasks.plans.lapse_paid_memberships",
        "schedule": crontab(minute=10),
    },
    "loyalty-send-paid-membership-reminders": {
        "task": "loyalty.tasks.plans.send_paid_membership_reminders",
        "schedule": crontab(minute=45, hour=9),
    },
}

# --- Accounts (allauth) -----------------------------------------------------
SITE_ID = 1
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_FORMS = {"signup": "shop.accounts.forms.SignupForm"}
ACCOUNT_ADAPTER = "shop.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "shop.accounts.adapters.SocialAccountAdapter"
# A social login never takes over an existing account by matching its email:
# not every provider verifies addresses. Members link providers from /account/.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
# Provider keys live in the database (admin → Social applications), never in code.
SOCIALACCOUNT_PROVIDERS = {
    "line": {"SCOPE": ["profile", "openid", "email"]},
    "google": {"SCOPE": ["profile", "email"], "AUTH_PARAMS": {"access_type": "online"}},
    "facebook": {"METHOD": "oauth2", "SCOPE": ["email", "public_profile"]},
}
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGIN_URL = "account_login"

# --- API --------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes "not signed in" a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly"
    ],
    "DEFAULT_PAGINATION_CLASS": "shop.core.api.ShopPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "shop.core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    # auth_token: password guesses against POST /api/auth/token/, per client address.
    "DEFAULT_THROTTLE_RATES": {
        "anon": "120/min",
        "user": "600/min",
        "auth_token": "10/min",
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shop API",
    "DESCRIPTION": "Storefront, member and back-office API.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several serializers have a "status"; name each choice set once.
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "shop.orders.status.OrderStatus",
        "PaymentStatusEnum": "shop.orders.status.PaymentStatus",
        "CouponKindEnum": "loyalty.models.coupons.CouponKind",
        "ReturnStatusEnum": "returns.status.ReturnStatus",
        "RefundStatusEnum": "returns.models.refunds.RefundStatus",
        "ReturnMethodEnum": "returns.models.requests.ReturnMethod",
        "ReturnReasonEnum": "returns.models.requests.ReturnReason",
        "ReturnResolutionEnum": "returns.models.requests.Resolution",
    },
}

# --- Shop seams (DESIGN §3) -------------------------------------------------
# The class that answers "who is buying, what may they see, what do they pay".
# Every day is a member day (會員日): for the demo and for trying the benefits.
LOYALTY_MEMBER_DAY_FORCE = env.bool("LOYALTY_MEMBER_DAY_FORCE", default=False)
SHOPPER_CONTEXT_CLASS = env(
    "SHOPPER_CONTEXT_CLASS", default="loyalty.shopper.LoyaltyShopper"
)

# --- Catalogue --------------------------------------------------------------
CATALOG_PAGE_SIZE = env.int("CATALOG_PAGE_SIZE", default=20)
PRODUCT_IMAGE_MAX_BYTES = env.int("PRODUCT_IMAGE_MAX_BYTES", default=8 * 1024 * 1024)
PRODUCT_IMAGE_MIN_PIXELS = env.int("PRODUCT_IMAGE_MIN_PIXELS", default=300)
PRODUCT_IMAGE_MAX_PIXELS = env.int("PRODUCT_IMAGE_MAX_PIXELS", default=6000)

# --- Security (production) --------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# --- Checkout (DESIGN §3: price adjusters run in this order) ----------------
# Discounts first (member day, paid membership, coupon), then shipping (its
# free-shipping threshold counts merchandise after discounts), then the
# tenders: points, then shopping credit pays what is left.
CHECKOUT_ADJUSTERS = [
    # Member day first: every later step sees the price after it.
    "loyalty.privileges.adjusters.MemberDayDiscountAdjuster",
    "loyalty.plans.adjusters.PaidMembershipDiscountAdjuster",
    # Coupons after the member discounts, before shipping (free-shipping coupons).
    "loyalty.coupons.adjusters.CouponAdjuster",
    "loyalty.pricing_adjusters.MemberShippingFeeAdjuster",
    # The tenders pay after shipping: they never pay more than is left.
    "loyalty.adjusters.PointsRedemptionAdjuster",
    # Shopping credit pays what is left after the points.
    "loyalty.credit.adjusters.CreditAdjuster",
]
# Credit given back to a lot that expired meanwhile is valid this many days.
LOYALTY_CREDIT_RESTORED_VALID_DAYS = env.int(
    "LOYALTY_CREDIT_RESTORED_VALID_DAYS", default=30
)
# The statutory cooling-off period (鑑賞期) counts from delivery or pickup.
COOLING_OFF_DAYS = env.int("COOLING_OFF_DAYS", default=7)
RETURN_POLICY_VERSION = env("RETURN_POLICY_VERSION", default="2026-11")
# Where self-shipped returns are sent (shown in the return instructions).
RETURN_ADDRESS = {
    "name": env("RETURN_ADDRESS_NAME", default="檜木生活 退貨中心"),
    "phone": env("RETURN_ADDRESS_PHONE", default="02-2700-1234"),
    "postal_code": env("RETURN_ADDRESS_POSTAL_CODE", default="106"),
    "address": env("RETURN_ADDRESS", default="台北市大安區復興南路一段 390 號 B1"),
}
# Payment methods offered at checkout, in this order: code → gateway class.
PAYMENT_GATEWAYS = {
    "cod": "shop.checkout.payments.cod.CashOnDeliveryGateway",
    "atm": "shop.checkout.payments.atm.BankTransferGateway",
    "card": "shop.checkout.payments.sandbox.SandboxCardGateway",
}
ATM_PAYMENT_DAYS = env.int("ATM_PAYMENT_DAYS", default=3)
ATM_BANK_ACCOUNT = {
    "bank_code": env("ATM_BANK_CODE", default="812"),
    "bank_name": env("ATM_BANK_NAME", default="台新國際商業銀行"),
    "account": env("ATM_ACCOUNT", default="2888-1000-123456"),
    "holder": env("ATM_ACCOUNT_HOLDER", default="檜木生活有限公司"),
}
# Shared secret of the hosted card page's signed notifications (sandbox in the demo).
PAYMENT_SANDBOX_SECRET = env(
    "PAYMENT_SANDBOX_SECRET", default="sandbox-secret-change-me"
)
PAYMENT_NOTIFICATION_MAX_AGE_SECONDS = 300
