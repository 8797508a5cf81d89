"""Bulk work on the review desk: tick many, confirm once, and read one result per report — a report
someone else changed meanwhile is reported, not failing the batch; accepted reports not yet
published are listed and published together."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Dialog, expect

from luoshi.plans.models import Duty, Measure
from luoshi.progress.models import Report
from luoshi.progress.services import cycle_open_month, report_draft, report_transition
from tests.conftest import client_for


def approved_reports(imported_plan, people, n=3):
    today = timezone.localdate()
    cycle = cycle_open_month(
        plan=imported_plan, year=today.year, month=today.month, actor=people.office
    )
    measures = Measure.objects.filter(
        task__plan=imported_plan,
        responsibilities__organisation__name="市市场监管局",
        responsibilities__role=Duty.LEAD,
    ).order_by("task__number", "number")[:n]
    reports = []
    for measure in measures:
        report = report_draft(
            measure=measure,
            cycle=cycle,
            actor=people.market_reporter,
            progress_status="in_progress",
            percent=40,
            work_done="推进中",
        )
        report = report_transition(report=report, action="submit", actor=people.market_reporter)
        reports.append(report_transition(report=report, action="approve", actor=people.market_head))
    return reports


@pytest.mark.django_db(transaction=True)
def test_the_office_accepts_many_then_publishes_them(open_page, live_server, people, imported_plan):
    reports = approved_reports(imported_plan, people)
    page = open_page(people.office, confirm=False)
    questions: list[str] = []

    def answer(dialog: Dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.goto(f"{live_server.url}/review/")
    # Meanwhile a colleague returns the first one from another tab.
    report_transition(report=reports[0], action="return", actor=people.office, reason="补充数据")
    page.locator("#waiting thead input[type=checkbox]").check()  # select all
    page.get_by_role("button", name="批量验收").click()
    expect(page.locator("#bulk-summary")).to_have_text("已完成 2 份，未完成 1 份")
    assert questions == ["确认验收所选的 3 份报告？"]  # asked once, for the batch
    stale = page.locator(f'#bulk-results tr[data-report="{reports[0].pk}"]')
    expect(stale).to_contain_text("由 片区办 退回")
    expect(stale).to_contain_text("当前状态：草稿")
    states = {r.pk: Report.objects.get(pk=r.pk).state for r in reports}
    assert states == {reports[0].pk: "draft", reports[1].pk: "accepted", reports[2].pk: "accepted"}

    page.get_by_role("link", name="已验收未公开的报告").click()
    expect(page.locator("#unpublished tbody tr")).to_have_count(2)
    page.locator("#unpublished thead input[type=checkbox]").check()
    page.get_by_role("button", name="公开所选报告").click()
    expect(page.locator("#bulk-summary")).to_have_text("已完成 2 份，未完成 0 份")
    assert Report.objects.filter(published=True).count() == 2
    # The result page offers an undo of this publication (asked once, audited like 公开).
    page.get_by_role("button", name="撤销本次公开").click()
    expect(page.locator("h1")).to_have_text("批量撤销公开：结果")
    expect(page.locator("#bulk-summary")).to_have_text("已完成 2 份，未完成 0 份")
    assert Report.objects.filter(published=True).count() == 0
    assert questions[-1] == "确认撤销本次公开的 2 份报告？"
    page.get_by_role("link", name="已验收未公开的报告").click()
    expect(page.locator("#unpublished tbody tr")).to_have_count(2)


@pytest.mark.django_db
def test_a_bulk_return_needs_a_reason_and_each_item_is_audited(people, imported_plan):
    from luoshi.audit.models import AuditEvent

    reports = approved_reports(imported_plan, people, n=2)
    office = client_for(people.office)
    picks = [f"{r.pk}:{r.version}" for r in reports]
    refused = office.post("/review/bulk/", {"action": "return", "pick": picks}, follow=True)
    assert "退回时必须填写理由" in refused.content.decode()
    assert set(Report.objects.values_list("state", flat=True)) == {"approved"}
    done = office.post("/review/bulk/", {"action": "return", "pick": picks, "reason": "请补充佐证"})
    assert done.status_code == 200 and "已完成 2 份，未完成 0 份" in done.content.decode()
    assert set(Report.objects.values_list("return_reason", flat=True)) == {"请补充佐证"}
    assert AuditEvent.objects.filter(action="report_return", outcome="success").count() == 2
    again = office.post("/review/bulk/", {"action": "return", "pick": picks, "reason": "再退"})
    assert "已完成 0 份，未完成 2 份" in again.content.decode()  # stale: told, not a 500
