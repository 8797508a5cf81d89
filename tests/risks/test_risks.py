"""The risk register: a unit or the office raises a risk; an open high risk turns the light yellow
with its reason, shows on the task page, the dashboard and the 工作通报, as of the days it was open."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document
from playwright.sync_api import expect

from luoshi.audit.models import AuditEvent
from luoshi.metrics.facts import load_facts
from luoshi.metrics.lights import Colour, lights_as_of
from luoshi.paperwork.briefing import briefing_docx
from luoshi.plans.models import Measure
from luoshi.risks.models import Grade, Risk, level_of
from luoshi.risks.services import risk_close, risk_raise
from tests.conftest import client_for


def _on(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 3, tzinfo=dt.UTC))


def _raise(actor, measure, likelihood="high", impact="high", **extra):
    fields: dict[str, Any] = {
        "description": "省级授权迟迟未下达，举措可能无法推进",
        "owner": "周建国",
        "mitigation": "提请领导小组协调",
        "review_on": dt.date(2099, 1, 1),
    } | extra
    return risk_raise(
        actor=actor,
        task=measure.task,
        measure=measure,
        likelihood=likelihood,
        impact=impact,
        **fields,
    )


def test_the_level_follows_likelihood_and_impact():
    assert level_of("high", "medium") == Grade.HIGH
    assert level_of("medium", "medium") == Grade.MEDIUM
    assert level_of("low", "high") == Grade.MEDIUM
    assert level_of("low", "medium") == Grade.LOW


@pytest.mark.django_db
def test_an_open_high_risk_warns_while_open_and_is_in_the_briefing(people, imported_plan):
    measure = Measure.objects.get(task__plan=imported_plan, task__number=83, number=1)
    with _on(dt.date(2021, 3, 1)):
        risk = _raise(people.market_reporter, measure, review_on=dt.date(2021, 6, 1))
    with _on(dt.date(2021, 4, 1)):
        risk_close(risk=risk, actor=people.office)
    march = dt.date(2021, 3, 15)
    light = lights_as_of(load_facts(imported_plan, march), march)[measure.pk]
    assert light.colour >= Colour.YELLOW and any(
        r.startswith("高风险：省级授权") for r in light.reasons
    )
    for day in (dt.date(2021, 2, 28), dt.date(2021, 4, 2)):  # before it was raised, after closed
        assert not any(
            "高风险" in r
            for r in lights_as_of(load_facts(imported_plan, day), day)[measure.pk].reasons
        )
    text = "\n".join(
        c.text
        for t in Document(io.BytesIO(briefing_docx(imported_plan, march))).tables
        for row in t.rows
        for c in row.cells
    )
    assert "省级授权迟迟未下达" in text
    assert list(
        AuditEvent.objects.filter(action__startswith="risk_")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["risk_raise", "risk_close"]


@pytest.mark.django_db
def test_outsiders_cannot_raise_or_close_and_bad_input_is_told(people, imported_plan):
    measure = Measure.objects.get(task__plan=imported_plan, task__number=83, number=1)
    with pytest.raises(PermissionDenied):
        _raise(people.finance_reporter, measure)  # 市财政局 has no duty on task 83
    with pytest.raises(PermissionDenied):
        _raise(people.leader, measure)
    with pytest.raises(ValidationError) as error:
        _raise(
            people.market_reporter,
            measure,
            likelihood="huge",
            owner="",
            review_on=dt.date(2020, 1, 1),
        )
    assert set(error.value.message_dict) == {"likelihood", "owner", "review_on"}
    risk = _raise(people.office, measure)
    with pytest.raises(PermissionDenied):
        risk_close(
            risk=risk, actor=people.market_reporter
        )  # raised by the office: the office closes
    assert AuditEvent.objects.filter(outcome="refused").count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_unit_raises_a_risk_the_leader_sees_it_the_office_closes_it(
    open_page, live_server, people, imported_plan
):
    measure = Measure.objects.get(task__plan=imported_plan, task__number=83, number=1)
    reporter = open_page(people.market_reporter)
    reporter.set_default_timeout(60000)
    reporter.goto(live_server.url + "/my/")
    reporter.get_by_role("link", name="风险", exact=True).click()
    reporter.fill("#id_where", "83.9")  # no such measure: told, the text kept
    reporter.fill("#id_description", "省级授权迟迟未下达，举措可能无法推进")
    reporter.select_option("#id_likelihood", "high")
    reporter.select_option("#id_impact", "high")
    reporter.fill("#id_owner", "周建国")
    reporter.fill("#id_mitigation", "提请领导小组协调")
    reporter.fill("#id_review_on", "2099-01-01")
    reporter.click("#raise-risk")
    expect(reporter.locator("#risk-form")).to_contain_text("没有编号为 83.9 的举措")
    assert reporter.input_value("#id_description") == "省级授权迟迟未下达，举措可能无法推进"
    reporter.fill("#id_where", "83.1")
    reporter.click("#raise-risk")
    expect(reporter.locator("#risks")).to_contain_text("省级授权迟迟未下达")
    leader = open_page(people.leader)
    leader.goto(live_server.url + "/dashboard/")
    expect(leader.locator("#high-risks")).to_contain_text("任务 83")
    # 大屏: the same dashboard for the leading group's meeting room, without navigation.
    leader.click("#screen-mode")
    expect(leader.locator("body.screen #high-risks")).to_contain_text("任务 83")
    expect(leader.locator("header.top")).to_be_hidden()
    leader.click("#leave-screen")
    expect(leader.locator("header.top")).to_be_visible()
    leader.goto(live_server.url + f"/tasks/{measure.task_id}/")
    expect(leader.locator("#high-risks")).to_contain_text("省级授权迟迟未下达")
    expect(leader.locator(f"#measure-{measure.pk}")).to_contain_text("高风险：省级授权")
    office = open_page(people.office)
    office.goto(live_server.url + "/risks/")
    office.get_by_role("button", name="标记已化解").click()
    expect(office.locator("#risks")).to_contain_text("已化解")
    leader.goto(live_server.url + "/dashboard/")
    expect(leader.locator("#high-risks")).to_contain_text("无未化解的高风险")


@pytest.mark.django_db
def test_closing_a_risk_a_colleague_closed_meanwhile_says_so(people, imported_plan):
    measure = Measure.objects.get(task__plan=imported_plan, task__number=83, number=1)
    risk = _raise(people.market_reporter, measure)
    first, second = (Risk.objects.get(pk=risk.pk) for _ in range(2))
    risk_close(risk=first, actor=people.office)
    with pytest.raises(ValidationError, match="可能刚被他人处理"):
        risk_close(risk=second, actor=people.market_head)  # read before the office closed it
    page = client_for(people.market_head).post(f"/risks/{risk.pk}/close/", follow=True)
    assert page.status_code == 200 and "标记化解（可能刚被他人处理）" in page.content.decode()
    with pytest.raises(PermissionDenied):  # someone who could never close it is still refused
        risk_close(risk=Risk.objects.get(pk=risk.pk), actor=people.leader)
    closes = AuditEvent.objects.filter(action="risk_close", object_id=str(risk.pk))
    assert sorted(closes.values_list("outcome", flat=True)) == ["refused", "success"]
