"""Evaluations through pages only, each by the role that does it: the office sets the framework
(评估指标体系); a third-party evaluator records a single-policy evaluation of a task with scores per
indicator, a report file and findings; the lead unit records its self-assessment; the office makes a
finding a 整改 item (unit, deadline); the unit sees it on 我的任务, late, and reports; the office
returns it once, then closes it. Each step audited; the list as of a date shows what was known then."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.audit.models import AuditEvent
from luoshi.cases.models import Evaluation, Finding
from tests.conftest import PDF

pytestmark = pytest.mark.django_db(transaction=True)


def add_criterion(page, name: str, full: str) -> None:
    page.fill("#id_name", name)
    page.fill("#id_max_score", full)
    page.click("#criterion-form button[type=submit]")


def test_an_evaluation_with_scores_findings_and_rectification(
    open_page, live_server, people, tmp_path
):
    office = open_page(people.office)
    office.goto(live_server.url + "/evaluations/framework/")
    add_criterion(office, "任务落实进度", "60")
    add_criterion(office, "制度创新成效", "40")
    assert "制度创新成效（满分 40）" in office.inner_text("#criteria")

    evaluator = open_page(people.evaluator)
    evaluator.goto(live_server.url + "/evaluations/")
    evaluator.click("text=登记评估")
    evaluator.fill("#id_task", "10")
    evaluator.select_option("#id_kind", label="第三方单项评估")
    evaluator.fill("#id_evaluator", "湖南某评估机构")
    evaluator.fill("#id_period_start", "2021-01-01")
    evaluator.fill("#id_period_end", "2021-12-31")
    evaluator.fill("#id_method", "问卷与座谈")
    evaluator.fill("#id_evaluated_on", "2022-01-12")
    evaluator.fill("#id_grade", "良好")
    evaluator.fill("#id_items", "审批时限仍有压缩空间\n部分材料未归档")
    scores = evaluator.locator("#criterion-scores input")
    scores.nth(0).fill("52")
    scores.nth(1).fill("45")  # above its full marks: refused, everything kept as typed
    report = tmp_path / "评估报告.pdf"
    report.write_bytes(PDF)
    evaluator.set_input_files("#id_report", str(report))
    evaluator.click("#evaluation-form button[type=submit]")
    assert "制度创新成效：应为 0–40" in evaluator.inner_text("#evaluation-form")
    assert evaluator.input_value("#id_items") == "审批时限仍有压缩空间\n部分材料未归档"
    assert not Evaluation.objects.exists()
    scores.nth(1).fill("33")
    evaluator.set_input_files("#id_report", str(report))
    evaluator.click("#evaluation-form button[type=submit]")
    assert "已登记评估" in evaluator.inner_text("main")
    assert evaluator.inner_text("#evaluation-score") == "85.0"
    assert "评估报告.pdf" in evaluator.inner_text("#evaluation-report")
    with evaluator.expect_download() as download:
        evaluator.click("#evaluation-report")
    assert download.value.suggested_filename == "评估报告.pdf"
    evaluation = Evaluation.objects.get()
    assert evaluation.task is not None
    assert (evaluation.task.number, evaluation.items.count()) == (10, 2)

    head = open_page(people.market_head)  # the lead unit's self-assessment of its task
    head.goto(live_server.url + "/evaluations/new/")
    head.fill("#id_task", "10")
    head.select_option("#id_kind", label="第三方单项评估")  # not the unit's to record
    head.fill("#id_evaluator", "市市场监管局")
    head.fill("#id_evaluated_on", "2022-01-05")
    head.click("#evaluation-form button[type=submit]")
    assert "无权登记该类评估" in head.inner_text("#evaluation-form")
    assert head.input_value("#id_evaluator") == "市市场监管局"  # kept as typed
    head.select_option("#id_kind", label="牵头单位自评")
    head.fill("#id_evaluator", "市市场监管局")
    head.fill("#id_evaluated_on", "2022-01-05")
    head.click("#evaluation-form button[type=submit]")
    assert "已登记评估" in head.inner_text("main")

    office.goto(f"{live_server.url}/evaluations/{evaluation.pk}/")
    first = Finding.objects.get(text="审批时限仍有压缩空间")
    card = f"#finding-{first.pk}"
    office.select_option(f"{card} select[name=organisation]", label="市市场监管局")
    office.fill(f"{card} input[name=due_on]", "2022-03-31")
    office.fill(f"{card} input[name=on]", "2022-02-01")
    office.click(f"{card} .assign-form button")
    assert "整改中" in office.inner_text(card)

    reporter = open_page(people.market_reporter)
    reporter.goto(live_server.url + "/my/")
    mine = reporter.inner_text("#my-rectifications")
    assert "审批时限仍有压缩空间" in mine and "逾期" in mine  # late like a measure
    reporter.click("#my-rectifications a")
    reporter.fill(f"{card} textarea[name=text]", "已将审批时限压缩至 1 个工作日")
    reporter.click(f"{card} .respond-form button")
    assert "已报整改情况" in reporter.inner_text(card)

    office.goto(f"{live_server.url}/evaluations/{evaluation.pk}/")
    office.fill(f"{card} textarea[name=comment]", "请附文件")
    office.click(f"{card} .return-form button")
    assert "片区办意见：请附文件" in office.inner_text(card)
    reporter.goto(f"{live_server.url}/evaluations/{evaluation.pk}/")
    reporter.fill(f"{card} textarea[name=text]", "已印发文件，附后")
    reporter.click(f"{card} .respond-form button")
    office.goto(f"{live_server.url}/evaluations/{evaluation.pk}/")
    office.fill(f"{card} .close-form input[name=on]", "2022-04-10")
    office.click(f"{card} .close-form button")
    assert "已销号" in office.inner_text(card)

    actions = list(AuditEvent.objects.values_list("action", flat=True))
    for action in ("criterion_add", "evaluation_record", "finding_assign", "finding_respond"):
        assert action in actions, action
    assert {"finding_return", "finding_close", "evaluation_report_download"} <= set(actions)

    # As of a date: the evaluations dated by then, the 整改 item late before it was closed.
    office.goto(live_server.url + "/evaluations/?as_of=2022-01-10")
    assert office.locator("#evaluation-list tbody tr").count() == 1  # the self-assessment only
    office.goto(live_server.url + "/evaluations/?as_of=2022-04-05")
    assert "逾期 5 天" in office.inner_text("#rectifications")
    office.goto(live_server.url + "/dashboard/?as_of=2022-04-05")
    assert "未销号 1 项，其中逾期 1 项" in office.inner_text("#dashboard-rectifications")
    office.goto(live_server.url + "/evaluations/?as_of=2022-04-30")
    assert "已销号 2022-04-10" in office.inner_text("#rectifications")
    assert dt.date(2022, 4, 10) == Finding.objects.get(pk=first.pk).closed_on
