"""The signed-in user kept between requests (web/session_user.py): no user query on a repeat, and
every change to the user — switched off, a new password, made superuser — is seen at the next one."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import ONCE, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]
PATH = "/api/cycles"


def user_queries(client) -> tuple[int, int]:
    """The answer's status and how many queries read the auth_user table."""
    with CaptureQueriesContext(connection) as queries:
        status = client.get(PATH).status_code
    return status, sum('"auth_user"' in q["sql"] for q in queries.captured_queries)


def test_a_repeat_reads_no_user_row(people):
    leader = client_for(people.leader)
    assert user_queries(leader)[0] == 200
    assert user_queries(leader) == (200, 0)


def test_a_user_switched_off_is_refused_at_the_next_request(people):
    leader = client_for(people.leader)
    user_queries(leader)
    assert user_queries(leader) == (200, 0)
    User.objects.filter(pk=people.leader.pk).update(is_active=False)
    assert user_queries(leader)[0] == 401


def test_a_password_changed_elsewhere_ends_the_session(people):
    leader = client_for(people.leader)
    user_queries(leader)
    assert user_queries(leader) == (200, 0)
    people.leader.set_password("另一个-Passw0rd-2026")
    people.leader.save()
    assert user_queries(leader)[0] == 401
    assert user_queries(leader)[0] == 401  # the session was flushed, not only refused once


def test_each_session_and_viewer_is_its_own(people):
    leader, office = client_for(people.leader), client_for(people.office)
    first = leader.get(PATH)
    assert office.get("/api/me").json()["username"] == people.office.username
    assert leader.get("/api/me").json()["username"] == people.leader.username
    assert office.get(PATH)["ETag"] != first["ETag"]
