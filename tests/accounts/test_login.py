"""Login: strong passwords, lockout after repeated failures (per account and per address), idle
timeout, audit."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from luoshi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "Correct-horse-2021!"


@pytest.fixture
def user():
    return User.objects.create_user("scjg-tb", "scjg@example.gov.cn", PASSWORD)


def login(client: Client, password: str, ip: str = "10.0.0.8"):
    return client.post(
        "/accounts/login/", {"username": "scjg-tb", "password": password}, REMOTE_ADDR=ip
    )


def test_weak_passwords_are_refused():
    for weak in ("12345678", "password123", "short1!"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password(PASSWORD)


def test_login_is_audited_with_ip(user):
    response = login(Client(), PASSWORD)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="login", outcome="success")
    assert (event.username, event.ip) == ("scjg-tb", "10.0.0.8")


def test_lockout_after_five_failures_holds_for_the_account(user):
    client = Client()
    for _ in range(4):
        assert login(client, "wrong-password").status_code == 200
    assert login(client, "wrong-password").status_code == 429  # the fifth failure locks
    locked = login(client, PASSWORD)
    assert locked.status_code == 429
    assert (
        AuditEvent.objects.filter(action="login", outcome="failed").count() == 6
    )  # the locked try too
    assert AuditEvent.objects.filter(action="lockout", username="scjg-tb").exists()
    # The account is locked whatever the address (per account as well as per address).
    assert login(Client(), PASSWORD, ip="10.0.0.9").status_code == 429


def test_idle_session_times_out_after_thirty_minutes(user, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    start = dt.datetime(2022, 3, 1, 9, 0, tzinfo=dt.UTC)
    client = Client()
    with time_machine.travel(start, tick=False):
        assert login(client, PASSWORD).status_code == 302
    with time_machine.travel(start + dt.timedelta(minutes=25), tick=False):
        assert client.get("/api/me").status_code == 200  # activity renews the session
    with time_machine.travel(start + dt.timedelta(minutes=50), tick=False):
        assert client.get("/api/me").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=81), tick=False):
        assert client.get("/api/me").status_code == 401


def test_a_session_is_renewed_at_most_once_a_minute(user):
    """Renewing costs a session write: a burst of requests makes one (none right after signing in,
    which saved it), and the idle timeout still restarts within a minute of any request."""
    start = dt.datetime(2022, 3, 1, 9, 0, tzinfo=dt.UTC)
    client = Client()
    with time_machine.travel(start, tick=False):
        assert login(client, PASSWORD).status_code == 302
    renewed = []
    for seconds in (1, 61, 62, 90, 122):
        with time_machine.travel(start + dt.timedelta(seconds=seconds), tick=False):
            answer = client.get("/api/me")
            assert answer.status_code == 200
            renewed.append("sessionid" in answer.cookies)
    assert renewed == [False, True, False, False, True]


def test_audit_events_cannot_be_changed_or_deleted(user):
    from luoshi.audit.models import ImmutableError

    login(Client(), PASSWORD)
    event = AuditEvent.objects.get(action="login")
    event.action = "nothing happened"
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "login"
