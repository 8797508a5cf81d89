"""The briefing as PDF is made by the job worker, not in the request: the page answers at once
with the job's state, the worker (`luoshi db_worker`) makes the file, the page then offers it —
to the person who asked only."""

from __future__ import annotations

import pytest
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
