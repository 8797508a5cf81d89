"""Importing a plan in the browser's page: preview first, nothing stored until confirmed; bad files refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.audit.models import AuditEvent
from luoshi.plans.models import Plan
from tests.ingest.test_outlines import CITY, INDICATORS, PILOT
from tests.plans import upload_token
from tests.variants import bundled_text

if TYPE_CHECKING:
    from django.test import Client
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db


def upload(client: Client, name: str, data: bytes, level: str = "") -> Response:
    return client.post("/plans/upload/", {"file": SimpleUploadedFile(name, data), "level": level})


def test_preview_then_confirm_stores_the_plan_and_shows_it(office, people, tmp_path):
    before = Plan.objects.count()
    preview = upload(office, "pilot.txt", PILOT.encode())
    page = preview.content.decode()
    assert preview.status_code == 200 and Plan.objects.count() == before  # nothing stored yet
    assert "任务 2 项、举措 3 项；有牵头单位的举措 1 项，有责任单位的 3 项，有期限的 0 项" in page
    assert "试点城市政府" in page and "下同（第5行）" in page  # inherited units and the rule, shown
    token = upload_token(page)
    done = office.post("/plans/confirm/", {"token": token, "name": "pilot.txt", "level": ""})
    plan = Plan.objects.get(source_name="pilot.txt")
    assert done.status_code == 302 and done["Location"] == "/plans/"
    assert (plan.tasks.count(), plan.level) == (2, "city")
    event = AuditEvent.objects.get(action="plan_import", object_id=str(plan.pk))
    assert (event.user, event.ip) == (people.office, "127.0.0.1")
    assert list((tmp_path / "plan-uploads").iterdir()) == []  # the waiting file is gone
    listing = office.get(done["Location"]).content.decode()
    assert "已导入方案" in listing and "尚未生效、尚未公开" in listing
    row = listing[listing.index(f'data-plan="{plan.pk}"') :]
    assert "未生效、未公开" in row[: row.index("</tr>")]
    dashboard = office.get("/dashboard/").content.decode()  # an import switches nobody's view
    assert plan.title not in dashboard
    assert Plan.objects.exclude(pk=plan.pk).get().title in dashboard


def test_a_document_that_cannot_be_read_is_refused_naming_file_and_line(office, imported_plan):
    before = Plan.objects.count()
    cut = "\n".join(bundled_text().splitlines()[:300])
    refused = upload(office, "cut.txt", cut.encode())
    assert refused.status_code == 422
    assert (
        "cut.txt，第 " in refused.content.decode() and "文件似乎不完整" in refused.content.decode()
    )
    wrong = upload(office, "plan.pdf", b"%PDF-1.4")
    assert wrong.status_code == 422 and "请上传 .txt、.html 或 .docx" in wrong.content.decode()
    assert Plan.objects.count() == before


def test_too_large_a_file_is_refused(office, settings):
    settings.LUOSHI_MAX_IMPORT_BYTES = 100
    refused = upload(office, "city.txt", CITY.encode())
    assert refused.status_code == 422 and "文件超过" in refused.content.decode()


def test_the_same_document_again_changes_nothing(office, imported_plan):
    page = upload(office, "again.txt", bundled_text().encode()).content.decode()
    assert "该文件内容已导入为方案" in page
    token = upload_token(page)
    office.post("/plans/confirm/", {"token": token, "name": "again.txt"})
    assert Plan.objects.count() == 1


def test_the_level_given_decides_whose_names_they_are(office):
    text = "实施方案摘录\n一、主要任务\n（一）推进改革。（发展改革委牵头）\n"
    page = upload(office, "extract.txt", text.encode(), level="provincial").content.decode()
    assert "省发展改革委" in page and "省级" in page


def test_the_api_reads_a_plan_dry_or_stores_it(office, client):
    dry = office.post(
        "/api/plans/import?dry_run=true", {"file": SimpleUploadedFile("city.txt", CITY.encode())}
    )
    assert dry.status_code == 200 and (dry.json()["tasks"], dry.json()["stored"]) == (6, "dry_run")
    assert not Plan.objects.filter(source_name="city.txt").exists()
    stored = office.post(
        "/api/plans/import", {"file": SimpleUploadedFile("city.txt", CITY.encode())}
    )
    plan = Plan.objects.get(source_name="city.txt")
    assert (stored.json()["stored"], stored.json()["plan_id"]) == ("created", plan.pk)
    assert office.get(f"/api/plans/{plan.pk}").json()["level"] == "city"
    refused = office.post("/api/plans/import", {"file": SimpleUploadedFile("empty.txt", b" ")})
    assert refused.status_code == 422 and refused.json()["errors"] == {
        "file": ["empty.txt：文件为空"]
    }


def test_uploads_left_unconfirmed_are_removed_after_a_day(office, tmp_path):
    import os
    import time

    folder = tmp_path / "plan-uploads"
    folder.mkdir()
    stale, fresh = folder / "stale.bin", folder / "fresh.bin"
    for path in (stale, fresh):
        path.write_bytes(b"x")
    os.utime(stale, (time.time() - 2 * 86400,) * 2)
    upload(office, "city.txt", CITY.encode())
    assert not stale.exists() and fresh.exists()


KPI_PLAN = INDICATORS


def test_an_indicator_kind_the_document_does_not_state_is_confirmed_in_the_preview(office):
    preview = upload(office, "kpi.txt", KPI_PLAN.encode()).content.decode()
    section = preview[preview.index('id="indicator-kinds"') :]
    row = section[section.index('data-indicator="外贸进出口增速"') :]
    assert "需确认" in row[: row.index("</tr>")]  # a bare 15% is not guessed to be anything
    assert 'value="cumulative" selected' in section  # 三年共600家 says it
    token = upload_token(preview)
    office.post(
        "/plans/confirm/",
        {"token": token, "name": "kpi.txt", "level": "", "kind:外贸进出口增速": "annual_growth"},
    )
    plan = Plan.objects.get(source_name="kpi.txt")
    assert dict(plan.indicators.values_list("name", "target_kind")) == {
        "新设企业数": "cumulative",
        "外贸进出口增速": "annual_growth",
    }


def test_the_import_command_takes_the_kinds_the_office_confirms(tmp_path, db):
    from io import StringIO

    from django.core.management import CommandError, call_command

    path = tmp_path / "kpi.txt"
    path.write_text(KPI_PLAN, encoding="utf-8")
    out = StringIO()
    call_command("import_plan", str(path), "--dry-run", stdout=out)
    assert "需确认目标类型的指标（--indicator-kind 名称=类型）：外贸进出口增速" in out.getvalue()
    with pytest.raises(CommandError, match="“外贸”不在方案的指标表中"):
        call_command("import_plan", str(path), "--indicator-kind", "外贸=annual_growth")
    with pytest.raises(CommandError, match="类型“growth”无效"):
        call_command("import_plan", str(path), "--indicator-kind", "外贸进出口增速=growth")
    assert not Plan.objects.filter(source_name="kpi.txt").exists()
    call_command("import_plan", str(path), "--indicator-kind", "外贸进出口增速=annual_growth")
    plan = Plan.objects.get(source_name="kpi.txt")
    assert plan.indicators.get(name="外贸进出口增速").target_kind == "annual_growth"
