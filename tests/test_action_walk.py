"""Every action of every role, sent the way a person (or a client of the API) could send it, and never a
500: the form as the permission matrix sends it, the same again once it has been acted on (a stale page or a
second tab), through htmx, with fields missing or full of rubbish, and for an object that does not exist.
A stale action by someone who may act answers with a message (or 409 from the API), never a refusal.

The pages' own forms are walked too: every POST form on every page a role can open is sent as rendered
(hidden fields such as the version included), then sent again as the now stale page would send it; a form
shown once per row (one per measure, one per person) is sent once per role, as one shape. A form
with a file field gets a small file of a type it accepts, and once a file of a wrong type and once one
over the upload limit: neither is a 500, and the text typed alongside is not lost.

The world is built once for the module and each role signs in once; every step runs in a savepoint rolled
back after it (the session's changes too), so each meets the world as built."""

from __future__ import annotations

import json
import re
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import PDF, shared_world, undone
from tests.ingest.test_outlines import CITY
from tests.test_permission_matrix import ANYONE as ANYONE_ROLES
from tests.test_permission_matrix import MATRIX, Rule, build_world, fill, request, sign_in

pytestmark = pytest.mark.django_db

ACTIONS = sorted(k for k in MATRIX if k[1] not in ("GET", "*"))
PAGES = sorted(k for k in MATRIX if k[1] == "GET" and not k[0].startswith("api/"))
HTMX = {"HTTP_HX_REQUEST": "true"}
# Actions a person may repeat on purpose: each repetition is a new thing, not a stale step.
REPEATABLE = {"accounts/logout/", "i18n/setlang/", "security/unlock/"}


# Low, so an oversized file costs little to send; every sample below is far under it.
UPLOAD_LIMIT = 1024 * 1024


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("walk")
    with shared_world(
        django_db_blocker,
        LUOSHI_EVIDENCE_DIR=tmp_path,
        DATA_DIR=tmp_path,
        LUOSHI_MAX_UPLOAD_BYTES=UPLOAD_LIMIT,
    ):
        walk = sign_in(*build_world())
        walk.raise_request_exception = False  # a 500 is an answer to report, not an exception
        yield walk


def _send(client: Client, route: str, method: str, rule: Rule, values, **extra: Any):
    """The matrix's request, with extra headers (htmx) when asked."""
    if not extra:
        return request(client, route, method, rule, values)
    original = client.defaults
    client.defaults = {**original, **extra}
    try:
        return request(client, route, method, rule, values)
    finally:
        client.defaults = original


def _rubbish(rule: Rule) -> list[Rule]:
    """The same action with every field missing, and with every field nonsense. An action without
    fields has no rubbish to send: its one variant is the request as the matrix sends it."""
    if rule.body is None or rule.upload or rule.ledger or rule.plan_file or rule.values_file:
        return [Rule(rule.allowed, {}, params=rule.params, form=True)]
    if not rule.body:
        return []
    nonsense = {k: "垃圾<script>" if i % 2 else "-1" for i, k in enumerate(rule.body)}
    return [
        Rule(rule.allowed, {}, params=rule.params, query=rule.query, form=rule.form),
        Rule(rule.allowed, nonsense, params=rule.params, query=rule.query, form=rule.form),
        Rule(rule.allowed, {k: "" for k in rule.body}, params=rule.params, form=rule.form),
    ]


def _missing_ids(route: str, rule: Rule, values) -> dict[str, object]:
    """Values naming objects that do not exist, for every id in the route."""
    names = [part[1:-1] for part in route.split("/") if part.startswith("{") and part.endswith("}")]
    gone = dict(values)
    for name in names:
        if name.endswith("_id"):
            key = str(rule.params.get(name, "{" + name + "}"))[1:-1]
            gone[key] = 987654321
            gone[name] = 987654321
    return gone


def _status(response) -> str:
    return f"{response.status_code} {response.content[:300].decode(errors='replace')!r}"


def _rolled_back() -> AbstractContextManager[None]:
    """Every request meets the world as built (and the figures cached for it: conftest.undone)."""
    return undone()


@pytest.mark.parametrize(("route", "method"), ACTIONS)
def test_no_action_ends_in_an_error(world, route, method):
    """Who may not act is refused by the permission matrix; here the sign-in wall meets rubbish, and
    each role that may act sends the action fresh, twice (stale), through htmx, as rubbish, for a
    missing object, and (API) as broken JSON."""
    values = world.values
    rule = MATRIX[(route, method)]
    problems: list[str] = []

    def check(role: str, what: str, response) -> None:
        if response.status_code >= 500:
            problems.append(f"{role} {what}: {_status(response)}")

    with _rolled_back():
        rubbish = (_rubbish(rule) or [rule])[0]  # an action without fields: as the matrix sends it
        check(
            "anonymous", "rubbish", _send(world.client("anonymous"), route, method, rubbish, values)
        )
    for role in sorted(rule.allowed - {"anonymous"}):
        with _rolled_back():
            client = world.client(role)
            check(role, "as the matrix sends it", _send(client, route, method, rule, values))
            again = _send(client, route, method, rule, values)
            check(role, "again (stale)", again)
            if again.status_code in (401, 403) and route not in REPEATABLE:
                problems.append(f"{role} again (stale) is refused: {_status(again)}")
            check(role, "htmx, stale", _send(client, route, method, rule, values, **HTMX))
        with _rolled_back():
            htmx = _send(world.client(role), route, method, rule, values, **HTMX)
            check(role, "through htmx", htmx)
        for bad in _rubbish(rule):
            with _rolled_back():
                check(
                    role,
                    f"with {bad.body!r}",
                    _send(world.client(role), route, method, bad, values),
                )
        if "{" in route:
            gone = _missing_ids(route, rule, values)
            with _rolled_back():
                missing = _send(world.client(role), route, method, rule, gone)
                check(role, "for a missing object", missing)
        if not rule.form and rule.body is not None and not rule.upload:
            path = _path(route, rule, values)
            for data in ("{not json", json.dumps([1, 2])):
                with _rolled_back():
                    sent = world.client(role).generic(
                        method, path, data=data, content_type="application/json"
                    )
                    check(role, f"with JSON {data}", sent)
    assert not problems, "\n".join(problems)


def _path(route: str, rule: Rule, values) -> str:
    path = "/" + route
    for name, value in {**values, **{k: fill(v, values) for k, v in rule.params.items()}}.items():
        path = path.replace("{" + name + "}", str(value))
    return path


@dataclass
class _Form:
    """A POST form as the page renders it."""

    action: str
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # name → what its `accept` names
    blank: list[str] = field(default_factory=list)  # text fields left empty: a person may type


class _Forms(HTMLParser):
    """The POST forms of a page: action and the fields as rendered (hidden ones included), with a
    value a person would type for an empty required field."""

    TYPED = {"date": "2099-01-01", "number": "1", "month": "2099-01", "email": "a@example.gov.cn"}
    TEXT = {"text", "search", ""}

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[_Form] = []
        self._form: _Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = _Form(a.get("action", ""))
            self.forms.append(self._form)
        if self._form is None or not a.get("name"):
            return
        fields, name, kind = self._form.fields, a["name"], a.get("type", "")
        if tag == "input" and kind == "file":
            self._form.files[name] = a.get("accept", "")
        elif tag == "input" and kind not in ("submit", "button", "checkbox", "radio"):
            typed = self.TYPED.get(kind, "测试")
            fields[name] = a.get("value") or (typed if "required" in a else "")
            if kind in self.TEXT and not a.get("value"):
                self._form.blank.append(name)
        elif tag == "input" and kind in ("checkbox", "radio") and "checked" in a:
            fields[name] = a.get("value", "on")
        elif tag == "button" and a.get("value"):
            fields.setdefault(name, a["value"])
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and self._select not in fields:
            if a.get("value"):
                fields[self._select] = a["value"]
        elif tag == "textarea":
            self._textarea = name
            fields[name] = "测试" if "required" in a else ""
            self._form.blank.append(name)

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea and data.strip():
            self._form.fields[self._textarea] = data
            if self._textarea in self._form.blank:
                self._form.blank.remove(self._textarea)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _samples(values: dict[str, Any]) -> dict[str, tuple[str, bytes]]:
    """A small valid file for each kind a file field accepts (no `accept`: evidence, a PDF)."""
    return {
        ".xlsx": ("指标.xlsx", values["values"]),
        ".txt": ("city.txt", CITY.encode()),
        "": ("a.pdf", PDF),
    }


def _files(form: _Form, values: dict[str, Any], bad: str = "") -> dict[str, SimpleUploadedFile]:
    """A file for each file field: a valid one of an accepted type, or (bad) of a wrong type or over
    the upload limit."""
    samples = _samples(values)
    chosen = {}
    for name, accept in form.files.items():
        kind = next((k for k in samples if k and k in accept), "")
        filename, data = samples[kind]
        if bad == "wrong type":
            filename, data = "程序.exe", b"MZ\x90\x00" + bytes(range(256)) * 4
        elif bad == "too large":
            data = data + b"\0" * UPLOAD_LIMIT
        chosen[name] = SimpleUploadedFile(filename, data)
    return chosen


def _text_kept(client: Client, answer, typed: dict[str, str]) -> bool:
    """The text typed next to a refused file is shown again (on the answer, or where it redirects:
    then it was stored)."""
    if 300 <= answer.status_code < 400:
        answer = client.get(answer["Location"])
    page = answer.content.decode(errors="replace")
    return all(text in page for text in typed.values())


# Routes that answered a file (a briefing .docx, a ledger .xlsx), not a page: what a route serves does
# not depend on who asks, so the roles after the first do not have it made again only to find no form.
# The permission matrix fetches each of them for every role.
_FILES: set[str] = set()


def _shape(target: str, form: _Form) -> tuple[str, ...]:
    """What makes two forms the same form: where it posts and the fields it sends, ids left out.
    A page listing many rows (a form per measure on 我的任务, per person on 责任人) shows one
    shape many times; the walk sends each shape once per role."""
    names = sorted({*form.fields, *form.files})
    return tuple(re.sub(r"\d+", "#", text) for text in (target, *names))


@pytest.mark.parametrize("role", sorted(ANYONE_ROLES))
def test_every_form_on_every_page_is_answered(world, role):
    """Each POST form a page shows the role, sent as rendered and then again from the now stale
    page: never a 500, and the second answer is not a refusal of what the page offered. A form with
    a file field is also sent with a file of a wrong type (the typed text comes back or is stored)
    and with one over the limit (refused, not a 500)."""
    values = world.values
    problems: list[str] = []
    sent: set[tuple[str, ...]] = set()  # form shapes
    uploads = 0
    for route, method in PAGES:
        rule = MATRIX[(route, method)]
        if role not in rule.allowed or "{fmt}" in route or route.endswith(("docx", "file", "xlsx")):
            continue
        if route in _FILES:
            continue
        page = world.client(role).get(_path(route, rule, values) + rule.query)
        if page.status_code == 200 and "html" not in page.get("Content-Type", ""):
            _FILES.add(route)
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(page.content.decode(errors="replace"))
        for form in parser.forms:
            target = form.action or _path(route, rule, values)
            shape = _shape(target, form)
            if shape in sent or not target.startswith("/") or "logout" in target:
                continue
            sent.add(shape)
            with _rolled_back():
                client = world.client(role)
                first = client.post(target, {**form.fields, **_files(form, values)})
                again = client.post(target, {**form.fields, **_files(form, values)})
            for what, answer in (("as rendered", first), ("again (stale)", again)):
                if answer.status_code >= 500 or (
                    answer.status_code == 403 and first.status_code < 400
                ):
                    problems.append(f"{role} {target} from {route} {what}: {_status(answer)}")
            if form.files:
                uploads += 1
                problems += _bad_files(world.client(role), role, target, form, values)
    assert sent, f"{role}: no form found on any page"  # the walk must reach the forms
    if role in ("office", "market_reporter"):  # both see several forms with a file field
        assert uploads, f"{role}: no form with a file field found"
    assert not problems, "\n".join(problems)


def _bad_files(client: Client, role: str, target: str, form: _Form, values) -> list[str]:
    """The form with text typed in each empty text field, and a file of a wrong type, then one over
    the limit."""
    typed = {name: f"走查{i}" for i, name in enumerate(form.blank)}
    problems = []
    for bad in ("wrong type", "too large"):
        with _rolled_back():
            answer = client.post(target, {**form.fields, **typed, **_files(form, values, bad)})
            if answer.status_code >= 500:
                problems.append(f"{role} {target} with a file {bad}: {_status(answer)}")
            elif bad == "too large" and answer.status_code < 400:
                problems.append(f"{role} {target} took a file {bad}: {_status(answer)}")
            elif bad == "wrong type" and not _text_kept(client, answer, typed):
                problems.append(
                    f"{role} {target} lost the typed text with a file {bad}: {_status(answer)}"
                )
    return problems
