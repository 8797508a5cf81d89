"""`luoshi remind`: the right mails to the right people, once a day."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command

from luoshi.progress.models import Reminder, Report
from luoshi.progress.services import report_draft, report_transition
from tests.conftest import ONCE

if TYPE_CHECKING:
    from django.core.mail import EmailMessage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def mails_to(address: str) -> list[EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


def test_remind_sends_due_and_review_mails_once(
    people, cycle, market_measure, imported_plan, django_capture_on_commit_callbacks
):
    # An approved report waits for the office; everything else of 市市场监管局 is due on 2021-06-30.
    report = report_draft(
        measure=market_measure,
        cycle=cycle,
        actor=people.market_reporter,
        progress_status="in_progress",
        percent=50,
        work_done="推进中",
    )
    report_transition(report=report, action="submit", actor=people.market_reporter)
    report_transition(report=report, action="approve", actor=people.market_head)

    call_command("remind", "--as-of", "2021-06-25", "--days", "7")
    assert {tuple(m.to) for m in mail.outbox} == {
        ("office@example.gov.cn",),
        ("market_reporter@example.gov.cn",),
        ("customs_reporter@example.gov.cn",),
        ("finance_reporter@example.gov.cn",),
    }
    [office_mail] = mails_to("office@example.gov.cn")
    assert f"举措 {market_measure.code} 待验收" in office_mail.body
    [market_mail] = mails_to("market_reporter@example.gov.cn")
    assert f"举措 {market_measure.code}" not in market_mail.body  # already submitted this cycle
    assert "举措 7.1 进展报告（06月30日前）" in market_mail.body

    call_command("remind", "--as-of", "2021-06-25", "--days", "7")
    assert len(mail.outbox) == 4  # nothing new the same day

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", "--as-of", "2021-07-03", "--days", "7")
    # Late: one mail, the 催办 ladder's, not a second one from the due-date reminders.
    [overdue] = [m for m in mails_to("market_reporter@example.gov.cn")][1:]
    assert "举措 7.1：2021年06月进展报告逾期 3 天未报送" in overdue.body
    assert not Reminder.objects.filter(sent_on=dt.date(2021, 7, 3), kind="overdue").exists()


def test_nothing_is_due_far_ahead(people, cycle):
    call_command("remind", "--as-of", "2021-06-01", "--days", "7")
    assert [m.to for m in mail.outbox] == []


def test_a_named_responsible_person_gets_the_mail(people, cycle, market_measure):
    from luoshi.accounts.services import responsible_person_set

    responsible_person_set(
        measure=market_measure, person=people.market_head, actor=people.market_head
    )
    call_command("remind", "--as-of", "2021-06-28")
    [head_mail] = mails_to("market_head@example.gov.cn")
    assert f"举措 {market_measure.code} 进展报告" in head_mail.body
    assert (
        f"举措 {market_measure.code} 进展报告"
        not in mails_to("market_reporter@example.gov.cn")[0].body
    )


def test_reminders_are_shown_in_the_app(people, cycle, market_measure):
    from tests.conftest import client_for

    items = (
        client_for(people.market_reporter).get("/api/me/reminders", {"as_of": "2021-06-28"}).json()
    )
    assert f"举措 {market_measure.code} 进展报告（06月30日前）" in [
        i["text"].split(" ", 1)[1] for i in items
    ]
    assert mail.outbox == []  # showing is not sending


def test_each_role_is_reminded_of_its_own_items_only(people, cycle, market_measure, imported_plan):
    """/api/me/reminders reads the caller's items only, and they are those the daily job has for
    them: a reporter their unit's reports due, a head the queue and the measures naming them 责任人,
    the office its 验收 queue, the others nothing."""
    from luoshi.accounts.services import responsible_person_set
    from luoshi.plans.models import Measure
    from luoshi.progress.reminders import reminders_for, reminders_of
    from tests.conftest import PERSONAS, client_for

    def led_by(unit: str) -> list[Measure]:
        return list(
            Measure.objects.filter(
                task__plan=imported_plan,
                responsibilities__organisation__name=unit,
                responsibilities__role="lead",
            ).order_by("task__number", "number")
        )

    def submit(measure: Measure, reporter: User) -> Report:
        report = report_draft(measure=measure, cycle=cycle, actor=reporter, work_done="推进中")
        report_transition(report=report, action="submit", actor=reporter)
        return report

    market, customs = led_by("市市场监管局"), led_by("岳阳海关")
    accepted = submit(market_measure, people.market_reporter)  # waits for the office's 验收
    report_transition(report=accepted, action="approve", actor=people.market_head)
    submit(next(m for m in market if m != market_measure), people.market_reporter)  # for the head
    submit(customs[0], people.customs_reporter)  # for 岳阳海关's head
    named = market[-1]  # its report is due from the head, named 责任人, not from the reporters
    responsible_person_set(measure=named, person=people.market_head, actor=people.market_head)

    everyone = reminders_for(today=dt.date(2021, 6, 28), days=7)
    shown = {
        name: client_for(getattr(people, name))
        .get("/api/me/reminders", {"as_of": "2021-06-28"})
        .json()
        for name in PERSONAS
        if name not in ("auditor", "sysadmin", "secadmin")  # 三权分立: refused (permission matrix)
    }
    for name, items in shown.items():
        user = getattr(people, name)
        expected = sorted(i.key for i in everyone.get(user, []))
        assert sorted(i["key"] for i in items) == expected, name
        mine = reminders_of(user, today=dt.date(2021, 6, 28), days=7)  # 我的任务's read model
        assert sorted(i.key for i in mine) == expected, name
    kinds = {name: {i["kind"] for i in items} for name, items in shown.items()}
    assert kinds["office"] == {"review"} and kinds["customs_head"] == {"review"}
    assert kinds["market_head"] == {"review", "due_soon"}
    assert kinds["market_reporter"] == kinds["finance_reporter"] == {"due_soon"}
    assert kinds["leader"] == kinds["evaluator"] == kinds["province"] == set()
    assert f"report:{named.pk}:{cycle.pk}" not in {i["key"] for i in shown["market_reporter"]}
