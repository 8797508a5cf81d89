"""Safe defaults: production unless asked, strong key, CSP, no caching of signed-in pages, private
files, the API schema for signed-in users, drafts for their own unit, the ranking for its readers."""

from __future__ import annotations

import os
import stat
import subprocess

from django.conf import settings

from luoshi.progress.services import report_draft
from tests.conftest import client_for
from tests.test_deploy import LUOSHI, production_env


def test_production_is_the_default(tmp_path):
    env = production_env(tmp_path)
    del env["LUOSHI_DEBUG"]
    env["LUOSHI_SECRET_KEY"] = "short"
    result = subprocess.run([LUOSHI, "check"], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "LUOSHI_SECRET_KEY is weak" in result.stderr


def test_a_weak_or_development_key_refuses_to_start(tmp_path):
    for key in ("abc", "x" * 60, "development-only-key-never-used-in-production-" + "x" * 20):
        env = production_env(tmp_path) | {"LUOSHI_SECRET_KEY": key}
        result = subprocess.run([LUOSHI, "check"], env=env, capture_output=True, text=True)
        assert result.returncode != 0 and "LUOSHI_SECRET_KEY is weak" in result.stderr, key


def test_the_production_database_and_data_directory_are_private(tmp_path):
    """Made private by the first production process that opens them, and tightened again by the
    next one if someone loosened them meanwhile."""
    env = production_env(tmp_path / "data")
    data, database = tmp_path / "data", tmp_path / "data" / "prod.sqlite3"
    connect = "from django.db import connection; connection.ensure_connection()"
    result = subprocess.run(
        [LUOSHI, "shell", "-c", connect], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(os.stat(data).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(database).st_mode) == 0o600
    data.chmod(0o755)
    database.chmod(0o644)
    result = subprocess.run([LUOSHI, "check"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(os.stat(data).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(database).st_mode) == 0o600


def test_pages_carry_a_csp_without_unsafe_inline_and_signed_in_pages_are_not_stored(people):
    anonymous = client_for(people.office).__class__().get("/public/")
    policy = anonymous.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")
    for url in ("/dashboard/", "/tasks/"):
        response = client_for(people.office).get(url)
        assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    api = client_for(people.office).get("/api/me")  # kept by its own client only, revalidated
    assert api.status_code == 200 and api.headers["ETag"]
    assert {"private", "no-cache"} <= set(map(str.strip, api.headers["Cache-Control"].split(",")))


def test_no_template_has_inline_script_or_style():
    roots = [settings.BASE_DIR / "src" / "luoshi"]
    for root in roots:
        for path in root.rglob("*.html"):
            text = path.read_text()
            for marker in (
                " style=",
                " onclick=",
                " onchange=",
                " onsubmit=",
                "<style",
                "javascript:",
            ):
                assert marker not in text, f"{path}: {marker}"
            assert "<script>" not in text, path


def test_the_api_schema_is_for_signed_in_users(client, people, settings):
    assert client.get("/api/openapi.json").status_code == 401
    assert client.get("/api/docs").status_code == 401
    assert client_for(people.leader).get("/api/openapi.json").status_code == 200
    settings.LUOSHI_API_SCHEMA_PUBLIC = True
    assert client.get("/api/openapi.json").status_code == 200


def test_a_draft_is_seen_by_its_own_unit_only(people, cycle, customs_supported_measure):
    draft = report_draft(
        measure=customs_supported_measure, cycle=cycle, actor=people.market_reporter
    )
    url = f"/api/reports/{draft.pk}"
    assert client_for(people.market_head).get(url).status_code == 200
    for outsider in (people.customs_reporter, people.evaluator, people.office, people.leader):
        assert client_for(outsider).get(url).status_code == 404, outsider
        listed = client_for(outsider).get("/api/reports").json()
        assert draft.pk not in [r["id"] for r in listed]


def test_departments_do_not_read_the_ranking(people):
    url = "/api/metrics/scores?start=2021-01-01&end=2021-12-31"
    assert client_for(people.market_head).get(url).status_code == 403
    assert client_for(people.leader).get(url).status_code == 200
