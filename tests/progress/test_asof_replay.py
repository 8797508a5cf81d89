"""The database's replay of a report's steps (progress.asof.reports_as_of, window functions) gives
what replaying the steps one by one in Python gives, as of every day: on generated histories with
steps at the same instant (the id decides), submissions with and without a content snapshot,
退回, acceptances undone and accepted again, and steps across the local midnight."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.plans.models import Measure
from luoshi.progress.asof import ReportOnDate, Returned, end_of_day, reports_as_of
from luoshi.progress.models import Report, ReportEvent

pytestmark = pytest.mark.django_db

ACTIONS = ["draft", "submit", "approve", "return", "accept", "undo_accept"]
STATE = {
    "draft": "draft",
    "submit": "submitted",
    "approve": "approved",
    "return": "draft",
    "accept": "accepted",
    "undo_accept": "approved",
}
step = st.tuples(
    st.sampled_from(ACTIONS),
    st.sampled_from([0, 0, 7, 600, 1440, 4000]),  # minutes after the step before (0: a tie)
    st.sampled_from(["", "in_progress", "completed"]),  # the submitted snapshot ("" = none)
    st.integers(0, 100),
)


def oracle(events: list[ReportEvent], report: Report, as_of: dt.date) -> ReportOnDate | None:
    """The report on `as_of`, replayed step by step in Python (the rule, written plainly)."""
    found = None
    for e in sorted(events, key=lambda e: (e.at, e.pk)):
        if e.at >= end_of_day(as_of):
            break
        day = timezone.localtime(e.at).date()
        found = found or ReportOnDate(
            report.pk, report.measure_id, report.cycle_id, report.organisation_id
        )
        found.state = e.to_state
        if e.action == "submit":
            found.submitted_on = found.submitted_on or day
            found.progress_status = e.progress_status or report.progress_status
            found.percent = e.percent if e.progress_status else report.percent
        elif e.action == "return":
            found.returns.append(Returned(day, e.comment))
        elif e.action == "accept":
            found.accepted_on = day
        elif e.action == "undo_accept":
            found.accepted_on = None
    return found


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(histories=st.lists(st.lists(step, min_size=1, max_size=8), min_size=1, max_size=3))
def test_the_database_replays_every_report_as_python_does_on_every_day(
    people, cycle, market_measure, histories
):
    plan_id = market_measure.task.plan_id
    measures = list(Measure.objects.filter(task__plan_id=plan_id).order_by("pk")[: len(histories)])
    Report.objects.filter(measure__in=measures).delete()
    organisation = people.market_reporter.membership.organisation
    # 23:30 local on the first day: the next step may already be the next local day
    start = dt.datetime(2021, 6, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    written = []
    for measure, history in zip(measures, histories, strict=True):
        report = Report.objects.create(
            measure=measure,
            cycle=cycle,
            organisation=organisation,
            progress_status="ongoing_in_place",
            percent=42,
            created_by=people.office,
        )
        at, events = start, list[ReportEvent]()
        for action, minutes, status, percent in history:
            at += dt.timedelta(minutes=minutes)
            events.append(
                ReportEvent.objects.create(
                    report=report,
                    actor=people.office,
                    action=action,
                    to_state=STATE[action],
                    at=at,
                    comment=f"退回 {len(events)}" if action == "return" else "",
                    progress_status=status if action == "submit" else "",
                    percent=percent if action == "submit" and status else None,
                )
            )
        written.append((report, events))
    ids = {m.pk for m in measures}
    for offset in range(-1, 6):
        as_of = start.date() + dt.timedelta(days=offset)
        replayed = {pk: r for pk, r in reports_as_of(plan_id, as_of).items() if r.measure_id in ids}
        expected = {
            r.pk: found for r, events in written if (found := oracle(events, r, as_of)) is not None
        }
        assert replayed == expected, as_of
