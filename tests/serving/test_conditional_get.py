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
