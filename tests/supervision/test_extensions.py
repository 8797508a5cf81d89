"""延期申请: asked by the lead unit, decided by the office; an approved one moves the deadline in force
from the decision's date on, keeps the original beside it, and changes no figure as of an earlier day."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.audit.models import AuditEvent, Outcome
from luoshi.metrics.headline import headline
from luoshi.plans.models import Measure
from luoshi.progress.timing import deadline_in_force
from luoshi.supervision.extensions import extension_decide, extension_request
from luoshi.supervision.models import ExtensionState
from tests.conftest import ONCE, client_for

if TYPE_CHECKING:
    from types import SimpleNamespace

    from luoshi.plans.models import Plan
    from luoshi.supervision.models import Notice

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]


def later(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days)


def test_the_lead_unit_asks_and_the_office_decides(people, market_measure):
    with pytest.raises(PermissionDenied):
        extension_request(
            measure=market_measure,
            actor=people.customs_reporter,
            requested_due=later(90),
            reason="x",
        )
    assert AuditEvent.objects.filter(action="extension_request", outcome=Outcome.REFUSED).exists()
    with pytest.raises(ValidationError) as bad:
        extension_request(
            measure=market_measure, actor=people.market_reporter, requested_due=later(-1), reason=""
        )
    assert set(bad.value.message_dict) == {"requested_due", "reason"}
    asked = extension_request(
        measure=market_measure,
        actor=people.market_reporter,
        requested_due=later(90),
        reason="需省级部门授权",
    )
    written = market_measure.deadline_in_force[1]
    assert asked.original_due == written and asked.state == ExtensionState.PENDING
    with pytest.raises(PermissionDenied):
        extension_decide(extension=asked, actor=people.market_head, approve=True)
    with pytest.raises(ValidationError):
        extension_decide(extension=asked, actor=people.office, approve=False, note="")
    stale = type(asked).objects.get(pk=asked.pk)  # a second office user's copy
    extension_decide(extension=asked, actor=people.office, approve=True)
    with pytest.raises(ValidationError):  # told it is decided; the approval stands
        extension_decide(extension=stale, actor=people.office, approve=False, note="不同意")
    today = timezone.localdate()
    assert deadline_in_force(written, today, measure_id=market_measure.pk) == later(90)
    yesterday = today - dt.timedelta(1)
    assert deadline_in_force(written, yesterday, measure_id=market_measure.pk) == written
    # The task (its only measure) is held to the new date too; overdue no more from today.
    assert market_measure.task_id not in [
        late.task.id for late in headline(market_measure.task.plan, today).overdue
    ]
    page = client_for(people.leader).get(f"/supervision/measures/{market_measure.pk}/")
    text = page.content.decode()
    assert f"原定 {written:%Y-%m-%d}，延期至 {later(90):%Y-%m-%d}" in text
    assert AuditEvent.objects.filter(action="extension_approve", object_id=str(asked.pk)).exists()


def _figures(plan: Plan, day: dt.date) -> tuple[object, ...]:
    h = headline(plan, day)
    return (
        h.rate,
        h.measure_rate,
        [(late.task.id, late.days) for late in h.overdue],
        [(late.task.id, late.days) for late in h.due_soon],
        {m: (light.colour, tuple(light.reasons)) for m, light in h.measure_lights.items()},
        {m.id: m.due_date for m in h.facts.measures.values()},
    )


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    task_number=st.integers(1, 88),
    extra_days=st.integers(1, 1500),
    days_before=st.integers(1, 2500),
)
def test_an_extension_changes_no_figure_as_of_an_earlier_day(
    people, imported_plan, task_number, extra_days, days_before
):
    measure = Measure.objects.filter(task__plan=imported_plan, task__number=task_number).first()
    assert measure is not None
    earlier = timezone.localdate() - dt.timedelta(days_before)
    with transaction.atomic():
        before = _figures(imported_plan, earlier)
        lead = people.market_reporter.__class__.objects.get(username="market_reporter")
        from luoshi.supervision.models import Extension

        extension = Extension.objects.create(  # any lead unit's request; the decision is the point
            measure=measure,
            organisation=lead.membership.organisation,
            original_due=measure.deadline_in_force[1],
            requested_due=later(extra_days),
            reason="理由",
            requested_by=lead,
        )
        extension_decide(extension=extension, actor=people.office, approve=True)
        assert _figures(imported_plan, earlier) == before
        today = timezone.localdate()  # and from the decision on, the new deadline is in force
        assert headline(imported_plan, today).facts.measures[measure.pk].due_date == later(
            extra_days
        )
        transaction.set_rollback(True)


def _key_notice(people: SimpleNamespace, measure: Measure) -> Notice:
    from luoshi.supervision.services import notice_issue

    return notice_issue(
        actor=people.office,
        level="key",
        reason="overdue",
        requirement="抓紧办理",
        reply_due=later(10),
        organisation=people.market_reporter.membership.organisation,
        measure=measure,
    )


def test_a_key_items_long_extension_needs_its_leader(people, market_measure, settings):
    from luoshi.supervision.models import Message, Oversight

    settings.LUOSHI_EXTENSION_LEADER_DAYS = 30
    _key_notice(people, market_measure)
    written = market_measure.deadline_in_force[1]
    asked = extension_request(
        measure=market_measure, actor=people.market_reporter, requested_due=later(90), reason="授权"
    )
    # the leader does not decide before the office, and is told so in the page's language
    with translation.override("en"), pytest.raises(PermissionDenied, match="of: FTZ office"):
        extension_decide(extension=asked, actor=people.leader, approve=True)
    extension_decide(extension=asked, actor=people.office, approve=True, note="同意，报领导")
    assert asked.state == ExtensionState.LEADER and asked.decided_on is None
    today = timezone.localdate()
    assert deadline_in_force(written, today, measure_id=market_measure.pk) == written
    assert Message.objects.filter(recipient=people.leader, subject__contains="待分管领导审批")
    # The office cannot finish it alone; its page left open says where the request is, no refusal.
    with pytest.raises(ValidationError, match="待分管领导审批"):
        extension_decide(extension=asked, actor=people.office, approve=True)
    # Once a 分管领导 is named for the unit, only that leader decides.
    other = people.leader.__class__.objects.create_user("leader2")
    Oversight.objects.create(leader=other, organisation=asked.organisation)
    with pytest.raises(PermissionDenied):
        extension_decide(extension=asked, actor=people.leader, approve=True)
    page = client_for(people.leader).get(f"/supervision/measures/{market_measure.pk}/")
    assert "approve-extension" not in page.content.decode()
    Oversight.objects.filter(leader=other).update(leader=people.leader)
    page = client_for(people.leader).post(f"/supervision/extensions/{asked.pk}/approve/")
    asked.refresh_from_db()
    assert page.status_code == 302 and asked.state == ExtensionState.APPROVED
    assert asked.decided_by == people.leader and asked.office_by == people.office
    assert deadline_in_force(written, today, measure_id=market_measure.pk) == later(90)
    refusals = AuditEvent.objects.filter(action="extension_approve", outcome=Outcome.REFUSED)
    assert refusals.count() == 2
    assert Message.objects.filter(recipient=people.market_reporter, subject__contains="已批准")


def test_a_short_extension_or_a_plain_item_needs_only_the_office(
    people, market_measure, customs_supported_measure, settings
):
    settings.LUOSHI_EXTENSION_LEADER_DAYS = 30
    _key_notice(people, market_measure)
    assert market_measure.deadline_in_force[1] < timezone.localdate()  # already late
    short = extension_request(
        measure=market_measure, actor=people.market_reporter, requested_due=later(20), reason="短期"
    )
    extension_decide(extension=short, actor=people.office, approve=True)
    assert short.state == ExtensionState.APPROVED  # 20 more days: the office alone
    plain = extension_request(
        measure=customs_supported_measure,
        actor=people.market_reporter,
        requested_due=later(400),
        reason="长期",
    )
    extension_decide(extension=plain, actor=people.office, approve=True)
    assert plain.state == ExtensionState.APPROVED  # not under 重点/挂牌督办


def test_the_original_deadline_is_shown_beside_the_extended_one(people, market_measure):
    from luoshi.paperwork.ledger import ledger_xlsx
    from luoshi.paperwork.workplan import workplan_rows

    written = market_measure.deadline_in_force[1]
    asked = extension_request(
        measure=market_measure, actor=people.market_reporter, requested_due=later(90), reason="授权"
    )
    extension_decide(extension=asked, actor=people.office, approve=True)
    note = f"原定 {written:%Y-%m-%d}，延期至 {later(90):%Y-%m-%d}"
    reporter = client_for(people.market_reporter)
    assert note in reporter.get(f"/tasks/{market_measure.task_id}/").content.decode()
    assert note in reporter.get("/my/").content.decode()
    [mine] = [m for m in reporter.get("/api/me/measures").json() if m["id"] == market_measure.pk]
    assert mine["due_date"] == f"{later(90):%Y-%m-%d}"
    assert mine["original_due_date"] == f"{written:%Y-%m-%d}" and mine["deadline_note"] == note
    organisation = people.market_reporter.membership.organisation
    [row] = [r for r in workplan_rows(market_measure.task.plan, organisation) if r[1] == "10.1"]
    assert note in row[4]
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(
        io.BytesIO(ledger_xlsx(market_measure.task.plan, timezone.localdate(), organisation))
    ).worksheets[0]
    assert note in [c.value for c in sheet["H"]]
    # As of a day before the decision, the ledger shows the deadline as it stood then.
    earlier = ledger_xlsx(
        market_measure.task.plan, timezone.localdate() - dt.timedelta(1), organisation
    )
    assert note not in [c.value for c in load_workbook(io.BytesIO(earlier)).worksheets[0]["H"]]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_extension_decided_from_two_clients_says_who_and_when(people, market_measure, language):
    """Two office tabs on one 延期申请: the second is told who decided, when, and where the request is
    now, in its own language, and the note it typed back; the first decision stands."""
    asked = extension_request(
        measure=market_measure, actor=people.market_reporter, requested_due=later(30), reason="授权"
    )
    url = f"/supervision/extensions/{asked.pk}"
    first, second = client_for(people.office), client_for(people.office)
    second.cookies["django_language"] = language
    assert first.post(f"{url}/approve/").status_code == 302
    page = second.post(f"{url}/refuse/", {"note": "工期论证不充分，不同意"}, follow=True)
    text = page.content.decode()
    asked.refresh_from_db()
    assert page.status_code == 200 and asked.state == ExtensionState.APPROVED
    assert "工期论证不充分，不同意" in text  # the note typed in the stale tab is given back
    if language == "en":
        assert re.search(r"片区办 decided this request at \d\d:\d\d; it is now", text), text
    else:
        assert re.search(r"该申请已于 \d\d:\d\d 由 片区办 审批，当前状态：已批准", text), text


def test_a_stale_decision_names_the_day_when_it_was_not_today(people, market_measure, monkeypatch):
    """A decision taken on an earlier day reads with its day (and the time). The request and the
    decision are made three days ago (the audit trail is append-only: its rows cannot be moved)."""
    now = timezone.now
    earlier = now() - dt.timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: earlier)
    asked = extension_request(
        measure=market_measure, actor=people.market_reporter, requested_due=later(30), reason="授权"
    )
    stale = type(asked).objects.get(pk=asked.pk)
    extension_decide(extension=asked, actor=people.office, approve=True)
    monkeypatch.setattr(timezone, "now", now)
    with pytest.raises(ValidationError) as told:
        extension_decide(extension=stale, actor=people.office, approve=False, note="不同意")
    local = timezone.localtime(earlier)
    expected = f"该申请已于 {local.month}月{local.day}日 {local:%H:%M} 由 片区办 审批"
    assert expected in told.value.message_dict["state"][0]
