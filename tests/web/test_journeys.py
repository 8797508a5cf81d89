"""The main journeys in a real browser: report → approve → return → resubmit → accept; the public
portal; the language switch; phone-width pages; keyboard-only login."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from luoshi.plans.models import Measure
from luoshi.progress.models import Report
from luoshi.progress.services import cycle_open_month
from tests.conftest import PDF
from tests.english import IDEOGRAPHS, data_strings, mask

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_cycle(imported_plan, people):
    today = timezone.localdate()
    return cycle_open_month(
        plan=imported_plan, year=today.year, month=today.month, actor=people.office
    )


def test_a_report_goes_round_the_loop_and_the_dashboard_follows(
    open_page, live_server, people, open_cycle, tmp_path, settings
):
    settings.LUOSHI_EVIDENCE_DIR = tmp_path / "evidence"
    measure = Measure.objects.get(task__plan=open_cycle.plan, task__number=10)
    leader = open_page(people.leader)
    leader.goto(live_server.url + "/dashboard/")
    assert leader.inner_text("#rate") == "0.0%"

    reporter = open_page(people.market_reporter)
    reporter.goto(live_server.url + "/my/")
    reporter.locator("tr", has_text=measure.code).get_by_role("button", name="填报").click()
    reporter.select_option("#id_progress_status", "in_progress")
    reporter.fill("#id_percent", "60")
    reporter.fill("#id_work_done", "“一业一证”平台已试运行")
    reporter.click("button[name=save]")
    evidence = tmp_path / "运行情况.pdf"
    evidence.write_bytes(PDF)
    reporter.set_input_files("#id_file", str(evidence))
    reporter.get_by_role("button", name="上传").click()
    assert "运行情况.pdf" in reporter.inner_text("#evidence")
    reporter.click("button[data-action=submit]")
    assert reporter.inner_text("#state") == "已提交"

    head = open_page(people.market_head)
    head.goto(live_server.url + "/my/")
    head.get_by_role("link", name=f"{open_cycle.name} 举措 {measure.code}").click()
    head.click("button[data-action=approve]")
    assert head.inner_text("#state") == "单位已审核"

    office = open_page(people.office)
    office.goto(live_server.url + "/review/")
    row = office.locator("#waiting tr", has_text=measure.code)
    row.get_by_label("退回理由").fill("请补充平台办件数据")
    row.get_by_role("button", name="退回").click()
    # replaced in place (htmx) by what happened, and the counter follows
    expect(office.locator("#waiting .desk-result")).to_contain_text(f"已退回：{measure.code}")
    expect(office.locator("#desk-counts")).to_contain_text("待验收 0 份")

    reporter.goto(live_server.url + "/my/")
    assert reporter.inner_text(".return-reason") == "请补充平台办件数据"
    reporter.get_by_role("link", name=f"{open_cycle.name} 举措 {measure.code}").first.click()
    assert reporter.inner_text("#return-reason") == "请补充平台办件数据"
    reporter.select_option("#id_progress_status", "completed")
    reporter.fill("#id_percent", "100")
    reporter.click("button[name=save]")
    reporter.click("button[data-action=submit]")
    head.reload()
    head.click("button[data-action=approve]")
    office.goto(live_server.url + "/review/")
    office.locator("#waiting tr", has_text=measure.code).get_by_role("button", name="验收").click()
    expect(office.locator("#waiting .desk-result")).to_contain_text(f"已验收：{measure.code}")

    report = Report.objects.get(measure=measure)
    assert (report.state, report.return_count) == ("accepted", 1)
    leader.reload()
    assert leader.inner_text("#rate") == "1.1%"  # task 10 of 88 is now implemented


def test_the_public_sees_status_but_nothing_internal(open_page, live_server, people, imported_plan):
    from tests.metrics.history import report

    measure = Measure.objects.get(task__plan=imported_plan, task__number=10)
    secret = report(measure, dt.date(2021, 6, 10), accepted=True, status="completed")
    Report.objects.filter(pk=secret.pk).update(
        work_done="内部进展：某企业名单", problems="内部困难"
    )
    page = open_page()
    page.goto(live_server.url + "/")
    assert page.url.endswith("/public/")
    assert page.inner_text("#public-rate") == "1.1%"
    text = page.inner_text("body")
    assert "已落实" in page.locator("#public-tasks tr", has_text="推进“一业一证”改革").inner_text()
    for internal in ("内部进展", "内部困难", people.market_reporter.username, "市场监管局填报人"):
        assert internal not in text
    page.goto(live_server.url + "/dashboard/")
    assert "/accounts/login/" in page.url


def test_the_language_switch(open_page, live_server, people):
    page = open_page(people.leader)
    page.goto(live_server.url + "/dashboard/")
    assert page.get_attribute("html", "lang") == "zh-hans"
    with page.expect_navigation():
        page.select_option("#language", "en")  # the form submits itself on change
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_by_role("heading", name="Dashboard").count() == 1
    assert page.get_by_role("link", name="Tasks", exact=True).count() == 1
    assert "Task implementation rate" in page.inner_text("main")
    # Everything but the data (plan title, unit names, measure texts) is English.
    assert IDEOGRAPHS.findall(mask(page.inner_text("body"), data_strings())) == []


def test_pages_fit_a_phone(open_page, live_server, people, open_cycle):
    from luoshi.progress.services import report_draft

    measure = Measure.objects.get(task__plan=open_cycle.plan, task__number=10)
    report = report_draft(measure=measure, cycle=open_cycle, actor=people.market_reporter)
    page = open_page(people.market_reporter, width=390, height=844)
    for path in ("/dashboard/", f"/reports/{report.pk}/"):  # one world and sign-in for both
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert page.locator("h1").first.is_visible(), path


def test_logging_in_with_the_keyboard_only(open_page, live_server, people):
    from tests.conftest import PASSWORD

    page = open_page()
    page.goto(live_server.url + "/accounts/login/")
    page.keyboard.press("Tab")  # skip link … then the fields, in order
    while page.evaluate("document.activeElement.id") != "id_username":
        page.keyboard.press("Tab")
    page.keyboard.type(people.leader.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard/")


def test_a_plan_of_another_notation_shows_how_its_units_and_deadlines_were_read(
    open_page, live_server, people
):
    from luoshi.ingest import parse_bytes
    from luoshi.plans.services import plan_import
    from tests.ingest.test_outlines import CITY, PROVINCE

    city = plan_import(parsed=parse_bytes(CITY.encode(), "city.txt")).plan
    province = plan_import(parsed=parse_bytes(PROVINCE.encode(), "province.txt")).plan
    page = open_page(people.office)
    page.goto(f"{live_server.url}/tasks/{city.tasks.get(number=3).pk}/")
    measure = page.locator("section.card").first
    expect(measure).to_contain_text("市市场监管局（沿用）")
    expect(measure).to_contain_text("分工说明：下同（第6行）；以下均需城陵矶新港区落实（第4行）")
    page.goto(f"{live_server.url}/tasks/{province.tasks.get(number=1).pk}/")
    expect(page.locator("section.card .measure-deadline").first).to_have_text(
        "举措时限：2019年6月底前；到2020年（2020-12-31）"
    )


def test_the_office_imports_a_plan_in_the_browser_after_a_preview(
    open_page, live_server, people, tmp_path, settings
):
    from tests.ingest.test_outlines import PROVINCE

    settings.DATA_DIR = tmp_path
    document = tmp_path / "湖南方案.txt"
    document.write_text(PROVINCE, encoding="utf-8")
    page = open_page(people.office)
    page.goto(live_server.url + "/plans/")
    page.set_input_files("#plan-file", str(document))
    with page.expect_navigation():
        page.click("button:has-text('预览')")
    expect(page.locator("#import-counts")).to_contain_text("任务 2 项、举措 6 项")
    expect(page.locator("#items")).to_contain_text("省发展改革委")
    expect(page.locator("#items")).to_contain_text("2019年6月底前；到2020年（2020-12-31）")
    with page.expect_navigation():
        page.click("button:has-text('确认导入')")
    expect(page.locator(".messages")).to_contain_text("已导入方案")
    # by its title cell: another row's 上级方案 choice names every other plan
    title = page.locator("td:first-child", has_text="中国（湖南）自由贸易试验区建设实施方案")
    row = page.locator("#plans tr", has=title)
    expect(row).to_contain_text("未生效、未公开")  # an import changes nobody's view
    expect(page.locator("#plans tr[aria-current] td").first).not_to_contain_text("建设实施方案")
    with page.expect_navigation():
        row.locator("a", has_text="切换到此方案").click()
    page.goto(live_server.url + "/tasks/")  # the pages follow the plan the office switched to
    expect(page.locator("#plan-shown")).to_contain_text("中国（湖南）自由贸易试验区建设实施方案")
    expect(page.locator("body")).to_contain_text("优化营商环境")
