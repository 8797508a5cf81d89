"""The review desk shows the reports waiting for 验收 a page at a time, most urgent first: its work
is bounded however many wait, the counter still says how many, and every one is on some page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from luoshi.plans.models import Measure
from luoshi.progress.models import Report
from luoshi.progress.selectors import DESK_PAGE
from tests.metrics.history import author, cycle

pytestmark = pytest.mark.django_db


def test_the_desk_pages_the_waiting_reports_and_keeps_the_count(imported_plan, people):
    month = cycle(imported_plan, 2021, 6)
    unit = people.market_reporter.membership.organisation
    for measure in Measure.objects.filter(task__plan=imported_plan)[: DESK_PAGE + 5]:
        Report.objects.create(
            measure=measure,
            cycle=month,
            organisation=unit,
            state="approved",
            progress_status="in_progress",
            percent=50,
            created_by=author(),
            approved_at=dt.datetime(2021, 6, 20, tzinfo=dt.UTC),
        )
    client = Client()
    client.force_login(people.office)

    first = client.get("/review/").content.decode()
    assert f"待验收 {DESK_PAGE + 5} 份" in first
    assert 'rel="next"' in first and "第 1 / 2 页" in first
    second = client.get("/review/?page=2").content.decode()
    assert 'rel="prev"' in second and 'rel="next"' not in second
    shown = [re.findall(r'name="pick" value="(\d+):', page) for page in (first, second)]
    assert [len(ids) for ids in shown] == [DESK_PAGE, 5]
    assert set(shown[0]) | set(shown[1]) == {
        str(pk) for pk in Report.objects.values_list("pk", flat=True)
    }
    assert client.get("/review/?page=nonsense").status_code == 200  # the first page, no error
