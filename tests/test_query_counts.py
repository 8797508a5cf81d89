"""Query counts of the main pages and API lists: committed baselines (tests/query_counts.json) that
fail when a page's count grows, and a check that the count does not grow with the data — each page
is counted on a world, then again after more reports, cycles and cases are added.

A page made cheaper: lower its baseline in the JSON file in the same commit.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from luoshi.metrics.cache import invalidate
from luoshi.plans.models import Measure
from tests.conftest import import_bundled_plan, make_people, page_queries, shared_world
from tests.metrics.history import report

pytestmark = pytest.mark.django_db

BASELINES = Path(__file__).with_name("query_counts.json")
PAGES = [
    ("office", "/dashboard/?as_of=2022-06-30"),
    ("office", "/tasks/?as_of=2022-06-30"),
    ("office", "/tasks/{task}/?as_of=2022-06-30"),
    ("office", "/organisations/?as_of=2022-06-30"),
    ("office", "/matrix/?as_of=2022-06-30"),
    ("office", "/timeline/?as_of=2022-06-30"),
    ("office", "/kpis/?as_of=2022-06-30"),
    ("office", "/cases/?as_of=2022-06-30"),
    ("office", "/evaluations/?as_of=2022-06-30&sort=-score&size=50"),
    ("office", "/supervision/?sort=organisation"),
    ("office", "/review/?as_of=2022-06-30"),
    ("market_reporter", "/my/?as_of=2022-06-30"),
    ("market_head", "/measures/?as_of=2022-06-30&sort=-due"),
    ("office", "/reports/?sort=organisation&size=100"),
    ("office", "/api/plans"),
    ("office", "/api/plans/{plan}/tasks"),
    ("office", "/api/measures"),
    ("office", "/api/organisations"),
    ("office", "/api/reports"),
    ("office", "/api/cycles"),
    ("office", "/api/cases"),
    ("office", "/api/metrics/lights?as_of=2022-06-30"),
    ("office", "/api/metrics/overdue?as_of=2022-06-30"),
    ("office", "/gantt/?year=2022&as_of=2022-06-30"),
    ("market_head", "/gantt/?year=2022&as_of=2022-06-30"),
    ("office", "/workplans/?year=2022"),
    ("office", "/api/workplans?year=2022"),
]


def add_milestones(plan, first: int, last: int) -> None:
    """An approved 2022 work plan (节点 in March and September) of each lead unit of tasks
    first…last, some met."""
    from luoshi.workplans.models import Milestone, WorkPlan

    measures = Measure.objects.filter(task__plan=plan, task__number__range=(first, last))
    for index, measure in enumerate(measures):
        unit = measure.responsibilities.filter(role="lead").first()
        if unit is None:
            continue
        work_plan, _ = WorkPlan.objects.get_or_create(
            plan=plan,
            organisation_id=unit.organisation_id,
            year=2022,
            revision=0,
            defaults={"state": "approved", "approved_on": dt.date(2022, 1, 10)},
        )
        for month in (3, 9):
            Milestone.objects.create(
                work_plan=work_plan,
                measure=measure,
                due_on=dt.date(2022, month, 15),
                deliverable=f"节点 {index}.{month}",
                result="文件",
                met_on=dt.date(2022, 3, 20) if month == 3 and index % 2 else None,
            )


def add_history(plan, first: int, last: int, year: int) -> None:
    """Reports on tasks first…last over a year: accepted, in progress and returned ones."""
    measures = Measure.objects.filter(task__plan=plan, task__number__range=(first, last))
    for index, measure in enumerate(measures.select_related("task__plan")):
        on = dt.date(year, 1 + index % 12, 10)
        report(measure, on, accepted=index % 3 == 0, status="completed", returns=index % 2)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from luoshi.cases.services import case_create

    with shared_world(django_db_blocker):
        plan = import_bundled_plan()
        people = make_people()
        add_history(plan, 1, 10, 2021)
        add_milestones(plan, 1, 10)
        case_create(
            actor=people.office,
            tasks=list(plan.tasks.filter(number=1)),
            plan=plan,
            title="案例",
            level="national",
            organisation=people.market_reporter.membership.organisation,
        )

        def grow() -> None:
            add_history(plan, 11, 40, 2022)
            add_milestones(plan, 11, 40)
            for n in range(3):
                case_create(
                    actor=people.office,
                    tasks=list(plan.tasks.filter(number__lte=3)),
                    plan=plan,
                    title=f"案例{n}",
                    level="city",
                    organisation=people.market_reporter.membership.organisation,
                )

        yield plan, people, grow


def count(client: Client, url: str) -> tuple[int, int]:
    """The page's status and its queries."""
    invalidate()  # counted uncached: the figures' own queries must not grow with the data either
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, page_queries(queries)


@pytest.fixture(scope="module")
def counted(world, django_db_blocker) -> dict[tuple[str, str], tuple[tuple[int, int], ...]]:
    """Every page counted on the world, then again after the world grew (once for the module:
    growing it costs more than counting a page)."""
    plan, people, grow = world
    with django_db_blocker.unblock():
        clients: dict[str, Client] = {}
        urls = {}
        for who, page in PAGES:
            if who not in clients:
                clients[who] = Client()
                clients[who].force_login(getattr(people, who))
            urls[who, page] = page.format(plan=plan.pk, task=plan.tasks.get(number=10).pk)
            clients[who].get(urls[who, page])  # the first request fills per-process caches
        before = {(who, page): count(clients[who], url) for (who, page), url in urls.items()}
        grow()
        return {key: (before[key], count(clients[key[0]], url)) for key, url in urls.items()}


@pytest.mark.parametrize(("who", "page"), PAGES)
def test_the_query_count_is_committed_and_does_not_grow_with_data(counted, who, page):
    (status, before), (status_after, after) = counted[who, page]
    assert status == status_after == 200, (page, status, status_after)
    assert after == before, f"{page}: {before} queries, {after} with more data"
    baselines = json.loads(BASELINES.read_text())
    if os.environ.get("LUOSHI_WRITE_QUERY_BASELINES"):  # records a new page's baseline
        baselines[page] = baselines.get(page, before)
        BASELINES.write_text(json.dumps(baselines, indent=1, sort_keys=True) + "\n")
    baseline = baselines[page]
    assert before <= baseline, f"{page}: {before} queries, baseline {baseline}"
