"""Settings for the test suite: the same settings, with fast hashing, inline jobs and a temp media dir."""

import os
import tempfile

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # pytest-django live_server + Playwright
# The tests run with DEBUG off, as production does; that needs a real key (subprocesses the tests start,
# e.g. a Celery worker or `manage.py check --deploy`, inherit it).
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-9f2c4e6a8b0d1f3a5c7e9b1d3f5a7c9e1b3d5f7a")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
JOBS_BACKEND = "sync"
MATCHING_WARM_AT_START = False  # no test process loads the text models unless a test asks
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="sb-test-media-")
STORAGES = {
    "default": {"BACKEND": "sciencebridge.core.files.ProtectedStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# The same WhiteNoise, but the finders' files are listed once per process, not once per test client.
MIDDLEWARE = [  # noqa: F405
    "sciencebridge.core.testing.whitenoise.WhiteNoiseFindersOnceMiddleware"
    if m == "whitenoise.middleware.WhiteNoiseMiddleware"
    else m
    for m in MIDDLEWARE  # noqa: F405
]
