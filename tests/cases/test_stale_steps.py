"""Two office staff acting on the same case or 整改 item at once: the second step is refused as stale with the
stage the case now has, nothing is applied twice, and the page says so instead of failing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.audit.actions import AuditAction
from luoshi.audit.models import AuditEvent
from luoshi.cases.evaluations import (
    evaluation_record,
    finding_assign,
    finding_close,
    finding_respond,
)
from luoshi.cases.models import CaseLevel, Finding, InnovationCase
from luoshi.cases.services import case_advance, case_attach, case_create, case_review
from luoshi.plans.models import Organisation
from luoshi.progress.evidence import storage_dir
from tests.conftest import ONCE, PDF, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]


@pytest.fixture
def case(imported_plan, people) -> InnovationCase:
    return case_create(
        actor=people.office,
        tasks=[],
        plan=imported_plan,
        title="一窗通办",
        level=CaseLevel.PROVINCE,
        organisation=Organisation.objects.get(name="市市场监管局"),
    )


def test_a_step_on_a_copy_read_before_another_step_is_refused(case, people):
    first, second = (InnovationCase.objects.get(pk=case.pk) for _ in range(2))
    case_advance(case=first, on=dt.date(2021, 9, 1), actor=people.office)
    with pytest.raises(ValidationError, match="已被他人更新，当前阶段：已报送"):
        case_advance(case=second, on=dt.date(2021, 9, 2), actor=people.office)
    case.refresh_from_db()
    assert case.submitted_on == dt.date(2021, 9, 1)
    steps = AuditEvent.objects.filter(action=AuditAction.CASE_ADVANCE, object_id=str(case.pk))
    assert steps.count() == 1


def test_a_step_named_for_an_earlier_stage_is_refused_not_taken_further(case, people):
    """入选 clicked twice: the second click must not promote the case."""
    case_advance(case=case, on=dt.date(2021, 9, 1), actor=people.office)
    case_review(
        case=case,
        actor=people.office,
        on=dt.date(2021, 9, 5),
        category=case.category,
        risk="low",
        opinion="可推广",
        result="pass",
    )
    case_advance(case=case, on=dt.date(2021, 10, 1), actor=people.office, seen="reviewed")
    with pytest.raises(ValidationError, match="当前阶段：已入选"):
        case_advance(
            case=case, on=dt.date(2021, 10, 1), actor=people.office, scope="", seen="reviewed"
        )


def test_the_page_says_the_case_moved_on(case, people):
    office = client_for(people.office)
    case_advance(case=case, on=dt.date(2021, 9, 1), actor=people.office)
    response = office.post(
        f"/cases/{case.pk}/step/", {"on": "2021-09-02", "stage": "draft"}, follow=True
    )
    assert response.status_code == 200
    assert "已被他人更新，当前阶段：已报送" in response.content.decode()


def test_a_refused_review_keeps_the_typed_opinion(case, people):
    office = client_for(people.office)
    case_advance(case=case, on=dt.date(2021, 9, 1), actor=people.office)
    review = {
        "on": "2021-09-05",
        "category": case.category,
        "risk": "low",
        "opinion": "经审查可以推广",
        "result": "pass",
    }
    assert office.post(f"/cases/{case.pk}/classify/", review).status_code == 302
    again = office.post(f"/cases/{case.pk}/classify/", {**review, "opinion": "我的第二份意见"})
    assert again.status_code == 422
    page = again.content.decode()
    assert "当前阶段：已审查" in page and "我的第二份意见" in page


def test_two_office_users_closing_the_same_item_and_a_late_return_keeps_its_comment(
    imported_plan, people
):
    market = Organisation.objects.get(name="市市场监管局")
    evaluation = evaluation_record(
        plan=imported_plan,
        actor=people.office,
        kind="annual",
        evaluator="片区办",
        evaluated_on=dt.date(2021, 12, 1),
        items=["审批时限公示不全"],
    )
    finding = evaluation.items.get()
    finding_assign(
        finding=finding,
        actor=people.office,
        organisation=market,
        due_on=dt.date(2022, 1, 31),
        on=dt.date(2021, 12, 5),
    )
    finding_respond(finding=finding, actor=people.market_head, text="已补全公示")
    first, second = (Finding.objects.get(pk=finding.pk) for _ in range(2))
    finding_close(finding=first, actor=people.office, on=dt.date(2022, 1, 10))
    with pytest.raises(ValidationError, match="当前状态：已销号，可能刚被他人处理"):
        finding_close(finding=second, actor=people.office, on=dt.date(2022, 1, 11))
    finding.refresh_from_db()
    assert finding.closed_on == dt.date(2022, 1, 10)
    closes = AuditEvent.objects.filter(action=AuditAction.FINDING_CLOSE, object_id=str(finding.pk))
    assert closes.count() == 1

    office = client_for(people.office)
    page = office.post(f"/evaluations/findings/{finding.pk}/return/", {"comment": "请补充公示截图"})
    assert page.status_code == 422
    text = page.content.decode()
    assert "当前状态：已销号" in text and "请补充公示截图" in text


def test_a_tampered_case_attachment_gets_a_clear_page_and_an_audit_row(
    case, people, settings, tmp_path
):
    settings.LUOSHI_EVIDENCE_DIR = tmp_path
    attachment = case_attach(
        case=case, upload=SimpleUploadedFile("做法.pdf", PDF), name="做法.pdf", actor=people.office
    )
    office = client_for(people.office)
    assert office.get(f"/cases/files/{attachment.pk}/").content == PDF
    path = storage_dir() / "cases" / attachment.stored_name[:2] / attachment.stored_name
    path.write_bytes(PDF.replace(b"1.4", b"1.7"))
    response = office.get(f"/cases/files/{attachment.pk}/")
    assert response.status_code == 409
    assert "附件“做法.pdf”校验失败" in response.content.decode()
    downloads = AuditEvent.objects.filter(action=AuditAction.CASE_FILE_DOWNLOAD)
    assert sorted(downloads.values_list("outcome", flat=True)) == ["failed", "success"]


def test_an_edit_of_an_older_copy_keeps_the_typed_text_and_names_the_change(case, people):
    """Last save does not win: a colleague's edit in between is shown, the typed text kept."""
    office, head = client_for(people.office), client_for(people.market_head)
    form = {"title": "一窗通办", "category": case.category, "level": case.level, "tasks": ""}
    saved = office.post(
        f"/cases/{case.pk}/edit/", {**form, "summary": "片区办的简介", "version": 0}
    )
    assert saved.status_code == 302
    page = head.post(
        f"/cases/{case.pk}/edit/",
        {**form, "summary": "单位写的简介", "full_text": "全文初稿", "version": 0},
    )
    text = page.content.decode()
    assert page.status_code == 409
    assert "由 office 修改" in text and "简介：片区办的简介" in text
    assert "全文初稿" in text and "单位写的简介" in text  # kept in the form
    case.refresh_from_db()
    assert (case.summary, case.full_text, case.version) == ("片区办的简介", "", 1)
    assert 'name="version" value="1"' in text  # saving again overwrites knowingly
    again = head.post(f"/cases/{case.pk}/edit/", {**form, "summary": "单位写的简介", "version": 1})
    assert again.status_code == 302
    case.refresh_from_db()
    assert (case.summary, case.version) == ("单位写的简介", 2)
    edits = AuditEvent.objects.filter(action=AuditAction.CASE_UPDATE, object_id=str(case.pk))
    assert edits.count() == 2
