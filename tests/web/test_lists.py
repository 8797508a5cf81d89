"""Lists people can use, through pages only: the office sorts the 督办台账 by a column, shows 50 a
page, saves a filter and opens it again later, downloads the Excel of exactly the filtered list, and
reminds (催办) several 督办单 at once with one confirmation and one result per 督办单."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from luoshi.plans.models import Organisation
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
