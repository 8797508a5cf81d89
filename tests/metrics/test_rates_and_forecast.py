"""落实率, target in force and forecast over a scripted history; expectations computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from luoshi.metrics.facts import load_facts
from luoshi.metrics.forecast import forecast
from luoshi.metrics.rates import (
    measure_rate,
    overdue_tasks,
    rates_by_cohort,
    rates_by_organisation,
    target_in_force,
    task_rate,
)
from luoshi.plans.models import Measure, Organisation
from tests.conftest import import_bundled_plan, shared_world
from tests.metrics.history import implement_tasks

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The plan and its history, built once for the module; each test reads it in a savepoint."""
    with shared_world(django_db_blocker):
        plan = import_bundled_plan()
        # 20 tasks in June 2021, 24 more in November 2021, 16 in May 2022, 15 in November 2022.
        implement_tasks(plan, range(1, 21), D(2021, 6, 15))
        implement_tasks(plan, range(21, 45), D(2021, 11, 20))
        implement_tasks(plan, range(45, 61), D(2022, 5, 10))
        implement_tasks(plan, range(61, 76), D(2022, 11, 30))
        yield plan


@pytest.fixture
def imported_plan(world):
    return world


@pytest.fixture
def history(world):
    return load_facts(world)


@pytest.mark.parametrize(
    ("as_of", "done", "percent", "target_year", "target"),
    [
        (D(2021, 3, 1), 0, 0.0, 2021, 50),
        (D(2021, 6, 14), 0, 0.0, 2021, 50),
        (D(2021, 6, 15), 20, 22.7, 2021, 50),
        (D(2021, 12, 31), 44, 50.0, 2021, 50),
        (D(2022, 1, 1), 44, 50.0, 2022, 90),
        (D(2022, 6, 30), 60, 68.2, 2022, 90),
        (D(2023, 1, 1), 75, 85.2, 2023, 100),
        (D(2026, 11, 26), 75, 85.2, 2023, 100),  # after the last target, it stays in force
    ],
)
def test_task_rate_and_target_in_force(history, as_of, done, percent, target_year, target):
    rate = task_rate(history, as_of)
    assert (rate.done, rate.total, rate.percent) == (done, 88, percent)
    in_force = target_in_force(history, as_of)
    assert in_force is not None
    assert (in_force.year, in_force.value) == (target_year, target)


def test_measure_rate_counts_measures(history, imported_plan):
    expected = Measure.objects.filter(task__plan=imported_plan, task__number__lte=44).count()
    assert measure_rate(history, D(2021, 12, 31)).done == expected
    assert measure_rate(history, D(2021, 12, 31)).total == 240


def test_forecast_from_the_pace_of_the_last_six_months(history):
    past, current, last = forecast(history, D(2022, 6, 30))
    # 2021 target: 44 of 88 by 2021-12-31 = 50.0% ≥ 50% (44 required).
    assert (
        past.past,
        past.expected_done,
        past.expected_percent,
        past.required,
        past.will_meet,
    ) == (True, 44, 50.0, 44, True)
    # Pace: 60 done now, 44 done on 2021-12-29 (183 days back) → 16 in 6 months = 2.67 a month.
    assert round(current.pace_per_month, 2) == 2.67
    # 2022-12-31 is 184 days away = 6.05 months → +16 → 76 tasks = 86.4% < 90% (80 tasks required).
    assert (
        current.expected_done,
        current.expected_percent,
        current.required,
        current.will_meet,
    ) == (76, 86.4, 80, False)
    assert (current.months_left, current.needed_per_month) == (6.0, 3.3)
    # 2023-12-31 is 18.04 months away → +48 → capped at 88 = 100%; 28 more needed = 1.6 a month.
    assert (last.expected_done, last.expected_percent, last.will_meet, last.needed_per_month) == (
        88,
        100.0,
        True,
        1.6,
    )


def test_rates_by_cohort_and_organisation(history, imported_plan):
    cohorts = rates_by_cohort(history, D(2021, 12, 31))
    assert {k: v.total for k, v in cohorts.items()} == {
        "2021-08-31": 49,
        "2022-08-31": 16,
        "2023-08-31": 10,
        "持续推进": 13,
    }
    assert sum(v.done for v in cohorts.values()) == 44
    market = Organisation.objects.get(name="市市场监管局").pk
    row = next(
        r for r in rates_by_organisation(history, D(2021, 12, 31)) if r.organisation_id == market
    )
    led = Measure.objects.filter(
        task__plan=imported_plan,
        responsibilities__organisation_id=market,
        responsibilities__role="lead",
    )
    assert row.as_lead.total == led.count()
    assert row.as_lead.done == led.filter(task__number__lte=44).count()


def test_overdue_tasks_with_days(history, imported_plan):
    late = overdue_tasks(history, D(2022, 6, 30))
    due_2021 = set(
        imported_plan.tasks.filter(due_date=D(2021, 8, 31)).values_list("number", flat=True)
    )
    assert {x.task.number for x in late} == {n for n in due_2021 if n > 60}
    assert {x.days for x in late} == {303}


def test_today_is_the_default_date(history, client, people):
    from tests.conftest import client_for

    with time_machine.travel(dt.datetime(2022, 7, 1, 9, tzinfo=dt.UTC)):
        data = client_for(people.leader).get(f"/api/metrics/status?plan={history.plan_id}").json()
    assert data["as_of"] == "2022-07-01" and data["rate"]["done"] == 60
