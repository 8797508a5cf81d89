"""In a real browser, as the real roles: a leader's 批示 on a measure reaches the unit, the reporter
answers, the leader closes it; the office records a meeting and its decision, the unit's head
answers, the office closes it; the reporter applies for 容错免责, the office grants it, and the scores
page shows the exemption instead of the deduction."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from luoshi.plans.models import Measure

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def login(open_page):
    """A signed-in page with a patient timeout: the machine running the suite may be busy."""

    def make(user):
        page = open_page(user)
        page.set_default_timeout(60000)
        return page

    return make


def test_instruction_meeting_and_exemption_through_the_pages(login, live_server, people, cycle):
    measure = Measure.objects.get(task__plan=cycle.plan, task__number=10)
    history = f"{live_server.url}/supervision/measures/{measure.pk}/"

    # The leader writes a 批示 on the measure; its lead unit is preselected.
    leader = login(people.leader)
    leader.goto(history)
    leader.click("#instruct summary")
    leader.fill("#instruction-form #id_text", "请市场监管局两周内拿出推进方案")
    leader.click("#instruction-form button[type=submit]")
    expect(leader.locator(".messages")).to_contain_text("批示已送达落实单位")

    # The reporter finds it in the message centre and answers with what was done.
    reporter = login(people.market_reporter)
    reporter.goto(live_server.url + "/supervision/messages/")
    reporter.get_by_role("link", name="领导批示").first.click()
    reporter.get_by_role("link", name="前往办理").click()
    reporter.fill("#answer-text", "推进方案已报送领导审阅")
    reporter.click("#answer-form button[type=submit]")
    expect(reporter.locator("h1")).to_contain_text("已反馈")

    # The answer goes back to the leader, who closes the item.
    leader.goto(live_server.url + "/supervision/messages/")
    leader.get_by_role("link", name="领导批示已反馈").first.click()
    leader.get_by_role("link", name="前往办理").click()
    expect(leader.locator("#answer")).to_contain_text("推进方案已报送领导审阅")
    leader.click("#close-assignment")
    expect(leader.locator("h1")).to_contain_text("已办结")

    # The office records a meeting and a decision for the unit.
    office = login(people.office)
    office.goto(live_server.url + "/supervision/assignments/")
    office.select_option("#meeting-form #id_kind", "topic")
    office.fill("#meeting-form #id_title", "登记便利化专题会")
    office.fill("#meeting-form #id_held_on", "2021-06-20")
    office.click("#meeting-form button[type=submit]")
    expect(office.locator("h1")).to_have_text("登记便利化专题会")
    office.fill("#decision-form #id_text", "市场监管局制定登记便利化细则")
    office.select_option("#decision-form #id_organisation", label="市市场监管局")
    office.click("#decision-form button[type=submit]")
    expect(office.locator("#decisions")).to_contain_text("办理中")

    # The unit's head answers it; the office closes it.
    head = login(people.market_head)
    head.goto(live_server.url + "/supervision/assignments/?kind=decision")
    head.locator("#assignments a").first.click()
    head.fill("#answer-text", "细则已印发")
    head.click("#answer-form button[type=submit]")
    office.goto(head.url)
    office.click("#close-assignment")
    expect(office.locator("h1")).to_contain_text("已办结")

    # 容错免责: the reporter applies, the office grants it, the scores page shows it.
    reporter.goto(history)
    reporter.fill("#exemption_reason", "已按程序推进，因上级政策调整未能按期完成")
    reporter.fill("#exemption_evidence", "省厅复函")
    reporter.click("#exemption-form button[type=submit]")
    expect(reporter.locator("#exemptions")).to_contain_text("待认定")
    office.goto(history)
    office.click(".approve-exemption")
    expect(office.locator("#exemptions")).to_contain_text("予以免责")
    office.goto(live_server.url + "/scores/?start=2021-01-01")
    office.locator("#scores tr", has_text="市市场监管局").locator("summary").click()
    expect(office.locator("#scores")).to_contain_text("容错免责")
    # The item's whole life is on the measure's history.
    leader.goto(history)
    steps = leader.inner_text("#history")
    assert "领导批示" in steps and "推进方案已报送领导审阅" in steps
