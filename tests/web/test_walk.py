"""A walk through every page of the application as every role, the administrators (三权分立) included:
each page a role may open reads right (no error page, no raw internal code on the screen), and the
administrators, who see their own pages only, are refused the business pages with a readable page,
never a server error. The breadth runs through Django's test client on the permission matrix's world,
built once; test_walk_browser.py opens the main pages in a real browser (where scripts render text)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tests.conftest import shared_world
from tests.test_permission_matrix import ADMINISTRATORS, MATRIX, build_world, fill

pytestmark = pytest.mark.django_db

# Pages the walk leaves out: files (Word, Excel, PDF, JSON, CSV), the admin, the health probe.
NOT_PAGES = re.compile(
    r"(\.(docx|xlsx|pdf|json|csv|\{fmt\})$|^admin/|^healthz|/files/|^evidence/|template/$|/docx$)"
)
# What a person should never read: workflow, status and audit codes.
RAW = re.compile(
    r"\b(in_progress|not_started|send_back|report_[a-z_]+|evidence_[a-z_]+|lead_department|"
    r"submitted|approved|accepted|refused)\b"
)
# The main pages, opened in the browser by every role that may (test_walk_browser.py).
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
    "security/",
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


class _Text(HTMLParser):
    """The text a person reads on a page: no markup, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def text_of(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def read_problems(who: str, status: int, text: str) -> list[str]:
    found = [f"{who}: raw code “{code}”" for code in sorted(set(RAW.findall(text)))]
    # 系统错误: the title of our 500 page (web.views.errors.server_error).
    return found + (
        [f"{who}: {status} server error"] if status >= 500 or "系统错误" in text else []
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The permission matrix's world, built once; each request meets it in a rolled-back savepoint."""
    tmp_path = tmp_path_factory.mktemp("walk")
    with shared_world(django_db_blocker, LUOSHI_EVIDENCE_DIR=tmp_path, DATA_DIR=tmp_path):
        yield build_world()


def test_every_page_reads_right_for_every_role_and_refuses_readably(world):
    users, values = world
    problems: list[str] = []
    for role, user in sorted(users.items()):
        client = Client()
        if user is not None:
            client.force_login(user)
        for route in pages():
            allowed = role in MATRIX[(route, "GET")].allowed
            if not allowed and role not in ADMINISTRATORS:
                continue  # every other refusal: the permission matrix (status and audit row)
            path = path_of(route, values)
            with transaction.atomic():  # every role meets the same world (a refusal is audited)
                response = client.get(path, follow=True)
                transaction.set_rollback(True)
            if response.streaming or not response["Content-Type"].startswith("text/html"):
                continue  # a file (通报, 台账…) downloads: not a page
            text = text_of(response.content.decode())
            problems += read_problems(f"{role} {path}", response.status_code, text)
            if allowed and response.status_code >= 400:
                problems.append(f"{role} {path}: {response.status_code}")
            if not allowed and response.status_code not in (403, 404):
                problems.append(f"{role} {path}: {response.status_code}, not refused")
    assert problems == []
