"""The heavy pages answer 304 to a viewer whose copy is still current, before rendering: the tag
comes from the data's write stamp, the viewer and their session, the language and the query, never
from the body (its CSRF token changes on every render)."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test.utils import CaptureQueriesContext

from tests.conftest import client_for, open_july_cycle

pytestmark = pytest.mark.django_db

AS_OF = "2021-06-30"


def pages(plan) -> list[str]:
    return [
        f"/dashboard/?plan={plan.pk}&as_of={AS_OF}",
        f"/matrix/?plan={plan.pk}",
        f"/tasks/?plan={plan.pk}&as_of={AS_OF}",
    ]


def test_an_unchanged_page_is_not_rendered_again(people, imported_plan):
    office = client_for(people.office)
    for path in pages(imported_plan):
        first = office.get(path)
        assert first.status_code == 200 and first["ETag"].startswith('W/"'), path
        with CaptureQueriesContext(connection) as revalidated:
            again = office.get(path, headers={"if-none-match": first["ETag"]})
        assert again.status_code == 304 and again.content == b"", path
        sql = " ".join(q["sql"] for q in revalidated.captured_queries)
        assert "plans_" not in sql and "progress_" not in sql, path  # nothing of the page ran


def test_a_write_another_viewer_or_language_gets_the_page_rendered(people, imported_plan):
    path = pages(imported_plan)[0]
    leader = client_for(people.leader)
    tag = leader.get(path)["ETag"]
    assert leader.get(path, headers={"if-none-match": tag}).status_code == 304

    office = client_for(people.office)  # another viewer: their own page
    assert office.get(path, headers={"if-none-match": tag}).status_code == 200

    leader.cookies["django_language"] = "en"
    english = leader.get(path, headers={"if-none-match": tag})
    assert english.status_code == 200 and english["ETag"] != tag
    del leader.cookies["django_language"]

    open_july_cycle(imported_plan, people.office)  # a write to the plan
    changed = leader.get(path, headers={"if-none-match": tag})
    assert changed.status_code == 200 and changed["ETag"] != tag


def test_a_new_sign_in_gets_a_page_with_forms_for_its_own_session(people, imported_plan):
    path = pages(imported_plan)[2]
    office = client_for(people.office)
    tag = office.get(path)["ETag"]
    again = client_for(people.office)  # signed in anew: another session and CSRF secret
    assert again.get(path, headers={"if-none-match": tag}).status_code == 200


def test_an_export_and_a_waiting_message_are_always_answered_in_full(people, imported_plan):
    path = pages(imported_plan)[2]
    office = client_for(people.office)
    tag = office.get(path)["ETag"]
    export = office.get(path + "&export=xlsx", headers={"if-none-match": tag})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")

    # a message left by the previous action (as a redirect after a form leaves it): shown once
    storage, carrier = CookieStorage(HttpRequest()), HttpResponse()
    storage.add(messages.SUCCESS, "已保存")
    storage.update(carrier)
    office.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value
    shown = office.get(path, headers={"if-none-match": tag})
    assert shown.status_code == 200 and "已保存" in shown.content.decode()
