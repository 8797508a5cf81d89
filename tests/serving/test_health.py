"""`/healthz`: no login, minimal answer, fast, and it tells which part is down."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.django_db


def test_healthy_answers_ok_quickly_without_login(client):
    client.get("/healthz")  # first request warms the URL resolver and the connection
    started = time.perf_counter()
    response = client.get("/healthz")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]
    assert elapsed < 0.05, f"{elapsed * 1000:.0f} ms"


def test_unwritable_storage_is_reported(client, settings, tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the evidence directory should be")
    settings.LUOSHI_EVIDENCE_DIR = blocked / "evidence"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable: storage\n"
