"""Two people saving the same report: the stale save is refused, never silently lost."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from luoshi.progress.models import Report
from luoshi.progress.services import StaleReport, report_draft, report_update
from tests.conftest import client_for


@pytest.mark.django_db
def test_a_stale_save_gets_409_over_the_api(people, cycle, market_measure):
    report = report_draft(measure=market_measure, cycle=cycle, actor=people.market_reporter)
    reporter, head = client_for(people.market_reporter), client_for(people.market_head)
    first = reporter.patch(
        f"/api/reports/{report.pk}",
        {"version": 1, "work_done": "A"},
        content_type="application/json",
    )
    assert first.status_code == 200
    second = head.patch(
        f"/api/reports/{report.pk}",
        {"version": 1, "work_done": "B"},
        content_type="application/json",
    )
    assert second.status_code == 409
    # Who changed it, and what it is now, in the user's language.
    assert "由 市市场监管局 修改，当前状态：草稿" in second.json()["detail"]
    assert Report.objects.get(pk=report.pk).work_done == "A"


@pytest.mark.django_db(transaction=True)
def test_two_connections_saving_at_once_keep_exactly_one(people, cycle, market_measure):
    if connection.vendor != "postgresql":
        pytest.skip("two real connections need PostgreSQL (SQLite serialises writers)")
    report = report_draft(measure=market_measure, cycle=cycle, actor=people.market_reporter)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user, text):
        try:
            barrier.wait()
            report_update(
                report=Report.objects.get(pk=report.pk), actor=user, version=1, work_done=text
            )
            outcomes.append("saved")
        except StaleReport:
            outcomes.append("stale")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(people.market_reporter, "A")),
        threading.Thread(target=save, args=(people.market_head, "B")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["saved", "stale"]
    saved = Report.objects.get(pk=report.pk)
    assert saved.version == 2 and saved.work_done in {"A", "B"}


@pytest.mark.django_db(transaction=True)
def test_two_connections_starting_the_same_report_keep_one_and_tell_the_other(
    people, cycle, market_measure
):
    if connection.vendor != "postgresql":
        pytest.skip("two real connections need PostgreSQL (SQLite serialises writers)")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def start(user):
        try:
            barrier.wait()
            report_draft(measure=market_measure, cycle=cycle, actor=user)
            outcomes.append("started")
        except StaleReport as stale:
            outcomes.append("stale" if "新建" in str(stale) else str(stale))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start, args=(people.market_reporter,)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["stale", "started"]
    assert Report.objects.filter(measure=market_measure, cycle=cycle).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["undo", "publish"])
def test_undoing_an_acceptance_while_another_tab_publishes_it_never_leaves_both(
    people, cycle, market_measure, first
):
    """撤销验收 and 公开 at once from two tabs (`first` a moment ahead): one of them wins, the other
    is told why; never a report back in review and public."""
    if connection.vendor != "postgresql":
        pytest.skip("two real connections need PostgreSQL (SQLite serialises writers)")
    from django.core.exceptions import ValidationError

    from luoshi.progress.services import report_publish, report_transition

    report = report_draft(
        measure=market_measure,
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
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def act(what: str) -> None:
        seen = Report.objects.get(pk=report.pk)  # both tabs show it accepted
        try:
            barrier.wait()
            if what != first:
                time.sleep(0.2)
            if what == "undo":
                report_transition(report=seen, action="undo_accept", actor=people.office)
            else:
                report_publish(report=seen, actor=people.office, published=True)
            outcomes[what] = "done"
        except (ValidationError, StaleReport) as refused:
            outcomes[what] = str(refused)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(what,)) for what in ("undo", "publish")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = Report.objects.get(pk=report.pk)
    assert sorted(outcomes) == ["publish", "undo"]
    if final.state == "accepted":  # published first: the undo is refused as too late
        assert final.published and outcomes["publish"] == "done" and "不能撤销" in outcomes["undo"]
    else:
        assert final.state == "approved" and not final.published, outcomes
        assert outcomes["undo"] == "done" and "只有已验收的报告可以公开" in outcomes["publish"]
