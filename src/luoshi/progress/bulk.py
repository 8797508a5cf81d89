"""Bulk work: one action over many reports, each item on its own. A stale, refused or invalid item
is reported beside the others and never stops the batch; each done item is audited by the same
service that does it one at a time."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from luoshi.audit.actions import AuditAction
from luoshi.audit.services import refuse
from luoshi.progress.models import Report, ReportState
from luoshi.progress.policies import visible_reports
from luoshi.progress.services import StaleReport, report_publish, report_transition
from luoshi.progress.workflow import Action, InvalidTransition

PUBLISH = "publish"
UNPUBLISH = "unpublish"  # the undo of a bulk 公开, offered on its result page
BULK_ACTIONS = (Action.ACCEPT.value, Action.RETURN.value, PUBLISH, UNPUBLISH)


@dataclass(frozen=True)
class BulkResult:
    """What became of one picked report: done, or why not (in the user's language)."""

    report_id: int
    report: Report | None
    ok: bool
    message: str


def parse_picks(values: list[str]) -> list[tuple[int, int]]:
    """'id:version' pairs as the desk's check boxes send them; anything else is dropped."""
    picks = []
    for value in values:
        first, _sep, second = value.partition(":")
        if first.isdigit() and second.isdigit() and len(first) < 12 and len(second) < 12:
            picks.append((int(first), int(second)))
    return picks


def reports_bulk(
    *, picks: list[tuple[int, int]], action: str, actor: User, reason: str = ""
) -> list[BulkResult]:
    """Do `action` (验收, 退回 with one reason, or 公开) on each (report id, version seen)."""
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": _("未知的批量操作")})
    if action == Action.RETURN and not reason.strip():
        raise ValidationError({"reason": _("退回时必须填写理由")})
    found = visible_reports(actor).select_related("measure__task", "organisation", "cycle")
    reports = found.in_bulk([pk for pk, _version in picks])
    return [_one(reports.get(pk), pk, version, action, actor, reason) for pk, version in picks]


def _one(
    report: Report | None, pk: int, version: int, action: str, actor: User, reason: str
) -> BulkResult:
    if report is None:
        refuse(
            actor=actor,
            action=AuditAction.REPORT_PUBLISH
            if action in (PUBLISH, UNPUBLISH)
            else AuditAction.report_transition(action),
            message=_("报告不存在或无权查看"),
            detail={"id": pk},
        )
        return BulkResult(pk, None, False, _("报告不存在或无权查看"))
    try:
        if action in (PUBLISH, UNPUBLISH):
            done = _publish(report, version, actor, published=action == PUBLISH)
        else:
            done = report_transition(
                report=report, action=action, actor=actor, reason=reason, version=version
            )
    except (StaleReport, InvalidTransition) as error:
        return BulkResult(pk, Report.objects.get(pk=pk), False, str(error))
    except ValidationError as error:
        return BulkResult(pk, report, False, gettext("；").join(error.messages))
    except PermissionDenied as error:  # already audited by the service
        return BulkResult(pk, report, False, str(error) or _("无权执行此操作"))
    return BulkResult(pk, done, True, _("已完成"))


def _publish(report: Report, version: int, actor: User, *, published: bool) -> Report:
    """Publishing does not move the report, so a changed version means it moved since it was seen."""
    if report.version != version or report.state != ReportState.ACCEPTED:
        raise ValidationError(
            _("该报告已变更（当前状态：%(state)s），未办理") % {"state": report.get_state_display()}
        )
    if report.published == published:
        return report
    return report_publish(report=report, actor=actor, published=published)
