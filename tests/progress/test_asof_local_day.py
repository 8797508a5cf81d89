"""The day a step counts for is the local (Asia/Shanghai) day, cut by the database: a step at 23:30
local is that day's, one at 00:30 local (16:30 UTC the day before) the next day's — on SQLite and
PostgreSQL alike."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.progress.asof import reports_as_of
from luoshi.progress.models import Report, ReportEvent

pytestmark = pytest.mark.django_db
CHINA = dt.timezone(dt.timedelta(hours=8))


def test_a_step_counts_for_its_local_day_not_its_utc_day(people, cycle, market_measure):
    report = Report.objects.create(
        measure=market_measure,
        cycle=cycle,
        organisation=people.market_reporter.membership.organisation,
        progress_status="completed",
        percent=100,
        created_by=people.office,
    )
    steps = [
        ("draft", "draft", dt.datetime(2021, 6, 4, 9, 0, tzinfo=CHINA)),
        ("submit", "submitted", dt.datetime(2021, 6, 4, 23, 30, tzinfo=CHINA)),  # 15:30 UTC
        ("approve", "approved", dt.datetime(2021, 6, 4, 23, 45, tzinfo=CHINA)),
        ("accept", "accepted", dt.datetime(2021, 6, 5, 0, 30, tzinfo=CHINA)),  # 16:30 UTC, the 4th
    ]
    for action, target, at in steps:
        ReportEvent.objects.create(
            report=report, actor=people.office, action=action, to_state=target, at=at
        )
    plan_id = market_measure.task.plan_id
    on_4th = reports_as_of(plan_id, dt.date(2021, 6, 4))[report.pk]
    assert (on_4th.state, on_4th.submitted_on, on_4th.accepted_on) == (
        "approved",
        dt.date(2021, 6, 4),
        None,
    )
    on_5th = reports_as_of(plan_id, dt.date(2021, 6, 5))[report.pk]
    assert (on_5th.state, on_5th.accepted_on) == ("accepted", dt.date(2021, 6, 5))
