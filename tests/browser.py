"""A real browser (Debian's Chromium driven by Playwright) against the live test server: one
session-wide Chromium for every package's tests, registered as a plugin by tests/conftest.py
(two sync Playwright instances cannot live in one thread)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


# Assertions wait as long as actions do: the default 5 s fails on a loaded two-core machine.
expect.set_options(timeout=30_000)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: `make browser` installs Debian's package")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def sign_in(context: BrowserContext, url: str, user: Any) -> None:
    """The user's session cookie, made as Django's test client signs in (the same signals and
    session as the sign-in page gives, without loading it): tests about signing in use the page."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": url}])


@pytest.fixture
def open_page(browser: Browser, live_server: Any) -> Iterator[Callable[..., Page]]:
    pages: list[Page] = []

    def make(user=None, *, width: int = 1280, height: int = 900, confirm: bool = True) -> Page:
        page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
        page.set_default_timeout(30000)
        if confirm:  # answer "yes" to the pages' confirmations (验收, 退回, 沿用上期…)
            page.on("dialog", lambda dialog: dialog.accept())
        pages.append(page)
        if user is not None:
            sign_in(page.context, live_server.url, user)
        return page

    yield make
    for page in pages:
        page.close()
