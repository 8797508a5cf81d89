"""The suite runs luoshi in development mode (production is the default); tests that check
production start a `luoshi` process with production settings of their own (tests/test_deploy.py)."""

import os

os.environ.setdefault("LUOSHI_DEBUG", "1")

from luoshi.settings import *  # noqa: F403

# `luoshi` processes started by tests import the real settings (this module is not on their path);
# they inherit LUOSHI_DEBUG from above.
os.environ["DJANGO_SETTINGS_MODULE"] = "luoshi.settings"
