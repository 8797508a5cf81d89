"""One definition of overdue days (`progress.timing.days_late` of the deadline in force): a late task
of the bundled plan shows the same number of days on its task page, the task list, the dashboard,
the API and the upward Excel export, as of the same day — and all of them move together when an
approved extension (延期) moves the deadline; the review desk counts today's days by the same rule."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.utils import timezone

from luoshi.plans.models import Task
from luoshi.progress.timing import days_late, deadline_in_force
from luoshi.supervision.models import Extension, ExtensionState
from tests.conftest import client_for, import_bundled_plan, make_people, shared_world
from tests.web.test_bulk import approved_reports

AS_OF = dt.date(2023, 3, 1)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with shared_world(django_db_blocker, DATA_DIR=tmp_path_factory.mktemp("overdue")):
        plan = import_bundled_plan()
        yield plan, make_people()


def late_task(plan) -> tuple[Task, int]:
    """The most overdue task on AS_OF (the dashboard lists the ten most overdue) whose measures
    share its deadline (so the measure lights on its page count the same days), and its days late
    by the rule."""
    found = []
    for task in plan.tasks.order_by("number").prefetch_related("measures__task"):
        due = deadline_in_force(task.due_date, AS_OF, task_id=task.pk)
        measures = list(task.measures.all())
        held = [deadline_in_force(m.deadline_in_force[1], AS_OF, measure_id=m.pk) for m in measures]
        if due and days_late(due, AS_OF) > 30 and set(held) == {due}:
            found.append((-days_late(due, AS_OF), task.number, task))
    assert found, "the bundled plan has no late task on AS_OF"
    days, _number, task = min(found, key=lambda f: f[:2])
    return task, -days


def excel_days(client, day: str, task: Task) -> list[object]:
    excel = client.get(f"/documents/upward.xlsx?{day}")
    assert excel.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(excel.content))
    rows = [[c.value for c in r] for sheet in book.worksheets for r in sheet.iter_rows()]
    header = next(r for r in rows if "逾期天数" in r)
    at, number = header.index("逾期天数"), header.index("序号")
    return [r[at] for r in rows[rows.index(header) + 1 :] if r[number] == task.number]


def assert_shown_everywhere(client, task: Task, days: int, *, dashboard: bool = True) -> None:
    day = f"as_of={AS_OF:%Y-%m-%d}"
    said = f"逾期 {days} 天"
    page = client.get(f"/tasks/{task.pk}/?{day}").content.decode()
    assert set(re.findall(r"逾期 (\d+) 天", page)) == {str(days)}, "task page"
    listing = client.get(f"/tasks/?{day}&q={task.title[:12]}").content.decode()
    assert said in listing, "task list light reasons"
    if dashboard:  # the ten most overdue
        board = client.get(f"/dashboard/?{day}").content.decode()
        row = re.search(rf'href="/tasks/{task.pk}/\?{day}">.*?</tr>', board, re.S)
        assert row and f">{days} 天</td>" in row[0], "dashboard overdue table"
    api = client.get(f"/api/metrics/overdue?{day}").json()
    assert [x["days"] for x in api["overdue"] if x["task_id"] == task.pk] == [days], "API"
    assert excel_days(client, day, task) == [days], "upward Excel export"


@pytest.mark.django_db
def test_a_late_task_shows_the_same_overdue_days_everywhere(world):
    plan, people = world
    task, days = late_task(plan)
    assert_shown_everywhere(client_for(people.office), task, days)


@pytest.mark.django_db
def test_an_approved_extension_moves_the_count_everywhere(world):
    plan, people = world
    task, days = late_task(plan)
    written = AS_OF - dt.timedelta(days=days)
    moved = written + dt.timedelta(days=90)
    for measure in task.measures.all():
        lead = measure.responsibilities.first()
        assert lead is not None
        Extension.objects.create(
            measure=measure,
            organisation=lead.organisation,
            original_due=written,
            requested_due=moved,
            reason="工期调整",
            state=ExtensionState.APPROVED,
            requested_by=people.office,
            decided_by=people.office,
            decided_on=written + dt.timedelta(days=5),
        )
    assert deadline_in_force(task.due_date, AS_OF, task_id=task.pk) == moved  # the rule
    assert_shown_everywhere(client_for(people.office), task, days - 90, dashboard=False)


def desk_label(client, report) -> str | None:
    """The overdue words on the review desk's row of `report` (None when the row shows none)."""
    desk = client.get("/review/").content.decode()
    row = re.search(rf'href="/reports/{report.pk}/".*?</tr>', desk, re.S)
    assert row, "the report is on the desk"
    late = re.search(r'<span class="bad nowrap">(逾期 \d+ 天)</span>', row[0])
    return late[1] if late else None


@pytest.mark.django_db
def test_the_review_desk_counts_days_by_the_same_rule(world):
    """The desk is a page of today: its overdue words are the rule's days on today, and an approved
    extension that moves the deadline past today removes them."""
    plan, people = world
    report = approved_reports(plan, people, n=1)[0]
    measure = report.measure
    today = timezone.localdate()
    written = measure.deadline_in_force[1]
    assert written and written < today
    office = client_for(people.office)
    assert desk_label(office, report) == f"逾期 {days_late(written, today)} 天"
    lead = measure.responsibilities.first()
    Extension.objects.create(
        measure=measure,
        organisation=lead.organisation,
        original_due=written,
        requested_due=today + dt.timedelta(days=30),
        reason="工期调整",
        state=ExtensionState.APPROVED,
        requested_by=people.office,
        decided_by=people.office,
        decided_on=today,
    )
    assert desk_label(office, report) is None
