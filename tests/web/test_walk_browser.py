"""The main pages of the walk (test_walk.py) in a real browser, as each role that may open them, one
signed-in context per role, pictures and fonts not fetched: text that scripts render reads right and
axe-core (npm) finds no serious or critical accessibility violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, Route

from tests.conftest import PASSWORD
from tests.test_permission_matrix import MATRIX, build_world
from tests.web.test_walk import MAIN, path_of, read_problems

# The live server reads the world from its own connection: it is committed, not a savepoint.
pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# The browser needs no pictures or fonts to read a page's text and structure.
SKIPPED = {"image", "font", "media"}


# What axe reads of a page: its elements, their attributes (links, values, titles and data only as
# empty or not) and whether each text is empty. Pages alike in that (one template shown to several
# roles with the same links, buttons and rows) get the same verdict from axe, so axe runs once per
# distinct shape, not once per role and page. A SHA-256 of it, computed in the page.
SHAPE = """async () => {
  const flagged = new Set(["href", "action", "value", "title", "alt", "content", "src", "datetime"]);
  const attribute = (a) =>
    (flagged.has(a.name) || a.name.startsWith("data-")) && !a.value.startsWith("#")
      ? a.name + (a.value ? "+" : "-")
      : a.name + "=" + a.value;
  const shape = (node) =>
    node.nodeType === Node.TEXT_NODE ? (node.data.trim() ? "t" : "")
    : node.nodeType !== Node.ELEMENT_NODE ? ""
    : "<" + node.tagName + " " + [...node.attributes].map(attribute).sort().join(" ") + ">"
      + [...node.childNodes].map(shape).join("") + "</>";
  const bytes = new TextEncoder().encode(shape(document.documentElement));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}"""


def log_in(page: Page, url: str, user: Any) -> None:
    page.goto(url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "Admin-passw0rd-2021" if user.username == "admin" else PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def _without_pictures(route: Route) -> None:
    if route.request.resource_type in SKIPPED:
        route.abort()
    else:
        route.continue_()


def test_the_main_pages_of_every_role_pass_axe_in_a_browser(
    browser: Browser, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.LUOSHI_EVIDENCE_DIR = tmp_path
    settings.DATA_DIR = tmp_path
    users, values = build_world()
    axe = AXE.read_text()
    problems: list[str] = []
    checked: set[str] = set()  # the shapes axe has read
    for role, user in sorted(users.items(), key=lambda item: item[0]):
        routes = [r for r in sorted(MAIN) if role in MATRIX[(r, "GET")].allowed]
        # bypass_csp: axe is injected as an inline script, which our policy (rightly) refuses.
        context = browser.new_context(
            locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True
        )
        context.route("**/*", _without_pictures)
        page = context.new_page()
        page.set_default_timeout(60000)
        if user is not None:
            log_in(page, live_server.url, user)
        for route in routes:
            path = path_of(route, values)
            response = page.goto(live_server.url + path)
            status = response.status if response else 0
            problems += read_problems(f"{role} {path}", status, page.inner_text("body"))
            if status >= 400:
                problems.append(f"{role} {path}: {status}")
            if page.url.startswith(live_server.url + "/admin/"):
                continue  # Django's own admin site: not our markup
            shape = page.evaluate(SHAPE)
            if shape in checked:
                continue  # axe read a page of this shape already
            checked.add(shape)
            page.add_script_tag(content=axe)
            found = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']}))"
                ".violations.filter(v => ['serious', 'critical'].includes(v.impact))"
                ".map(v => v.id + ': ' + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(' | '))"
            )
            problems += [f"{role} {path}: axe {v}" for v in found]
        context.close()
    assert problems == []
