"""A generated document as a download, recorded in the audit trail (pages and API alike)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.models import User
from django.http import HttpResponse

from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record
from luoshi.plans.models import Plan

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def attachment(
    *, actor: User, plan: Plan, data: bytes, name: str, content_type: str
) -> HttpResponse:
    audit_record(actor=actor, action=AuditAction.EXPORT_DOCUMENT, obj=plan, detail={"file": name})
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
