"""Documents made out of the request: the briefing as PDF (LibreOffice takes a second or more).

The page queues a job (django-tasks, database backend) and shows its state; `luoshi db_worker`
runs it and stores the PDF beside the evidence (`generated/`), so a second app server can serve it.
Only the person who asked may fetch the result. Generated files older than
LUOSHI_GENERATED_RETENTION_DAYS are removed by `luoshi prune-generated` (the nightly cleanup timer);
a job whose file is gone answers so, and the person asks again.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from luoshi.paperwork.briefing import briefing_docx
from luoshi.paperwork.pdf import docx_to_pdf
from luoshi.plans.models import Plan
from luoshi.progress.evidence import evidence_storage

GENERATED = "generated"  # beside the evidence in the same storage, so every app server sees it


@task()
def briefing_pdf(plan_id: int, as_of: str, user_id: int) -> str:
    """Make the briefing of `as_of` as PDF; returns its name in the storage."""
    plan = Plan.objects.get(pk=plan_id)
    data = docx_to_pdf(briefing_docx(plan, dt.date.fromisoformat(as_of)))
    name = f"{GENERATED}/briefing-{as_of}-{uuid.uuid4().hex}.pdf"
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


class GeneratedFileGone(Exception):
    """The job's file was pruned (older than the retention): ask for the document again."""


def briefing_job_file(result: TaskResult[Any]) -> bytes | None:
    """The finished job's PDF; None while it is not made yet."""
    if result.status != TaskResultStatus.SUCCESSFUL:
        return None
    storage, name = evidence_storage(), str(result.return_value)
    if not storage.exists(name):
        raise GeneratedFileGone(name)
    with storage.open(name, "rb") as stored:
        return bytes(stored.read())


@dataclass(frozen=True)
class Pruned:
    removed: int
    kept: int


def generated_prune(*, older_than: dt.timedelta, now: dt.datetime | None = None) -> Pruned:
    """Remove generated files last written before `now - older_than`, through the storage API (the
    local directory and S3 alike). Evidence is never touched: it lives outside `generated/`."""
    storage, cutoff = evidence_storage(), (now or timezone.now()) - older_than
    try:
        names = storage.listdir(GENERATED)[1]
    except FileNotFoundError:  # nothing generated yet (an object store just lists nothing)
        return Pruned(0, 0)
    removed = kept = 0
    for name in names:
        path = f"{GENERATED}/{name}"
        if storage.get_modified_time(path) < cutoff:
            storage.delete(path)
            removed += 1
        else:
            kept += 1
    return Pruned(removed, kept)
