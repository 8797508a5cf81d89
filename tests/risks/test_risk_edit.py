"""Risks are editable by the office or the raising unit while open (grades, owner, mitigation,
review date; the level follows the 3×3 matrix); an edit of an older copy is told what changed and
keeps the typed text; a risk past its review date reminds its owner through the 催办 ladder, once a
day, until it is reviewed or closed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from playwright.sync_api import expect

from luoshi.accounts.models import Person
from luoshi.audit.models import AuditEvent
from luoshi.plans.limits import StaleEdit
from luoshi.plans.models import Measure
from luoshi.risks.models import Grade, Risk
from luoshi.risks.services import risk_close, risk_edit, risk_raise
from luoshi.supervision.escalation import escalate
from luoshi.supervision.models import Urging


@pytest.fixture
def measure(imported_plan) -> Measure:
    return Measure.objects.get(task__plan=imported_plan, task__number=83, number=1)


def _raise(actor, measure, owner: str = "周建国") -> Risk:
    return risk_raise(
        actor=actor,
        task=measure.task,
        measure=measure,
        description="省级授权迟迟未下达",
        likelihood="high",
        impact="high",
        owner=owner,
        mitigation="提请协调",
        review_on=dt.date(2099, 1, 1),
    )


def _edit(risk: Risk, actor, version: int, **changes) -> Risk:
    fields: dict[str, Any] = {
        "description": risk.description,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "owner": risk.owner,
        "mitigation": risk.mitigation,
        "review_on": risk.review_on,
    } | changes
    return risk_edit(risk=risk, actor=actor, version=version, **fields)


@pytest.mark.django_db
def test_the_raising_unit_or_office_edits_an_open_risk_and_a_stale_edit_is_told(people, measure):
    risk = _raise(people.market_reporter, measure)
    with pytest.raises(PermissionDenied):  # 岳阳海关 supports 83.1 but did not raise it
        _edit(risk, people.customs_reporter, 0, likelihood="low")
    stale = Risk.objects.get(pk=risk.pk)
    edited = _edit(risk, people.market_head, 0, likelihood="low", mitigation="已取得口头授权")
    assert (edited.level, edited.version) == (Grade.MEDIUM, 1)  # low × high
    with pytest.raises(StaleEdit, match="现为：中风险") as told:
        _edit(stale, people.office, 0, owner="李四")
    assert told.value.version == 1
    assert Risk.objects.get(pk=risk.pk).owner == "周建国"
    _edit(stale, people.office, told.value.version, owner="李四")  # knowingly, after reading it
    risk_close(risk=Risk.objects.get(pk=risk.pk), actor=people.office)
    with pytest.raises(PermissionDenied):  # a closed risk is history
        _edit(Risk.objects.get(pk=risk.pk), people.office, 2, owner="王五")
    outcomes = AuditEvent.objects.filter(action="risk_edit").values_list("outcome", flat=True)
    assert sorted(outcomes) == ["refused", "refused", "success", "success"]


@pytest.mark.django_db
def test_a_risk_past_its_review_date_reminds_its_owner_once_a_day(people, measure, imported_plan):
    market = people.market_head.membership.organisation
    Person.objects.create(organisation=market, name="周建国", user=people.market_reporter)
    named = _raise(people.market_head, measure)  # owner 周建国 has a login: the reporter
    unnamed = _raise(people.market_head, measure, owner="外聘专家")  # no login: the unit's head
    office = _raise(people.office, measure, owner="片区办")  # the office's own: the office
    Risk.objects.filter(pk__in=[named.pk, unnamed.pk, office.pk]).update(
        review_on=dt.date(2030, 3, 1)
    )
    escalate(today=dt.date(2030, 3, 1), deliver=False)  # due today: not yet late
    assert not Urging.objects.filter(reason="risk_review").exists()
    escalate(today=dt.date(2030, 3, 5), deliver=False)
    sent = Urging.objects.filter(reason="risk_review", day=dt.date(2030, 3, 5))
    assert {(u.risk_id, u.recipient.username) for u in sent} == {
        (named.pk, "market_reporter"),
        (unnamed.pk, "market_head"),
        (office.pk, "office"),
    }
    assert "已逾期 4 天" in sent.get(risk=named).detail
    escalate(today=dt.date(2030, 3, 5), deliver=False)  # a second run the same day: nothing more
    assert sent.count() == 3
    risk_close(risk=named, actor=people.market_head)
    Risk.objects.filter(pk=unnamed.pk).update(review_on=dt.date(2030, 6, 1))  # reviewed
    escalate(today=dt.date(2030, 3, 6), deliver=False)
    later = Urging.objects.filter(reason="risk_review", day=dt.date(2030, 3, 6))
    assert list(later.values_list("risk_id", flat=True)) == [office.pk]


@pytest.mark.django_db(transaction=True)
def test_two_of_a_unit_edit_the_same_risk_through_the_page(open_page, live_server, people, measure):
    risk = _raise(people.market_reporter, measure)
    head, reporter = open_page(people.market_head), open_page(people.market_reporter)
    for page in (head, reporter):
        page.set_default_timeout(60000)
        page.goto(f"{live_server.url}/risks/")
        page.locator(f"#risk-{risk.pk}").get_by_role("link", name="修改").click()
    head.select_option("#id_likelihood", "low")
    head.click("#raise-risk")
    expect(head.locator(f"#risk-{risk.pk}")).to_contain_text("中")
    reporter.fill("#id_mitigation", "已取得省厅书面授权")
    reporter.click("#raise-risk")
    expect(reporter.locator("#risk-form [role=alert]")).to_contain_text("现为：中风险")
    assert reporter.input_value("#id_mitigation") == "已取得省厅书面授权"  # kept
    reporter.click("#raise-risk")  # knowingly
    expect(reporter.locator(f"#risk-{risk.pk}")).to_contain_text("已取得省厅书面授权")
    risk.refresh_from_db()
    assert (risk.mitigation, risk.version) == ("已取得省厅书面授权", 2)


@pytest.mark.django_db
def test_a_bad_edit_is_refused_field_by_field_in_the_users_language(people, measure):
    risk = _raise(people.market_reporter, measure)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _edit(
            risk, people.market_head, 0, owner=" ", likelihood="huge", review_on=dt.date(2000, 1, 1)
        )
    assert error.value.message_dict == {
        "owner": ["Required"],
        "likelihood": ["Choose low, medium or high"],
        "review_on": ["The review date cannot be before today"],
    }
    assert Risk.objects.get(pk=risk.pk).version == 0  # nothing written
