"""撤销验收: the office takes back a 验收 for a few minutes while the report is not public. The undoing
is a step of the history: as of a day between the acceptance and its undoing the report counted as
accepted (that is what was known then), as of any later day it did not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.audit.models import AuditEvent
from luoshi.progress.asof import implemented_on, reports_as_of
from luoshi.progress.models import Report, ReportEvent
from luoshi.progress.services import (
    StaleReport,
    report_draft,
    report_publish,
    report_transition,
)
from tests.conftest import ONCE, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]
CHINA = dt.timezone(dt.timedelta(hours=8))


def accepted(people, cycle, measure) -> Report:
    report = report_draft(
        measure=measure,
        cycle=cycle,
        actor=people.market_reporter,
        progress_status="completed",
        percent=100,
        work_done="已完成",
    )
    for action, actor in (
        ("submit", people.market_reporter),
        ("approve", people.market_head),
        ("accept", people.office),
    ):
        report = report_transition(report=report, action=action, actor=actor)
    return report


def test_the_office_undoes_an_acceptance_and_the_history_keeps_both_steps(
    people, cycle, market_measure
):
    report = accepted(people, cycle, market_measure)
    with pytest.raises(PermissionDenied):
        report_transition(report=report, action="undo_accept", actor=people.market_head)
    undone = report_transition(
        report=report, action="undo_accept", actor=people.office, version=report.version
    )
    assert (undone.state, undone.accepted_at) == ("approved", None)
    steps = list(undone.events.values_list("action", "to_state"))
    assert steps[-2:] == [("accept", "accepted"), ("undo_accept", "approved")]
    assert AuditEvent.objects.filter(action="report_undo_accept", outcome="success").count() == 1
    with pytest.raises(StaleReport):  # a second tab's undo of the same acceptance
        report_transition(
            report=report, action="undo_accept", actor=people.office, version=report.version
        )
    # Accepted again: the desk can take it as before.
    assert report_transition(report=undone, action="accept", actor=people.office).state == (
        "accepted"
    )


def test_an_acceptance_cannot_be_undone_once_public_or_after_the_window(
    people, cycle, market_measure
):
    report = accepted(people, cycle, market_measure)
    report_publish(report=report, actor=people.office, published=True)
    with pytest.raises(ValidationError, match="不能撤销"):
        report_transition(report=report, action="undo_accept", actor=people.office)
    report_publish(report=report, actor=people.office, published=False)
    Report.objects.filter(pk=report.pk).update(accepted_at=timezone.now() - dt.timedelta(minutes=6))
    with pytest.raises(ValidationError, match="5 分钟"):
        report_transition(report=report, action="undo_accept", actor=people.office)
    assert Report.objects.get(pk=report.pk).state == "accepted"


def test_publishing_a_copy_from_before_the_undo_is_refused_and_the_report_stays_private(
    people, cycle, market_measure
):
    """公开 raced with 撤销验收: the publisher's copy still says accepted, the row no longer does."""
    report = accepted(people, cycle, market_measure)
    seen = Report.objects.get(pk=report.pk)  # the page the second office tab shows
    report_transition(report=report, action="undo_accept", actor=people.office)
    with pytest.raises(ValidationError, match="只有已验收的报告可以公开"):
        report_publish(report=seen, actor=people.office, published=True)
    page = client_for(people.office).post(
        f"/reports/{report.pk}/publish/", {"published": "1"}, follow=True
    )
    assert page.status_code == 200 and "只有已验收的报告可以公开" in page.content.decode()
    assert Report.objects.filter(pk=report.pk, published=True).count() == 0


@pytest.mark.parametrize("via", ["page", "htmx", "api"])
def test_the_desk_offers_the_undo_and_every_way_to_send_it_is_answered(
    people, cycle, market_measure, via
):
    report = accepted(people, cycle, market_measure)
    office = client_for(people.office)
    page = office.get(f"/reports/{report.pk}/").content.decode()
    assert 'data-action="undo_accept"' in page
    body = {"action": "undo_accept", "version": report.version, "next": "/review/"}
    if via == "api":
        sent = office.post(
            f"/api/reports/{report.pk}/transitions", body, content_type="application/json"
        )
        assert sent.status_code == 200, sent.content[:300]
        again = office.post(
            f"/api/reports/{report.pk}/transitions", body, content_type="application/json"
        )
        assert again.status_code == 409
    else:
        headers = {"HX-Request": "true"} if via == "htmx" else {}
        url = f"/reports/{report.pk}/action/"
        sent = office.post(url, body, headers=headers, follow=True)
        text = sent.content.decode()
        assert "撤销验收" in text and "待验收 1 份" in text
        stale = office.post(url, body, headers=headers, follow=True).content.decode()
        assert "请刷新后再操作" in stale
    assert Report.objects.get(pk=report.pk).state == "approved"


def test_the_desk_row_after_an_acceptance_has_its_undo(people, cycle, market_measure):
    report = accepted(people, cycle, market_measure)
    report_transition(report=report, action="undo_accept", actor=people.office)
    row = client_for(people.office).post(
        f"/reports/{report.pk}/action/",
        {"action": "accept", "version": Report.objects.get(pk=report.pk).version},
        headers={"HX-Request": "true"},
    )
    assert 'value="undo_accept"' in row.content.decode()


# Steps after the head's approval: accept / undo, alternately, each some days after the one before.
moves = st.lists(st.integers(0, 6), min_size=1, max_size=6)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(gaps=moves, probe=st.integers(0, 45))
def test_as_of_any_day_a_report_counts_as_accepted_exactly_when_its_last_say_was_accept(
    people, cycle, market_measure, gaps, probe
):
    """Against an oracle that reads the written steps directly: on day D the report is accepted (and
    its measure implemented, from the day of that acceptance) iff the last accept-or-undo step on or
    before D is an acceptance."""
    Report.objects.filter(measure=market_measure, cycle=cycle).delete()
    report = Report.objects.create(
        measure=market_measure,
        cycle=cycle,
        organisation=people.market_reporter.membership.organisation,
        progress_status="completed",
        percent=100,
        created_by=people.office,
    )
    start = dt.date(2021, 6, 1)
    at = dt.datetime.combine(start, dt.time(9), CHINA)
    path = [("draft", "draft"), ("submit", "submitted"), ("approve", "approved")]
    say = ["accept" if i % 2 == 0 else "undo_accept" for i in range(len(gaps))]
    days = []
    for action, target in path:
        ReportEvent.objects.create(
            report=report, actor=people.office, action=action, to_state=target, at=at
        )
    for action, gap in zip(say, gaps, strict=True):
        at += dt.timedelta(days=gap, minutes=3)
        target = "accepted" if action == "accept" else "approved"
        ReportEvent.objects.create(
            report=report, actor=people.office, action=action, to_state=target, at=at
        )
        days.append(at.astimezone(timezone.get_current_timezone()).date())
    as_of = start + dt.timedelta(days=probe)
    said = [(d, a) for d, a in zip(days, say, strict=True) if d <= as_of]
    on_date = reports_as_of(market_measure.task.plan_id, as_of)[report.pk]
    last = said[-1][1] if said else None
    assert (on_date.accepted_on is not None) == (last == "accept")
    assert on_date.state == ("accepted" if last == "accept" else "approved")
    expected = {market_measure.pk: said[-1][0]} if last == "accept" else {}
    assert implemented_on({report.pk: on_date}) == expected
