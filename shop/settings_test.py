"""Settings for the test suite: the real settings, with fast and isolated parts."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from shop.settings import *  # noqa: E402,F403

# Tests assert the English source strings; the shop's default stays zh-Hant
# (shop/core/tests/test_languages.py checks it with the real setting).
LANGUAGE_CODE = "en"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_WORKER_TESTS")
MEDIA_ROOT = tempfile.mkdtemp(prefix="shop-test-media-")
# WhiteNoise warns about a missing STATIC_ROOT; tests serve static files via finders.
STATIC_ROOT = tempfile.mkdtemp(prefix="shop-test-static-")
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
