"""Two people of a unit editing the same reform project: the later save, made on a copy read
before the earlier one, is refused with what the project holds now and the typed text kept on the
page; saving again (knowingly) overwrites."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from luoshi.audit.models import AuditEvent
from luoshi.funding.models import Project
from luoshi.funding.services import project_add, project_edit
from luoshi.plans.limits import StaleEdit
from luoshi.plans.models import Measure


def _amounts(planned: str, allocated: str, spent: str) -> dict[str, Decimal]:
    return {"planned": Decimal(planned), "allocated": Decimal(allocated), "spent": Decimal(spent)}


def _project(people, plan) -> Project:
    measure = Measure.objects.get(task__plan=plan, task__number=83, number=1)
    return project_add(
        actor=people.market_head,
        measure=measure,
        name="审批系统",
        source="city",
        amounts=_amounts("100", "50", "40"),
    )


@pytest.mark.django_db
def test_an_edit_of_an_older_copy_is_refused_with_the_current_amounts(people, imported_plan):
    project = _project(people, imported_plan)
    first, second = (Project.objects.get(pk=project.pk) for _ in range(2))
    project_edit(
        actor=people.market_head,
        project=first,
        name="审批系统",
        source="city",
        amounts=_amounts("100", "90", "40"),
        version=first.version,
    )
    with pytest.raises(StaleEdit, match=r"已下达 90\.00") as stale:
        project_edit(
            actor=people.market_reporter,
            project=second,
            name="审批系统二期",
            source="city",
            amounts=_amounts("100", "60", "40"),
            version=second.version,
        )
    project.refresh_from_db()
    assert (project.name, project.allocated, project.version) == ("审批系统", Decimal("90"), 1)
    assert stale.value.version == 1
    assert AuditEvent.objects.filter(action="funding_save").count() == 2  # add, first edit


@pytest.mark.django_db(transaction=True)
def test_the_page_keeps_the_typed_text_and_shows_what_a_colleague_saved(
    open_page, live_server, people, imported_plan
):
    project = _project(people, imported_plan)
    head, reporter = open_page(people.market_head), open_page(people.market_reporter)
    for page in (head, reporter):
        page.set_default_timeout(60000)
        page.goto(f"{live_server.url}/funding/?edit={project.pk}#keep")
    head.fill("#id_allocated", "90")
    head.click("#save-project")
    expect(head.locator("#projects")).to_contain_text("90.00")
    reporter.fill("#id_name", "审批系统二期")
    reporter.fill("#id_spent", "45")
    reporter.click("#save-project")
    expect(reporter.locator("#project-form [role=alert]")).to_contain_text("已下达 90.00")
    assert reporter.input_value("#id_name") == "审批系统二期"  # the typed text is kept
    assert reporter.input_value("#id_spent") == "45"
    project.refresh_from_db()
    assert (project.name, project.spent) == ("审批系统", Decimal("40"))
    reporter.click("#save-project")  # knowingly, over what the message showed
    expect(reporter.locator("#projects")).to_contain_text("审批系统二期")
    project.refresh_from_db()
    assert (project.name, project.allocated, project.spent) == (
        "审批系统二期",
        Decimal("50"),  # the reporter's typed form still said 50: their save wins, knowingly
        Decimal("45"),
    )
