"""Cases through pages only, each step by the role that takes it in real life: a unit's reporter
registers a case with its text, tasks and a file; the office 报送 it, sends it back at 分类审查 for
revision, the unit improves it, the office passes it, selects it and promotes it (where and when).
Every step is audited; the case library as of a date shows the stage the case had then."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.audit.models import AuditEvent
from luoshi.cases.models import InnovationCase
from tests.conftest import PDF

pytestmark = pytest.mark.django_db(transaction=True)


def step(page, on: str, scope: str = "") -> None:
    page.fill("#step-form #id_on", on)
    if scope:
        page.select_option("#step-form #id_scope", label=scope)
    page.click("#step-form button[type=submit]")


def review(page, on: str, result: str, opinion: str, risk: str = "中") -> None:
    page.fill("#review-form #id_on", on)
    page.select_option("#review-form #id_risk", label=risk)
    page.fill("#review-form #id_opinion", opinion)
    page.select_option("#review-form #id_result", label=result)
    page.click("#review-form button[type=submit]")


def test_a_case_from_registration_to_promotion(open_page, live_server, people, tmp_path):
    unit = open_page(people.market_reporter)
    unit.goto(live_server.url + "/cases/")
    unit.click("text=登记案例")
    unit.fill("#id_title", "“证照分离”全覆盖")
    unit.select_option("#id_category", label="政府职能转变")
    unit.select_option("#id_level", label="国家级")
    unit.fill("#id_tasks", "10, 99")
    unit.fill("#id_summary", "涉企经营许可事项全部纳入改革。")
    unit.fill("#id_full_text", "一、背景\n二、做法\n三、成效")
    unit.click("#case-form button[type=submit]")
    assert "方案中没有任务 99" in unit.inner_text("#case-form")  # kept as typed
    assert unit.input_value("#id_summary") == "涉企经营许可事项全部纳入改革。"
    unit.fill("#id_tasks", "10")
    unit.click("#case-form button[type=submit]")
    assert "已登记案例" in unit.inner_text("main")
    case = InnovationCase.objects.get(title="“证照分离”全覆盖")
    assert (case.stage, case.organisation.name) == ("draft", "市市场监管局")
    assert [t.number for t in case.tasks.all()] == [10]
    paper = tmp_path / "案例材料.pdf"
    paper.write_bytes(PDF)
    unit.set_input_files("#case-file-form input[type=file]", str(paper))
    unit.click("#case-file-form button[type=submit]")
    assert "案例材料.pdf" in unit.inner_text("#case-files")
    assert unit.locator("#step-form").count() == 0  # 报送 is the office's

    office = open_page(people.office)
    office.goto(f"{live_server.url}/cases/{case.pk}/")
    step(office, "2021-09-01")  # 报送
    assert office.inner_text("#case-stage") == "已报送"
    assert office.locator("#step-form").count() == 0  # no selection before the review
    review(office, "2021-09-10", "修改后再审", "风险防控措施不够具体", risk="高")
    assert "修改后再审" in office.inner_text("#case-reviews")
    assert office.inner_text("#case-stage") == "已报送"

    unit.goto(f"{live_server.url}/cases/{case.pk}/")
    unit.click("#case-edit summary")
    unit.fill("#case-edit #id_full_text", "一、背景\n二、做法\n三、风险防控\n四、成效")
    unit.click("#case-edit button[type=submit]")
    assert "三、风险防控" in unit.inner_text("#case-text")

    office.goto(f"{live_server.url}/cases/{case.pk}/")
    review(office, "2021-10-08", "通过", "风险可控，同意推广", risk="低")
    assert office.inner_text("#case-stage") == "已审查"
    step(office, "2021-10-01")  # before the review: refused with the reason, nothing changes
    assert "日期不能早于上一步（2021-10-08）" in office.inner_text("#step-form")
    step(office, "2022-03-01")  # 入选
    assert office.inner_text("#case-stage") == "已入选"
    step(office, "2022-09-20")  # promoting needs where
    assert "请选择推广范围" in office.inner_text("#step-form")
    step(office, "2022-09-20", scope="全省")
    assert office.inner_text("#case-promoted") == "全省 2022-09-20"

    actions = set(
        AuditEvent.objects.filter(object_id=str(case.pk)).values_list("action", flat=True)
    )
    assert {"case_create", "case_update", "case_review", "case_advance"} <= actions
    assert AuditEvent.objects.filter(action="case_attach").exists()

    # The library as of a date: the stage the case had then, counted within its target's year.
    office.goto(f"{live_server.url}/cases/?as_of=2021-12-31")
    row = office.locator("#case-library tr", has_text="“证照分离”全覆盖").inner_text()
    assert "已审查" in row and "推广" not in row
    assert "国家改革创新案例（2021）：1 / 1" in office.inner_text("#case-targets")
    office.goto(f"{live_server.url}/cases/?as_of=2021-08-31")
    assert "“证照分离”全覆盖" not in office.inner_text("#case-library")
    assert dt.date(2022, 9, 20) == InnovationCase.objects.get(pk=case.pk).promoted_on
