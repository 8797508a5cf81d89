"""The English interface is English: every page of every role, opened with English chosen in the
language menu, shows no Chinese words once the data (plan, task and measure texts, unit and person
names, typed reports and comments) is masked out, and no full-width punctuation ("Plan：", "（1）")
either."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.conftest import shared_world
from tests.english import CJK, data_strings, mask
from tests.test_permission_matrix import MATRIX, build_world
from tests.web.test_walk import pages, path_of

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


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Text(HTMLParser):
    """The text a person reads, without scripts and styles, and without the parts the page marks
    as written in Chinese (`lang="zh-…"`: the plan's own text, quoted as it stands)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0
        self.chinese = 0  # open elements inside a lang="zh-…" part (0: outside one)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.chinese and tag not in VOID:
            self.chinese += 1
        elif (dict(attrs).get("lang") or "").startswith("zh"):
            self.chinese = 1
        if tag in ("script", "style"):
            self.hidden += 1
        if tag in BLOCKS:
            self.parts.append("\n")
        if not self.chinese:
            self.parts += [v for k, v in attrs if k in READ and v]

    def handle_endtag(self, tag: str) -> None:
        if self.chinese and tag not in VOID:
            self.chinese -= 1
        if tag in ("script", "style"):
            self.hidden -= 1
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden and not self.chinese:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("english")
    with shared_world(django_db_blocker, LUOSHI_EVIDENCE_DIR=tmp_path, DATA_DIR=tmp_path):
        yield build_world()


@pytest.mark.django_db
def test_every_page_of_every_role_reads_in_english(world):
    users, values = world
    data = data_strings()
    problems: list[str] = []
    checked = 0
    for role, user in sorted(users.items(), key=lambda item: item[0]):
        client = Client()
        client.cookies["django_language"] = "en"  # what the language menu sets
        if user is not None:
            client.force_login(user)
        for route in pages():
            if role not in MATRIX[(route, "GET")].allowed:
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


@pytest.mark.django_db
def test_english_lines_use_english_punctuation(world):
    """The plan line, a task's deadline and light line and the task list's light reasons separate
    with ": " and "; " and bracket with "( )", not the full-width "：", "；" and "（ ）"."""
    users, values = world
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(users["office"])
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
