"""Lists people can use, through pages only: the office sorts the 督办台账 by a column, shows 50 a
page, saves a filter and opens it again later, downloads the Excel of exactly the filtered list, and
reminds (催办) several 督办单 — or several measures from the measures list — at once with one
confirmation and one result per item."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from luoshi.audit.models import AuditEvent
from luoshi.plans.models import Measure, Organisation
from luoshi.savedviews.models import SavedView
from luoshi.supervision.models import Message, Notice, Urging
from luoshi.supervision.services import notice_issue

pytestmark = pytest.mark.django_db(transaction=True)

UNITS = ("市市场监管局", "岳阳海关", "市财政局")


def issue_notices(people, n: int = 24) -> list[Notice]:
    """n 督办单 spread over three units (市财政局 has no head account) and the three levels."""
    units = [Organisation.objects.get(name=name) for name in UNITS]
    return [
        notice_issue(
            actor=people.office,
            level=("general", "key", "listed")[i % 3],
            reason="overdue",
            requirement=f"第 {i + 1} 项请抓紧办理",
            reply_due=dt.date(2099, 1, 1) + dt.timedelta(days=i),
            organisation=units[i % 3],
        )
        for i in range(n)
    ]


def column(page, table: str, index: int) -> list[str]:
    return [
        t.strip() for t in page.locator(f"{table} tbody tr td:nth-child({index})").all_inner_texts()
    ]


def groups(values: list[str]) -> list[str]:
    """The values in order of appearance; a value met again after another is a sorting error."""
    found: list[str] = []
    for value in values:
        if not found or found[-1] != value:
            assert value not in found, values
            found.append(value)
    return found


def download_rows(page) -> list[list[object]]:
    with page.expect_download() as info:
        page.click("#export-xlsx")
    book = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def test_the_office_sorts_sizes_saves_and_exports_the_register(open_page, live_server, people):
    issue_notices(people)
    page = open_page(people.office)
    page.goto(live_server.url + "/supervision/")
    expect(page.locator("#count")).to_have_text("共 24 份督办单")
    expect(page.locator("#notices tbody tr")).to_have_count(20)  # the first page size

    # Sort by 承办单位 (column 3: after the tick box and 编号), then the other way.
    page.click('#notices th a[data-sort="organisation"]')
    expect(page.locator('#notices th[aria-sort="ascending"]')).to_contain_text("承办单位")
    ascending = groups(column(page, "#notices", 3))
    assert len(ascending) == 3  # each unit's rows together (the database's collation decides)
    page.click('#notices th a[data-sort="organisation"]')
    expect(page.locator('#notices th[aria-sort="descending"]')).to_contain_text("承办单位")
    assert groups(column(page, "#notices", 3)) == ascending[::-1]

    # 50 a page: every row on one page, still in the chosen order.
    page.click('#page-sizes a[data-size="50"]')
    expect(page.locator("#notices tbody tr")).to_have_count(24)
    expect(page.locator('#notices th[aria-sort="descending"]')).to_contain_text("承办单位")

    # Filter to 重点督办, save it, leave, and open it again from the list of saved filters.
    page.select_option('form.filters select[name="level"]', label="重点督办")
    page.click('form.filters button[type="submit"]')
    expect(page.locator("#count")).to_have_text("共 8 份督办单")
    page.fill("#saved-name", "重点督办单")
    page.click("#save-filter button")
    expect(page.locator("#saved-filters")).to_contain_text("重点督办单")
    page.goto(live_server.url + "/supervision/")
    expect(page.locator("#count")).to_have_text("共 24 份督办单")
    page.click("#saved-filters >> text=重点督办单")
    expect(page.locator("#count")).to_have_text("共 8 份督办单")
    expect(page.locator('form.filters select[name="level"]')).to_have_value("key")
    expect(page.locator('#notices th[aria-sort="descending"]')).to_contain_text("承办单位")
    assert SavedView.objects.get(owner=people.office).list_key == "notices"

    # The Excel has exactly the filtered rows, in the page's order, with the register's columns.
    shown = column(page, "#notices", 2)
    rows = download_rows(page)
    assert rows[0][:3] == ["编号", "承办单位", "督办事项"] and "办理情况" in rows[0]
    assert [r[0] for r in rows[1:]] == shown and len(shown) == 8
    assert {r[3] for r in rows[1:]} == {"重点督办"}


def test_the_office_reminds_several_notices_at_once(open_page, live_server, people):
    notices = issue_notices(people, n=6)
    market, customs, finance = notices[0], notices[1], notices[2]
    page = open_page(people.office, confirm=False)
    questions: list[str] = []

    def answer(dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.goto(live_server.url + "/supervision/?sort=label")
    for notice in (market, customs, finance):
        page.check(f'#notices tr[data-notice="{notice.pk}"] input[name="pick"]')
    page.get_by_role("button", name="催办所选督办单").click()
    assert questions == ["确认催办所选的 3 份督办单？"]  # asked once, for the batch
    expect(page.locator("#urge-summary")).to_have_text("已催办 2 份，未催办 1 份")
    expect(page.locator(f'#urge-results tr[data-notice="{market.pk}"]')).to_contain_text(
        "已催办：market_head"
    )
    expect(page.locator(f'#urge-results tr[data-notice="{finance.pk}"]')).to_contain_text(
        "承办单位没有负责人账号"
    )
    # The 催办 records and the heads' messages, as the daily ladder writes them.
    urged = Urging.objects.filter(notice__in=[market, customs, finance])
    assert {(u.notice_id, u.recipient.username) for u in urged} == {
        (market.pk, "market_head"),
        (customs.pk, "customs_head"),
    }
    assert Message.objects.filter(recipient=people.market_head, urgings__notice=market).exists()

    # Again the same day: told per 督办单, nothing sent twice.
    page.goto(live_server.url + "/supervision/?sort=label")
    page.check(f'#notices tr[data-notice="{market.pk}"] input[name="pick"]')
    page.get_by_role("button", name="催办所选督办单").click()
    expect(page.locator("#urge-summary")).to_have_text("已催办 0 份，未催办 1 份")
    expect(page.locator("#urge-results")).to_contain_text("今天已催办过")
    assert Urging.objects.filter(notice=market).count() == 1


def led_by(plan, unit: str) -> Measure:
    """The first measure (by code) led by `unit` alone."""
    found = Measure.objects.filter(
        task__plan=plan, responsibilities__organisation__name=unit, responsibilities__role="lead"
    ).order_by("task__number", "number")
    return next(m for m in found if m.responsibilities.filter(role="lead").count() == 1)


def test_the_office_reminds_several_measures_at_once(open_page, live_server, imported_plan, people):
    market, customs, finance = (
        led_by(imported_plan, unit) for unit in UNITS
    )  # 市财政局: no head account
    page = open_page(people.office, confirm=False)
    questions: list[str] = []

    def answer(dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.goto(live_server.url + "/measures/?sort=code&size=100")
    for measure in (market, customs, finance):
        page.check(f'#measures tr[data-measure="{measure.pk}"] input[name="pick"]')
    page.get_by_role("button", name="催办所选举措").click()
    assert questions == ["确认催办所选的 3 项举措？"]  # asked once, for the batch
    expect(page.locator("#urge-summary")).to_have_text("已催办 2 项，未催办 1 项")
    expect(page.locator(f'#urge-results tr[data-measure="{market.pk}"]')).to_contain_text(
        "已催办：market_head"
    )
    expect(page.locator(f'#urge-results tr[data-measure="{customs.pk}"]')).to_contain_text(
        "已催办：customs_head"
    )
    expect(page.locator(f'#urge-results tr[data-measure="{finance.pk}"]')).to_contain_text(
        "牵头单位没有负责人账号"
    )
    # The 催办 records and the heads' digest messages, as the daily ladder writes them.
    urged = Urging.objects.filter(measure__in=[market, customs, finance])
    assert {(u.measure_id, u.recipient.username, u.rung) for u in urged} == {
        (market.pk, "market_head", "head"),
        (customs.pk, "customs_head", "head"),
    }
    message = Message.objects.get(recipient=people.market_head, urgings__measure=market)
    assert f"举措 {market.code}：片区办催办" in message.body
    reminded = AuditEvent.objects.filter(action="reminder_sent", username="office")
    assert sorted(reminded.values_list("object_id", flat=True)) == sorted(
        [str(market.pk), str(customs.pk)]
    )

    # Again the same day: told per measure, nothing sent twice; the way back keeps the list's query.
    page.click(".way-back a")
    expect(page.locator("#measures tbody tr")).to_have_count(100)
    page.check(f'#measures tr[data-measure="{market.pk}"] input[name="pick"]')
    page.get_by_role("button", name="催办所选举措").click()
    expect(page.locator("#urge-summary")).to_have_text("已催办 0 项，未催办 1 项")
    expect(page.locator("#urge-results")).to_contain_text("今天已催办过")
    assert Urging.objects.filter(measure=market).count() == 1
    assert Message.objects.filter(recipient=people.market_head).count() == 1


def test_the_office_reminds_a_task_s_measures_from_the_task_list(
    open_page, live_server, people, market_measure
):
    page = open_page(people.office, confirm=False)
    questions: list[str] = []

    def answer(dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.goto(live_server.url + "/tasks/?sort=number")
    page.check(f'#tasks tr[data-task="{market_measure.task_id}"] input[name="pick"]')
    page.get_by_role("button", name="催办所选任务").click()
    assert questions == ["确认催办所选 1 项任务下的举措？"]
    expect(page.locator("#urge-summary")).to_have_text("已催办 1 项，未催办 0 项")
    expect(page.locator(f'#urge-results tr[data-measure="{market_measure.pk}"]')).to_contain_text(
        "已催办：market_head"
    )
    (urged,) = Urging.objects.all()
    assert (urged.measure_id, urged.recipient.username) == (market_measure.pk, "market_head")
    expect(page.locator(".way-back a")).to_have_attribute("href", "/tasks/?sort=number")


def test_a_unit_head_sorts_sizes_saves_and_exports_their_measures(open_page, live_server, people):
    page = open_page(people.market_head)
    page.goto(live_server.url + "/measures/?as_of=2022-06-30")
    total = int(page.inner_text("#count").split()[1])
    assert total > 20  # 市市场监管局's own measures only, more than one page
    expect(page.locator("#measures tbody tr")).to_have_count(20)
    page.click('#measures th a[data-sort="due"]')
    page.click('#measures th a[data-sort="due"]')  # latest deadline first
    expect(page.locator('#measures th[aria-sort="descending"]')).to_contain_text("截止")
    dues = [d for d in column(page, "#measures", 5) if d]
    assert dues == sorted(dues, reverse=True)
    page.click('#page-sizes a[data-size="100"]')
    expect(page.locator("#measures tbody tr")).to_have_count(min(total, 100))

    page.select_option('form.filters select[name="status"]', "open")
    page.click('form.filters button[type="submit"]')
    open_count = page.inner_text("#count")
    page.fill("#saved-name", "未落实")
    page.click("#save-filter button")
    page.goto(live_server.url + "/measures/")
    page.click("#saved-filters >> text=未落实")
    expect(page.locator("#count")).to_have_text(open_count)
    expect(page.locator('#measures th[aria-sort="descending"]')).to_contain_text("截止")
    expect(page.locator('form.filters input[name="as_of"]')).to_have_value("2022-06-30")

    shown = column(page, "#measures", 1)
    rows = download_rows(page)
    assert rows[0] == ["编号", "灯", "举措", "牵头单位", "截止", "状态"]
    assert len(rows) - 1 == int(open_count.split()[1])
    assert [r[0] for r in rows[1 : len(shown) + 1]] == shown


def test_a_unit_head_lists_their_reports(open_page, live_server, people):
    from luoshi.plans.models import Plan
    from tests.web.test_bulk import approved_reports

    reports = approved_reports(Plan.objects.get(), people, n=3)
    page = open_page(people.market_head)
    page.goto(live_server.url + "/reports/")
    expect(page.locator("#count")).to_have_text("共 3 份报告")
    page.click('#reports th a[data-sort="measure"]')
    expect(page.locator('#reports th[aria-sort="ascending"]')).to_contain_text("举措")
    codes = column(page, "#reports", 2)
    assert codes == [r.measure.code for r in reports]
    page.click('#reports th a[data-sort="measure"]')
    assert column(page, "#reports", 2) == codes[::-1]
    rows = download_rows(page)
    assert [r[1] for r in rows[1:]] == codes[::-1] and "工作进展" in rows[0]


def test_the_office_sorts_and_exports_cases_and_evaluations(open_page, live_server, people):
    from luoshi.cases.evaluations import evaluation_record
    from luoshi.cases.models import CaseLevel
    from luoshi.cases.services import case_advance, case_create
    from luoshi.plans.models import Plan

    plan = Plan.objects.get()
    market = Organisation.objects.get(name="市市场监管局")
    for i, level in enumerate((CaseLevel.CITY, CaseLevel.NATIONAL, CaseLevel.PROVINCE)):
        case = case_create(
            actor=people.office,
            tasks=[],
            plan=plan,
            title=f"案例{i}",
            level=level,
            organisation=market,
        )
        case_advance(case=case, on=dt.date(2021, 9, 1 + i), actor=people.office)
    for i, kind in enumerate(("annual", "self")):
        evaluation_record(
            plan=plan,
            actor=people.office,
            kind=kind,
            evaluator=f"评估方{i}",
            evaluated_on=dt.date(2021, 12, 1 + i),
        )
    page = open_page(people.office)
    page.goto(live_server.url + "/cases/?as_of=2022-06-30")
    page.click('#case-library th a[data-sort="level"]')
    expect(page.locator('#case-library th[aria-sort="ascending"]')).to_contain_text("层级")
    assert column(page, "#case-library", 3) == ["市级", "省级", "国家级"]
    rows = download_rows(page)
    assert [r[2] for r in rows[1:]] == ["市级", "省级", "国家级"]

    page.goto(live_server.url + "/evaluations/?as_of=2022-06-30")
    page.select_option('form.filters select[name="kind"]', "annual")
    page.click('form.filters button[type="submit"]')
    expect(page.locator("#count")).to_have_text("共 1 项评估")
    page.fill("#saved-name", "年度评估")
    page.click("#save-filter button")
    page.goto(live_server.url + "/evaluations/")
    page.click("#saved-filters >> text=年度评估")
    expect(page.locator("#count")).to_have_text("共 1 项评估")
    rows = download_rows(page)
    assert [r[2] for r in rows[1:]] == ["评估方0"]
