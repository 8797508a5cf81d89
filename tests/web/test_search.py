"""Search on the task list: measure codes, several words in any order, unit names, report text."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from luoshi.plans.models import Measure
from luoshi.progress.services import report_draft, report_transition
from tests.conftest import client_for

if TYPE_CHECKING:
    from django.test import Client

pytestmark = pytest.mark.django_db


def numbers(client: Client, q: str) -> tuple[set[int], int]:
    page = client.get("/tasks/", {"q": q})
    found = page.context["page"].paginator.object_list  # every match, not only the first page
    return {row.task.number for row in found}, page.context["count"]


def test_search_by_code_words_unit_and_report_text(people, cycle, imported_plan):
    leader = client_for(people.leader)
    assert numbers(leader, "45.3")[0] == {45}
    assert numbers(leader, "45")[0] >= {45}
    one_word, _ = numbers(leader, "一业一证")
    both, _ = numbers(leader, "一证 一业")  # two words, any order
    assert both and both == one_word & numbers(leader, "一证")[0]
    assert 10 in numbers(leader, "市场监管局 一业一证")[0]
    measure = Measure.objects.get(task__plan=imported_plan, task__number=83, number=1)
    draft = report_draft(
        measure=measure, cycle=cycle, actor=people.market_reporter, work_done="冷链查验专窗"
    )
    assert numbers(leader, "冷链查验专窗")[1] == 0  # a draft is its own unit's until submitted
    report_transition(report=draft, action="submit", actor=people.market_reporter)
    assert numbers(leader, "冷链查验专窗")[0] == {83}
    # A unit's report text is not searchable by those who may not see the report.
    assert numbers(client_for(people.finance_reporter), "冷链查验专窗")[1] == 0
