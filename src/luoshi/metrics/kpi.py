"""KPI status per target kind (the indicator's `target_kind` field), with the reason, as of a date.

- 年均增长: compound annual growth from the base year (the year before the plan) to the latest
  complete year known, shown beside that year's own growth; final verdict once the plan's last year
  is known;
- 累计: running total (full years, then the current year's latest cumulative quarter) against the
  share of the period those values cover; final verdict 达到/未达到 once the period's last year is known;
- 逐年目标 (落实率): computed by luoshi from the reports; 逐年计数 (cases): counted from the library.

Only values known on the date count (observations_as_of); a period whose value should have arrived
but did not is named ("2023年数据未报送") and the status is `missing`, never filled from another year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luoshi.metrics.facts import PlanFacts, load_facts
from luoshi.metrics.forecast import forecast
from luoshi.metrics.models import ValueBasis
from luoshi.metrics.observations import (
    COMPUTED_KINDS,
    Known,
    Series,
    expected_by,
    observation_record,
    observations_as_of,
    period_label,
)
from luoshi.metrics.rates import task_rate
from luoshi.plans.models import Indicator, Plan, TargetKind

__all__ = ["KpiStatus", "computed_by_luoshi", "kpi_statuses", "observation_record"]


class KpiColour(models.TextChoices):
    """A KPI's status colour; missing data is its own colour, never red."""

    MISSING = "missing", _("缺数据")
    GREEN = "green", _("达标")
    YELLOW = "yellow", _("滞后")
    RED = "red", _("未达标")


MISSING, GREEN, YELLOW, RED = KpiColour.MISSING, KpiColour.GREEN, KpiColour.YELLOW, KpiColour.RED
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
    single_year: str = ""  # the latest single year's (or year-to-date) growth, beside the CAGR
    final: bool = False  # the period is over and its last value known: 达到 / 未达到
    sources: str = ""  # where the values used came from, who entered them and when

    def as_dict(self) -> dict[str, Any]:
        return {
            k: getattr(self, k)
            for k in (
                "indicator_id",
                "name",
                "kind",
                "status",
                "value",
                "target",
                "reason",
                "single_year",
                "final",
                "sources",
            )
        }


def _n(value: Decimal | None) -> str:
    """2100.0000 → 2100, 10.00 → 10, 12.5 → 12.5."""
    return "—" if value is None else f"{value.normalize():f}"


def computed_by_luoshi(indicator: Indicator) -> bool:
    return indicator.target_kind in COMPUTED_KINDS


@dataclass(frozen=True)
class Period:
    """The plan's period for its indicators: base year, first and last year."""

    base: int
    first: int
    last: int


def plan_period(plan: Plan, indicator: Indicator, as_of: dt.date) -> Period:
    first = plan.published_at.year if plan.published_at else as_of.year
    return Period(first - 1, first, first + (indicator.period_years or 3) - 1)


def kpi_statuses(plan: Plan, as_of: dt.date) -> list[KpiStatus]:
    known = observations_as_of(plan, as_of)
    facts: PlanFacts | None = None
    statuses = []
    for indicator in plan.indicators.all():
        series = known.get(indicator.pk, Series())
        period = plan_period(plan, indicator, as_of)
        kind = indicator.target_kind
        if kind == TargetKind.ANNUAL_GROWTH:
            statuses.append(growth_status(indicator, series, period, as_of))
        elif kind == TargetKind.CUMULATIVE:
            statuses.append(cumulative_status(indicator, series, period, as_of))
        elif kind == TargetKind.YEARLY_THRESHOLDS:
            facts = facts or load_facts(plan, as_of)
            statuses.append(_rate_status(indicator, facts, as_of))
        elif kind == TargetKind.COUNT:
            facts = facts or load_facts(plan, as_of)
            statuses.append(_case_status(indicator, facts, as_of))
        else:
            statuses.append(_status(indicator, MISSING, "—", gettext("尚无计算规则")))
    return statuses


def _status(indicator: Indicator, status: str, value: str, reason: str, **more: Any) -> KpiStatus:
    return KpiStatus(
        indicator.pk,
        indicator.name,
        indicator.target_kind,
        status,
        value,
        indicator.area_target,
        reason,
        **more,
    )


def _sources(used: list[Known]) -> str:
    return gettext("；").join(
        gettext("%(period)s：%(source)s，%(by)s %(on)s录入")
        % {
            "period": k.period,
            "source": k.source or gettext("未注明来源"),
            "by": k.entered_by,
            "on": k.entered_on,
        }
        for k in used
    )


def _overdue_years(series: Series, period: Period, as_of: dt.date, first: int) -> list[int]:
    """Years of the period whose value should have arrived by `as_of` and did not."""
    return [
        y
        for y in range(first, period.last + 1)
        if y not in series.years and expected_by(y, None) <= as_of
    ]


def _missing_words(years: list[int]) -> str:
    years_ = gettext("、").join(gettext("%(year)s年") % {"year": y} for y in years)
    return gettext("%(years)s数据未报送") % {"years": years_}


def _on_year(label: str, growth: Decimal) -> str:
    return gettext("%(period)s同比 %(growth)s%%") % {"period": label, "growth": f"{growth:.1f}"}


def _average(base: int, year: int, cagr: Decimal) -> str:
    return gettext("%(base)s–%(year)s年年均 %(cagr)s%%") % {
        "base": base,
        "year": year,
        "cagr": f"{cagr:.1f}",
    }


# Growth -------------------------------------------------------------------------------------------


def _growth(series: Series, year: int, quarter: int | None = None) -> Decimal | None:
    """Growth % of a period over the same period a year before: entered as growth, or from levels."""
    now = series.quarters.get((year, quarter)) if quarter else series.years.get(year)
    if now is None:
        return None
    if now.basis == ValueBasis.GROWTH:
        return now.value
    before = series.quarters.get((year - 1, quarter)) if quarter else series.years.get(year - 1)
    if before is None or before.basis != ValueBasis.LEVEL or before.value == 0:
        return None
    return (now.value / before.value - 1) * 100


def _cagr(series: Series, base: int, year: int) -> Decimal | None:
    """Compound annual growth % from the base year's level to `year`'s, or by chaining each year's growth."""
    start, end = series.years.get(base), series.years.get(year)
    n = year - base
    if (
        start
        and end
        and start.basis == end.basis == ValueBasis.LEVEL
        and start.value > 0
        and end.value > 0
    ):
        return (Decimal(float(end.value / start.value) ** (1 / n)) - 1) * 100
    factor = Decimal(1)
    for y in range(base + 1, year + 1):
        g = _growth(series, y)
        if g is None:
            return None
        factor *= 1 + g / 100
    return (Decimal(float(factor) ** (1 / n)) - 1) * 100 if factor > 0 else None


def _year_to_date(series: Series, period: Period) -> tuple[str, Decimal | None]:
    """The latest quarter newer than every full year known, with its growth on a year before."""
    full = max(series.years, default=0)
    for year, quarter in sorted(series.quarters, reverse=True):
        if year > full and period.first <= year <= period.last:
            return period_label(year, quarter), _growth(series, year, quarter)
    return "", None


def growth_status(
    indicator: Indicator, series: Series, period: Period, as_of: dt.date
) -> KpiStatus:
    target = indicator.area_value or Decimal(0)
    latest = max((y for y in series.years if period.first <= y <= period.last), default=None)
    ytd_label, ytd = _year_to_date(series, period)
    single = _on_year(ytd_label, ytd) if ytd is not None else ""
    overdue = _overdue_years(series, period, as_of, period.base)
    cagr = _cagr(series, period.base, latest) if latest else None
    if latest is not None:
        g = _growth(series, latest)
        single = (
            gettext("%(year)s年增长 %(growth)s%%") % {"year": latest, "growth": f"{g:.1f}"}
            if g is not None
            else gettext("%(year)s年增速无法计算") % {"year": latest}
        )
        single += gettext("；") + _on_year(ytd_label, ytd) if ytd is not None else ""
    used = [series.years[y] for y in sorted(series.years) if period.base <= y <= period.last]
    more = {"single_year": single, "sources": _sources(used)}
    if overdue:
        shown = _average(period.base, latest, cagr) if cagr is not None and latest else "—"
        return _status(indicator, MISSING, shown, _missing_words(overdue), **more)
    if cagr is None or latest is None:
        if ytd is not None:  # no complete year yet: the year so far is all there is
            colour = RED if ytd < 0 else GREEN if ytd >= target else YELLOW
            return _status(
                indicator,
                colour,
                _on_year(ytd_label, ytd),
                gettext("尚无完整年度数据；%(so_far)s，目标年均 %(target)s%%")
                % {"so_far": _on_year(ytd_label, ytd), "target": _n(target)},
                **more,
            )
        if not series.years:
            reason = gettext("尚无数据")
        elif period.base not in series.years:
            reason = gettext("缺少%(year)s年数据，无法计算年均增长") % {"year": period.base}
        else:
            reason = gettext("尚无%(year)s年数据") % {"year": period.first}
        return _status(indicator, MISSING, "—", reason, **more)
    shown = _average(period.base, latest, cagr)
    values = {"base": period.base, "year": latest, "cagr": f"{cagr:.1f}", "target": _n(target)}
    if latest == period.last:
        met = cagr >= target
        reason = (
            gettext("%(base)s–%(year)s年年均增长 %(cagr)s%%，达到目标 %(target)s%%")
            if met
            else gettext("%(base)s–%(year)s年年均增长 %(cagr)s%%，未达到目标 %(target)s%%")
        ) % values
        return _status(indicator, GREEN if met else RED, shown, reason, final=True, **more)
    if cagr < 0:
        reason = gettext("%(base)s–%(year)s年年均负增长 %(cagr)s%%，目标 %(target)s%%") % values
        return _status(indicator, RED, shown, reason, **more)
    reason = (
        gettext("%(base)s–%(year)s年年均增长 %(cagr)s%%，达到目标 %(target)s%%")
        if cagr >= target
        else gettext("%(base)s–%(year)s年年均增长 %(cagr)s%%，低于目标 %(target)s%%")
    ) % values
    return _status(indicator, GREEN if cagr >= target else YELLOW, shown, reason, **more)


# Cumulative ---------------------------------------------------------------------------------------


def cumulative_status(
    indicator: Indicator, series: Series, period: Period, as_of: dt.date
) -> KpiStatus:
    target = indicator.area_value or Decimal(0)
    total, months, used = Decimal(0), 0, []
    for year in range(period.first, period.last + 1):
        if year in series.years:
            total, months = total + series.years[year].value, months + 12
            used.append(series.years[year])
            continue
        quarters = sorted(q for y, q in series.quarters if y == year)
        if quarters:
            known = series.quarters[(year, quarters[-1])]
            total, months = total + known.value, months + 3 * quarters[-1]
            used.append(known)
        break  # a year without its full value ends what can be added up
    more = {"sources": _sources(used)}
    overdue = _overdue_years(series, period, as_of, period.first)
    shown = gettext("累计 %(total)s") % {"total": _n(total)} if used else "—"
    if overdue:
        return _status(indicator, MISSING, shown, _missing_words(overdue), **more)
    if not used:
        return _status(indicator, MISSING, "—", gettext("尚无数据"), **more)
    span = period.last - period.first + 1
    if period.last in series.years and months == 12 * span:
        met = total >= target
        values = {
            "first": period.first,
            "last": period.last,
            "total": _n(total),
            "target": _n(target),
            "short": _n(target - total),
        }
        reason = (
            gettext("%(first)s–%(last)s年累计 %(total)s，已达到目标 %(target)s")
            if met
            else gettext(
                "%(first)s–%(last)s年累计 %(total)s，未达到（差 %(short)s）目标 %(target)s"
            )
        ) % values
        return _status(indicator, GREEN if met else RED, shown, reason, final=True, **more)
    if total >= target:
        return _status(
            indicator,
            GREEN,
            shown,
            gettext("累计 %(total)s，已达到目标 %(target)s")
            % {"total": _n(total), "target": _n(target)},
            **more,
        )
    elapsed = Decimal(months) / Decimal(12 * span)
    expected = target * elapsed
    through = used[-1].period
    share = gettext("截至%(through)s完成 %(done)s%%，时间进度 %(elapsed)s%%") % {
        "through": through,
        "done": f"{total / target * 100:.0f}",
        "elapsed": f"{elapsed * 100:.0f}",
    }
    if total >= expected:
        return _status(indicator, GREEN, shown, share, **more)
    if total >= expected * ON_TRACK_TOLERANCE:
        return _status(indicator, YELLOW, shown, share + gettext("，略慢于时间进度"), **more)
    return _status(indicator, RED, shown, share + gettext("，明显慢于时间进度"), **more)


# Computed by luoshi -------------------------------------------------------------------------------


def _rate_status(indicator: Indicator, facts: PlanFacts, as_of: dt.date) -> KpiStatus:
    targets = {int(y): Decimal(v) for y, v in indicator.area_by_year.items()}
    year = min((y for y in targets if y >= as_of.year), default=max(targets))
    target = targets[year]
    year_end = dt.date(year, 12, 31)
    rate = task_rate(facts, min(as_of, year_end))
    shown = f"{rate.percent}%"
    final = as_of >= year_end
    values = {"year": year, "target": _n(target), "rate": rate.percent}
    if Decimal(str(rate.percent)) >= target:
        reason = (
            gettext("%(year)s年目标 %(target)s%%，实际 %(rate)s%%，已达到")
            if final
            else gettext("%(year)s年目标 %(target)s%%，当前 %(rate)s%%，已达到")
        ) % values
        return _status(indicator, GREEN, shown, reason, final=final)
    if final:
        reason = gettext("%(year)s年目标 %(target)s%%，实际 %(rate)s%%，未达到") % values
        return _status(indicator, RED, shown, reason, final=True)
    outlook = next(f for f in forecast(facts, as_of) if f.deadline == year_end)
    colour = YELLOW if outlook.will_meet else RED
    return _status(
        indicator,
        colour,
        shown,
        gettext("%(year)s年目标 %(target)s%%，当前 %(rate)s%%，预计年底 %(expected)s%%")
        % {**values, "expected": outlook.expected_percent},
    )


def _case_status(indicator: Indicator, facts: PlanFacts, as_of: dt.date) -> KpiStatus:
    from luoshi.metrics.case_targets import national_cases_submitted

    targets = {int(y): Decimal(v) for y, v in indicator.area_by_year.items()}
    if not targets:
        return _status(indicator, MISSING, "—", gettext("方案未给出逐年目标"))
    year = min((y for y in targets if y >= as_of.year), default=max(targets))
    count = national_cases_submitted(facts, year)
    shown = gettext("%(year)s年 %(count)s 项") % {"year": year, "count": count}
    values = {"year": year, "count": count, "target": _n(targets[year])}
    final = as_of >= dt.date(year, 12, 31)
    if count >= targets[year]:
        return _status(
            indicator,
            GREEN,
            shown,
            gettext("%(year)s年提交国家案例 %(count)s 项，达到目标 %(target)s 项") % values,
            final=final,
        )
    reason = (
        gettext("%(year)s年提交国家案例 %(count)s 项，未达到目标 %(target)s 项")
        if final
        else gettext("%(year)s年提交国家案例 %(count)s 项，目标 %(target)s 项")
    ) % values
    return _status(
        indicator,
        RED if final else YELLOW,
        shown,
        reason,
        final=final,
    )
