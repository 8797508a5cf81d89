"""A walk through every page of the application, in a real browser, as each role that may open it
(the permission matrix says who): no error page, no raw internal code on the screen, and on the
main pages axe-core (npm) finds no serious or critical accessibility violation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import PASSWORD
from tests.test_permission_matrix import MATRIX, build_world, fill

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# Pages the walk leaves out: files (Word, Excel, PDF, JSON, CSV), the admin, the health probe.
NOT_PAGES = re.compile(
    r"(\.(docx|xlsx|pdf|json|csv|\{fmt\})$|^admin/|^healthz|/files/|^evidence/|template/$|/docx$)"
)
# What a person should never read: workflow, status and audit codes.
RAW = re.compile(
    r"\b(in_progress|not_started|send_back|report_[a-z_]+|evidence_[a-z_]+|lead_department|"
    r"submitted|approved|accepted|refused)\b"
)
MAIN = {
    "",
    "dashboard/",
    "my/",
    "review/",
    "tasks/",
    "matrix/",
    "scores/",
    "documents/",
    "supervision/",
    "public/",
    "audit/",
    "reports/{report_id}/",
}


def pages() -> list[str]:
    return sorted(
        route
        for route, method in MATRIX
        if method == "GET" and not route.startswith("api/") and not NOT_PAGES.search(route)
    )


def path_of(route: str, values: dict[str, Any]) -> str:
    path = "/" + route + MATRIX[(route, "GET")].query
    params = {k: fill(v, values) for k, v in MATRIX[(route, "GET")].params.items()}
    for name, value in {**values, **params}.items():
        path = path.replace("{" + name + "}", str(value))
    return path


def log_in(page, live_server, user) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "Admin-passw0rd-2021" if user.username == "admin" else PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_every_page_of_every_role_reads_right_and_passes_axe(
    browser, live_server, settings, tmp_path
):
    settings.LUOSHI_EVIDENCE_DIR = tmp_path
    settings.DATA_DIR = tmp_path
    users, values = build_world()
    axe = AXE.read_text()
    problems: list[str] = []
    for role, user in sorted(users.items(), key=lambda item: item[0]):
        if role in ("admin", "sysadmin", "secadmin"):  # 三权分立: they work in the admin site and
            continue  # /security/, and the home page's redirect to the dashboard refuses them
        # bypass_csp: axe is injected as an inline script, which our policy (rightly) refuses.
        context = browser.new_context(
            locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True
        )
        page = context.new_page()
        page.set_default_timeout(60000)
        if user is not None:
            log_in(page, live_server, user)
        for route in pages():
            if role not in MATRIX[(route, "GET")].allowed:
                continue
            path = path_of(route, values)
            try:
                response = page.goto(live_server.url + path)
            except PlaywrightError as error:  # a file (通报, 台账…) downloads: not a page
                if "Download is starting" in str(error):
                    continue
                raise
            status = response.status if response else 0
            text = page.inner_text("body")
            if status >= 400 or "服务器错误" in text:
                problems.append(f"{role} {path}: {status}")
                continue
            for code in sorted(set(RAW.findall(text))):
                problems.append(f"{role} {path}: raw code “{code}”")
            if route in MAIN:
                page.add_script_tag(content=axe)
                found = page.evaluate(
                    "async () => (await axe.run(document, {resultTypes: ['violations']}))"
                    ".violations.filter(v => ['serious', 'critical'].includes(v.impact))"
                    ".map(v => v.id + ': ' + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(' | '))"
                )
                problems += [f"{role} {path}: axe {v}" for v in found]
        context.close()
    assert problems == []
