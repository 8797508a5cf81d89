"""No action ends in an error page: stale actions from a second client (page, htmx row, API) are
answered with what happened; refusals and missing pages are our own pages, in Chinese, with a
way back; a tampered evidence file is refused clearly and audited; 沿用上期 shows what it copies."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from luoshi.audit.models import AuditEvent
from luoshi.progress.evidence import evidence_add, storage_dir
from luoshi.progress.models import Report
from luoshi.progress.services import cycle_open_month, report_draft, report_transition
from luoshi.progress.workflow import TRANSITIONS
from tests.conftest import ONCE, PDF, client_for

if TYPE_CHECKING:
    from types import SimpleNamespace

    from luoshi.plans.models import Measure
    from luoshi.progress.models import ReportingCycle

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]

# Who takes each action, and the state its report must be in (reached by the steps before it).
ACTORS = {
    "submit": "market_reporter",
    "withdraw": "market_reporter",
    "approve": "market_head",
    "send_back": "market_head",
    "accept": "office",
    "return": "office",
}
BEFORE = {"draft": [], "submitted": ["submit"], "approved": ["submit", "approve"]}


def prepared(
    people: SimpleNamespace, cycle: ReportingCycle, measure: Measure, state: str
) -> Report:
    report = report_draft(
        measure=measure,
        cycle=cycle,
        actor=people.market_reporter,
        progress_status="in_progress",
        percent=50,
        work_done="推进中",
    )
    for action in BEFORE[state]:
        report = report_transition(
            report=report, action=action, actor=getattr(people, ACTORS[action])
        )
    return report


def post_action(client: Client, report: Report, action: str, version: int, via: str):
    body = {"action": action, "version": version, "reason": "请补充"}
    if via == "api":
        return client.post(
            f"/api/reports/{report.pk}/transitions", body, content_type="application/json"
        )
    headers = {"HX-Request": "true"} if via == "htmx" else {}
    return client.post(f"/reports/{report.pk}/action/", body, headers=headers, follow=via == "page")


@pytest.mark.parametrize("via", ["page", "htmx", "api"])
@pytest.mark.parametrize(("state", "action"), [(s.value, a.value) for s, a in TRANSITIONS])
def test_an_action_from_a_second_client_is_told_what_happened(
    people, cycle, market_measure, state, action, via
):
    report = prepared(people, cycle, market_measure, state)
    seen = report.version
    actor = getattr(people, ACTORS[action])
    first = post_action(client_for(actor), report, action, seen, via)
    assert first.status_code in (200, 201, 302), first.content[:300]
    now = Report.objects.get(pk=report.pk)
    assert now.version == seen + 1  # the first one did it

    second = post_action(client_for(actor), report, action, seen, via)
    assert second.status_code != 500
    current = now.get_state_display()
    if via == "api":
        assert second.status_code == 409
        assert f"当前状态：{current}" in second.json()["detail"]
    else:
        text = second.content.decode()
        assert second.status_code == 200 and f"当前状态：{current}" in text
        assert "请刷新后再操作" in text
    assert Report.objects.get(pk=report.pk).version == seen + 1  # nothing done twice


def test_the_desk_row_reports_each_action_and_its_counters(people, cycle, market_measure):
    report = prepared(people, cycle, market_measure, "approved")
    office = client_for(people.office)
    assert "待验收 1 份" in office.get("/review/").content.decode()
    answer = post_action(office, report, "accept", report.version, "htmx").content.decode()
    assert f"已验收：{market_measure.code}" in answer
    assert 'id="desk-counts" aria-live="polite" hx-swap-oob="true"' in answer
    assert "待验收 0 份" in answer


def test_refusals_and_missing_pages_are_our_own_pages(people, cycle, imported_plan):
    from luoshi.plans.models import Measure

    measure = Measure.objects.get(task__plan=imported_plan, task__number=83, number=1)
    report = report_draft(measure=measure, cycle=cycle, actor=people.market_reporter)
    customs = client_for(people.finance_reporter)
    missing = customs.get(f"/reports/{report.pk}/")  # another unit's report
    assert missing.status_code == 404
    page = missing.content.decode()
    assert "页面不存在" in page and "返回首页" in page and 'lang="zh-hans"' in page
    forbidden = client_for(people.leader).get("/review/")
    assert forbidden.status_code == 403
    assert "审核台仅供片区办使用" in forbidden.content.decode()
    assert "返回首页" in forbidden.content.decode()
    english = client_for(people.leader)
    english.post("/i18n/setlang/", {"language": "en"})
    assert "Back to the home page" in english.get("/review/").content.decode()


def test_logging_out_lands_on_our_login_page(people):
    client = client_for(people.market_reporter)
    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    page = response.content.decode()
    assert 'id="login"' in page and "/public/" in page and 'id="language"' in page


def test_a_form_from_before_a_new_login_is_explained_not_forbidden(people, cycle, market_measure):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.market_reporter)
    report = report_draft(measure=market_measure, cycle=cycle, actor=people.market_reporter)
    response = client.post(f"/reports/{report.pk}/", {"save": "1", "version": 1})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_a_tampered_evidence_file_gets_a_clear_page_and_an_audit_row(
    people, cycle, market_measure, settings, tmp_path
):
    settings.LUOSHI_EVIDENCE_DIR = tmp_path
    report = report_draft(measure=market_measure, cycle=cycle, actor=people.market_reporter)
    evidence = evidence_add(
        report=report,
        upload=SimpleUploadedFile("x.pdf", PDF),
        name="x.pdf",
        actor=people.market_reporter,
    )
    path = storage_dir() / evidence.stored_name[:2] / evidence.stored_name
    path.write_bytes(PDF.replace(b"1.4", b"1.7"))
    response = client_for(people.market_head).get(
        f"/evidence/{evidence.pk}/"
    )  # a draft's: its unit
    assert response.status_code == 409
    page = response.content.decode()
    assert "佐证材料校验失败" in page and "x.pdf" in page and "返回首页" in page
    assert AuditEvent.objects.filter(
        action="evidence_download", outcome="failed", user=people.market_head
    ).exists()


def test_carry_forward_shows_what_it_copies_before_it_submits(
    people, cycle, market_measure, imported_plan
):
    june = prepared(people, cycle, market_measure, "submitted")
    july = cycle_open_month(plan=imported_plan, year=2021, month=7, actor=people.office)
    reporter = client_for(people.market_reporter)
    url = f"/measures/{market_measure.pk}/report/"
    preview = reporter.post(url, {"cycle": july.pk, "carry_forward": "1"})
    assert preview.status_code == 200
    assert (
        june.work_done in preview.content.decode() and "确认沿用并提交" in preview.content.decode()
    )
    assert not Report.objects.filter(cycle=july).exists()  # nothing yet
    reporter.post(url, {"cycle": july.pk, "carry_forward": "1", "confirm": "1"})
    carried = Report.objects.get(cycle=july)
    assert (carried.state, carried.work_done, carried.carried_forward) == (
        "submitted",
        june.work_done,
        True,
    )


def test_starting_a_report_twice_opens_the_one_already_started(people, cycle, market_measure):
    # Two tabs (or a tab and the API) start the same report: the database's unique constraint
    # decides, and the second is told who started it, as for any stale action — never a 500.
    url = f"/measures/{market_measure.pk}/report/"
    first_tab, second_tab = client_for(people.market_reporter), client_for(people.market_reporter)
    first = first_tab.post(url, {"cycle": cycle.pk})
    report = Report.objects.get(measure=market_measure, cycle=cycle)
    assert first.status_code == 302 and first["Location"] == f"/reports/{report.pk}/"
    second = second_tab.post(url, {"cycle": cycle.pk}, follow=True)
    assert second.redirect_chain[-1][0] == f"/reports/{report.pk}/"
    page = second.content.decode()
    assert "由 市市场监管局 新建，当前状态：草稿。请刷新后再操作。" in page
    api = second_tab.post(
        "/api/reports",
        {"measure_id": market_measure.pk, "cycle_id": cycle.pk},
        content_type="application/json",
    )
    assert api.status_code == 409 and "新建" in api.json()["detail"]
    assert Report.objects.filter(measure=market_measure, cycle=cycle).count() == 1


def test_a_refused_contribution_comes_back_as_typed_with_the_reason(
    people, cycle, customs_supported_measure
):
    from luoshi.progress.models import TEXT_LIMIT, Contribution

    typed = "海关已配合出具先入关后补证流程。" * 200  # past the limit: refused, not cut
    response = client_for(people.customs_reporter).post(
        f"/measures/{customs_supported_measure.pk}/contribute/",
        {"cycle": cycle.pk, "text": typed},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert f">{typed}</textarea>" in page
    assert f"请填写 1–{TEXT_LIMIT} 字" in page and f"已输入 {len(typed)} 字" in page
    assert not Contribution.objects.exists()
