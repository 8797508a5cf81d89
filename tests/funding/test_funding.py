"""Funding (资金保障): a unit keeps its reform projects' amounts; bad amounts are refused naming the
field; the office sees totals by unit and by source, and exports them."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook
from playwright.sync_api import expect

from luoshi.audit.models import AuditEvent
from luoshi.funding.demo import demo_funding_ensure
from luoshi.funding.models import Project
from luoshi.funding.policies import visible_projects
from luoshi.funding.selectors import totals_by_source, totals_by_unit
from luoshi.funding.services import project_add, project_edit
from luoshi.plans.models import Measure


def _amounts(planned: str, allocated: str, spent: str) -> dict[str, Decimal]:
    return {"planned": Decimal(planned), "allocated": Decimal(allocated), "spent": Decimal(spent)}


@pytest.mark.django_db
def test_only_the_measures_units_keep_projects_and_bad_amounts_are_named(people, imported_plan):
    measure = Measure.objects.get(task__plan=imported_plan, task__number=83, number=1)
    for outsider in (people.finance_reporter, people.leader, people.office):
        with pytest.raises(PermissionDenied):
            project_add(
                actor=outsider,
                measure=measure,
                name="项目",
                source="city",
                amounts=_amounts("1", "1", "0"),
            )
    with pytest.raises(ValidationError) as error:
        project_add(
            actor=people.market_head,
            measure=measure,
            name=" ",
            source="moon",
            amounts=_amounts("-1", "2000000000000", "0"),
        )
    assert set(error.value.message_dict) == {"name", "source", "planned", "allocated"}
    assert "计划投资不能为负数" in error.value.message_dict["planned"]
    with pytest.raises(ValidationError) as error:
        project_add(
            actor=people.market_head,
            measure=measure,
            name="项目",
            source="city",
            amounts=_amounts("100", "50", "60"),
        )
    assert set(error.value.message_dict) == {"spent"}
    assert not Project.objects.exists()  # nothing partial stored
    project = project_add(
        actor=people.market_head,
        measure=measure,
        name="审批系统",
        source="city",
        amounts=_amounts("100", "50", "40"),
    )
    with pytest.raises(PermissionDenied):  # 岳阳海关 supports 83.1 but did not register it
        project_edit(
            actor=people.customs_reporter,
            project=project,
            name="改",
            source="city",
            amounts=_amounts("1", "1", "1"),
            version=project.version,
        )
    elsewhere = Measure.objects.get(task__plan=imported_plan, task__number=23, number=1)
    with pytest.raises(PermissionDenied):  # not a measure 市市场监管局 has duties in
        project_edit(
            actor=people.market_reporter,
            project=project,
            measure=elsewhere,
            name="审批系统",
            source="city",
            amounts=_amounts("1", "1", "1"),
            version=project.version,
        )
    project_edit(
        actor=people.market_reporter,
        project=project,
        name="审批系统",
        source="province",
        amounts=_amounts("100", "80", "80"),
        version=project.version,
    )
    assert list(visible_projects(people.customs_reporter)) == []
    assert [t.label for t in totals_by_source(Project.objects.all())] == ["省"]
    assert list(
        AuditEvent.objects.filter(action="funding_save")
        .order_by("pk")
        .values_list("outcome", flat=True)
    ) == ["refused"] * 3 + ["success", "refused", "refused", "success"]


@pytest.mark.django_db
def test_the_demo_funds_several_units(people, imported_plan):
    assert demo_funding_ensure(imported_plan, people.office) == 6
    units = totals_by_unit(Project.objects.all())
    assert len(units) == 4, [t.label for t in units]
    assert sum(t.planned for t in units) == sum(p.planned for p in Project.objects.all())
    assert demo_funding_ensure(imported_plan, people.office) == 0  # once


@pytest.mark.django_db(transaction=True)
def test_the_unit_head_keeps_projects_and_the_office_sees_totals(
    open_page, live_server, people, imported_plan
):
    head = open_page(people.market_head)
    head.set_default_timeout(60000)
    head.goto(live_server.url + "/my/")
    head.get_by_role("link", name="资金保障", exact=True).click()
    head.fill("#id_where", "83.1")
    head.fill("#id_name", "一业一证审批系统改造")
    head.select_option("#id_source", "city")
    head.fill("#id_planned", "1500000")
    head.fill("#id_allocated", "1000000")
    head.fill("#id_spent", "1200000")  # more than allocated: refused, naming the field
    head.click("#save-project")
    expect(head.locator("#project-form")).to_contain_text("不能超过已下达")
    assert head.input_value("#id_name") == "一业一证审批系统改造"
    head.fill("#id_spent", "640000")
    head.click("#save-project")
    expect(head.locator("#projects")).to_contain_text("一业一证审批系统改造")
    head.fill("#id_where", "83.1")
    head.fill("#id_name", "企业开办配套")
    head.select_option("#id_source", "private")
    head.fill("#id_planned", "500000")
    head.fill("#id_allocated", "0")
    head.fill("#id_spent", "0")
    head.click("#save-project")
    expect(head.locator("#projects")).to_contain_text("企业开办配套")
    head.locator("#projects").get_by_role("link", name="修改").first.click()
    head.fill("#id_allocated", "1200000")
    head.click("#save-project")
    expect(head.locator("#by-unit")).to_contain_text("1200000.00")
    office = open_page(people.office)
    office.set_default_timeout(60000)
    office.goto(live_server.url + "/funding/")
    expect(office.locator("#by-unit")).to_contain_text("市市场监管局")
    expect(office.locator("#by-unit")).to_contain_text("2000000.00")
    expect(office.locator("#by-source")).to_contain_text("社会资本")
    expect(office.locator("#by-source")).to_contain_text("市")
    expect(office.locator("#project-form")).to_have_count(0)  # the office reads, units keep
    with office.expect_download() as download:
        office.click("#funding-export")
    with open(download.value.path(), "rb") as saved:  # a temporary name without a suffix
        book = load_workbook(io.BytesIO(saved.read()))
    assert [r[0] for r in book.worksheets[1].iter_rows(min_row=2, values_only=True)] == [
        "市市场监管局"
    ]
    assert AuditEvent.objects.filter(action="export_funding").count() == 1
