"""schemathesis over the whole OpenAPI schema, signed in as each role: no request gets a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.core.result import Ok

from luoshi.wsgi import application
from tests.conftest import client_for

ROLES = ["office", "leader", "evaluator", "auditor", "market_reporter", "market_head", "province"]
EXAMPLES = 2  # per operation and role, plus the schema's examples: keeps the suite fast


@pytest.fixture
def in_test_transaction():
    """The real WSGI handler closes connections around requests; the test's transaction needs it open
    (what Django's own test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db(transaction=True)  # each request commits: on PostgreSQL a refused
@pytest.mark.parametrize("role", ROLES)  # statement must not poison the next request's queries
def test_no_operation_gives_a_server_error(role, people, cycle, in_test_transaction):
    client = client_for(getattr(people, role))
    csrf = _get_new_csrf_string()
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}
    headers = {"X-CSRFToken": csrf}
    schema = schemathesis.openapi.from_dict(client.get("/api/openapi.json").json())
    schema.app, schema.location = application, "/api/openapi.json"
    failures: list[str] = []
    answered: set[str] = set()  # operations that answered 2xx at least once: the session works
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result.err()
        operation = result.ok()

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def no_server_error(case):
            response = case.call(headers=headers, cookies=cookies)
            if response.status_code < 300:
                answered.add(case.operation.label)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} {case.query} {case.body!r:.200} "
                    f"→ {response.status_code} {response.text[:300]}"
                )

        no_server_error()
    assert not failures, "\n".join(failures)
    assert len(answered) >= 3, answered  # even the auditor reads /me and the audit trail
