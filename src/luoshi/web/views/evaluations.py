"""评估 pages: evaluations as of a date with their 整改 items, the office's framework (评估指标体系),
recording an evaluation (scores, findings, report file), and the 整改 steps: the office 交办 a
finding to a unit with a deadline, the unit reports, the office closes (销号) or returns it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from luoshi.accounts.policies import DEPARTMENT, is_office, organisation_of, reads_plans, role_of
from luoshi.cases.evaluations import (
    ReportFile,
    criterion_add,
    evaluation_record,
    evaluation_report_read,
    finding_assign,
    finding_close,
    finding_respond,
    finding_return,
)
from luoshi.cases.models import Evaluation, EvaluationKind, Finding, FindingState
from luoshi.cases.policies import may_record_evaluations
from luoshi.metrics.facts import load_facts
from luoshi.progress.evidence import EvidenceCorrupted
from luoshi.progress.timing import days_late
from luoshi.web.access import as_of, current_plan, requires, user_of
from luoshi.web.evaluation_forms import (
    AssignForm,
    CloseForm,
    CriterionForm,
    EvaluationForm,
    RespondForm,
    ReturnForm,
)
from luoshi.web.list_columns import EVALUATIONS
from luoshi.web.views.errors import error_page


@requires(reads_plans, gettext_noop("无权查看评估"))
def evaluation_list(request: HttpRequest) -> HttpResponse:
    plan, day = current_plan(request), as_of(request)
    facts = load_facts(plan, day)  # evaluations and 整改 items as they stood on the day
    kind = request.GET.get("kind", "")
    rows = [e for e in facts.evaluations if not kind or e.kind == kind]
    if EVALUATIONS.wants_export(request):
        return EVALUATIONS.export(request, rows, as_of=day)
    items = [
        {"item": r, "late": days_late(r.due_on, day) if not r.done(day) else 0, "done": r.done(day)}
        for r in facts.rectifications
    ]
    return render(
        request,
        "web/evaluations.html",
        {
            "plan": plan,
            "as_of": day,
            **EVALUATIONS.page(request, rows),
            "kind": kind,
            "kinds": EvaluationKind.choices,
            "items": items,
            "open_count": sum(1 for i in items if not i["done"]),
            "late_count": sum(1 for i in items if i["late"]),
            "may_record": may_record_evaluations(request.user),
        },
    )


@requires(reads_plans, gettext_noop("无权查看评估"))
def framework(request: HttpRequest) -> HttpResponse:
    return _framework(request, CriterionForm())


def _framework(request: HttpRequest, form: CriterionForm, status: int = 200) -> HttpResponse:
    plan = current_plan(request)
    context = {"plan": plan, "criteria": plan.criteria.all(), "form": form}
    context["may_edit"] = is_office(request.user)
    return render(request, "web/evaluation_framework.html", context, status=status)


@require_POST
@requires(is_office, gettext_noop("评估指标体系由片区办制定"))
def framework_add(request: HttpRequest) -> HttpResponse:
    form = CriterionForm(request.POST)
    if form.is_valid():
        try:
            criterion_add(plan=current_plan(request), actor=user_of(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("已增加评估指标：%(n)s") % {"n": form.cleaned_data["name"]})
            return redirect("web:evaluation_framework")
    return _framework(request, form, status=422)


@requires(may_record_evaluations, gettext_noop("无权登记评估"))
def evaluation_new(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    form = EvaluationForm(request.POST or None, request.FILES or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        report = data.pop("report")
        fields = {k: v for k, v in data.items() if not k.startswith("score_")}
        try:
            evaluation = evaluation_record(
                plan=plan,
                task=fields.pop("task"),
                actor=user_of(request),
                kind=fields.pop("kind"),
                scores=form.scores(),
                items=fields.pop("items").splitlines(),
                report=ReportFile(report, report.name or "") if report else None,
                **fields,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except (
            PermissionDenied
        ) as refused:  # audited; the form stays as typed, the reason beside it
            form.add_error("kind", str(refused))
            return render(request, "web/evaluation_form.html", {"form": form}, status=403)
        else:
            messages.success(request, _("已登记评估"))
            return redirect("web:evaluation", evaluation.pk)
    status = 422 if form.is_bound else 200
    return render(request, "web/evaluation_form.html", {"form": form}, status=status)


def _evaluation(request: HttpRequest, evaluation_id: int) -> Evaluation:
    return get_object_or_404(
        Evaluation.objects.select_related("task", "plan", "recorded_by"),
        pk=evaluation_id,
        plan=current_plan(request),
    )


@requires(reads_plans, gettext_noop("无权查看评估"))
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    return _detail(request, _evaluation(request, evaluation_id))


def _detail(
    request: HttpRequest, evaluation: Evaluation, refused: tuple[int, str, Any] | None = None
) -> HttpResponse:
    """The evaluation with its findings; `refused` = (finding, step, form) shown with its errors."""
    user, today = request.user, timezone.localdate()
    office = is_office(user)
    mine = organisation_of(user) if role_of(user) in DEPARTMENT else None
    rows = []
    for finding in evaluation.items.select_related("organisation"):
        forms = {
            "assign": AssignForm(initial={"on": today}) if office else None,
            "respond": RespondForm() if mine and finding.organisation_id == mine.pk else None,
            "close": CloseForm(initial={"on": today}) if office else None,
            "return": ReturnForm() if office else None,
        }
        if refused and refused[0] == finding.pk:
            forms[refused[1]] = refused[2]
        late = finding.state in (FindingState.OPEN, FindingState.REPORTED)
        rows.append(
            {"finding": finding, "late": days_late(finding.due_on, today) if late else 0, **forms}
        )
    context = {
        "e": evaluation,
        "scores": evaluation.scores.select_related("criterion"),
        "rows": rows,
    }
    return render(request, "web/evaluation_detail.html", context, status=422 if refused else 200)


@requires(reads_plans, gettext_noop("无权下载评估报告"))
def evaluation_file(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    evaluation = _evaluation(request, evaluation_id)
    if not evaluation.report_stored:
        raise Http404
    try:
        found = evaluation_report_read(evaluation=evaluation, actor=user_of(request))
    except EvidenceCorrupted as error:
        return error_page(request, status=409, title=_("评估报告校验失败"), reason=str(error))
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = HttpResponse(found.data, content_type=found.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(found.name)}"
    return response


def _finding(request: HttpRequest, finding_id: int) -> Finding:
    return get_object_or_404(
        Finding.objects.select_related("evaluation", "organisation"),
        pk=finding_id,
        evaluation__plan=current_plan(request),
    )


def _step(
    request: HttpRequest, finding_id: int, step: str, form_class: Any, service: Any
) -> HttpResponse:
    """One 整改 step: parse its form, call its service, back to the evaluation (errors beside it)."""
    finding = _finding(request, finding_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(finding=finding, actor=user_of(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, _("整改事项已更新：%(s)s") % {"s": finding.get_state_display()}
            )
            return redirect(f"/evaluations/{finding.evaluation_id}/#finding-{finding.pk}")
    return _detail(request, finding.evaluation, (finding.pk, step, form))


@require_POST
@requires(is_office, gettext_noop("整改事项由片区办交办"))
def finding_assign_page(request: HttpRequest, finding_id: int) -> HttpResponse:
    return _step(request, finding_id, "assign", AssignForm, finding_assign)


@require_POST
@requires(reads_plans, gettext_noop("只有承担整改的单位可以报送整改情况"))
def finding_respond_page(request: HttpRequest, finding_id: int) -> HttpResponse:
    return _step(request, finding_id, "respond", RespondForm, finding_respond)


@require_POST
@requires(is_office, gettext_noop("整改销号由片区办办理"))
def finding_close_page(request: HttpRequest, finding_id: int) -> HttpResponse:
    return _step(request, finding_id, "close", CloseForm, finding_close)


@require_POST
@requires(is_office, gettext_noop("整改销号由片区办办理"))
def finding_return_page(request: HttpRequest, finding_id: int) -> HttpResponse:
    return _step(request, finding_id, "return", ReturnForm, finding_return)
