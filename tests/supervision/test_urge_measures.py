"""催办 picked measures from the measures list (or the task list): the office only (a unit head is refused and the
refusal audited); a finished measure or one that does not exist is told, never reminded."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.audit.models import AuditEvent, Outcome
from luoshi.supervision.models import Message, Urging
from tests.conftest import ONCE, client_for
from tests.metrics.history import report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]
URL = "/supervision/measures/urge/"


@pytest.mark.parametrize("url", [URL, "/supervision/tasks/urge/"])
def test_a_unit_head_may_not_remind_measures(people, market_measure, url):
    pick = market_measure.pk if url == URL else market_measure.task_id
    response = client_for(people.market_head).post(url, {"pick": [pick]})
    assert response.status_code == 403
    refused = AuditEvent.objects.get(outcome=Outcome.REFUSED, username="market_head")
    assert refused.detail["path"] == url and refused.detail["reason"] == "仅片区办可以催办"
    assert not Urging.objects.exists() and not Message.objects.exists()


def test_finished_and_unknown_measures_are_told_not_reminded(people, market_measure):
    report(market_measure, dt.date(2021, 5, 20), accepted=True, status="completed")
    office = client_for(people.office)
    response = office.post(URL, {"pick": [market_measure.pk, 987654], "query": "status=open"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "已催办 0 项，未催办 2 项" in page
    assert "已落实，无需催办" in page and "举措不存在" in page
    assert 'href="/measures/?status=open"' in page
    assert not Urging.objects.exists() and not Message.objects.exists()
    assert not AuditEvent.objects.filter(action="reminder_sent").exists()

    nothing = office.post(URL, {"query": "status=open"})  # nothing ticked: back to the list, told
    assert nothing.status_code == 302 and nothing["Location"] == "/measures/?status=open"
    assert "请先勾选要催办的举措" in office.get(nothing["Location"]).content.decode()

    none = office.post("/supervision/tasks/urge/", {"pick": ["987654"]})  # a task that is not
    assert none.status_code == 302 and none["Location"] == "/tasks/?"


def test_a_second_submit_of_the_same_pick_reminds_nobody_twice(people, market_measure):
    office = client_for(people.office)
    first = office.post(URL, {"pick": [market_measure.pk]}).content.decode()
    assert "已催办 1 项，未催办 0 项" in first
    sent = list(Urging.objects.values_list("recipient_id", "message_id"))
    assert sent and Message.objects.count() == len(sent)
    again = office.post(URL, {"pick": [market_measure.pk]}).content.decode()  # the stale form
    assert "已催办 0 项，未催办 1 项" in again and "今天已催办过" in again
    assert list(Urging.objects.values_list("recipient_id", "message_id")) == sent
    assert Message.objects.count() == len(sent)
    assert AuditEvent.objects.filter(action="reminder_sent").count() == 1
