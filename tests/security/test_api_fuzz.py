"""schemathesis over the whole OpenAPI schema, signed in as each role: no request gets a 5xx.

One world (the bundled plan, the personas, an open cycle) and one parsed schema serve every role;
each role signs in once. Every request runs in a savepoint rolled back after it: it meets the world
as built (and the figures cached for it, conftest.undone), and on PostgreSQL a refused statement
cannot poison the next request's queries."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.core.result import Ok

from luoshi.progress.services import cycle_open_month
from luoshi.wsgi import application
from tests.conftest import client_for, import_bundled_plan, make_people, shared_world, undone

ROLES = ["office", "leader", "evaluator", "auditor", "market_reporter", "market_head", "province"]
EXAMPLES = 2  # generated cases per operation and role, the same ones every run (derandomized)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def fuzz(django_db_setup, django_db_blocker):
    """The world, the schema and each role's session. The real WSGI handler closes connections
    around requests (on PostgreSQL, for real: the module's transaction would be lost); the module
    needs its connection open, as Django's test client keeps it. The test client reconnects the
    closing handlers after each of its own requests, so they are disconnected after its last one."""
    with shared_world(django_db_blocker):
        plan = import_bundled_plan()
        people = make_people()
        cycle_open_month(plan=plan, year=2021, month=6, actor=people.office)
        clients = {role: client_for(getattr(people, role)) for role in ROLES}
        schema = schemathesis.openapi.from_dict(clients["office"].get("/api/openapi.json").json())
        schema.app, schema.location = application, "/api/openapi.json"
        sessions = {
            role: c.cookies[settings.SESSION_COOKIE_NAME].value for role, c in clients.items()
        }
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            yield schema, sessions
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def _cases(operation: Any) -> list[Any]:
    """The operation's generated cases. They do not depend on who sends them, and derandomized
    generation draws the same ones every time: drawn once, each role sends them all."""
    drawn: list[Any] = []

    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def draw(case: Any) -> None:
        drawn.append(case)

    draw()
    return drawn


@pytest.fixture(scope="module")
def cases(fuzz) -> list[Any]:
    schema, _ = fuzz
    found = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result.err()
        found.append(result.ok())
    assert len(found) >= 56  # the whole schema (every operation of today's API), not a part
    return [case for operation in found for case in _cases(operation)]


@pytest.mark.parametrize("role", ROLES)
def test_no_operation_gives_a_server_error(role, fuzz, cases):
    _, sessions = fuzz
    csrf = _get_new_csrf_string()
    cookies = {settings.SESSION_COOKIE_NAME: sessions[role], "csrftoken": csrf}
    headers = {"X-CSRFToken": csrf}
    failures: list[str] = []
    answered: set[str] = set()  # operations that answered 2xx at least once: the session works
    for case in cases:
        with undone():
            response = case.call(headers=headers, cookies=cookies)
        if response.status_code < 300:
            answered.add(case.operation.label)
        if response.status_code >= 500:
            failures.append(
                f"{case.method} {case.formatted_path} {case.query} {case.body!r:.200} "
                f"→ {response.status_code} {response.text[:300]}"
            )
    assert not failures, "\n".join(failures)
    assert len(answered) >= 3, answered  # even the auditor reads /me and the audit trail
