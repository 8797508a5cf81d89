"""In a real browser: a red measure → 催办 in the app and on the unit's robot → a 督办单 issued (.docx)
→ 签收 → reply with evidence → 办结, and the measure's history showing every step."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from docx import Document
from playwright.sync_api import expect

from luoshi.metrics.facts import load_facts
from luoshi.metrics.lights import Colour, lights_as_of
from luoshi.plans.models import Measure
from tests.conftest import PDF

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def login(open_page):
    """A signed-in page with a patient timeout: the machine running the suite may be busy."""

    def make(user):
        page = open_page(user)
        page.set_default_timeout(60000)
        return page

    return make


def test_a_red_measure_is_escalated_supervised_and_closed(
    login, live_server, people, cycle, robot, tmp_path, settings
):
    settings.LUOSHI_EVIDENCE_DIR = tmp_path / "evidence"
    # every late item proposed today (not only the five longest overdue), so this one is too
    settings.LUOSHI_ESCALATION = {**settings.LUOSHI_ESCALATION, "proposals_per_run": 1000}
    measure = Measure.objects.get(task__plan=cycle.plan, task__number=10)
    facts = load_facts(cycle.plan)
    from django.utils import timezone

    assert lights_as_of(facts, timezone.localdate())[measure.pk].colour == Colour.RED

    # The office gives 市市场监管局's 企业微信 group robot to the message centre.
    office = login(people.office)
    office.goto(live_server.url + "/supervision/channels/")
    office.select_option("#id_kind", "wecom")
    office.select_option("#id_organisation", label="市市场监管局")
    office.fill("#id_url", robot.url + "/cgi-bin/webhook/send?key=market")
    office.get_by_role("button", name="添加").click()
    expect(office.locator("main")).to_contain_text("企业微信机器人 · 市市场监管局")

    call_command("remind")  # the daily job

    # In the app: an unread message for the reporter, delivered to the robot as well.
    reporter = login(people.market_reporter)
    reporter.goto(live_server.url + "/supervision/messages/")
    assert reporter.inner_text("#unread .badge") == "1"
    assert "企业微信机器人：已送达" in reporter.inner_text("#messages")
    assert any(f"举措 {measure.code}" in text for text in robot.texts())
    assert all(r["path"].startswith("/cgi-bin/webhook/send?key=market") for r in robot.received)

    # The ladder proposed a 督办单; the office issues it from the measure's history.
    office.goto(live_server.url + f"/supervision/measures/{measure.pk}/")
    office.get_by_role("link", name="建议督办").first.click()
    office.select_option("#id_level", "key")
    office.fill("#id_requirement", "请于反馈期限内完成“一业一证”改革并书面反馈")
    office.get_by_role("button", name="下发").first.click()
    expect(office.locator("#notice-state")).to_have_text("已交办")
    label = office.inner_text("h1").split(" ")[0]
    assert label.startswith("督办〔")
    with office.expect_download() as download:
        office.click("#docx")
    text = "\n".join(
        p.text for p in Document(io.BytesIO(download.value.path().read_bytes())).paragraphs
    )
    assert label in text and "重点督办" in text and f"举措 {measure.code}" in text

    # The unit's head is told, opens it from the message centre and signs for it.
    head = login(people.market_head)
    head.goto(live_server.url + "/supervision/messages/")
    head.get_by_role("link", name=f"{label} 请签收").click()
    head.get_by_role("link", name="前往办理").click()
    head.wait_for_selector("#sign")
    head.click("#sign")
    expect(head.locator("#notice-state")).to_have_text("已签收")
    assert head.inner_text("#signed-at")

    # The reporter replies with evidence.
    reporter.goto(head.url)
    reporter.fill("#id_reply", "已印发实施方案，平台上线运行")
    evidence = tmp_path / "实施方案.pdf"
    evidence.write_bytes(PDF)
    reporter.set_input_files("#files", str(evidence))
    reporter.click("#reply")
    expect(reporter.locator("#notice-state")).to_have_text("已反馈")
    assert "实施方案.pdf" in reporter.inner_text("main")

    # The office closes it (销号).
    office.reload()
    office.click("#close")
    expect(office.locator("#notice-state")).to_have_text("已办结")

    # The measure's history, as the leader sees it, holds every step in order.
    leader = login(people.leader)
    leader.goto(live_server.url + f"/tasks/{measure.task_id}/")
    leader.get_by_role("link", name="办理与督办记录").first.click()
    history = leader.inner_text("#history")
    steps = [
        "催办 · 未按期报送 → 填报人",
        "催办 · 未按期报送 → 单位负责人",
        "催办 · 逾期 → 分管领导",
        "企业微信机器人（已送达）",
        f"{label} · 已交办",
        f"{label} · 已签收",
        f"{label} · 已反馈",
        "实施方案.pdf",
        f"{label} · 已办结",
    ]
    positions = [history.find(s) for s in steps]
    assert -1 not in positions, dict(zip(steps, positions, strict=True))
    assert positions[4:] == sorted(positions[4:])
