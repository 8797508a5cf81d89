"""Consistency of a report with itself, its measure and its own earlier report.

Refused when submitted (a report cannot contradict itself; a draft may, so nothing typed is lost):
已完成 with less than 100%, 未启动 above 0%, 100% neither 已完成 nor 机制已建立, 机制已建立 on a measure
that is not ongoing (持续推进). Flagged to the head and the office before they approve or
accept (the report may still be right, a person decides): a report that is not complete although the
measure's deadline has passed, or that goes back on the same measure's earlier report (a lower
percentage, or no longer complete). Each rule is a setting (LUOSHI_REPORT_RULES), on by default.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from luoshi.plans.models import DueKind, Measure
from luoshi.progress.models import IMPLEMENTING, ProgressStatus, Report, ReportState, cycle_name
from luoshi.progress.timing import days_late, deadline_batch, deadline_in_force


def _on(rule: str) -> bool:
    return bool(settings.LUOSHI_REPORT_RULES.get(rule, True))


def measure_is_ongoing(measure: Measure) -> bool:
    kind = measure.due_kind if measure.deadline_text else measure.task.due_kind
    return kind == DueKind.ONGOING


def contradictions(measure: Measure, status: str, percent: int) -> dict[str, str]:
    """Field → why the status and percentage cannot stand together on this measure."""
    errors = {}
    if _on("completed_is_100") and status == ProgressStatus.COMPLETED and percent != 100:
        errors["percent"] = gettext("进展为“已完成”时完成比例应为 100%")
    elif _on("not_started_is_0") and status == ProgressStatus.NOT_STARTED and percent > 0:
        errors["percent"] = gettext("进展为“未启动”时完成比例应为 0%")
    elif _on("hundred_is_done") and percent == 100 and status not in IMPLEMENTING:
        errors["progress_status"] = gettext("完成比例为 100% 时，进展应为“已完成”或“机制已建立”")
    if (
        _on("in_place_only_ongoing")
        and status == ProgressStatus.ONGOING_IN_PLACE
        and not measure_is_ongoing(measure)
    ):
        errors["progress_status"] = gettext(
            "“机制已建立”仅适用于持续推进的举措；有完成时限的举措请报“已完成”"
        )
    return errors


@dataclass(frozen=True)
class Earlier:
    """What the flags compare with: a measure's report of an earlier cycle, as sent."""

    cycle_name: str
    progress_status: str
    percent: int


def _earlier_by_report(reports: list[Report]) -> dict[int, Earlier]:
    """Each report's latest earlier non-draft report on the same measure, in one query (narrow
    rows: a measure has a report every month)."""
    measures = {r.measure_id for r in reports}
    if not measures:
        return {}
    history: dict[int, list[tuple[dt.date, Earlier]]] = {}
    for measure_id, starts, ends, typed, status, percent in (
        Report.objects.filter(measure_id__in=measures)
        .exclude(state=ReportState.DRAFT)
        .order_by("-cycle__starts_on")
        .values_list(
            "measure_id",
            "cycle__starts_on",
            "cycle__ends_on",
            "cycle__typed_name",
            "progress_status",
            "percent",
        )
    ):
        name = cycle_name(typed, starts, ends)
        history.setdefault(measure_id, []).append((starts, Earlier(name, status, percent)))
    found = {}
    for report in reports:
        starts = report.cycle.starts_on
        before = [e for on, e in history.get(report.measure_id, []) if on < starts]
        if before:
            found[report.pk] = before[0]
    return found


def report_flags(report: Report, today: dt.date | None = None) -> list[str]:
    """What the head and the office should look at before approving or accepting this report."""
    return flags_by_report([report], today).get(report.pk, [])


def _flags(report: Report, earlier: Earlier | None, today: dt.date) -> list[str]:
    flags: list[str] = []
    complete = report.progress_status in IMPLEMENTING
    _, written = report.measure.deadline_in_force
    due = deadline_in_force(written, today, measure_id=report.measure_id)
    if _on("flag_past_deadline") and not complete and days_late(due, today):
        flags.append(
            gettext("已超过完成时限（%(due)s）%(days)s 天，仍报告未完成")
            % {"due": f"{due:%Y-%m-%d}", "days": days_late(due, today)}
        )
    if earlier is not None and _on("flag_going_back"):
        if earlier.progress_status in IMPLEMENTING and not complete:
            flags.append(
                gettext("上期（%(cycle)s）已报完成，本期改为“%(status)s”")
                % {"cycle": earlier.cycle_name, "status": report.get_progress_status_display()}
            )
        elif report.percent < earlier.percent:
            flags.append(
                gettext("完成比例由上期（%(cycle)s）%(before)s%% 降为 %(now)s%%")
                % {"cycle": earlier.cycle_name, "before": earlier.percent, "now": report.percent}
            )
    return flags


def flags_by_report(reports: Any, today: dt.date | None = None) -> dict[int, list[str]]:
    """report id → flags, for a review list, in a fixed number of queries (reports need their
    measure, task and cycle loaded)."""
    today = today or timezone.localdate()
    found = list(reports)
    with deadline_batch():  # extensions read once for the whole list
        earlier = _earlier_by_report(found) if _on("flag_going_back") else {}
        return {r.pk: _flags(r, earlier.get(r.pk), today) for r in found}
