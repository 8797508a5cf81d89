"""Start-up stays light: `luoshi --help` lists every command without setting Django up, and the
URL configuration loads no document library (they load when a document is made)."""

from __future__ import annotations

import os
import subprocess
import sys

from django.core.management import get_commands

from luoshi.__main__ import commands, main_help


def test_the_quick_help_lists_exactly_django_s_commands():
    assert set(commands()) == set(get_commands())
    assert all(f"    {name}" in main_help().splitlines() for name in get_commands())


def test_neither_settings_nor_the_urls_import_heavy_libraries():
    code = (
        "import os, sys; os.environ['DJANGO_SETTINGS_MODULE'] = 'luoshi.settings';"
        "import luoshi.settings; assert 'django.contrib.admin' not in sys.modules, 'settings';"
        "import django; django.setup(); import luoshi.urls;"
        "heavy = {'matplotlib', 'openpyxl', 'docx'} & set(sys.modules); assert not heavy, heavy"
    )
    env = {**os.environ, "DATABASE_URL": "", "LUOSHI_DEBUG": "1"}  # the development settings
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
