"""Figures as of any date: status, rates, lights, overdue lists, KPIs, scoring."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from ninja import Router, Schema

from luoshi.accounts.policies import reads_everything, reads_plans
from luoshi.api.auth import RoleGate
from luoshi.metrics.case_targets import case_progress
from luoshi.metrics.facts import load_facts
from luoshi.metrics.headline import headline
from luoshi.metrics.kpi import kpi_statuses
from luoshi.metrics.lights import lights_as_of, organisation_lights, task_lights
from luoshi.metrics.models import ValueBasis
from luoshi.metrics.observations import observation_record
from luoshi.metrics.policies import can_see_scores
from luoshi.metrics.rates import Late, rates_by_cohort, rates_by_organisation, rates_by_section
from luoshi.metrics.scoring import RULE_LABELS, scores
from luoshi.metrics.summary import headline_dict
from luoshi.plans.limits import date_errors, refuse_if
from luoshi.plans.models import Indicator, Plan
from luoshi.plans.selectors import plan_or_default
from luoshi.tokens.models import Scope

gate = RoleGate(reads_plans, gettext_lazy("无权查看统计"))
router = Router(tags=["metrics"], auth=gate)


def requested_plan(plan: int | None) -> Plan:
    found = plan_or_default(plan)
    if found is None:
        raise Http404(gettext("没有这个方案"))
    return found


def requested_day(as_of: dt.date | None) -> dt.date:
    refuse_if(date_errors(as_of=as_of))
    return as_of or timezone.localdate()


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _rate(rate: Any) -> dict[str, Any]:
    return {"done": rate.done, "total": rate.total, "percent": rate.percent}


@router.get("/metrics/status", response=dict[str, Any], auth=gate.allowing(Scope.STATUS_READ))
def status(
    request: HttpRequest, plan: int | None = None, as_of: dt.date | None = None
) -> dict[str, Any]:
    """Headline: 落实率 vs target in force, forecast, overdue, lights by colour, KPIs, cases vs targets."""
    found, day = requested_plan(plan), requested_day(as_of)
    h = headline(found, day)
    data = headline_dict(h, kpi_statuses(found, day))
    data["cases"] = [
        {
            "kind": c.kind,
            "label": c.label,
            "year": c.year,
            "target": c.target,
            "count": c.count,
            "met": c.met,
        }
        for c in case_progress(h.facts)
    ]
    return data


@router.get("/metrics/rates", response=dict[str, Any], auth=gate.allowing(Scope.STATUS_READ))
def rates(
    request: HttpRequest, plan: int | None = None, as_of: dt.date | None = None
) -> dict[str, Any]:
    day = requested_day(as_of)
    facts = load_facts(requested_plan(plan), day)
    return {
        "as_of": day.isoformat(),
        "by_organisation": [
            {
                "organisation_id": r.organisation_id,
                "name": r.name,
                "as_lead": _rate(r.as_lead),
                "as_supporting": _rate(r.as_supporting),
            }
            for r in rates_by_organisation(facts, day)
        ],
        "by_cohort": {k: _rate(v) for k, v in rates_by_cohort(facts, day).items()},
        "by_section": {k: _rate(v) for k, v in rates_by_section(facts, day).items()},
    }


@router.get("/metrics/lights", response=list[dict[str, Any]], auth=gate.allowing(Scope.STATUS_READ))
def lights(
    request: HttpRequest, plan: int | None = None, as_of: dt.date | None = None, level: str = "task"
) -> list[dict[str, Any]]:
    """Warning lights of every measure, task or organisation, each with its reasons."""
    day = requested_day(as_of)
    facts = load_facts(requested_plan(plan), day)
    measures = lights_as_of(facts, day)
    if level == "measure":
        named = {m.id: gettext("举措 %(code)s") % {"code": m.code} for m in facts.measures.values()}
        found = measures
    elif level == "organisation":
        named, found = facts.organisations, organisation_lights(facts, measures)
    else:
        named = {t.id: gettext("任务 %(number)s") % {"number": t.number} for t in facts.tasks}
        found = task_lights(facts, measures)
    return [
        {"id": k, "name": named[k], "colour": v.colour.key, "reasons": v.reasons}
        for k, v in found.items()
    ]


def _late(x: Late) -> dict[str, Any]:
    return {
        "task_id": x.task.id,
        "number": x.task.number,
        "title": x.task.title,
        "due_date": x.task.due_date,
        "days": x.days,
    }


@router.get("/metrics/overdue", response=dict[str, Any], auth=gate.allowing(Scope.STATUS_READ))
def overdue(
    request: HttpRequest, plan: int | None = None, as_of: dt.date | None = None
) -> dict[str, Any]:
    h = headline(requested_plan(plan), requested_day(as_of))
    return {
        "as_of": h.as_of,
        "overdue": [_late(x) for x in h.overdue],
        "due_soon": [_late(x) for x in h.due_soon],
    }


@router.get(
    "/metrics/scores",
    response=list[dict[str, Any]],
    auth=RoleGate(can_see_scores, gettext_lazy("考核排名仅供片区办、领导和评估方查看")),
)
def ranking(
    request: HttpRequest, start: dt.date, end: dt.date, plan: int | None = None
) -> list[dict[str, Any]]:
    """Department ranking for a period; every point with the event behind it (not for departments)."""
    if not reads_everything(request.user):
        raise PermissionDenied(gettext("考核排名仅供片区办、领导和评估方查看"))
    refuse_if(date_errors(start=start, end=end))
    return [
        {
            "rank": s.rank,
            "organisation_id": s.organisation_id,
            "name": s.name,
            "total": float(s.total),  # 百分制 base + 加减分
            "base": float(s.base),
            "extra": s.extra,
            "measures": s.measures,
            "points": [
                {
                    "rule": p.rule,
                    "label": str(RULE_LABELS[p.rule]),
                    "points": p.points,
                    "on": p.on,
                    "reference": p.reference,
                }
                for p in s.points
            ],
        }
        for s in scores(requested_plan(plan), start, end)
    ]


@router.get("/kpis", response=list[dict[str, Any]], auth=gate.allowing(Scope.STATUS_READ))
def kpis(
    request: HttpRequest, plan: int | None = None, as_of: dt.date | None = None
) -> list[dict[str, Any]]:
    return [k.as_dict() for k in kpi_statuses(requested_plan(plan), requested_day(as_of))]


class ObservationIn(Schema):
    year: int
    quarter: int | None = None
    value: Decimal
    basis: ValueBasis = ValueBasis.LEVEL
    source: str = ""
    note: str = ""  # required for a correction (the period has a value already)


@router.post("/kpis/{indicator_id}/observations", response={201: dict[str, Any]})
def record_observation(
    request: HttpRequest, indicator_id: int, data: ObservationIn
) -> tuple[int, dict[str, Any]]:
    indicator = get_object_or_404(Indicator, pk=indicator_id)
    o = observation_record(indicator=indicator, actor=_user(request), **data.dict())
    return 201, {
        "id": o.pk,
        "indicator": indicator.name,
        "year": o.year,
        "quarter": o.quarter,
        "value": str(o.value),
        "basis": o.basis,
        "corrects": o.corrects_id,
        "entered_at": o.entered_at.isoformat(),
    }
