"""Production settings pass Django's deployment checks; demo set-up refuses to run there."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

LUOSHI = Path(sys.executable).with_name("luoshi")


def production_env(tmp_path) -> dict[str, str]:
    inherited = {
        k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }  # set by the browser tests
    return {
        **inherited,
        "LUOSHI_DEBUG": "false",
        "LUOSHI_SECRET_KEY": secrets.token_urlsafe(50),
        "LUOSHI_ALLOWED_HOSTS": "luoshi.example.gov.cn",
        "LUOSHI_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }


def test_check_deploy_is_clean(tmp_path):
    """The deployment checks and the database's own (what migrate checks: a constraint the
    database cannot make is a warning) find nothing, on the zero-set-up database."""
    result = subprocess.run(
        [LUOSHI, "check", "--deploy", "--database", "default", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_needs_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["LUOSHI_SECRET_KEY"]
    result = subprocess.run([LUOSHI, "check"], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "LUOSHI_SECRET_KEY" in result.stderr


def test_bootstrap_refuses_to_create_demo_accounts_in_production(tmp_path):
    result = subprocess.run(
        [LUOSHI, "bootstrap"], env=production_env(tmp_path), capture_output=True, text=True
    )
    assert result.returncode != 0 and "LUOSHI_DEBUG" in result.stderr
