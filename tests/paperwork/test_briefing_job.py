"""The briefing as PDF is made by the job worker, not in the request: the page answers at once
with the job's state, the worker (`luoshi db_worker`) makes the file, the page then offers it —
to the person who asked only."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from luoshi.audit.models import AuditEvent, Outcome
from tests.conftest import client_for, run_queued_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    settings.LUOSHI_EVIDENCE_DIR = tmp_path


def test_the_pdf_is_queued_made_by_the_worker_and_offered_to_its_requester(imported_plan, people):
    office = client_for(people.office)
    asked = office.get("/documents/briefing/?format=pdf&as_of=2021-06-30")
    assert asked.status_code == 302
    job_page = asked["Location"]
    assert DBTaskResult.objects.get().status == "READY"  # nothing converted in the request

    waiting = office.get(job_page)
    assert "正在后台生成" in waiting.content.decode()
    assert '<meta http-equiv="refresh"' in waiting.content.decode()
    assert office.get(job_page + "file").status_code == 404

    other = client_for(people.leader).get(job_page)
    assert other.status_code == 403
    assert AuditEvent.objects.filter(user=people.leader, outcome=Outcome.REFUSED).exists()

    run_queued_jobs()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    ready = office.get(job_page).content.decode()
    assert "下载 PDF" in ready and "refresh" not in ready
    pdf = office.get(job_page + "file")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "briefing-2021-06-30.pdf" in pdf["Content-Disposition"]
    assert client_for(people.leader).get(job_page + "file").status_code == 403


def test_an_unknown_job_is_not_found(imported_plan, people):
    office = client_for(people.office)
    assert office.get("/documents/briefing/jobs/no-such-job/").status_code == 404
    missing = "/documents/briefing/jobs/00000000-0000-0000-0000-000000000000/"
    assert office.get(missing).status_code == 404


def test_the_api_queues_the_pdf_answers_202_and_the_poll_gives_the_file(imported_plan, people):
    office = client_for(people.office)
    asked = office.get("/api/documents/briefing?format=pdf&as_of=2021-06-30")
    assert asked.status_code == 202, asked.content
    job_url = asked.json()["url"]
    assert asked["Location"] == job_url and asked.json()["status"] == "READY"
    assert DBTaskResult.objects.get().status == "READY"  # nothing converted in the request

    waiting = office.get(job_url)
    assert waiting.status_code == 202 and waiting.json()["status"] == "READY"
    refused = client_for(people.leader).get(job_url)
    assert refused.status_code == 403
    assert AuditEvent.objects.filter(user=people.leader, outcome=Outcome.REFUSED).exists()

    run_queued_jobs()
    pdf = office.get(job_url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "briefing-2021-06-30.pdf" in pdf["Content-Disposition"]
    assert office.get("/api/documents/jobs/no-such-job").status_code == 404


def test_a_failed_pdf_job_answers_409_not_a_server_error(imported_plan, people):
    office = client_for(people.office)
    job_url = office.get("/api/documents/briefing?format=pdf&as_of=2021-06-30").json()["url"]
    DBTaskResult.objects.update(status="FAILED")
    failed = office.get(job_url)
    assert failed.status_code == 409 and failed.json()["status"] == "FAILED"


def test_generated_files_past_the_retention_are_pruned_and_evidence_is_kept(settings):
    import os
    import time

    from django.core.files.base import ContentFile

    from luoshi.progress.evidence import evidence_storage

    storage = evidence_storage()
    old, new = (storage.save(f"generated/{n}.pdf", ContentFile(b"%PDF")) for n in ("old", "new"))
    evidence = storage.save("ab/abcdef.pdf", ContentFile(b"%PDF"))
    ten_days_ago = time.time() - 10 * 86400
    for name in (old, evidence):
        os.utime(storage.path(name), (ten_days_ago, ten_days_ago))
    settings.LUOSHI_GENERATED_RETENTION_DAYS = 7
    out = io.StringIO()
    call_command("prune_generated", stdout=out)
    assert "已删除 1 个生成文件，保留 1 个" in out.getvalue()
    assert not storage.exists(old) and storage.exists(new) and storage.exists(evidence)
    call_command("prune_generated", "--days", "0", stdout=io.StringIO())
    assert not storage.exists(new) and storage.exists(evidence)


def test_nothing_generated_yet_prunes_nothing(settings):
    out = io.StringIO()
    call_command("prune_generated", stdout=out)
    assert "已删除 0 个生成文件，保留 0 个" in out.getvalue()


def test_a_job_whose_file_was_pruned_says_so(imported_plan, people):
    from django.utils import timezone

    office = client_for(people.office)
    job_url = office.get("/api/documents/briefing?format=pdf&as_of=2021-06-30").json()["url"]
    DBTaskResult.objects.update(
        status="SUCCESSFUL",
        return_value="generated/pruned.pdf",
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    gone = office.get(job_url)
    assert gone.status_code == 410 and gone.json()["status"] == "PRUNED"
    job_id = DBTaskResult.objects.get().pk
    page = office.get(f"/documents/briefing/jobs/{job_id}/file", follow=True)
    assert page.status_code == 200 and "重新生成" in page.content.decode()
