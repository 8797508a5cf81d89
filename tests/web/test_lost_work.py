"""Nothing typed is lost: each way a reporter used to lose a report's text, in a real browser,
ends with the text intact (on screen and on the server) or a clear message beside it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from luoshi.plans.models import Measure
from luoshi.progress.models import Report
from luoshi.progress.services import cycle_open_month, report_draft, report_transition
from tests.conftest import PASSWORD, PDF

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.contrib.auth.models import User
    from playwright.sync_api import Dialog, Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = pytest.mark.django_db(transaction=True)
TEXT = "“一业一证”平台已试运行，办件 320 件"
AUTOSAVE_PAUSE = 2600  # ms: report.js saves 2.5 s after the last keystroke


@pytest.fixture
def draft(imported_plan, people):
    today = timezone.localdate()
    cycle = cycle_open_month(
        plan=imported_plan, year=today.year, month=today.month, actor=people.office
    )
    measure = Measure.objects.get(task__plan=imported_plan, task__number=10)
    return report_draft(measure=measure, cycle=cycle, actor=people.market_reporter)


def open_report(
    open_page: Callable[..., Page],
    live_server: LiveServer,
    user: User,
    report: Report,
    *,
    clock: bool = False,
) -> Page:
    page = open_page(user)
    if clock:  # the page's timers run when the test says: no waiting out the autosave's pause
        page.clock.install()
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    return page


def type_report(
    page: Page, status: str = "in_progress", percent: str = "60", text: str = TEXT
) -> None:
    page.select_option("#id_progress_status", status)
    page.fill("#id_percent", percent)
    page.fill("#id_work_done", text)


def test_uploading_a_file_before_saving_keeps_the_text(
    open_page, live_server, people, draft, tmp_path, settings
):
    settings.LUOSHI_EVIDENCE_DIR = tmp_path / "evidence"
    page = open_report(open_page, live_server, people.market_reporter, draft)
    type_report(page)
    evidence = tmp_path / "运行情况.pdf"
    evidence.write_bytes(PDF)
    page.set_input_files("#id_file", str(evidence))
    page.get_by_role("button", name="上传").click()
    expect(page.locator("#evidence")).to_contain_text("运行情况.pdf")
    expect(page.locator("#id_work_done")).to_have_value(TEXT)
    saved = Report.objects.get(pk=draft.pk)
    assert (saved.work_done, saved.percent, saved.evidence.count()) == (TEXT, 60, 1)


def test_a_refused_report_is_told_beside_the_field_and_keeps_its_text(
    open_page, live_server, people, draft
):
    page = open_report(open_page, live_server, people.market_reporter, draft)
    # A long text is counted and refused, never cut.
    long_text = "改革" * 1050  # 2100 characters, over the 2000 limit
    page.fill("#id_work_done", long_text)
    expect(page.locator(".counter[data-for=id_work_done]")).to_have_text("2100 / 2000")
    page.click("button[name=save]")
    expect(page.locator("#id_work_done")).to_have_value(long_text)
    expect(page.locator("#id_work_done + .counter + .errorlist")).to_contain_text("2000")
    assert Report.objects.get(pk=draft.pk).work_done == ""

    # An empty report, then a contradictory one, is refused on submitting.
    page.fill("#id_work_done", "")
    page.click("button[data-action=submit]")
    expect(page.locator("#id_work_done + .counter + .errorlist")).to_have_text(
        "提交前请填写工作进展"
    )
    type_report(page, status="completed", percent="30")
    page.click("button[data-action=submit]")
    expect(page.locator("#id_percent + .errorlist")).to_contain_text("已完成")
    expect(page.locator("#id_work_done")).to_have_value(TEXT)  # what was typed stays
    saved = Report.objects.get(pk=draft.pk)
    assert (saved.state, saved.work_done) == ("draft", TEXT)  # saved, not submitted


def test_the_draft_saves_itself_while_typing(open_page, live_server, people, draft):
    page = open_report(open_page, live_server, people.market_reporter, draft, clock=True)
    type_report(page)
    page.clock.run_for(1000)  # still typing, as far as the page knows: nothing saved yet
    assert Report.objects.get(pk=draft.pk).work_done == ""
    page.clock.run_for(AUTOSAVE_PAUSE)
    expect(page.locator("#autosave")).to_contain_text("已自动保存")
    assert Report.objects.get(pk=draft.pk).work_done == TEXT
    page.fill("#id_problems", "数据未打通")  # later saves carry the new version
    page.clock.run_for(AUTOSAVE_PAUSE)
    expect(page.locator("#autosave")).to_contain_text("已自动保存")
    page.wait_for_function(f"() => !localStorage.getItem('luoshi-report-{draft.pk}')")
    assert Report.objects.get(pk=draft.pk).problems == "数据未打通"


def test_after_the_session_times_out_the_text_comes_back_once_logged_in(
    open_page, live_server, people, draft
):
    page = open_report(open_page, live_server, people.market_reporter, draft, clock=True)
    Session.objects.all().delete()  # the idle timeout, as the server sees it
    type_report(page)
    page.clock.run_for(AUTOSAVE_PAUSE)
    expect(page.locator("#autosave")).to_contain_text("登录已超时")
    page.click("button[name=save]")  # the user saves anyway: the login page
    page.wait_for_url("**/accounts/login/**")
    page.fill("#id_username", people.market_reporter.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login button[type=submit]")
    page.wait_for_url(f"**/reports/{draft.pk}/")
    expect(page.locator("#restored")).to_contain_text("已恢复")
    expect(page.locator("#id_work_done")).to_have_value(TEXT)
    page.clock.run_for(AUTOSAVE_PAUSE)
    expect(page.locator("#autosave")).to_contain_text("已自动保存")
    assert Report.objects.get(pk=draft.pk).work_done == TEXT


def test_two_tabs_saving_the_second_is_told_and_keeps_its_text(
    open_page, live_server, people, draft
):
    first = open_report(open_page, live_server, people.market_reporter, draft)
    second = open_report(open_page, live_server, people.market_head, draft)
    type_report(first, text="第一页的内容")
    first.click("button[name=save]")
    expect(first.locator(".messages")).to_contain_text("已保存")
    second.evaluate("() => localStorage.clear()")  # another computer: nothing shared
    second.fill("#id_work_done", "第二页的内容")
    second.click("button[name=save]")
    expect(second.locator(".stale")).to_contain_text("由 市市场监管局 修改")
    expect(second.locator("#id_work_done")).to_have_value("第二页的内容")
    assert Report.objects.get(pk=draft.pk).work_done == "第一页的内容"


def test_two_tabs_acting_the_second_is_told_what_happened(open_page, live_server, people, draft):
    first = open_report(open_page, live_server, people.market_reporter, draft)
    second = open_report(open_page, live_server, people.market_reporter, draft)
    type_report(first)
    first.click("button[data-action=submit]")
    expect(first.locator("#state")).to_have_text("已提交")
    second.fill("#id_work_done", "另一页上改过的内容")
    second.click("button[data-action=submit]")
    expect(second.locator(".stale")).to_contain_text("提交，当前状态：已提交")
    expect(second.locator("#id_work_done")).to_have_value("另一页上改过的内容")

    # The head's two tabs: the second approval is told, not a 500.
    heads = [open_report(open_page, live_server, people.market_head, draft) for _ in range(2)]
    heads[0].click("button[data-action=approve]")
    expect(heads[0].locator("#state")).to_have_text("单位已审核")
    heads[1].click("button[data-action=approve]")
    expect(heads[1].locator(".messages .error")).to_contain_text("审核通过，当前状态：单位已审核")


def test_submitting_without_saving_submits_what_is_on_screen_and_it_can_be_withdrawn(
    open_page, live_server, people, draft
):
    page = open_report(open_page, live_server, people.market_reporter, draft)
    type_report(page)
    page.click("button[data-action=submit]")  # never saved before
    expect(page.locator("#state")).to_have_text("已提交")
    assert Report.objects.get(pk=draft.pk).work_done == TEXT
    expect(page.locator("#work-done")).to_have_text(TEXT)

    # Withdrawn until the head acts.
    page.click("button[data-action=withdraw]")
    expect(page.locator("#state")).to_have_text("草稿")
    expect(page.locator("#id_work_done")).to_have_value(TEXT)
    page.click("button[data-action=submit]")
    expect(page.locator("#state")).to_have_text(
        "已提交"
    )  # before the head acts and the page reloads
    report = Report.objects.get(pk=draft.pk)
    report_transition(report=report, action="approve", actor=people.market_head)
    page.reload()
    expect(page.locator("button[data-action=withdraw]")).to_have_count(0)


def approved(draft: Report, people: SimpleNamespace) -> Report:
    """The draft, written, submitted and approved by the unit's head: waiting for the office."""
    report = Report.objects.get(pk=draft.pk)
    report.work_done = TEXT
    report.save()
    report_transition(report=report, action="submit", actor=people.market_reporter)
    report_transition(report=report, action="approve", actor=people.market_head)
    return report


def test_a_desk_action_asks_first_and_a_stale_one_says_what_happened(
    open_page, live_server, people, draft
):
    report = approved(draft, people)
    desk = open_page(people.office, confirm=False)
    asked: list[str] = []
    answer = {"yes": False}  # the first question is answered "no"

    def reply(dialog: Dialog) -> None:
        asked.append(dialog.message)
        if answer["yes"]:
            dialog.accept()
        else:
            dialog.dismiss()

    desk.on("dialog", reply)
    desk.goto(live_server.url + "/review/")
    expect(desk.locator("#desk-counts")).to_contain_text("待验收 1 份")
    row = desk.locator("#waiting tr", has_text=report.measure.code)
    row.get_by_role("button", name="验收").click()
    desk.wait_for_timeout(500)
    assert len(asked) == 1 and Report.objects.get(pk=report.pk).state == "approved"

    answer["yes"] = True
    report_transition(report=report, action="accept", actor=people.office)  # a colleague, first
    row.get_by_label("退回理由").fill("请补充数据")
    row.get_by_role("button", name="退回").click()
    result = desk.locator("#waiting .desk-result")
    expect(result).to_contain_text("验收，当前状态：片区办已验收")
    expect(result.get_by_role("link", name="刷新审核台")).to_be_visible()
    expect(result.get_by_label("您填写的理由（未提交）")).to_have_value("请补充数据")
    expect(desk.locator("#desk-counts")).to_contain_text("待验收 0 份")


def test_a_stale_return_on_the_report_page_gives_the_reason_back(
    open_page, live_server, people, draft
):
    report = approved(draft, people)
    page = open_report(open_page, live_server, people.office, report)
    report_transition(report=report, action="accept", actor=people.office)  # a colleague, first
    page.fill("#reason-return", "第三季度数据缺少佐证，请补充")
    page.click("button[data-action=return]")
    expect(page.locator(".messages .error")).to_contain_text("当前状态：片区办已验收")
    expect(page.locator(".messages")).to_contain_text("第三季度数据缺少佐证，请补充")
    assert Report.objects.get(pk=report.pk).state == "accepted"


def test_a_form_refused_after_a_redirect_gets_its_typed_text_back(
    open_page, live_server, people, imported_plan
):
    # Any posting form: the office opens a consultation with the dates the wrong way round; the
    # refusal comes back through a redirect, and what was typed is in the form again.
    page = open_page(people.office)
    page.goto(f"{live_server.url}/consultation/")
    page.fill("#opens-on", "2026-12-20")
    page.fill("#closes-on", "2026-12-01")
    page.fill("#scope", "各区县、各部门及社会公众")
    page.get_by_role("button", name="开启", exact=True).click()
    expect(page.locator(".messages li.error")).to_contain_text("截止日期不能早于开始日期")
    expect(page.locator("#scope")).to_have_value("各区县、各部门及社会公众")
    expect(page.locator("#opens-on")).to_have_value("2026-12-20")
    page.reload()  # once only: a later visit starts clean
    expect(page.locator("#scope")).to_have_value("")
