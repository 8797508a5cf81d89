"""Every action of every role, sent the way a person (or a client of the API) could send it, and never a
500: the form as the permission matrix sends it, the same again once it has been acted on (a stale page or a
second tab), through htmx, with fields missing or full of rubbish, and for an object that does not exist.
A stale action by someone who may act answers with a message (or 409 from the API), never a refusal.

The pages' own forms are walked too: every POST form on every page a role can open is sent as rendered
(hidden fields such as the version included), then sent again as the now stale page would send it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tests.conftest import shared_world
from tests.test_permission_matrix import ANYONE as ANYONE_ROLES
from tests.test_permission_matrix import MATRIX, Rule, build_world, fill, request

pytestmark = pytest.mark.django_db

ACTIONS = sorted(k for k in MATRIX if k[1] not in ("GET", "*"))
PAGES = sorted(k for k in MATRIX if k[1] == "GET" and not k[0].startswith("api/"))
HTMX = {"HTTP_HX_REQUEST": "true"}
# Actions a person may repeat on purpose: each repetition is a new thing, not a stale step.
REPEATABLE = {"accounts/logout/", "i18n/setlang/", "security/unlock/"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("walk")
    with shared_world(django_db_blocker, LUOSHI_EVIDENCE_DIR=tmp_path, DATA_DIR=tmp_path):
        yield build_world()


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


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
    """The same action with every field missing, and with every field nonsense."""
    if rule.body is None or rule.upload or rule.ledger or rule.plan_file or rule.values_file:
        return [Rule(rule.allowed, {}, params=rule.params, form=True)]
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


@contextmanager
def _rolled_back() -> Iterator[None]:
    """Every request meets the world as built."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize(("route", "method"), ACTIONS)
def test_no_action_ends_in_an_error(world, route, method):
    """Who may not act is refused by the permission matrix; here the sign-in wall meets rubbish, and
    each role that may act sends the action fresh, twice (stale), through htmx, as rubbish, for a
    missing object, and (API) as broken JSON."""
    users, values = world
    rule = MATRIX[(route, method)]
    problems: list[str] = []

    def check(role: str, what: str, response) -> None:
        if response.status_code >= 500:
            problems.append(f"{role} {what}: {_status(response)}")

    with _rolled_back():
        check("anonymous", "rubbish", _send(Client(), route, method, _rubbish(rule)[0], values))
    for role in sorted(rule.allowed - {"anonymous"}):
        user = users[role]
        with _rolled_back():
            client = _client(user)
            check(role, "as the matrix sends it", _send(client, route, method, rule, values))
            again = _send(client, route, method, rule, values)
            check(role, "again (stale)", again)
            if again.status_code in (401, 403) and route not in REPEATABLE:
                problems.append(f"{role} again (stale) is refused: {_status(again)}")
            check(role, "htmx, stale", _send(client, route, method, rule, values, **HTMX))
        with _rolled_back():
            check(role, "through htmx", _send(_client(user), route, method, rule, values, **HTMX))
        for bad in _rubbish(rule):
            with _rolled_back():
                check(role, f"with {bad.body!r}", _send(_client(user), route, method, bad, values))
        if "{" in route:
            gone = _missing_ids(route, rule, values)
            with _rolled_back():
                check(role, "for a missing object", _send(_client(user), route, method, rule, gone))
        if not rule.form and rule.body is not None and not rule.upload:
            path = _path(route, rule, values)
            for data in ("{not json", json.dumps([1, 2])):
                with _rolled_back():
                    sent = _client(user).generic(
                        method, path, data=data, content_type="application/json"
                    )
                    check(role, f"with JSON {data}", sent)
    assert not problems, "\n".join(problems)


def _path(route: str, rule: Rule, values) -> str:
    path = "/" + route
    for name, value in {**values, **{k: fill(v, values) for k, v in rule.params.items()}}.items():
        path = path.replace("{" + name + "}", str(value))
    return path


class _Forms(HTMLParser):
    """The POST forms of a page: action and the fields as rendered (hidden ones included), with a
    value a person would type for an empty required field."""

    TYPED = {"date": "2099-01-01", "number": "1", "month": "2099-01", "email": "a@example.gov.cn"}

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._fields = {}
            self.forms.append((a.get("action", ""), self._fields))
        if self._fields is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input" and a.get("type") not in (
            "file",
            "submit",
            "button",
            "checkbox",
            "radio",
        ):
            typed = self.TYPED.get(a.get("type", ""), "测试")
            self._fields[name] = a.get("value") or (typed if "required" in a else "")
        elif tag == "input" and a.get("type") in ("checkbox", "radio") and "checked" in a:
            self._fields[name] = a.get("value", "on")
        elif tag == "button" and a.get("value"):
            self._fields.setdefault(name, a["value"])
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and self._select not in self._fields:
            if a.get("value"):
                self._fields[self._select] = a["value"]
        elif tag == "textarea":
            self._textarea = name
            self._fields[name] = "测试" if "required" in a else ""

    def handle_data(self, data: str) -> None:
        if self._fields is not None and self._textarea and data.strip():
            self._fields[self._textarea] = data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@pytest.mark.parametrize("role", sorted(ANYONE_ROLES))
def test_every_form_on_every_page_is_answered(world, role):
    """Each POST form a page shows the role, sent as rendered and then again from the now stale
    page: never a 500, and the second answer is not a refusal of what the page offered."""
    users, values = world
    problems: list[str] = []
    sent: set[str] = set()
    for route, method in PAGES:
        rule = MATRIX[(route, method)]
        if role not in rule.allowed or "{fmt}" in route or route.endswith(("docx", "file", "xlsx")):
            continue
        page = _client(users[role]).get(_path(route, rule, values) + rule.query)
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(page.content.decode(errors="replace"))
        for action, fields in parser.forms:
            target = action or _path(route, rule, values)
            if target in sent or not target.startswith("/") or "logout" in target:
                continue
            sent.add(target)
            with _rolled_back():
                client = _client(users[role])
                first = client.post(target, fields)
                again = client.post(target, fields)
            for what, answer in (("as rendered", first), ("again (stale)", again)):
                if answer.status_code >= 500 or (
                    answer.status_code == 403 and first.status_code < 400
                ):
                    problems.append(f"{role} {target} from {route} {what}: {_status(answer)}")
    assert sent, f"{role}: no form found on any page"  # the walk must reach the forms
    assert not problems, "\n".join(problems)
