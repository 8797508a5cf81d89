"""The audit trail for auditors: search and CSV export. Nobody else reads it; nobody can change it."""

import csv
import datetime as dt
import io

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from luoshi.accounts.policies import is_auditor
from luoshi.audit.actions import AuditAction
from luoshi.audit.models import AuditEvent
from luoshi.audit.services import audit_record, refuse
from luoshi.paperwork.cells import csv_row
from luoshi.plans.limits import date_errors, refuse_if

router = Router(tags=["audit"])


class AuditFilter(Schema):
    username: str | None = None
    action: str | None = None
    object_type: str | None = None
    outcome: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


class AuditOut(Schema):
    id: int
    at: dt.datetime
    username: str
    ip: str | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    outcome: str
    detail: dict[str, object]


def _events(request: HttpRequest, filters: AuditFilter) -> QuerySet[AuditEvent]:
    if not is_auditor(request.user):
        raise refuse(actor=request.user, message=gettext("仅审计人员可查看审计记录"))
    refuse_if(date_errors(since=filters.since, until=filters.until))
    events = AuditEvent.objects.all()
    for name in ("username", "action", "object_type", "outcome"):
        if value := getattr(filters, name):
            events = events.filter(**{name: value})
    if filters.since:
        events = events.filter(at__date__gte=filters.since)
    if filters.until:
        events = events.filter(at__date__lte=filters.until)
    return events


@router.get("/audit", response=list[AuditOut])
@paginate(LimitOffsetPagination)
def search_audit(request: HttpRequest, filters: Query[AuditFilter]) -> QuerySet[AuditEvent]:
    return _events(request, filters)


@router.get("/audit.csv")
def export_audit(request: HttpRequest, filters: Query[AuditFilter]) -> HttpResponse:
    events = _events(request, filters)
    out = io.StringIO()
    writer = csv.writer(out)
    # seq and hash: the chain's position and link, to check against `luoshi audit export`.
    header = ["at", "username", "ip", "action", "object_type", "object_id", "object", "outcome"]
    writer.writerow([*header, "seq", "hash"])
    for e in events.iterator():
        writer.writerow(
            csv_row(
                [
                    e.at.isoformat(),
                    e.username,
                    e.ip,
                    e.action,
                    e.object_type,
                    e.object_id,
                    e.object_repr,
                    e.outcome,
                    e.seq,
                    e.hash,
                ]
            )
        )
    audit_record(
        actor=request.user if isinstance(request.user, User) else None,
        action=AuditAction.AUDIT_EXPORT,
        detail={"rows": events.count()},
    )
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit.csv"'
    return response
