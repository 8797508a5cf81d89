"""Reports as they stood on a date, rebuilt from their events.

A report row holds its state today; a figure as of D needs its state on D. Every step of the review
(draft, submit, approve, send back, return, accept) is an event with its time, and a submitted step
carries the status and percentage sent, so replaying the events up to D gives the report on D.
Nothing here reads a row field that can change after D, which is what makes "delete everything after
D" change no figure as of D.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models.functions import TruncDate
from django.utils import timezone

from luoshi.plans.models import Measure
from luoshi.progress.lineage import lineage
from luoshi.progress.models import IMPLEMENTING, ReportEvent, ReportState


@dataclass(frozen=True)
class Returned:
    on: dt.date
    comment: str


@dataclass
class ReportOnDate:
    """One report as it stood on the as-of date."""

    id: int
    measure_id: int
    cycle_id: int
    organisation_id: int
    state: str = ReportState.DRAFT
    submitted_on: dt.date | None = None  # first sent to the head, by the as-of date
    progress_status: str = ""  # as last submitted ("" if never submitted)
    percent: int | None = None
    accepted_on: dt.date | None = None
    returns: list[Returned] = field(default_factory=list)  # by the office (退回), by the date

    @property
    def return_count(self) -> int:
        return len(self.returns)

    @property
    def implements(self) -> bool:
        return self.accepted_on is not None and self.progress_status in IMPLEMENTING


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after `day` in the project's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def reports_as_of(plan_id: int, as_of: dt.date) -> dict[int, ReportOnDate]:
    """Every report of the plan that existed on `as_of`, in its state then (report id → report).
    A revision's measure has the reports of the measures it revises, under its own id."""
    owner = lineage(
        list(Measure.objects.filter(task__plan_id=plan_id).values_list("pk", flat=True))
    )
    rows = (
        ReportEvent.objects.filter(report__measure__in=list(owner), at__lt=end_of_day(as_of))
        .order_by("at", "id")
        # the local day, cut by the database: parsing and converting every event's timestamp in
        # Python was most of the time a national plan's facts took
        .annotate(day=TruncDate("at"))
        .values_list(
            "report_id",
            "report__measure_id",
            "report__cycle_id",
            "report__organisation_id",
            "report__progress_status",
            "report__percent",
            "action",
            "to_state",
            "comment",
            "day",
            "progress_status",
            "percent",
        )
    )
    found: dict[int, ReportOnDate] = {}
    for (
        report_id,
        measure_id,
        cycle_id,
        org_id,
        row_status,
        row_percent,
        action,
        to_state,
        comment,
        day,
        status,
        percent,
    ) in rows:
        report = found.get(report_id)
        if report is None:
            report = found[report_id] = ReportOnDate(report_id, owner[measure_id], cycle_id, org_id)
        report.state = to_state
        if action == "submit":
            report.submitted_on = report.submitted_on or day
            # Events written before content snapshots existed: the row's content is the submitted one
            # unless the report went back to draft later, which only old data can leave ambiguous.
            report.progress_status = status or row_status
            report.percent = percent if status else row_percent
        elif action == "return":
            report.returns.append(Returned(day, comment))
        elif action == "accept":
            report.accepted_on = day
        elif action == "undo_accept":  # taken back: from then on it was never accepted
            report.accepted_on = None
    return found


def implemented_on(reports: dict[int, ReportOnDate]) -> dict[int, dt.date]:
    """measure id → the day its completion report was accepted (已落实), first acceptance wins."""
    done: dict[int, dt.date] = {}
    for r in reports.values():
        if (
            r.implements
            and r.accepted_on is not None
            and r.accepted_on < done.get(r.measure_id, dt.date.max)
        ):
            done[r.measure_id] = r.accepted_on
    return done
