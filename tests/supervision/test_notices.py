"""督办单: numbered per year, a Word file in 公文 layout, 签收 → 反馈 → 办结 or 退回, the 台账 and
its export; late steps escalate; closing a cycle records what was missed or late."""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from luoshi.audit.models import AuditEvent, Outcome
from luoshi.plans.models import Organisation
from luoshi.progress.models import CycleStatus
from luoshi.progress.services import report_draft, report_transition
from luoshi.supervision.escalation import escalate
from luoshi.supervision.models import CycleMark, Message, NoticeState, Reason, Urging
from luoshi.supervision.selectors import measure_history, notice_counts
from luoshi.supervision.services import (
    cycle_close,
    notice_decide,
    notice_issue,
    notice_reply,
    notice_sign,
)
from tests.conftest import ONCE, PDF, client_for

if TYPE_CHECKING:
    from types import SimpleNamespace
    from typing import Any

    from luoshi.plans.models import Measure
    from luoshi.supervision.models import Notice

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]


@pytest.fixture
def market(people):
    return Organisation.objects.get(name="市市场监管局")


def issue(
    people: SimpleNamespace, market: Organisation, measure: Measure | None = None, **extra: Any
) -> Notice:
    fields: dict[str, Any] = {
        "level": "key",
        "reason": Reason.OVERDUE,
        "requirement": "请于期限内完成并书面反馈",
        "reply_due": timezone.localdate() + dt.timedelta(10),
        "organisation": market,
        "measure": measure,
    }
    return notice_issue(actor=people.office, **(fields | extra))


def test_numbers_run_per_year_and_the_word_file_reads_as_an_official_notice(
    people, market, market_measure
):
    first, second = issue(people, market, market_measure), issue(people, market)
    year = timezone.localdate().year
    assert (first.label, second.label) == (f"督办〔{year}〕1号", f"督办〔{year}〕2号")
    response = client_for(people.market_reporter).get(f"/supervision/notices/{first.pk}/docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert f"督办〔{year}〕1号" in text and "重点督办" in text and "市市场监管局" in text
    assert f"举措 {market_measure.code}" in text and "请于期限内完成并书面反馈" in text
    assert "领导小组办公室" in text
    section = Document(io.BytesIO(response.content)).sections[0]  # 公文 page: A4, numbered
    assert section.page_width and section.page_height and section.top_margin
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 37 and "PAGE" in section.footer._element.xml
    # The unit is told in the message centre.
    assert Message.objects.filter(recipient=people.market_head, subject__contains="请签收").exists()


def test_sign_reply_and_close_each_leave_a_step(people, market, market_measure):
    notice = issue(people, market, market_measure)
    with pytest.raises(PermissionDenied):
        notice_sign(notice=notice, actor=people.customs_reporter)  # not their unit
    assert AuditEvent.objects.filter(action="notice_sign", outcome=Outcome.REFUSED).exists()
    notice_sign(notice=notice, actor=people.market_head)
    assert notice.signed_at is not None and notice.state == NoticeState.SIGNED
    with pytest.raises(ValidationError):
        notice_reply(notice=notice, actor=people.market_reporter, text="", files=[])
    with pytest.raises(ValidationError):  # a file that is not what its name says: nothing stored
        notice_reply(
            notice=notice,
            actor=people.market_reporter,
            text="已办",
            files=[(io.BytesIO(b"x"), "a.pdf")],
        )
    notice.refresh_from_db()
    assert notice.state == NoticeState.SIGNED and not notice.files.exists()
    notice_reply(
        notice=notice,
        actor=people.market_reporter,
        text="已完成整改",
        files=[(io.BytesIO(PDF), "整改.pdf")],
    )
    with pytest.raises(ValidationError):
        notice_decide(
            notice=notice, actor=people.office, close=False, comment=""
        )  # 退回 needs a reason
    notice_decide(notice=notice, actor=people.office, close=False, comment="请补充佐证")
    assert notice.state == NoticeState.RETURNED
    notice_reply(notice=notice, actor=people.market_reporter, text="已补充", files=[])
    with pytest.raises(PermissionDenied):
        notice_decide(notice=notice, actor=people.market_head, close=True)
    notice_decide(notice=notice, actor=people.office, close=True)
    assert notice.state == NoticeState.CLOSED and notice.closed_at is not None
    actions = list(notice.events.values_list("action", flat=True))
    assert actions == ["issue", "sign", "reply", "return", "reply", "close"]
    history = [s.text for s in measure_history(market_measure, people.leader)]
    assert sum(notice.label in t for t in history) == 6
    file = notice.files.get()
    download = client_for(people.leader).get(f"/supervision/notices/{notice.pk}/files/{file.pk}")
    assert download.content == PDF


def test_late_signing_and_late_replies_escalate(people, market, market_measure, settings):
    notice = issue(people, market, market_measure)
    issued_on = timezone.localdate(notice.issued_at)
    days = settings.LUOSHI_ESCALATION["sign_within_days"]
    escalate(today=issued_on + dt.timedelta(days), deliver=False)
    assert not Urging.objects.filter(notice=notice).exists()  # still within the time to sign
    escalate(today=issued_on + dt.timedelta(days + 1), deliver=False)
    assert Urging.objects.filter(
        notice=notice, reason=Reason.UNSIGNED, recipient=people.market_head
    ).exists()
    assert Urging.objects.filter(
        notice=notice, reason=Reason.UNSIGNED, recipient=people.leader
    ).exists()
    notice_sign(notice=notice, actor=people.market_head)
    assert notice.reply_due is not None
    escalate(today=notice.reply_due + dt.timedelta(1), deliver=False)
    assert Urging.objects.filter(notice=notice, reason=Reason.NO_REPLY).exists()
    assert notice_counts(notice.reply_due + dt.timedelta(1))["late"] == 1


def test_the_register_filters_and_exports_what_the_user_may_see(people, market, imported_plan):
    key = issue(people, market)
    customs = Organisation.objects.get(name="岳阳海关")
    issue(people, customs, level="listed")
    office = client_for(people.office)
    page = office.get("/supervision/", {"level": "key"}).content.decode()
    assert (
        key.label in page and "挂牌督办" not in page.split('id="notices"')[1].split("</table>")[0]
    )
    sheet = load_workbook(io.BytesIO(office.get("/supervision/export.xlsx").content)).worksheets[0]
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        n.label for n in reversed(list(key.__class__.objects.order_by("number")))
    ]
    mine = load_workbook(
        io.BytesIO(client_for(people.market_reporter).get("/supervision/export.xlsx").content)
    ).worksheets[0]
    assert [r[1] for r in mine.iter_rows(min_row=2, values_only=True)] == ["市市场监管局"]


def test_closing_a_cycle_records_missed_and_late_reports(
    people, cycle, market_measure, customs_supported_measure
):
    on_time = report_draft(
        measure=market_measure, cycle=cycle, actor=people.market_reporter, work_done="推进中"
    )
    report_transition(report=on_time, action="submit", actor=people.market_reporter)
    late = report_draft(
        measure=customs_supported_measure,
        cycle=cycle,
        actor=people.market_reporter,
        work_done="推进中",
    )
    report_transition(report=late, action="submit", actor=people.market_reporter)
    for report, day in ((on_time, 28), (late, 34)):  # 34 June: 4 July
        report.__class__.objects.filter(pk=report.pk).update(
            submitted_at=timezone.make_aware(dt.datetime(2021, 6, 1, 10) + dt.timedelta(day - 1))
        )
    counts = cycle_close(cycle=cycle, actor=people.office)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED
    assert CycleMark.objects.get(measure=customs_supported_measure).days_late == 4
    assert not CycleMark.objects.filter(measure=market_measure).exists()
    assert (
        counts["late"] == 1
        and counts["missed"] == CycleMark.objects.filter(kind="missed").count() > 0
    )
    with pytest.raises(ValidationError):  # no new reports for a closed cycle
        report_draft(
            measure=customs_supported_measure.task.measures.exclude(
                pk=customs_supported_measure.pk
            ).first(),
            cycle=cycle,
            actor=people.market_reporter,
        )
    # A closed cycle asks nobody for its reports any more.
    escalate(today=dt.date(2021, 7, 9), deliver=False)
    assert not Urging.objects.filter(reason=Reason.NO_REPORT).exists()
    with pytest.raises(PermissionDenied):
        cycle_close(cycle=cycle, actor=people.market_head)


def test_the_dashboard_and_the_briefing_count_notices_as_of_their_date(
    people, market, imported_plan
):
    from luoshi.paperwork.briefing import briefing_docx

    notice = issue(people, market)
    notice_sign(notice=notice, actor=people.market_head)
    notice_reply(notice=notice, actor=people.market_reporter, text="已办", files=[])
    notice_decide(notice=notice, actor=people.office, close=True)
    issue(people, market)
    today = timezone.localdate()
    page = client_for(people.leader).get("/dashboard/").content.decode()
    assert "累计下发督办单 2 件，已办结 1 件" in page
    words = "\n".join(
        p.text for p in Document(io.BytesIO(briefing_docx(imported_plan, today))).paragraphs
    )
    assert "累计下发督办单2件，已办结1件，在办1件" in words
    earlier = "\n".join(
        p.text
        for p in Document(
            io.BytesIO(briefing_docx(imported_plan, today - dt.timedelta(1)))
        ).paragraphs
    )
    assert "累计下发督办单0件" in earlier  # a briefing as of yesterday knows nothing of today's


def test_problems_from_reports_are_collected_as_of_their_date(people, cycle, market_measure):
    report = report_draft(
        measure=market_measure,
        cycle=cycle,
        actor=people.market_reporter,
        work_done="已起草实施细则",
        problems="需省级部门授权，正在对接",
    )
    report_transition(report=report, action="submit", actor=people.market_reporter)
    today = timezone.localdate()
    page = client_for(people.leader).get("/supervision/problems/", {"as_of": f"{today}"})
    assert "需省级部门授权，正在对接" in page.content.decode()
    earlier = client_for(people.leader).get(
        "/supervision/problems/", {"as_of": f"{today - dt.timedelta(1)}"}
    )
    assert "需省级部门授权" not in earlier.content.decode()  # not yet filed then
    assert client_for(people.market_reporter).get("/supervision/problems/").status_code == 403


@pytest.mark.parametrize(
    ("step", "state", "actor", "form"),
    [
        ("sign", NoticeState.ISSUED, "market_head", {}),
        ("reply", NoticeState.SIGNED, "market_reporter", {"reply": "已完成整改，附文件"}),
        ("close", NoticeState.REPLIED, "office", {}),
        ("return", NoticeState.REPLIED, "office", {"comment": "请补充佐证材料"}),
        ("drop", NoticeState.PROPOSED, "office", {}),
        ("issue", NoticeState.PROPOSED, "office", {"level": "key", "reason": "red"}),
    ],
)
def test_a_notice_step_from_two_clients_is_done_once_and_the_second_is_told(
    people, market, market_measure, step, state, actor, form
):
    """Two tabs (or two colleagues) on one 督办单: the first does the step; the second is told who did
    what and where the 督办单 is now — no refusal, no second step — and gets back what it typed."""
    from luoshi.supervision.models import Notice

    if state == NoticeState.PROPOSED:
        notice = Notice.objects.create(
            state=state, level="general", reason="red", organisation=market, measure=market_measure
        )
        form = (
            form | {"requirement": "抓紧", "reply_due": "2099-01-01"} if step == "issue" else form
        )
    else:
        notice = issue(people, market, market_measure)
        if state != NoticeState.ISSUED:
            notice_sign(notice=notice, actor=people.market_head)
        if state == NoticeState.REPLIED:
            notice_reply(notice=notice, actor=people.market_reporter, text="已办", files=[])
    url = f"/supervision/notices/{notice.pk}/{step}/"
    user = getattr(people, actor)
    first, second = client_for(user), client_for(user)
    assert first.post(url, form).status_code == 302
    steps = notice.events.count()
    page = second.post(url, form, follow=True)
    text = page.content.decode()
    assert page.status_code == 200 and "请刷新后再操作" in text, text[:500]
    notice.refresh_from_db()
    assert f"当前状态：{notice.get_state_display()}" in text
    assert notice.events.count() == steps  # nothing done twice
    for typed in form.values():
        if len(typed) > 6:
            assert typed in text
    assert not AuditEvent.objects.filter(outcome=Outcome.REFUSED)
