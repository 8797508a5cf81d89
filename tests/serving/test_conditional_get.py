"""Conditional GET on the API: an unchanged list answers 304 with no body; a write changes it."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.progress.services import cycle_open

pytestmark = pytest.mark.django_db


def test_unchanged_list_is_not_sent_again(client, people, imported_plan):
    client.force_login(people.leader)
    first = client.get("/api/cycles")
    assert first.status_code == 200 and first["ETag"]

    again = client.get("/api/cycles", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""

    cycle_open(
        plan=imported_plan,
        starts_on=dt.date(2021, 7, 1),
        ends_on=dt.date(2021, 7, 31),
        due_on=None,
        name="",
        actor=people.office,
    )
    changed = client.get("/api/cycles", headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert len(changed.json()) == len(first.json()) + 1


def test_a_304_is_answered_before_rendering(client, people, imported_plan):
    """The ETag comes from the write stamp, the viewer, the day and the query, so a revalidation
    runs none of the figures' queries: only the session's and the viewer's own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people.leader)
    path = f"/api/metrics/status?plan={imported_plan.pk}&as_of=2021-06-30"
    first = client.get(path)
    assert first.status_code == 200 and first["ETag"].startswith('W/"')
    with CaptureQueriesContext(connection) as rendered:
        assert client.get(path).status_code == 200  # figures cached: the cheapest render
    with CaptureQueriesContext(connection) as revalidated:
        again = client.get(path, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    tables = " ".join(q["sql"] for q in revalidated.captured_queries)
    assert "plans_" not in tables and "progress_" not in tables and "metrics_" not in tables
    assert len(revalidated) < len(rendered), (len(revalidated), len(rendered))


def test_the_etag_is_the_viewers_own_and_changes_with_the_query(client, people, imported_plan):
    client.force_login(people.leader)
    tag = client.get("/api/cycles")["ETag"]
    assert client.get("/api/cycles?plan=1")["ETag"] != tag
    client.force_login(people.office)  # another viewer, another scope: rendered for them
    other = client.get("/api/cycles", headers={"if-none-match": tag})
    assert other.status_code == 200 and other["ETag"] != tag


def test_an_audited_read_is_never_answered_early(client, people):
    client.force_login(people.auditor)
    first = client.get("/api/audit")
    assert first.status_code == 200
    tag = first.get("ETag", "")
    again = client.get("/api/audit", headers={"if-none-match": tag or '"x"'})
    assert again.status_code in (200, 304)
    assert not tag.startswith('W/"')  # the trail's own content hash, not the early tag
