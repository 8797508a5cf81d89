"""Identity (身份鉴别): password rules, history and age, self-service change, the absolute session
lifetime, per-account and per-address lockout with the security administrator's unlock, and two
factors (TOTP) for the roles that need them — each change and refusal audited."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from luoshi.accounts.identity import SIGNED_IN_AT
from luoshi.accounts.models import PasswordRecord
from luoshi.audit.models import AuditEvent, Outcome
from tests.conftest import ONCE, PASSWORD, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]


def _refused(password, user=None) -> str:
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    return " ".join(refused.value.messages)


def test_the_password_rules(people):
    assert "12" in _refused("Ab1!")  # length
    assert "3" in _refused("aaaaaaaaaaaa")  # one class only
    assert "yueyang" in _refused("Yueyang123456")  # the city (the review's example)
    assert "market_head" in _refused("Market_Head-2024", people.market_head)  # the user name
    assert "市市场监管局" in _refused("市市场监管局Aa1-2024x", people.market_head)  # the unit
    assert _refused("Password1234")  # a common password
    validate_password("Harbour-light-47", people.market_head)


def change(client, old, new):
    return client.post(
        "/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": new}
    )


def test_the_self_service_change_keeps_a_history_of_five(people):
    client = client_for(people.market_reporter)
    passwords = [PASSWORD] + [f"Harbour-light-{n}x" for n in range(5)]
    for old, new in itertools.pairwise(passwords):
        assert change(client, old, new).status_code == 302
    assert PasswordRecord.objects.filter(user=people.market_reporter).count() == 5
    refused = change(client, passwords[-1], passwords[1])  # used four changes ago
    assert "最近 5 次" in refused.content.decode()
    assert change(client, passwords[-1], PASSWORD).status_code == 302  # six changes ago: allowed
    rows = AuditEvent.objects.filter(
        action="password_change", object_id=str(people.market_reporter.pk)
    )
    assert rows.filter(outcome=Outcome.SUCCESS).count() == 6
    assert rows.filter(outcome=Outcome.REFUSED).count() == 1


def test_an_expired_password_must_be_changed_first(people, settings):
    settings.LUOSHI_PASSWORD_MAX_AGE_DAYS = 90
    user = people.market_reporter
    type(user).objects.filter(pk=user.pk).update(date_joined=timezone.now() - dt.timedelta(days=91))
    user.refresh_from_db()
    client = client_for(user)
    page = client.get("/my/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/password/?next=")
    assert client.get("/api/me").status_code == 403
    assert change(client, PASSWORD, "Harbour-light-47").status_code == 302
    assert client.get("/my/").status_code == 200


def test_a_session_ends_after_its_absolute_lifetime_however_active(people, settings):
    settings.LUOSHI_SESSION_MAX_HOURS = 8
    client = Client()
    assert (
        client.post(
            "/accounts/login/", {"username": "market_reporter", "password": PASSWORD}
        ).status_code
        == 302
    )
    assert client.get("/api/me").status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = (timezone.now() - dt.timedelta(hours=8, minutes=1)).isoformat()
    session.save()
    assert client.get("/api/me").status_code == 401
    assert client.get("/my/").status_code == 302  # to the sign-in page (the session is gone)


def _login(username, password=PASSWORD, ip="10.0.0.8"):
    return Client().post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_an_account_is_locked_whatever_the_address_and_the_security_admin_unlocks_it(people):
    for n in range(5):
        _login("market_reporter", "wrong", ip=f"10.1.0.{n}")
    assert _login("market_reporter", ip="10.1.0.99").status_code == 429  # per account
    assert (
        client_for(people.office)
        .post("/security/unlock/", {"username": "market_reporter"})
        .status_code
        == 403
    )
    assert client_for(people.secadmin).get("/security/").status_code == 200
    assert (
        client_for(people.secadmin)
        .post("/security/unlock/", {"username": "market_reporter"})
        .status_code
        == 302
    )
    assert _login("market_reporter", ip="10.1.0.99").status_code == 302
    unlocks = AuditEvent.objects.filter(action="account_unlock")
    assert {(e.username, e.outcome) for e in unlocks} == {
        ("office", Outcome.REFUSED),
        ("secadmin", Outcome.SUCCESS),
    }


def test_one_address_trying_many_accounts_is_locked(people):
    for name in ("a1", "a2", "a3", "a4", "a5"):
        _login(name, "wrong", ip="10.2.0.1")
    assert _login("market_head", ip="10.2.0.1").status_code == 429
    assert _login("market_head", ip="10.2.0.2").status_code == 302


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_two_factors_required_for_the_office_enrolled_then_asked_at_each_sign_in(people, settings):
    settings.LUOSHI_TWO_FACTOR_ROLES = frozenset({"office"})
    # django-otp slows down guessing after each wrong code (1 s, 2 s, …); not what this test times.
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    client = Client()
    client.post("/accounts/login/", {"username": "office", "password": PASSWORD})
    assert client.get("/review/")["Location"].startswith("/accounts/2fa/?next=")
    assert client.get("/api/reports").status_code == 403  # audited refusal
    assert client.get("/accounts/2fa/")["Location"].startswith("/accounts/2fa/setup/")
    assert client.get("/accounts/2fa/setup/").status_code == 200
    device = TOTPDevice.objects.get(user=people.office, confirmed=False)
    assert client.post("/accounts/2fa/setup/", {"token": "000000"}).status_code == 200
    codes_page = client.post("/accounts/2fa/setup/", {"token": _code(device)})
    codes = codes_page.context["codes"]
    assert len(codes) == 10
    assert client.get("/review/").status_code == 200

    again = Client()  # the next sign-in asks for a code; a backup code works once
    again.post("/accounts/login/", {"username": "office", "password": PASSWORD})
    assert again.get("/review/").status_code == 302
    assert again.post("/accounts/2fa/", {"token": "123"}).context["failed"]
    assert again.post("/accounts/2fa/", {"token": codes[0]}).status_code == 302
    assert again.get("/review/").status_code == 200
    third = Client()
    third.post("/accounts/login/", {"username": "office", "password": PASSWORD})
    assert third.post("/accounts/2fa/", {"token": codes[0]}).context["failed"]  # used up

    rows = AuditEvent.objects.filter(username="office")
    assert rows.filter(action="otp_enrol", outcome=Outcome.SUCCESS).count() == 1
    assert rows.filter(action="otp_enrol", outcome=Outcome.FAILED).count() == 1  # the 000000
    assert rows.filter(action="login", outcome=Outcome.FAILED).count() == 2
    assert rows.filter(action="access", outcome=Outcome.REFUSED).exists()


def test_two_factors_are_optional_for_a_reporter(people, settings):
    settings.LUOSHI_TWO_FACTOR_ROLES = frozenset({"office"})
    client = client_for(people.market_reporter)
    assert client.get("/my/").status_code == 200
    assert client.get("/accounts/2fa/setup/").status_code == 200  # may enrol


def test_the_security_admin_resets_a_lost_second_factor(people, settings):
    settings.LUOSHI_TWO_FACTOR_ROLES = frozenset({"office"})
    TOTPDevice.objects.create(user=people.office, name="TOTP", confirmed=True)
    assert (
        client_for(people.sysadmin)
        .post("/security/otp-reset/", {"user": people.office.pk})
        .status_code
        == 403
    )
    assert (
        client_for(people.secadmin)
        .post("/security/otp-reset/", {"user": people.office.pk})
        .status_code
        == 302
    )
    assert not TOTPDevice.objects.filter(user=people.office).exists()
    assert AuditEvent.objects.filter(action="otp_reset", outcome=Outcome.SUCCESS).count() == 1
    assert AuditEvent.objects.filter(action="otp_reset", outcome=Outcome.REFUSED).count() == 1


def test_a_session_ending_mid_form_sends_to_sign_in_and_enrolment_resumes(people, settings):
    """The password change and the enrolment posted after the session ended: to the sign-in page
    (the typed password is not kept), nothing changed; after signing in, the same key is offered,
    so the authenticator already set up from the QR code still confirms."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client = client_for(people.market_reporter)
    key = client.get("/accounts/2fa/setup/").context["key"]
    device = TOTPDevice.objects.get(user=people.market_reporter, confirmed=False)
    client.logout()  # the session expired while the page was open
    expired = client.post("/accounts/2fa/setup/", {"token": _code(device)})
    assert expired.status_code == 302 and expired["Location"].startswith("/accounts/login/")
    moved = change(client, PASSWORD, "Harbour-light-47x")
    assert moved.status_code == 302 and moved["Location"].startswith("/accounts/login/")
    assert not TOTPDevice.objects.filter(user=people.market_reporter, confirmed=True).exists()

    people.market_reporter.refresh_from_db()
    assert people.market_reporter.check_password(PASSWORD)
    again = Client()  # signed in again with the unchanged password
    assert (
        again.post(
            "/accounts/login/", {"username": "market_reporter", "password": PASSWORD}
        ).status_code
        == 302
    )
    assert again.get("/accounts/2fa/setup/").context["key"] == key
    assert len(again.post("/accounts/2fa/setup/", {"token": _code(device)}).context["codes"]) == 10


def test_an_overlong_password_is_refused_before_anything_hashes_it(people):
    """A megabyte would take seconds to hash: sign-in and change refuse it as a field error first
    (the failed-sign-in signal, sent after the password was checked, never fires)."""
    from django.contrib.auth.signals import user_login_failed

    checked: list[object] = []

    def note(**kwargs: object) -> None:
        checked.append(kwargs)

    user_login_failed.connect(note)
    try:
        huge = "Aa1-" * 262_144  # 1 MiB
        login = Client().post("/accounts/login/", {"username": "office", "password": huge})
        assert login.status_code == 200 and "1024" in login.content.decode()
        assert checked == []
    finally:
        user_login_failed.disconnect(note)
    assert "1024" in _refused("Aa1-" * 300)
    client = client_for(people.market_reporter)
    long = "Aa1-" * 2000  # (a megabyte twice is past the request size limit: 400 before any form)
    refused = change(client, PASSWORD, long)
    assert refused.status_code == 200 and "1024" in refused.content.decode()
    refused_old = change(client, long, "Harbour-light-47")
    assert refused_old.status_code == 200
    validate_password("Harbour-light-47" + "x" * 1000, people.market_head)  # 1016: allowed


def test_a_wrong_code_at_enrolment_is_audited(people):
    client = client_for(people.market_reporter)
    assert client.get("/accounts/2fa/setup/").status_code == 200
    assert client.post("/accounts/2fa/setup/", {"token": "000000"}).status_code == 200
    row = AuditEvent.objects.get(action="otp_enrol", user=people.market_reporter)
    assert row.outcome == Outcome.FAILED
