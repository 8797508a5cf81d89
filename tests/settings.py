"""The suite runs luoshi in development mode (production is the default); tests that check
production start a `luoshi` process with production settings of their own (tests/test_deploy.py)."""

import os

os.environ.setdefault("LUOSHI_DEBUG", "1")

from luoshi.settings import *  # noqa: F403

# `luoshi` processes started by tests import the real settings (this module is not on their path);
# they inherit LUOSHI_DEBUG from above.
os.environ["DJANGO_SETTINGS_MODULE"] = "luoshi.settings"

# Pages name the plain static files, so the suite needs no collectstatic manifest (pytest-django
# turns DEBUG off); tests/serving/test_static_files.py checks the production storage itself.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Real password hashing is slow on purpose; the suite does not need it to be. Set here rather than
# per test, so worlds built once per module or session (and the live server) hash fast too.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# WhiteNoise reads every collected static file when a handler starts, and each test client is a new
# handler: about half a second per client on a loaded machine, for every test that makes a request.
# Looking files up per request (what it does in development) serves the same files without the scan;
# tests/serving/test_static_files.py switches the scan back on to check the production headers.
WHITENOISE_AUTOREFRESH = True
