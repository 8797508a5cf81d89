"""The suite runs luoshi in development mode (production is the default); tests that check
production start a `luoshi` process with production settings of their own (tests/test_deploy.py)."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("LUOSHI_DEBUG", "1")

from luoshi.settings import *  # noqa: F403

# `luoshi` processes started by tests import the real settings: tests/conftest.py points
# DJANGO_SETTINGS_MODULE at them once the tests run, not here. pytest-xdist starts its workers with
# the environment of the process that imported this module, and pytest-django prefers the
# environment to pyproject.toml: the workers would have run on the production settings.

# Each test process its own data directory (evidence, generated documents, uploads waiting for
# confirmation, key files): pytest-xdist's workers share no file, a key file is never read half
# written by another worker, and the developer's var/ is left alone. The collected static files
# stay where `make install` put them (STATIC_ROOT is already set from the real DATA_DIR).
DATA_DIR = Path(tempfile.mkdtemp(prefix="luoshi-tests-"))
atexit.register(shutil.rmtree, DATA_DIR, ignore_errors=True)
LUOSHI_EVIDENCE_DIR = DATA_DIR / "evidence"
LUOSHI_AUDIT_KEY_FILE = DATA_DIR / "audit.key"
LUOSHI_FIELD_KEY_FILE = DATA_DIR / "field.key"

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
