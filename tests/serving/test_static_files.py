"""Static files in production: collectstatic writes fingerprinted, compressed copies, pages name
the fingerprinted files, and they are served with a year-long immutable cache header."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def production_storages() -> dict[str, Any]:
    """The storages of the production settings (the suite's own name the plain files)."""
    from luoshi import settings as production

    return production.STORAGES


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    from django.test import override_settings

    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=production_storages()):
        call_command("collectstatic", "--noinput", verbosity=0)
    return root


def test_collectstatic_writes_fingerprinted_and_compressed_files(static_root):
    hashed = [p.name for p in (static_root / "web").glob("luoshi.*")]
    assert any(re.fullmatch(r"luoshi\.[0-9a-f]{12}\.css", name) for name in hashed), hashed
    assert any(re.fullmatch(r"luoshi\.[0-9a-f]{12}\.css\.gz", name) for name in hashed), hashed
    assert (static_root / "staticfiles.json").exists()


def test_production_pages_name_fingerprinted_files_served_for_a_year(static_root, settings):
    settings.STATIC_ROOT = static_root
    settings.STORAGES = production_storages()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.WHITENOISE_AUTOREFRESH = False  # production reads the collected files once, at start
    client = Client()  # a new handler: WhiteNoise reads the collected files when it starts
    page = client.get("/accounts/login/", secure=True)
    assert page.status_code == 200
    names = re.findall(r'/static/(web/[\w.]+\.(?:css|js))"', page.content.decode())
    assert names and all(re.search(r"\.[0-9a-f]{12}\.(css|js)$", n) for n in names), names
    asset = client.get(f"/static/{names[0]}", secure=True, HTTP_ACCEPT_ENCODING="gzip")
    assert asset.status_code == 200
    assert asset["Content-Encoding"] == "gzip"
    assert "immutable" in asset["Cache-Control"] and "max-age=315360000" in asset["Cache-Control"]
