"""The responsibility matrix, read from the measures' duties without the plan's figures: an
organisation leads a task (L) when it leads one of its measures, supports it (S) when it only
supports some, and the organisations leading most tasks come first."""

from __future__ import annotations

import pytest

from luoshi.plans.models import Responsibility
from luoshi.plans.selectors import responsibility_matrix
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_matrix_says_who_leads_and_supports_each_task(imported_plan, people):
    found = responsibility_matrix(imported_plan)
    duties: dict[tuple[int, int], set[str]] = {}
    for org, task, role in Responsibility.objects.filter(
        measure__task__plan=imported_plan
    ).values_list("organisation_id", "measure__task_id", "role"):
        duties.setdefault((org, task), set()).add(role)
    assert [t.number for t in found.tasks] == sorted(t.number for t in imported_plan.tasks.all())
    cells = {
        (org, task.pk): cell
        for org, _, row in found.rows
        for task, cell in zip(found.tasks, row, strict=True)
        if cell
    }
    assert cells == {key: "L" if "lead" in roles else "S" for key, roles in duties.items()}
    led = [sum(c == "L" for c in row) for _, _, row in found.rows]
    assert led == sorted(led, reverse=True) and led[0] > 1

    page = client_for(people.leader).get("/matrix/").content.decode()
    assert page.count('<td class="tag lead"') == sum(led)
    assert page.count('<td class="tag support"') == sum(c == "S" for c in cells.values())
