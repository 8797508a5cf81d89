"""A walk through every page of the application as every role, the administrators (三权分立) included:
each page a role may open reads right (no error page, no raw internal code on the screen), and the
administrators, who see their own pages only, are refused the business pages with a readable page,
never a server error. The same pages, opened with English chosen in the language menu, show no
Chinese words once the data (plan, task and measure texts, unit and person names, typed reports and
comments) is masked out, and no full-width punctuation ("Plan：", "（1）") either. The breadth runs
through Django's test client on the permission matrix's world: the first part (`reading_problems`) on
the pages the permission matrix fetches for every role anyway, the English walk here, on the world
built once for it; test_walk_browser.py opens the main pages in a real browser (where scripts render
text)."""

from __future__ import annotations

import re
from typing import Any

import lxml.html
import pytest
from django.test import Client
from lxml import etree

from tests.conftest import shared_world
from tests.english import CJK, data_strings, mask
from tests.test_permission_matrix import ADMINISTRATORS, MATRIX, build_world, fill

pytestmark = pytest.mark.django_db

# Pages the walk leaves out: files (Word, Excel, PDF, JSON, CSV), the admin, the health probe.
NOT_PAGES = re.compile(
    r"(\.(docx|xlsx|pdf|json|csv|\{fmt\})$|^admin/|^healthz|/files/|^evidence/|template/$|/docx$)"
)
# Routes whose answer is a file (Word, Excel, PDF), not a page: making them was half of the walks'
# time. The permission matrix checks that each is served to whom it may; the walk reads the
# administrators' refusals of them, which are pages.
FILES = {
    "documents/briefing/",
    "documents/briefing/jobs/{job_id}/file",
    "documents/ledger/",
    "documents/workplan/{organisation_id}/",
    "evaluations/{evaluation_id}/file/",
    "funding/export/",
    "supervision/meetings/{meeting_id}/minutes",
}
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
# Attributes a person reads (or hears from a screen reader).
READ = {"title", "aria-label", "placeholder", "alt"}
BLOCKS = {
    "p",
    "div",
    "li",
    "td",
    "th",
    "tr",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "option",
    "section",
    "dd",
    "dt",
    "label",
    "button",
    "a",
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


def tree(html: str) -> Any:
    """The page parsed by libxml2 (lxml): ten times faster than html.parser over 600 pages."""
    return lxml.html.document_fromstring(html if html.strip() else "<p></p>")


def text_of(html: str) -> str:
    """The text a person reads on a page: no markup, attributes, scripts, styles or templates."""
    hidden = "ancestor::script or ancestor::style or ancestor::template"
    return " ".join(tree(html).xpath(f"//text()[not({hidden})]"))


def page_text(html: str) -> str:
    """The text a person reads, a line per block, with the attributes read out (READ), without
    scripts and styles, and without the parts the page marks as written in Chinese (`lang="zh-…"`:
    the plan's own text, quoted as it stands)."""
    root = tree(html)
    etree.strip_tags(root, etree.Comment)  # the text after a comment stays
    parts: list[str] = []
    chinese = None  # the element a lang="zh…" part opened with
    hidden = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if chinese is None and (element.get("lang") or "").startswith("zh"):
                chinese = element
            hidden += tag in ("script", "style")
            parts += ["\n"] if tag in BLOCKS else []
            if chinese is None:
                parts += [v for k, v in element.items() if k in READ and v]
                parts += [element.text] if element.text and not hidden else []
        else:
            chinese = None if chinese is element else chinese
            hidden -= tag in ("script", "style")
            parts += ["\n"] if tag in BLOCKS else []
            parts += [element.tail] if element.tail and chinese is None and not hidden else []
    return "".join(parts)


def read_problems(who: str, status: int, text: str) -> list[str]:
    found = [f"{who}: raw code “{code}”" for code in sorted(set(RAW.findall(text)))]
    # 系统错误: the title of our 500 page (web.views.errors.server_error).
    return found + (
        [f"{who}: {status} server error"] if status >= 500 or "系统错误" in text else []
    )


def client_of(user: Any, language: str | None = None) -> Client:
    client = Client()
    if language:
        client.cookies["django_language"] = language  # what the language menu sets
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The permission matrix's world, built once for the English walk; each test meets it in a
    rolled-back savepoint."""
    tmp_path = tmp_path_factory.mktemp("walk")
    with shared_world(django_db_blocker, LUOSHI_EVIDENCE_DIR=tmp_path, DATA_DIR=tmp_path):
        yield build_world()


def reading_problems(
    client: Client, role: str, route: str, values: dict[str, Any], response
) -> list[str]:
    """What is wrong with how a page reads to a role: a page the role may open reads right (no error
    page, no raw code), and the administrators are refused the business pages with a readable page,
    never a server error. `response` is the page as the permission matrix fetched it for the role
    (test_each_role_gets_exactly_what_it_may: fetching every page of every role once, for both
    checks); a redirect is followed, as a browser would."""
    if route not in pages():
        return []
    allowed = role in MATRIX[(route, "GET")].allowed
    if not allowed and role not in ADMINISTRATORS:
        return []  # every other refusal: the permission matrix (status and audit row)
    if allowed and route in FILES:
        return []  # a file, not a page
    path = path_of(route, values)
    if response.status_code in (301, 302, 303, 307, 308):
        response = client.get(path, follow=True)
    if response.streaming or not response["Content-Type"].startswith("text/html"):
        return []  # a file (通报, 台账…) downloads: not a page
    problems = read_problems(
        f"{role} {path}", response.status_code, text_of(response.content.decode())
    )
    if allowed and response.status_code >= 400:
        problems.append(f"{role} {path}: {response.status_code}")
    if not allowed and response.status_code not in (403, 404):
        problems.append(f"{role} {path}: {response.status_code}, not refused")
    return problems


def test_every_page_of_every_role_reads_in_english(world):
    users, values = world
    data = data_strings()
    problems: list[str] = []
    checked = 0
    for role, user in sorted(users.items(), key=lambda item: item[0]):
        client = client_of(user, "en")
        for route in pages():
            if role not in MATRIX[(route, "GET")].allowed or route in FILES:
                continue
            path = path_of(route, values)
            response = client.get(path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            checked += 1
            text = mask(page_text(response.content.decode()), data)
            left = {text[max(0, m.start() - 15) : m.end() + 15] for m in CJK.finditer(text)}
            if left:
                problems.append(f"{role} {path}: {' | '.join(sorted(left))}")
    print(f"{checked} pages checked")
    assert checked > 100
    assert problems == [], "\n".join(problems)


def test_english_lines_use_english_punctuation(world):
    """The plan line, a task's deadline and light line and the task list's light reasons separate
    with ": " and "; " and bracket with "( )", not the full-width "：", "；" and "（ ）"."""
    users, values = world
    client = client_of(users["office"], "en")
    data = data_strings()
    task = client.get(path_of("tasks/{task_id}/", values)).content.decode()
    listing = client.get("/tasks/").content.decode()
    plan_line = re.search(r'<p class="plan-shown".*?</p>', listing, re.S)
    task_line = re.search(r"</h1>\s*<p>.*?</p>", task, re.S)
    reasons = re.findall(r'</a><div class="muted">(.*?)</div>', listing, re.S)
    assert plan_line, "no plan line"
    assert task_line, "no task line"
    assert reasons, "no light reasons"
    assert "Plan: " in page_text(plan_line[0])
    for line in [plan_line[0], task_line[0], *reasons]:
        assert not CJK.search(mask(page_text(line), data)), line


def test_the_files_left_out_are_served_routes():
    """A renamed route must not leave a stale name behind (FILES only ever skips)."""
    assert set(pages()) >= FILES
