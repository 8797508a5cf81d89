"""The 催办 → 督办 ladder: who is told what, on which channel, once per reason and day."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.plans.models import Measure, Organisation
from luoshi.progress.services import report_draft, report_transition
from luoshi.supervision.escalation import escalate
from luoshi.supervision.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Message,
    Notice,
    NoticeState,
    Oversight,
    Reason,
    Rung,
    Urging,
)
from tests.conftest import ONCE, client_for

if TYPE_CHECKING:
    from typing import Any

    from django.contrib.auth.models import User
    from django.db.models import QuerySet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]
MARKET = "市市场监管局"


def urged(user: User, **filters: Any) -> QuerySet[Urging]:
    return Urging.objects.filter(recipient=user, **filters)


def test_the_ladder_climbs_with_the_days(people, cycle, market_measure, settings):
    settings.LUOSHI_ESCALATION = {**settings.LUOSHI_ESCALATION, "head_after_days": 7}
    report = report_draft(
        measure=market_measure, cycle=cycle, actor=people.market_reporter, work_done="推进中"
    )
    report_transition(report=report, action="submit", actor=people.market_reporter)
    seven_one = Measure.objects.get(task__plan=cycle.plan, task__number=7, number=1)

    escalate(today=dt.date(2021, 6, 30))  # due today: nobody is late yet
    assert not urged(people.market_reporter).exists()

    escalate(today=dt.date(2021, 7, 2))  # two days late: the reporter, not yet the head
    assert urged(people.market_reporter, measure=seven_one, reason=Reason.NO_REPORT).exists()
    assert not urged(people.market_reporter, measure=market_measure).exists()  # it was filed
    assert not urged(people.market_head, reason=Reason.NO_REPORT).exists()
    [message] = Message.objects.filter(recipient=people.market_reporter)
    assert "举措 7.1：2021年06月进展报告逾期 2 天未报送" in message.body

    escalate(today=dt.date(2021, 7, 8))  # a week late: the unit's head as well
    head = urged(people.market_head, measure=seven_one, reason=Reason.NO_REPORT).get()
    assert head.rung == Rung.HEAD and head.day == dt.date(2021, 7, 8)


def test_overdue_work_reaches_its_leader_and_the_office(people, cycle, imported_plan):
    other = people.leader.__class__.objects.create_user("leader2", "leader2@example.gov.cn")
    other.membership = None
    market = Organisation.objects.get(name=MARKET)
    Oversight.objects.create(leader=people.leader, organisation=market)

    escalate(today=dt.date(2022, 1, 5))  # 2021 deadlines have passed for unreported measures
    overdue = Urging.objects.filter(reason=Reason.OVERDUE, rung=Rung.LEADER)
    assert overdue.filter(recipient=people.leader).exists()
    proposals = Notice.objects.filter(state=NoticeState.PROPOSED)
    assert proposals.exists() and all(p.number is None for p in proposals)
    assert urged(people.office, rung=Rung.OFFICE).count() == proposals.count()
    # A measure of 市市场监管局 tells its own 分管领导; nobody outside the ladder hears of it.
    assert not Urging.objects.filter(recipient=other).exists()


def test_a_second_run_the_same_day_sends_nothing(people, cycle, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = escalate(today=dt.date(2021, 7, 9))
    assert first.urgings and first.messages and mail.outbox
    before = (
        Message.objects.count(),
        Urging.objects.count(),
        Notice.objects.count(),
        len(mail.outbox),
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = escalate(today=dt.date(2021, 7, 9))
    assert (again.urgings, again.messages, again.proposals) == (0, 0, 0)
    assert before == (
        Message.objects.count(),
        Urging.objects.count(),
        Notice.objects.count(),
        len(mail.outbox),
    )


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    day=st.dates(min_value=dt.date(2021, 6, 1), max_value=dt.date(2024, 3, 1)),
    head_after=st.integers(0, 20),
    red_cycles=st.integers(0, 3),
)
def test_escalating_twice_on_one_day_sends_nothing_new(people, cycle, day, head_after, red_cycles):
    from django.conf import settings as django_settings
    from django.db import transaction

    rules = {
        **django_settings.LUOSHI_ESCALATION,
        "head_after_days": head_after,
        "leader_red_cycles": red_cycles,
    }
    with transaction.atomic():
        old, django_settings.LUOSHI_ESCALATION = django_settings.LUOSHI_ESCALATION, rules
        try:
            escalate(today=day)
            counts = (Message.objects.count(), Urging.objects.count(), Notice.objects.count())
            again = escalate(today=day)
            assert (again.urgings, again.messages, again.proposals) == (0, 0, 0)
            assert counts == (
                Message.objects.count(),
                Urging.objects.count(),
                Notice.objects.count(),
            )
        finally:
            django_settings.LUOSHI_ESCALATION = old
            transaction.set_rollback(True)


def test_robots_and_sms_receive_the_reminder(
    people, cycle, robot, django_capture_on_commit_callbacks
):
    market = Organisation.objects.get(name=MARKET)
    Channel.objects.create(kind="wecom", organisation=market, url=robot.url + "/wecom")
    Channel.objects.create(
        kind="dingtalk", organisation=market, url=robot.url + "/ding?access_token=t", secret="s3"
    )
    Channel.objects.create(kind="sms", organisation=market, url=robot.url + "/sms", secret="tok")
    people.market_reporter.membership.phone = "13800000000"
    people.market_reporter.membership.save()

    with django_capture_on_commit_callbacks(execute=True):
        escalate(today=dt.date(2021, 7, 2))
    paths = sorted(r["path"].split("?")[0] for r in robot.received)
    assert paths == ["/ding", "/sms", "/wecom"]  # the reporter's digest; the head is not yet due
    [ding] = [r for r in robot.received if r["path"].startswith("/ding")]
    assert "timestamp=" in ding["path"] and "sign=" in ding["path"]  # 钉钉 加签
    [sms] = [r for r in robot.received if r["path"] == "/sms"]
    assert sms["body"]["mobile"] == "13800000000" and sms["auth"] == "Bearer tok"
    assert all("逾期 2 天未报送" in t for t in robot.texts() if t)
    assert "逾期 2 天未报送" in sms["body"]["content"]
    assert mail.outbox and all("催办提醒" in m.subject for m in mail.outbox)
    statuses = set(
        Delivery.objects.filter(message__recipient=people.market_reporter).values_list(
            "status", flat=True
        )
    )
    assert statuses == {DeliveryStatus.SENT}


def test_a_failing_robot_is_retried_and_shown_to_the_office(
    people, cycle, robot, settings, django_capture_on_commit_callbacks
):
    settings.LUOSHI_CHANNELS = {"retries": 2, "give_up_after": 3, "timeout": 2}
    market = Organisation.objects.get(name=MARKET)
    Channel.objects.create(kind="wecom", organisation=market, url=robot.url + "/wecom")
    robot.answers = [(200, {"errcode": 93000, "errmsg": "invalid webhook url"})] * 10
    with django_capture_on_commit_callbacks(execute=True):
        escalate(today=dt.date(2021, 7, 2))
    failed = Delivery.objects.get(kind="wecom", message__recipient=people.market_reporter)
    assert (failed.status, failed.attempts) == (DeliveryStatus.FAILED, 2)
    assert "93000" in failed.last_error

    page = client_for(people.office).get("/supervision/channels/")
    assert "invalid webhook url" in page.content.decode()

    robot.answers = []  # the robot works again: the next day's run delivers the old message too
    with django_capture_on_commit_callbacks(execute=True):
        escalate(today=dt.date(2021, 7, 3))
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (DeliveryStatus.SENT, 3)


def test_remind_runs_the_ladder_and_says_so(people, cycle, capsys):
    call_command("remind", "--as-of", "2021-07-02")
    out = capsys.readouterr().out
    assert "2021-07-02：催办" in out and Urging.objects.exists()
    with translation.override("en"):  # `luoshi --lang en remind`
        call_command("remind", "--as-of", "2021-07-02")
    said = capsys.readouterr().out
    assert "0 reminder(s) in 0 message(s), 0 supervision notice(s) proposed" in said, said


def test_the_message_centre_counts_unread(people, cycle):
    escalate(today=dt.date(2021, 7, 2))
    client = client_for(people.market_reporter)
    page = client.get("/supervision/messages/").content.decode()
    [message] = Message.objects.filter(recipient=people.market_reporter)
    assert 'id="unread"' in page and '<span class="badge">1</span>' in page
    client.get(f"/supervision/messages/{message.pk}/")
    message.refresh_from_db()
    assert message.read_at is not None
    assert '<span class="badge">' not in client.get("/supervision/messages/").content.decode()
    # Someone else's message is not there for them.
    assert (
        client_for(people.customs_reporter).get(f"/supervision/messages/{message.pk}/").status_code
        == 404
    )


def test_the_office_gets_a_handful_of_proposals_a_day(people, cycle, imported_plan, settings):
    settings.LUOSHI_ESCALATION = {**settings.LUOSHI_ESCALATION, "proposals_per_run": 3}
    proposed = Notice.objects.filter(state=NoticeState.PROPOSED)
    escalate(today=dt.date(2022, 1, 5), deliver=False)
    assert proposed.count() == 3  # dozens are overdue; the longest overdue come first
    escalate(today=dt.date(2022, 1, 5), deliver=False)
    assert proposed.count() == 3  # a second run the same day adds none
    escalate(today=dt.date(2022, 1, 6), deliver=False)
    assert proposed.count() == 6
    assert Urging.objects.filter(reason=Reason.OVERDUE, rung=Rung.LEADER).count() > 6


def test_a_message_reads_in_each_readers_language(
    people, cycle, django_capture_on_commit_callbacks
):
    """A digest sent while the site speaks Chinese reads in English to an English reader — inbox,
    message page and API — and in Chinese to a Chinese one; e-mail carries the site's language
    even from a run in English; a message stored before texts were kept reads as it was written."""
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        escalate(today=dt.date(2021, 7, 2))
    [message] = Message.objects.filter(recipient=people.market_reporter)
    assert mail.outbox and "催办提醒" in mail.outbox[0].subject  # outside channels: Chinese
    assert "逾期 2 天未报送" in mail.outbox[0].body
    english = client_for(people.market_reporter)
    english.cookies["django_language"] = "en"
    inbox = english.get("/supervision/messages/").content.decode()
    page = english.get(f"/supervision/messages/{message.pk}/").content.decode()
    api = english.get("/api/me/messages").json()
    for text in (inbox, page, f"{api[0]['subject']} {api[0]['body']}"):
        assert "Reminders (" in text and "催办提醒" not in text, text[:300]
    assert "Measure 7.1: the progress report for" in page and "days overdue" in page
    assert "逾期" not in api[0]["body"]
    chinese = client_for(people.market_reporter).get(f"/supervision/messages/{message.pk}/")
    assert "举措 7.1：2021年06月进展报告逾期 2 天未报送" in chinese.content.decode()
    old = Message.objects.create(recipient=people.market_reporter, subject="旧消息", body="原文")
    assert "旧消息" in english.get(f"/supervision/messages/{old.pk}/").content.decode()


def test_the_database_refuses_a_second_urging_about_the_same_item_on_a_day(people, market_measure):
    """On every database (SQLite cannot treat empty references as equal in a plain unique index):
    the same measure, reason, person and day twice is refused; another day or reason is not."""
    from django.db import IntegrityError, transaction

    message = Message.objects.create(recipient=people.market_reporter, subject="催办提醒")

    def urge(day: dt.date, reason: str = Reason.NO_REPORT) -> Urging:
        return Urging.objects.create(
            measure=market_measure,
            reason=reason,
            rung=Rung.REPORTER,
            recipient=people.market_reporter,
            day=day,
            message=message,
        )

    urge(dt.date(2021, 7, 2))
    with pytest.raises(IntegrityError), transaction.atomic():
        urge(dt.date(2021, 7, 2))
    urge(dt.date(2021, 7, 3))
    urge(dt.date(2021, 7, 2), Reason.OVERDUE)
    assert Urging.objects.filter(measure=market_measure).count() == 3
