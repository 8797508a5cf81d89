"""The main pages of the walk (test_walk.py) in a real browser, as each role that may open them (one
browser context, each role's session cookie in turn, so the static files are fetched once), pictures
and fonts not fetched: text that scripts render reads right and axe-core (npm) finds no serious or
critical accessibility violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Route

from tests.browser import sign_in
from tests.test_permission_matrix import MATRIX, build_world
from tests.web.test_walk import MAIN, path_of, read_problems

# The live server reads the world from its own connection: it is committed, not a savepoint.
pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# The browser needs no pictures or fonts to read a page's text and structure.
SKIPPED = {"image", "font", "media"}


# What axe reads of a page: its elements, their attributes (links, values, titles, data, ids and
# what refers to ids only as empty or not) and whether each text is empty. Elements alike in that
# read the same to axe, so the page first keeps one of each kind of sibling (rows, cells, list items,
# options: a task list of 100 rows becomes its few kinds of row), except an element holding an id
# used twice (axe must see both) and inside a box that scrolls (its rows make it scroll, which axe
# checks). Then pages alike (one template shown to several roles with the same kinds of links,
# buttons and rows) get the same verdict from axe, so axe runs once per distinct shape, not once per
# role and page. Returns a SHA-256 of the kept page's shape, computed in the page.
SHAPE = """async () => {
  const flagged = new Set([
    "href", "action", "value", "title", "alt", "content", "src", "datetime",
    "id", "for", "name", "headers", "aria-labelledby", "aria-describedby", "aria-controls", "form",
  ]);
  const seen = new Set();
  const twice = new Set();
  for (const element of document.querySelectorAll("[id]")) {
    (seen.has(element.id) ? twice : seen).add(element.id);
  }
  const holdsTwice = (element) =>
    [element, ...element.querySelectorAll("[id]")].some((e) => twice.has(e.id));
  const attribute = (a) =>
    (flagged.has(a.name) || a.name.startsWith("data-")) && !a.value.startsWith("#")
      ? a.name + (a.value ? "+" : "-")
      : a.name + "=" + a.value;
  let known = new WeakMap();
  const shape = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return node.data.trim() ? "t" : "";
    if (node.nodeType !== Node.ELEMENT_NODE) return "";
    if (!known.has(node)) {
      known.set(node, "<" + node.tagName + " " + [...node.attributes].map(attribute).sort().join(" ")
        + ">" + [...node.childNodes].map(shape).join("") + "</>");
    }
    return known.get(node);
  };
  const scrolls = (element) => {
    const style = getComputedStyle(element);
    return /auto|scroll/.test(style.overflowX + style.overflowY)
      && (element.scrollHeight > element.clientHeight || element.scrollWidth > element.clientWidth);
  };
  const keepOneOfEachKind = (element) => {
    if (scrolls(element)) return;
    const kinds = new Set();
    for (const child of [...element.children]) {
      const kind = shape(child);
      if (kinds.has(kind) && !holdsTwice(child)) child.remove();
      else {
        kinds.add(kind);
        keepOneOfEachKind(child);
      }
    }
  };
  keepOneOfEachKind(document.body);
  known = new WeakMap();
  const bytes = new TextEncoder().encode(shape(document.documentElement));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}"""


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
    # bypass_csp: axe is injected as an inline script, which our policy (rightly) refuses.
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    context.route("**/*", _without_pictures)
    page = context.new_page()
    page.set_default_timeout(60000)
    for role, user in sorted(users.items(), key=lambda item: item[0]):
        routes = [r for r in sorted(MAIN) if role in MATRIX[(r, "GET")].allowed]
        context.clear_cookies()
        if user is not None:
            sign_in(context, live_server.url, user)
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
    print(f"axe read {len(checked)} page shapes")
    assert problems == []
