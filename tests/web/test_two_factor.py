"""Two factors in a browser: the office (required by setting) is sent to enrol after its password,
scans — here: reads — the key under the QR code, confirms with a code, keeps its backup codes, and is
asked for a code at the next sign-in."""

from __future__ import annotations

import base64

from django_otp.oath import totp

from luoshi.audit.models import AuditEvent


def _code(key: str) -> str:
    return f"{totp(base64.b32decode(key), step=30, t0=0, digits=6):06d}"


def test_the_office_enrols_and_signs_in_with_a_second_factor(
    open_page, live_server, people, settings
):
    settings.LUOSHI_TWO_FACTOR_ROLES = frozenset({"office"})
    page = open_page(people.office)
    page.goto(f"{live_server.url}/review/")
    page.wait_for_url("**/accounts/2fa/setup/**")
    assert page.locator("figure.qr svg").count() == 1
    key = page.inner_text("#otp-key").strip()
    page.fill("#id_token", _code(key))
    with page.expect_navigation():
        page.click("#otp-setup button[type=submit]")
    codes = page.locator("ul.codes code").all_inner_texts()
    assert len(codes) == 10
    page.click("text=继续")
    page.wait_for_url("**/review/")
    assert page.locator("h1").first.inner_text()

    again = open_page(people.office)  # a new sign-in asks for a code
    again.goto(f"{live_server.url}/review/")
    again.wait_for_url("**/accounts/2fa/?**")
    again.fill("#id_token", codes[0])
    with again.expect_navigation():
        again.click("#otp button[type=submit]")
    again.wait_for_url("**/review/")
    assert AuditEvent.objects.filter(username="office", action="otp_enrol").count() == 1
