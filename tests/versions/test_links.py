"""Linked plans: a 片区 plan implements the provincial 总体方案. Linking proposes, for each task, the
higher plan's task of most similar words; the office confirms or corrects; the higher plan's page
rolls up the linked tasks' progress as of any date, and the provincial role reads it all."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.audit.models import AuditEvent, Outcome
from luoshi.ingest import parse_bytes
from luoshi.metrics.facts import load_facts
from luoshi.metrics.rates import task_rate
from luoshi.plans.models import Measure, Plan, Task
from luoshi.plans.revisions import most_similar, similarity
from luoshi.versions.models import LinkState, MeasureLink, PlanLink, TaskLink
from luoshi.versions.selectors import Rollup, rollup
from luoshi.versions.services import PROPOSE, plan_link, plan_revise, task_links_confirm
from tests.conftest import ONCE
from tests.metrics.history import CHINA, report
from tests.plans.revision import revised_text
from tests.versions.links import (
    CONFIRMED_ON,
    LINKED_ON,
    backdate_links,
    confirm_on,
    import_parent,
    link_on,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]

DONE_ON = dt.date(2021, 5, 20)


@pytest.fixture(scope="module")
def linked_once(plan_and_people_once, django_db_blocker) -> int:
    """The provincial plan and the bundled plan's link to it, made once for the module."""
    plan_id, people = plan_and_people_once
    with django_db_blocker.unblock():
        plan, office = Plan.objects.get(pk=plan_id), User.objects.get(pk=people["office"])
        return link_on(LINKED_ON, plan_link(plan=plan, parent=import_parent(), actor=office)).pk


@pytest.fixture
def linked(linked_once, imported_plan, people) -> PlanLink:
    return PlanLink.objects.get(pk=linked_once)


def _task(plan, number):
    return Task.objects.get(plan=plan, number=number)


def test_linking_proposes_the_most_similar_task_not_the_same_number(linked):
    proposed = {
        (x.task.number, x.parent_task.number): x.state
        for x in TaskLink.objects.filter(link=linked).select_related("task", "parent_task")
    }
    assert proposed[(10, 10)] == LinkState.PROPOSED
    assert (11, 12) in proposed and (12, 11) in proposed  # the parent numbers them the other way
    assert len(proposed) == Task.objects.filter(plan=linked.plan).count()
    assert AuditEvent.objects.filter(action="plan_link", outcome=Outcome.SUCCESS).count() == 1


def test_the_proposals_are_those_of_scoring_every_pair(linked):
    """Proposals are scored with shortcuts (revisions.most_similar): they are exactly what scoring
    every pair of texts with revisions.similarity proposes, tasks and measures."""
    child, parent = linked.plan, linked.parent
    higher = list(Task.objects.filter(plan=parent).order_by("number"))
    expected_tasks = {}
    for task in Task.objects.filter(plan=child):
        score, best = _every_pair(task.title, [(t.title, t.pk) for t in higher])
        if best is not None and score >= PROPOSE:
            expected_tasks[task.pk] = (best, round(score, 3))
    proposed = TaskLink.objects.filter(link=linked, state=LinkState.PROPOSED)
    assert {x.task_id: (x.parent_task_id, float(x.similarity)) for x in proposed} == expected_tasks

    pairs = {t: p for t, (p, _score) in expected_tasks.items()}
    expected_measures = {}
    for measure in Measure.objects.filter(task_id__in=list(pairs)):
        offered = Measure.objects.filter(task_id=pairs[measure.task_id])
        score, best = _every_pair(measure.text, [(m.text, m.pk) for m in offered])
        if score >= PROPOSE:
            expected_measures[measure.pk] = (best, round(score, 3))
    made = {
        x.measure_id: (x.parent_measure_id, float(x.similarity))
        for x in MeasureLink.objects.filter(link=linked, state=LinkState.PROPOSED)
    }
    assert made == expected_measures
    assert len(made) > 200  # the bundled plan's measures, nearly all proposed


def _every_pair(text: str, candidates: list[tuple[str, int]]) -> tuple[float, int | None]:
    """The highest similarity of `text` to a candidate and that candidate (the first of equals)."""
    return max(
        ((similarity(text, other), pk) for other, pk in candidates),
        key=lambda s: s[0],
        default=(0.0, None),
    )


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    texts=st.lists(st.text("甲乙丙丁改革", max_size=8), max_size=5),
    candidates=st.lists(st.text("甲乙丙丁改革", max_size=8), max_size=6),
    floor=st.sampled_from([0.0, 0.3, 0.5, 1.0]),
)
def test_most_similar_is_the_first_best_of_every_pair(texts, candidates, floor):
    """Small alphabets make ties and near misses: the shortcuts never change the answer."""
    expected = []
    for text in texts:
        score, index = _every_pair(text, [(c, i) for i, c in enumerate(candidates)])
        expected.append((score, index) if index is not None and score >= floor else None)
    assert most_similar(texts, candidates, floor) == expected


def test_only_confirmed_links_roll_up_with_progress_as_of_the_date(linked, people):
    child, parent = linked.plan, linked.parent
    for measure in Measure.objects.filter(task__plan=child, task__number=10):
        report(measure, DONE_ON, accepted=True, status="completed")
    before = rollup(parent, dt.date(2021, 8, 1))
    assert all(not row.linked for row in before.rows)  # proposals do not count
    confirm_on(
        CONFIRMED_ON,
        link=linked,
        choices={_task(child, 10).pk: _task(parent, 10).pk, _task(child, 11).pk: None},
        actor=people.office,
    )
    after = rollup(parent, dt.date(2021, 8, 1))
    ten = next(r for r in after.rows if r.task.number == 10)
    assert [(x.plan, x.task.number, x.done) for x in ten.linked] == [(child, 10, True)]
    assert not TaskLink.objects.filter(link=linked, task=_task(child, 11)).exists()
    earlier = rollup(parent, DONE_ON - dt.timedelta(days=1))
    assert not next(r for r in earlier.rows if r.task.number == 10).linked[0].done
    (compared,) = after.children
    assert compared.plan == child and compared.linked_tasks == 1
    assert compared.tasks == task_rate(load_facts(child, dt.date(2021, 8, 1)), dt.date(2021, 8, 1))


def test_wrong_links_are_refused_whole_and_audited(linked, people):
    child, parent = linked.plan, linked.parent
    with pytest.raises(PermissionDenied):
        plan_link(plan=child, parent=parent, actor=people.leader)
    with pytest.raises(ValidationError):
        plan_link(plan=child, parent=child, actor=people.office)
    with pytest.raises(ValidationError):  # a child task pointed at a task of its own plan
        task_links_confirm(
            link=linked,
            choices={
                _task(child, 10).pk: _task(parent, 10).pk,
                _task(child, 12).pk: _task(child, 1).pk,
            },
            actor=people.office,
        )
    assert not TaskLink.objects.filter(link=linked, state=LinkState.CONFIRMED).exists()
    assert AuditEvent.objects.filter(outcome=Outcome.REFUSED).count() == 3


def test_a_revision_of_the_lower_plan_keeps_its_links(linked, people):
    child, parent = linked.plan, linked.parent
    task_links_confirm(
        link=linked, choices={_task(child, 12).pk: _task(parent, 11).pk}, actor=people.office
    )
    parsed = parse_bytes(revised_text().encode(), "final.txt")  # swaps tasks 11 and 12
    new = plan_revise(parsed=parsed, revises=child, actor=people.office).plan
    carried = PlanLink.objects.get(plan=new, parent=parent)
    confirmed = TaskLink.objects.get(link=carried, state=LinkState.CONFIRMED)
    assert confirmed.task == _task(new, 11) and confirmed.parent_task == _task(parent, 11)
    measure = MeasureLink.objects.get(link=carried, measure=_measure(new, "11.1"))
    assert measure.parent_measure == _measure(parent, "11.1")  # the proposal, carried over


def test_a_plan_linked_after_a_date_is_not_compared_as_of_it(linked, people):
    child, parent = linked.plan, linked.parent
    link_on(dt.date(2021, 6, 15), linked)
    assert rollup(parent, dt.date(2021, 6, 14)).children == []
    assert [c.plan for c in rollup(parent, dt.date(2021, 6, 15)).children] == [child]
    # a revision of the lower plan carries the link with the day it was made, not its import's
    parsed = parse_bytes(revised_text().encode(), "final.txt")
    new = plan_revise(parsed=parsed, revises=child, actor=people.office).plan
    assert PlanLink.objects.get(plan=new, parent=parent).linked_at == linked.linked_at
    assert [c.plan for c in rollup(parent, dt.date(2021, 6, 15)).children] == [child]


def test_the_provincial_role_reads_the_rollup_and_the_child_plans(linked, people, client):
    child, parent = linked.plan, linked.parent
    confirm_on(
        CONFIRMED_ON,
        link=linked,
        choices={_task(child, 10).pk: _task(parent, 10).pk},
        actor=people.office,
    )
    client.force_login(people.province)
    page = client.get(f"/plans/{parent.pk}/rollup/?as_of=2021-08-01").content.decode()
    assert child.title in page and f"/tasks/{_task(child, 10).pk}/" in page
    assert client.get(f"/tasks/{_task(child, 10).pk}/").status_code == 200
    assert client.get(f"/plans/links/{linked.pk}/").status_code == 403  # reads, never links
    assert client.post(f"/plans/{child.pk}/link/", {"parent": parent.pk}).status_code == 403


def test_a_confirmation_from_a_page_opened_before_another_one_is_refused_with_the_picks_kept(
    linked, people, client
):
    child, parent = linked.plan, linked.parent
    client.force_login(people.office)
    page = client.get(f"/plans/links/{linked.pk}/").content.decode()
    seen = re.search(r'name="seen" value="(\w+)"', page).group(1)  # type: ignore[union-attr]
    mine, theirs = _task(child, 11), _task(child, 10)
    task_links_confirm(link=linked, choices={theirs.pk: None}, actor=people.office)  # meanwhile
    before = set(TaskLink.objects.filter(link=linked).values_list("task_id", "parent_task_id"))

    pick = _task(parent, 10).pk
    response = client.post(
        f"/plans/links/{linked.pk}/confirm/", {"seen": seen, f"parent-{mine.pk}": pick}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "已被他人修改" in text
    assert re.search(rf'name="parent-{mine.pk}".*?value="{pick}" selected', text, re.S)
    after = set(TaskLink.objects.filter(link=linked).values_list("task_id", "parent_task_id"))
    assert after == before
    refused = AuditEvent.objects.filter(action="task_links_confirm", outcome=Outcome.REFUSED)
    assert refused.count() == 1

    fresh = re.search(r'name="seen" value="(\w+)"', text).group(1)  # type: ignore[union-attr]
    client.post(f"/plans/links/{linked.pk}/confirm/", {"seen": fresh, f"parent-{mine.pk}": pick})
    assert TaskLink.objects.get(link=linked, task=mine).parent_task_id == pick


def test_hostile_ids_are_a_clear_400_and_change_nothing(linked, people, client):
    child, parent = linked.plan, linked.parent
    client.force_login(people.office)
    ten = _task(child, 10).pk
    before = set(TaskLink.objects.filter(link=linked).values_list("task_id", "parent_task_id"))
    url = f"/plans/links/{linked.pk}/confirm/"
    for field, value in [
        (f"parent-{ten}", "9" * 5000),  # past the digits int() reads
        (f"parent-{ten}", "²"),  # a digit to str.isdigit, not to int
        ("parent-" + "9" * 30, str(_task(parent, 10).pk)),  # past a bigint
        (f"measure-{ten}-{'9' * 30}", ""),
    ]:
        response = client.post(url, {field: value})
        assert response.status_code == 400 and "参数" in response.content.decode()
    assert client.post(f"/plans/{child.pk}/link/", {"parent": "²"}).status_code == 400
    after = set(TaskLink.objects.filter(link=linked).values_list("task_id", "parent_task_id"))
    assert after == before and PlanLink.objects.count() == 1


link_specs = st.lists(
    st.tuples(
        st.integers(1, 15), st.integers(1, 15), st.dates(dt.date(2021, 3, 1), dt.date(2022, 3, 1))
    ),
    max_size=12,
    unique_by=lambda x: x[0],
)


def _shown(found: Rollup) -> list[object]:
    rows = [
        (r.task.id, [(x.plan.pk, x.task.id, x.measures, x.done) for x in r.linked])
        for r in found.rows
    ]
    return [rows, found.children]


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(links=link_specs, day=st.dates(dt.date(2021, 3, 1), dt.date(2022, 3, 1)))
def test_links_decided_after_a_date_change_nothing_in_the_rollup_as_of_it(linked, links, day):
    """Property: removing every task link decided after D leaves the roll-up as of D unchanged."""
    child, parent = linked.plan, linked.parent
    with transaction.atomic():
        for measure in Measure.objects.filter(task__plan=child, task__number__lte=15):
            if measure.pk % 2:
                report(measure, DONE_ON, accepted=True, status="completed")
        TaskLink.objects.filter(link=linked).delete()
        for task, parent_task, decided in links:
            TaskLink.objects.create(
                link=linked, task=_task(child, task), parent_task=_task(parent, parent_task),
                similarity=0, state=LinkState.CONFIRMED,
                decided_at=dt.datetime.combine(decided, dt.time(23, 30), CHINA),
            )  # fmt: skip
        full = _shown(rollup(parent, day))
        TaskLink.objects.filter(link=linked, decided_at__date__gt=day).delete()
        cut = _shown(rollup(parent, day))
        transaction.set_rollback(True)
    assert full == cut


def _measure(plan, code):
    task, number = code.split(".")
    return Measure.objects.get(task__plan=plan, task__number=task, number=number)


def test_linking_proposes_measure_links_within_the_linked_tasks(linked):
    child, parent = linked.plan, linked.parent
    proposed = {
        x.measure.code: (x.parent_measure.code, x.state)
        for x in MeasureLink.objects.filter(link=linked).select_related(
            "measure__task", "parent_measure__task"
        )
    }
    assert proposed["10.1"] == ("10.1", LinkState.PROPOSED)
    assert proposed["11.1"][0] == "12.1"  # the parent swapped tasks 11 and 12: words, not numbers
    reworded = MeasureLink.objects.get(link=linked, measure=_measure(child, "2.1"))
    assert reworded.parent_measure == _measure(parent, "2.1") and reworded.similarity < 1


def test_confirmed_measure_links_show_in_the_rollup_from_their_confirmation(linked, people):
    child, parent = linked.plan, linked.parent
    report(_measure(child, "5.1"), DONE_ON, accepted=True, status="completed")
    ten = _task(child, 5)
    confirm_on(
        CONFIRMED_ON,
        link=linked,
        choices={ten.pk: _task(parent, 5).pk},
        measures={_measure(child, "5.1").pk: _measure(parent, "5.2").pk},  # corrected
        actor=people.office,
    )
    row = next(r for r in rollup(parent, dt.date(2021, 8, 1)).rows if r.task.number == 5)
    assert [(y.plan, y.parent_code, y.measure.code, y.done) for y in row.measures_linked] == [
        (child, "5.2", "5.1", True)
    ]  # proposals of the other measures do not show
    before = rollup(parent, CONFIRMED_ON - dt.timedelta(days=1))
    assert not next(r for r in before.rows if r.task.number == 5).measures_linked
    # the task linked elsewhere: its measures' proposals follow, the confirmed one stays
    task_links_confirm(link=linked, choices={ten.pk: _task(parent, 6).pk}, actor=people.office)
    links = MeasureLink.objects.filter(link=linked, measure__task=ten)
    assert {x.parent_measure.task.number for x in links.filter(state=LinkState.PROPOSED)} <= {6}
    assert links.get(state=LinkState.CONFIRMED).parent_measure == _measure(parent, "5.2")
    task_links_confirm(link=linked, choices={ten.pk: None}, actor=people.office)
    assert not links.exists()  # a task not linked has no measure links


def test_a_measure_link_outside_the_two_plans_is_refused_whole(linked, people):
    child = linked.plan
    with pytest.raises(ValidationError):
        task_links_confirm(
            link=linked,
            choices={_task(child, 5).pk: _task(linked.parent, 10).pk},
            measures={_measure(child, "5.1").pk: _measure(child, "5.2").pk},
            actor=people.office,
        )
    assert not MeasureLink.objects.filter(link=linked, state=LinkState.CONFIRMED).exists()
    assert not TaskLink.objects.filter(link=linked, state=LinkState.CONFIRMED).exists()
    assert AuditEvent.objects.filter(outcome=Outcome.REFUSED).count() == 1


def test_the_office_confirms_measure_links_on_the_page_and_the_rollup_shows_them(
    linked, people, client
):
    child, parent = linked.plan, linked.parent
    client.force_login(people.office)
    page = client.get(f"/plans/links/{linked.pk}/").content.decode()
    ten, mine = _task(child, 5), _measure(child, "5.1")
    field = f'name="measure-{ten.pk}-{mine.pk}"'
    assert re.search(rf'{field}>.*?value="{_measure(parent, "5.1").pk}" selected', page, re.S)
    seen = re.search(r'name="seen" value="(\w+)"', page).group(1)  # type: ignore[union-attr]
    pick = _measure(parent, "5.2").pk
    form = {
        "seen": seen,
        f"parent-{ten.pk}": _task(parent, 5).pk,
        f"was-{ten.pk}": _task(parent, 5).pk,
        f"measure-{ten.pk}-{mine.pk}": pick,
    }
    assert client.post(f"/plans/links/{linked.pk}/confirm/", form).status_code == 302
    assert MeasureLink.objects.get(link=linked, measure=mine).parent_measure_id == pick
    backdate_links(linked, CONFIRMED_ON)
    client.force_login(people.province)
    rolled = client.get(f"/plans/{parent.pk}/rollup/?as_of=2021-08-01").content.decode()
    row = re.search(r'<tr data-task="5">.*?</tr>', rolled, re.S).group(0)  # type: ignore[union-attr]
    assert re.search(r"举措 5\.2 ← 中国.{0,40} 举措 5\.1 — 未落实", row)
