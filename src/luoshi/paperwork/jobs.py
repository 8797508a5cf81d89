"""Documents made out of the request: the briefing as PDF (LibreOffice takes a second or more).

The page queues a job (django-tasks, database backend) and shows its state; `luoshi db_worker`
runs it and stores the PDF beside the evidence (`generated/`), so a second app server can serve it.
Only the person who asked may fetch the result.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django_tasks import task
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from luoshi.paperwork.briefing import briefing_docx
from luoshi.paperwork.pdf import docx_to_pdf
from luoshi.plans.models import Plan
from luoshi.progress.evidence import evidence_storage


@task()
def briefing_pdf(plan_id: int, as_of: str, user_id: int) -> str:
    """Make the briefing of `as_of` as PDF; returns its name in the storage."""
    plan = Plan.objects.get(pk=plan_id)
    data = docx_to_pdf(briefing_docx(plan, dt.date.fromisoformat(as_of)))
    name = f"generated/briefing-{as_of}-{uuid.uuid4().hex}.pdf"
    return str(evidence_storage().save(name, ContentFile(data)))


def briefing_pdf_queue(*, plan: Plan, as_of: dt.date, user_id: int) -> str:
    """Queue the job; returns its id for the status page."""
    return str(briefing_pdf.enqueue(plan.pk, as_of.isoformat(), user_id).id)


def briefing_job(job_id: str) -> TaskResult[Any] | None:
    try:
        return briefing_pdf.get_result(job_id)
    except (TaskResultDoesNotExist, ValueError, ValidationError):
        return None


def may_fetch_job(result: TaskResult[Any], user_id: int) -> bool:
    """Only the person who asked for the document (it was made with their access)."""
    return list(result.args)[2:3] == [user_id]


def briefing_job_file(result: TaskResult[Any]) -> bytes | None:
    if result.status != TaskResultStatus.SUCCESSFUL:
        return None
    with evidence_storage().open(str(result.return_value), "rb") as stored:
        return bytes(stored.read())
