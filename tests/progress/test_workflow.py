"""One measure from draft to accepted, through four people, over the JSON API."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.audit.models import AuditEvent
from luoshi.progress.models import Report, ReportEvent
from luoshi.progress.selectors import task_implemented_on
from luoshi.progress.services import report_transition
from tests.conftest import ONCE, PDF, client_for

if TYPE_CHECKING:
    from types import SimpleNamespace

    from django.test import Client
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]


def through_to_accepted(report: Report, people: SimpleNamespace) -> Report:
    """Submit (reporter), approve (head), accept (office) — the unremarkable path."""
    for action, actor in (
        ("submit", people.market_reporter),
        ("approve", people.market_head),
        ("accept", people.office),
    ):
        report = report_transition(report=report, action=action, actor=actor)
    return report


def act(client: Client, report_id: int, action: str, reason: str = "") -> Response:
    return client.post(
        f"/api/reports/{report_id}/transitions",
        {"action": action, "reason": reason},
        content_type="application/json",
    )


def test_a_measure_walks_from_draft_to_accepted_and_its_task_becomes_implemented(
    people, cycle, market_measure
):
    reporter, head, office, leader = (
        client_for(u)
        for u in (people.market_reporter, people.market_head, people.office, people.leader)
    )
    assignee = head.put(
        f"/api/measures/{market_measure.pk}/responsible-person",
        {"user_id": people.market_reporter.pk},
        content_type="application/json",
    )
    assert assignee.status_code == 200, assignee.content

    created = reporter.post(
        "/api/reports",
        {
            "measure_id": market_measure.pk,
            "cycle_id": cycle.pk,
            "progress_status": "in_progress",
            "percent": 60,
            "work_done": "“一业一证”平台已上线试运行",
            "problems": "部分行业许可数据未打通",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    report_id = created.json()["id"]
    upload = reporter.post(
        f"/api/reports/{report_id}/evidence", {"file": SimpleUploadedFile("平台截图说明.pdf", PDF)}
    )
    assert upload.status_code == 201, upload.content
    assert act(reporter, report_id, "submit").json()["state"] == "submitted"
    assert act(head, report_id, "approve").json()["state"] == "approved"

    returned = act(office, report_id, "return", "请补充平台运行数据")
    assert returned.json()["state"] == "draft" and returned.json()["return_count"] == 1

    seen = reporter.get(f"/api/reports/{report_id}").json()
    assert seen["return_reason"] == "请补充平台运行数据"
    assert seen["events"][-1]["comment"] == "请补充平台运行数据"
    fixed = reporter.patch(
        f"/api/reports/{report_id}",
        {
            "version": seen["version"],
            "progress_status": "completed",
            "percent": 100,
            "work_done": "平台正常运营，已办件1200件",
        },
        content_type="application/json",
    )
    assert fixed.status_code == 200, fixed.content
    assert task_implemented_on(market_measure.task) is None
    act(reporter, report_id, "submit")
    act(head, report_id, "approve")
    accepted = act(office, report_id, "accept")
    assert accepted.json()["state"] == "accepted"

    assert task_implemented_on(market_measure.task) is not None
    assert leader.get(f"/api/reports/{report_id}").json()["state"] == "accepted"
    steps = list(
        ReportEvent.objects.filter(report_id=report_id).values_list("action", "actor__username")
    )
    assert steps == [
        ("draft", "market_reporter"),
        ("submit", "market_reporter"),
        ("approve", "market_head"),
        ("return", "office"),
        ("submit", "market_reporter"),
        ("approve", "market_head"),
        ("accept", "office"),
    ]
    audited = list(
        AuditEvent.objects.filter(object_type="progress.report")
        .order_by("id")
        .values_list("action", "username")
    )
    assert audited == [
        ("report_draft", "market_reporter"),
        ("report_submit", "market_reporter"),
        ("report_approve", "market_head"),
        ("report_return", "office"),
        ("report_update", "market_reporter"),
        ("report_submit", "market_reporter"),
        ("report_approve", "market_head"),
        ("report_accept", "office"),
    ]
    assert (
        AuditEvent.objects.filter(
            action="evidence_upload", username="market_reporter", outcome="success"
        ).count()
        == 1
    )
    assert AuditEvent.objects.filter(
        action="responsible_person_set", username="market_head"
    ).exists()


def test_a_task_waits_for_its_last_measure(people, cycle, imported_plan):
    from luoshi.progress.services import report_draft

    task = imported_plan.tasks.get(number=7)
    measures = list(task.measures.all())
    for index, measure in enumerate(measures):
        report = report_draft(
            measure=measure,
            cycle=cycle,
            actor=people.market_reporter,
            progress_status="completed",
            percent=100,
            work_done="已完成",
        )
        report = through_to_accepted(report, people)
        expected_done = index == len(measures) - 1
        assert (task_implemented_on(task) is not None) == expected_done


def test_invalid_transitions_are_refused_with_a_clear_message(people, cycle, market_measure):
    reporter, office = client_for(people.market_reporter), client_for(people.office)
    report_id = reporter.post(
        "/api/reports",
        {"measure_id": market_measure.pk, "cycle_id": cycle.pk, "work_done": "推进中"},
        content_type="application/json",
    ).json()["id"]
    assert act(office, report_id, "accept").status_code == 404  # a draft is its own unit's only
    refused = act(reporter, report_id, "accept")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "状态为“草稿”的报告不能执行“验收”操作（可执行：提交）"
    act(reporter, report_id, "submit")
    act(client_for(people.market_head), report_id, "approve")
    no_reason = act(office, report_id, "return")
    assert no_reason.status_code == 422 and "理由" in no_reason.json()["detail"]
    assert Report.objects.get(pk=report_id).state == "approved"


def test_nobody_edits_an_accepted_report(people, cycle, market_measure):
    from luoshi.progress.services import report_draft

    report = report_draft(
        measure=market_measure,
        cycle=cycle,
        actor=people.market_reporter,
        progress_status="completed",
        percent=100,
        work_done="已完成",
    )
    report = through_to_accepted(report, people)
    for user in (people.market_reporter, people.market_head, people.office):
        response = client_for(user).patch(
            f"/api/reports/{report.pk}",
            {"version": report.version, "percent": 10},
            content_type="application/json",
        )
        assert response.status_code == 403
    assert Report.objects.get(pk=report.pk).percent == 100


def test_carry_forward_copies_last_cycle_and_submits(people, cycle, market_measure, imported_plan):
    from luoshi.progress.services import cycle_open_month, report_draft, report_transition

    report = report_draft(
        measure=market_measure,
        cycle=cycle,
        actor=people.market_reporter,
        progress_status="in_progress",
        percent=40,
        work_done="推进中",
    )
    report_transition(report=report, action="submit", actor=people.market_reporter)
    july = cycle_open_month(plan=imported_plan, year=2021, month=7, actor=people.office)
    response = client_for(people.market_reporter).post(
        f"/api/measures/{market_measure.pk}/carry-forward",
        {"cycle_id": july.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["state"], data["percent"], data["work_done"], data["carried_forward"]) == (
        "submitted",
        40,
        "推进中",
        True,
    )


def test_supporting_units_contribute_and_the_lead_sees_it(people, cycle, customs_supported_measure):
    customs = client_for(people.customs_reporter)
    response = customs.post(
        f"/api/measures/{customs_supported_measure.pk}/contributions",
        {"cycle_id": cycle.pk, "text": "海关已配合出具先入关后补证流程"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    refused = client_for(people.customs_reporter).post(
        "/api/reports",
        {"measure_id": customs_supported_measure.pk, "cycle_id": cycle.pk},
        content_type="application/json",
    )
    assert refused.status_code == 403
    from luoshi.progress.models import Contribution

    assert (
        Contribution.objects.get(measure=customs_supported_measure).organisation.name == "岳阳海关"
    )


def test_a_failed_audit_write_rolls_the_transition_back(people, cycle, market_measure, monkeypatch):
    from luoshi.progress import services

    report = services.report_draft(
        measure=market_measure, cycle=cycle, actor=people.market_reporter, work_done="推进中"
    )

    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        services.report_transition(report=report, action="submit", actor=people.market_reporter)
    report.refresh_from_db()
    assert report.state == "draft" and report.version == 1 and report.submitted_at is None
    assert not ReportEvent.objects.filter(report=report, action="submit").exists()


def test_only_the_office_publishes_accepted_reports_and_the_public_sees_only_those(
    people, cycle, market_measure, client
):
    from django.core.exceptions import PermissionDenied, ValidationError

    from luoshi.progress.services import report_draft, report_publish

    report = report_draft(
        measure=market_measure,
        cycle=cycle,
        actor=people.market_reporter,
        progress_status="completed",
        percent=100,
        work_done="平台上线，办件1200件",
    )
    with pytest.raises(ValidationError):
        report_publish(report=report, actor=people.office, published=True)  # not accepted yet
    report = through_to_accepted(report, people)
    assert "平台上线" not in client.get("/public/").content.decode()
    with pytest.raises(PermissionDenied):
        report_publish(report=report, actor=people.market_head, published=True)
    response = client_for(people.office).post(f"/reports/{report.pk}/publish/", {"published": "1"})
    assert response.status_code == 302 and Report.objects.get(pk=report.pk).published
    public = client.get("/public/").content.decode()
    assert "平台上线，办件1200件" in public and "market_reporter" not in public
    assert AuditEvent.objects.filter(action="report_publish", username="office").exists()
