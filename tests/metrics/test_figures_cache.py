"""Figures are cached per (plan, day) and thrown away by any write: an acceptance shows at once,
past days keep their own figures, and a write that changes a past day shows there too."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from luoshi.progress.services import report_draft, report_transition
from tests.conftest import client_for
from tests.metrics import history

pytestmark = pytest.mark.django_db


def status(client, plan, day: dt.date) -> dict[str, Any]:
    response = client.get(f"/api/metrics/status?plan={plan.pk}&as_of={day}")
    assert response.status_code == 200, response.content
    answer: dict[str, Any] = response.json()
    return answer


def test_a_repeated_read_is_served_from_the_cache(imported_plan, people):
    leader = client_for(people.leader)
    day = timezone.localdate()
    with CaptureQueriesContext(connection) as first:
        cold = status(leader, imported_plan, day)
    with CaptureQueriesContext(connection) as second:
        warm = status(leader, imported_plan, day)
    assert warm == cold
    assert len(second) < len(first) - 5, (len(first), len(second))


def test_an_acceptance_changes_todays_cached_figures_at_once_and_not_yesterdays(
    imported_plan, people, cycle, market_measure
):
    leader = client_for(people.leader)
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    before, before_yesterday = (
        status(leader, imported_plan, today),
        status(leader, imported_plan, yesterday),
    )

    report = report_draft(
        measure=market_measure,
        cycle=cycle,
        actor=people.market_reporter,
        progress_status="completed",
        percent=100,
        work_done="“一业一证”改革全面完成",
    )
    for action, actor in (
        ("submit", people.market_reporter),
        ("approve", people.market_head),
        ("accept", people.office),
    ):
        report = report_transition(report=report, action=action, actor=actor)

    after = status(leader, imported_plan, today)
    assert after["rate"]["done"] == before["rate"]["done"] + 1  # task 10 has only this measure
    assert after["measure_rate"]["done"] == before["measure_rate"]["done"] + 1
    assert status(leader, imported_plan, yesterday) == before_yesterday


def test_a_write_about_a_past_day_changes_that_days_cached_figures(
    imported_plan, people, market_measure
):
    leader = client_for(people.leader)
    day = dt.date(2021, 6, 30)
    before = status(leader, imported_plan, day)
    earlier = status(leader, imported_plan, dt.date(2021, 6, 14))
    history.report(market_measure, dt.date(2021, 6, 15), accepted=True, status="completed")
    after = status(leader, imported_plan, day)
    assert after["measure_rate"]["done"] == before["measure_rate"]["done"] + 1
    assert status(leader, imported_plan, dt.date(2021, 6, 14)) == earlier  # before the acceptance


class Rollback(Exception):
    pass


def test_figures_read_in_a_transaction_that_rolls_back_leave_nothing_behind(
    imported_plan, people, cycle, market_measure
):
    """Accept a report, read today's figures inside the transaction (they count it), roll back: the
    figures read afterwards are those of the data as it is, not of the rolled-back acceptance."""
    leader = client_for(people.leader)
    today = timezone.localdate()
    before = status(leader, imported_plan, today)
    with pytest.raises(Rollback), transaction.atomic():
        report = report_draft(
            measure=market_measure,
            cycle=cycle,
            actor=people.market_reporter,
            progress_status="completed",
            percent=100,
            work_done="完成",
        )
        for action, actor in (
            ("submit", people.market_reporter),
            ("approve", people.market_head),
            ("accept", people.office),
        ):
            report = report_transition(report=report, action=action, actor=actor)
        inside = status(leader, imported_plan, today)
        assert inside["measure_rate"]["done"] == before["measure_rate"]["done"] + 1
        raise Rollback
    assert status(leader, imported_plan, today) == before


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_the_shared_figures_as_they_were(imported_plan, people):
    """On a real connection (no test transaction around it): the rolled-back write never replaced
    the shared generation, and what the transaction cached is under a token nobody else sees."""
    from luoshi.metrics import cache
    from luoshi.plans.models import Plan

    shared = cache.stamp()
    assert not shared.startswith("tx")  # outside any transaction: everyone's generation
    with pytest.raises(Rollback), transaction.atomic():
        Plan.objects.filter(pk=imported_plan.pk).update(title="回滚的标题")
        inside = cache.stamp()
        assert inside.startswith("tx") and inside != shared
        raise Rollback
    assert cache.stamp() == shared
    Plan.objects.filter(pk=imported_plan.pk).update(title="提交的标题")  # autocommit: at once
    assert cache.stamp() != shared


def test_figures_are_read_inside_a_block_without_a_savepoint_after_a_write(imported_plan, people):
    """Django opens blocks with savepoint=False itself (deletes, multi-table saves); figures read
    there after a write are the transaction's own, not an error."""
    from luoshi.plans.models import Plan

    leader = client_for(people.leader)
    today = timezone.localdate()
    with transaction.atomic():
        Plan.objects.filter(pk=imported_plan.pk).update(title="无保存点块中的标题")
        with transaction.atomic(savepoint=False):
            inside = status(leader, imported_plan, today)
    assert inside == status(leader, imported_plan, today)
