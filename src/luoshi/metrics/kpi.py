"""KPI status per target kind, with the reason. Missing data is shown as missing, never as zero.

- annual growth: this year's value against last year's → growth %, against the target;
- cumulative over years: running total against the target and against the share of time elapsed;
- yearly thresholds: 落实率 is computed by luoshi (never typed in); case counts come from the library.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from luoshi.accounts.policies import is_office, organisation_of
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, refuse
from luoshi.metrics.facts import PlanFacts, load_facts
from luoshi.metrics.forecast import forecast
from luoshi.metrics.models import IndicatorOwner, Observation
from luoshi.metrics.rates import task_rate
from luoshi.plans.limits import number_error, refuse_if, year_errors
from luoshi.plans.models import Indicator, Plan, TargetKind


class KpiColour(models.TextChoices):
    """A KPI's status colour; missing data is its own colour, never red."""

    MISSING = "missing", _("缺数据")
    GREEN = "green", _("达标")
    YELLOW = "yellow", _("滞后")
    RED = "red", _("未达标")


MISSING, GREEN, YELLOW, RED = KpiColour.MISSING, KpiColour.GREEN, KpiColour.YELLOW, KpiColour.RED
VALUE_LIMIT = Decimal("999999999999")  # the column's 16 digits, 4 of them decimals
ON_TRACK_TOLERANCE = Decimal("0.8")  # yellow down to 80% of where the total should be by now


@dataclass(frozen=True)
class KpiStatus:
    indicator_id: int
    name: str
    kind: str
    status: str
    value: str
    target: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            k: getattr(self, k)
            for k in ("indicator_id", "name", "kind", "status", "value", "target", "reason")
        }


def _n(value: Decimal | None) -> str:
    """2100.0000 → 2100, 10.00 → 10, 12.5 → 12.5."""
    return "—" if value is None else f"{value.normalize():f}"


def computed_by_luoshi(indicator: Indicator) -> bool:
    return indicator.target_kind == TargetKind.YEARLY_THRESHOLDS


def observation_record(
    *,
    indicator: Indicator,
    year: int,
    value: Decimal,
    actor: User,
    quarter: int | None = None,
    source: str = "",
    note: str = "",
) -> Observation:
    """The office, or the organisation it assigned, enters a value; computed indicators refuse."""
    owner = IndicatorOwner.objects.filter(indicator=indicator).first()
    if not (is_office(actor) or (owner and organisation_of(actor) == owner.organisation)):
        raise refuse(
            actor=actor,
            action=AuditAction.OBSERVATION_RECORD,
            obj=indicator,
            message="只有片区办或指定的填报单位可以填报该指标",
        )
    if computed_by_luoshi(indicator):
        raise ValidationError({"indicator": "该指标由系统根据落实情况自动计算，不能手工填报"})
    _check_observation(year, quarter, value, source, note)
    with transaction.atomic():
        observation, created = Observation.objects.update_or_create(
            indicator=indicator,
            year=year,
            quarter=quarter,
            defaults={"value": value, "source": source, "note": note, "entered_by": actor},
        )
        audit_record(
            actor=actor,
            action=AuditAction.OBSERVATION_RECORD,
            obj=observation,
            detail={"created": created, "value": str(value)},
        )
    return observation


def _check_observation(
    year: int, quarter: int | None, value: Decimal, source: str, note: str
) -> None:
    errors = year_errors(year=year)
    if quarter is not None and quarter not in (1, 2, 3, 4):
        errors["quarter"] = "季度应为 1–4"
    if message := number_error(value, low=-VALUE_LIMIT, high=VALUE_LIMIT, places=4):
        errors["value"] = message
    for name, text, limit in (("source", source, 200), ("note", note, 2000)):
        if len(text) > limit:
            errors[name] = f"不能超过 {limit} 字"
    refuse_if(errors)


def kpi_statuses(plan: Plan, as_of: dt.date) -> list[KpiStatus]:
    observations: dict[int, dict[int, Decimal]] = {}
    for indicator_id, year, value in Observation.objects.filter(
        indicator__plan=plan, quarter__isnull=True, year__lte=as_of.year
    ).values_list("indicator_id", "year", "value"):
        observations.setdefault(indicator_id, {})[year] = value
    start = plan.published_at.year if plan.published_at else as_of.year
    facts = None
    statuses = []
    for indicator in plan.indicators.all():
        values = observations.get(indicator.pk, {})
        if indicator.target_kind == TargetKind.ANNUAL_GROWTH:
            statuses.append(growth_status(indicator, values))
        elif indicator.target_kind == TargetKind.CUMULATIVE:
            statuses.append(cumulative_status(indicator, values, start, as_of))
        elif "落实率" in indicator.name:
            facts = facts or load_facts(plan, as_of)
            statuses.append(_rate_status(indicator, facts, as_of))
        elif "案例" in indicator.name:
            statuses.append(_case_status(indicator, plan, as_of))
        else:
            statuses.append(_status(indicator, MISSING, "—", "尚无计算规则"))
    return statuses


def _status(indicator: Indicator, status: str, value: str, reason: str) -> KpiStatus:
    return KpiStatus(
        indicator.pk,
        indicator.name,
        indicator.target_kind,
        status,
        value,
        indicator.area_target,
        reason,
    )


def growth_status(indicator: Indicator, values: dict[int, Decimal]) -> KpiStatus:
    years = sorted(y for y in values if y - 1 in values)
    if not years:
        reason = "尚无数据" if not values else f"缺少{min(values) - 1}年数据，无法计算增速"
        return _status(indicator, MISSING, "—", reason)
    year = years[-1]
    base = values[year - 1]
    if base == 0:
        return _status(indicator, MISSING, "—", f"{year - 1}年基数为 0，无法计算增速")
    growth = (values[year] - base) / base * 100
    target = indicator.area_value or Decimal(0)
    shown = f"{year}年 {growth:.1f}%"
    if growth < 0:
        return _status(indicator, RED, shown, f"{year}年负增长 {growth:.1f}%，目标 {_n(target)}%")
    if growth >= target:
        return _status(
            indicator, GREEN, shown, f"{year}年增长 {growth:.1f}%，达到目标 {_n(target)}%"
        )
    return _status(indicator, YELLOW, shown, f"{year}年增长 {growth:.1f}%，低于目标 {_n(target)}%")


def cumulative_status(
    indicator: Indicator, values: dict[int, Decimal], start: int, as_of: dt.date
) -> KpiStatus:
    years = indicator.period_years or 3
    counted = {y: v for y, v in values.items() if start <= y < start + years}
    if not counted:
        return _status(indicator, MISSING, "—", "尚无数据")
    total = sum(counted.values(), Decimal(0))
    target = indicator.area_value or Decimal(0)
    period_start, period_end = dt.date(start, 1, 1), dt.date(start + years, 1, 1)
    elapsed = min(
        Decimal(1),
        Decimal(max(0, (as_of - period_start).days)) / Decimal((period_end - period_start).days),
    )
    expected = target * elapsed
    shown = f"累计 {_n(total)}"
    share = f"完成 {total / target * 100:.0f}%，时间进度 {elapsed * 100:.0f}%" if target else ""
    if total >= target:
        return _status(indicator, GREEN, shown, f"累计 {_n(total)}，已达到目标 {_n(target)}")
    if total >= expected:
        return _status(indicator, GREEN, shown, share)
    if total >= expected * ON_TRACK_TOLERANCE:
        return _status(indicator, YELLOW, shown, share + "，略慢于时间进度")
    return _status(indicator, RED, shown, share + "，明显慢于时间进度")


def _rate_status(indicator: Indicator, facts: PlanFacts, as_of: dt.date) -> KpiStatus:
    targets = {int(y): Decimal(v) for y, v in indicator.area_by_year.items()}
    year = min((y for y in targets if y >= as_of.year), default=max(targets))
    target = targets[year]
    year_end = dt.date(year, 12, 31)
    rate = task_rate(facts, min(as_of, year_end))
    shown = f"{rate.percent}%"
    if Decimal(str(rate.percent)) >= target:
        return _status(
            indicator, GREEN, shown, f"{year}年目标 {_n(target)}%，当前 {rate.percent}%，已达到"
        )
    if as_of > year_end:
        return _status(
            indicator, RED, shown, f"{year}年目标 {_n(target)}%，实际 {rate.percent}%，未达到"
        )
    outlook = next(f for f in forecast(facts, as_of) if f.deadline == year_end)
    colour = YELLOW if outlook.will_meet else RED
    return _status(
        indicator,
        colour,
        shown,
        f"{year}年目标 {_n(target)}%，当前 {rate.percent}%，预计年底 {outlook.expected_percent}%",
    )


def _case_status(indicator: Indicator, plan: Plan, as_of: dt.date) -> KpiStatus:
    from luoshi.cases.selectors import national_cases_submitted

    targets = {int(y): Decimal(v) for y, v in indicator.area_by_year.items()}
    year = min((y for y in targets if y >= as_of.year), default=max(targets))
    count = national_cases_submitted(plan, year, as_of)
    shown = f"{year}年 {count} 项"
    if count >= targets[year]:
        return _status(
            indicator,
            GREEN,
            shown,
            f"{year}年提交国家案例 {count} 项，达到目标 {_n(targets[year])} 项",
        )
    colour = RED if as_of > dt.date(year, 12, 31) else YELLOW
    return _status(
        indicator, colour, shown, f"{year}年提交国家案例 {count} 项，目标 {_n(targets[year])} 项"
    )
