"""The reporting workflow over JSON: my measures, reports and their transitions, evidence, cycles."""

import datetime as dt
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from luoshi.accounts.models import Person
from luoshi.accounts.policies import organisation_of, reads_plans, role_of, visible_measures
from luoshi.accounts.services import responsible_person_set
from luoshi.api.auth import RoleGate
from luoshi.audit.services import fetch_visible
from luoshi.plans.models import Measure, Plan
from luoshi.progress.evidence import evidence_add, evidence_read
from luoshi.progress.models import Evidence, ProgressStatus, Report, ReportEvent, ReportingCycle
from luoshi.progress.policies import visible_reports
from luoshi.progress.reminders import reminders_of
from luoshi.progress.services import (
    contribution_save,
    cycle_open,
    report_carry_forward,
    report_draft,
    report_transition,
    report_update,
)
from luoshi.progress.timing import deadline_batch, measure_deadline
from luoshi.progress.workflow import Action
from luoshi.tokens.models import Scope

M = TypeVar("M", bound=Model)

gate = RoleGate(reads_plans, gettext_lazy("无权查看填报信息"))
router = Router(tags=["progress"], auth=gate)
me_router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    role: str | None
    organisation: str | None


class MyMeasureOut(Schema):
    id: int
    code: str
    text: str
    task_id: int
    due_date: dt.date | None  # in force today (an approved extension moves it)
    original_due_date: dt.date | None  # as the plan wrote it
    deadline_note: str  # "原定 X，延期至 Y" when extended, else ""
    duties: list[str]


class CycleIn(Schema):
    plan_id: int
    starts_on: dt.date
    ends_on: dt.date
    due_on: dt.date | None = None
    name: str = ""


class CycleOut(Schema):
    id: int
    plan_id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    due_on: dt.date
    status: str


class ReportFields(Schema):
    progress_status: ProgressStatus | None = None
    percent: int | None = None
    work_done: str | None = None
    problems: str | None = None
    next_steps: str | None = None


class ReportIn(ReportFields):
    measure_id: int
    cycle_id: int


class ReportPatch(ReportFields):
    version: int


class EventOut(Schema):
    action: str
    from_state: str
    to_state: str
    comment: str
    actor: str
    at: dt.datetime

    @staticmethod
    def resolve_actor(event: ReportEvent) -> str:
        return event.actor.get_username()


class EvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str


class ReportOut(Schema):
    id: int
    measure_id: int
    cycle_id: int
    organisation: str
    state: str
    progress_status: str
    percent: int
    work_done: str
    problems: str
    next_steps: str
    return_count: int
    return_reason: str
    carried_forward: bool
    version: int
    accepted_at: dt.datetime | None
    events: list[EventOut]
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_organisation(report: Report) -> str:
        return report.organisation.name


class TransitionIn(Schema):
    action: Action
    reason: str = ""
    version: int | None = None  # the copy the client saw: a changed report answers 409


class CarryForwardIn(Schema):
    cycle_id: int


class ContributionIn(Schema):
    cycle_id: int
    text: str


class PersonIn(Schema):
    """A 责任人 record of the unit (person_id), or a login account of it (user_id, the older form)."""

    person_id: int | None = None
    user_id: int | None = None


class ReminderOut(Schema):
    kind: str
    key: str
    text: str


def _user(request: HttpRequest) -> User:
    """The API's session auth has already refused anonymous requests."""
    assert isinstance(request.user, User)
    return request.user


def _fields(data: ReportFields) -> dict[str, object]:
    return {
        k: v
        for k, v in data.dict(exclude={"version", "measure_id", "cycle_id"}).items()
        if v is not None
    }


def _fetch(request: HttpRequest, visible: QuerySet[M], pk: int) -> M:
    return fetch_visible(visible, pk, actor=request.user)


def _report(request: HttpRequest, report_id: int) -> Report:
    reports = visible_reports(request.user).select_related("measure__task", "organisation", "cycle")
    return _fetch(request, reports, report_id)


def _measure(request: HttpRequest, measure_id: int) -> Measure:
    return _fetch(request, visible_measures(request.user).select_related("task"), measure_id)


@me_router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, object]:
    organisation = organisation_of(request.user)
    return {
        "username": request.user.get_username(),
        "role": role_of(request.user),
        "organisation": organisation.name if organisation else None,
    }


@router.get("/me/measures", response=list[MyMeasureOut], auth=gate.allowing(Scope.REPORTS_READ))
def my_measures(request: HttpRequest) -> list[dict[str, object]]:
    organisation = organisation_of(request.user)
    measures = (
        visible_measures(request.user).select_related("task").prefetch_related("responsibilities")
    )
    today = timezone.localdate()
    with deadline_batch():
        deadlines = {m.pk: measure_deadline(m, today) for m in measures}
    return [
        {
            "id": m.pk,
            "code": m.code,
            "text": m.text,
            "task_id": m.task_id,
            "due_date": deadlines[m.pk].in_force,
            "original_due_date": deadlines[m.pk].written,
            "deadline_note": deadlines[m.pk].note,
            "duties": [
                d.role
                for d in m.responsibilities.all()
                if organisation and d.organisation_id == organisation.pk
            ],
        }
        for m in measures
    ]


@router.get("/me/reminders", response=list[ReminderOut])
def my_reminders(request: HttpRequest, as_of: dt.date | None = None) -> list[object]:
    today = as_of or timezone.localdate()
    return list(reminders_of(_user(request), today=today, days=settings.LUOSHI_REMIND_DAYS))


@router.get("/cycles", response=list[CycleOut], auth=gate.allowing(Scope.REPORTS_READ))
def list_cycles(request: HttpRequest, plan: int | None = None) -> object:
    cycles = ReportingCycle.objects.all()
    # a plan's cycles are its programme's: every version reports in the same ones
    return cycles.filter(plan__programme__versions=plan) if plan else cycles


@router.post("/cycles", response={201: CycleOut})
def open_cycle(request: HttpRequest, data: CycleIn) -> tuple[int, ReportingCycle]:
    plan = get_object_or_404(Plan, pk=data.plan_id)
    cycle = cycle_open(
        plan=plan,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        due_on=data.due_on,
        name=data.name,
        actor=_user(request),
    )
    return 201, cycle


@router.get("/reports", response=list[ReportOut], auth=gate.allowing(Scope.REPORTS_READ))
def list_reports(
    request: HttpRequest, cycle: int | None = None, measure: int | None = None
) -> object:
    reports = (
        visible_reports(request.user)
        .select_related("organisation")
        .prefetch_related("events__actor", "evidence")
    )
    if cycle:
        reports = reports.filter(cycle_id=cycle)
    if measure:
        reports = reports.filter(measure_id=measure)
    return reports


@router.post("/reports", response={201: ReportOut}, auth=gate.allowing(Scope.REPORTS_WRITE))
def create_report(request: HttpRequest, data: ReportIn) -> tuple[int, Report]:
    measure = _measure(request, data.measure_id)
    cycle = get_object_or_404(ReportingCycle, pk=data.cycle_id)
    return 201, report_draft(measure=measure, cycle=cycle, actor=_user(request), **_fields(data))


@router.get("/reports/{report_id}", response=ReportOut, auth=gate.allowing(Scope.REPORTS_READ))
def get_report(request: HttpRequest, report_id: int) -> Report:
    return _report(request, report_id)


@router.patch("/reports/{report_id}", response=ReportOut, auth=gate.allowing(Scope.REPORTS_WRITE))
def update_report(request: HttpRequest, report_id: int, data: ReportPatch) -> Report:
    report = _report(request, report_id)
    return report_update(report=report, actor=_user(request), version=data.version, **_fields(data))


@router.post(
    "/reports/{report_id}/transitions", response=ReportOut, auth=gate.allowing(Scope.REPORTS_WRITE)
)
def transition_report(request: HttpRequest, report_id: int, data: TransitionIn) -> Report:
    report = _report(request, report_id)
    return report_transition(
        report=report,
        action=data.action,
        actor=_user(request),
        reason=data.reason,
        version=data.version,
    )


@router.post(
    "/reports/{report_id}/evidence",
    response={201: EvidenceOut},
    auth=gate.allowing(Scope.REPORTS_WRITE),
)
def upload_evidence(
    request: HttpRequest, report_id: int, file: File[UploadedFile]
) -> tuple[int, Evidence]:
    report = _report(request, report_id)
    return 201, evidence_add(report=report, upload=file, name=file.name or "", actor=_user(request))


@router.get("/evidence/{evidence_id}", auth=gate.allowing(Scope.REPORTS_READ))
def download_evidence(request: HttpRequest, evidence_id: int) -> HttpResponse:
    try:
        download = evidence_read(evidence_id=evidence_id, actor=_user(request))
    except Evidence.DoesNotExist:
        raise Http404 from None
    response = HttpResponse(download.data, content_type=download.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(download.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@router.post(
    "/measures/{measure_id}/carry-forward",
    response={201: ReportOut},
    auth=gate.allowing(Scope.REPORTS_WRITE),
)
def carry_forward(
    request: HttpRequest, measure_id: int, data: CarryForwardIn
) -> tuple[int, Report]:
    measure = _measure(request, measure_id)
    cycle = get_object_or_404(ReportingCycle, pk=data.cycle_id)
    return 201, report_carry_forward(measure=measure, cycle=cycle, actor=_user(request))


@router.post(
    "/measures/{measure_id}/contributions",
    response={201: dict[str, object]},
    auth=gate.allowing(Scope.REPORTS_WRITE),
)
def contribute(
    request: HttpRequest, measure_id: int, data: ContributionIn
) -> tuple[int, dict[str, object]]:
    measure = _measure(request, measure_id)
    cycle = get_object_or_404(ReportingCycle, pk=data.cycle_id)
    c = contribution_save(measure=measure, cycle=cycle, actor=_user(request), text=data.text)
    return 201, {"id": c.pk, "organisation": c.organisation.name, "text": c.text}


@router.put("/measures/{measure_id}/responsible-person", response=dict[str, object])
def set_responsible_person(
    request: HttpRequest, measure_id: int, data: PersonIn
) -> dict[str, object]:
    measure = _measure(request, measure_id)
    person: Person | User
    if data.person_id is not None:
        person = get_object_or_404(Person, pk=data.person_id)
    else:
        person = get_object_or_404(User, pk=data.user_id or 0)
    assignment = responsible_person_set(measure=measure, person=person, actor=_user(request))
    return {
        "measure_id": measure.pk,
        "organisation": assignment.organisation.name,
        "person_id": assignment.person.pk,
        "person": assignment.person.name,
        "user": assignment.person.user.get_username() if assignment.person.user else None,
    }
