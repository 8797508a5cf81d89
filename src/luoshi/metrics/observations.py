"""Indicator values as known on a date, and the writes that enter and correct them.

A value counts on D only if its period had ended by D *and* it had been entered by D; of several
entries for one period (corrections), the last one entered by D is the one known on D.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from luoshi.accounts.policies import is_office, organisation_of
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, refuse
from luoshi.metrics.models import IndicatorOwner, Observation, ValueBasis
from luoshi.plans.limits import number_error, refuse_if
from luoshi.plans.models import Indicator, Plan, TargetKind
from luoshi.plans.revisions import SIMILAR, similarity
from luoshi.progress.asof import end_of_day

VALUE_LIMIT = Decimal("999999999999")  # the column holds 16 digits, 4 after the point
COMPUTED_KINDS = (TargetKind.YEARLY_THRESHOLDS, TargetKind.COUNT)


def period_end(year: int, quarter: int | None) -> dt.date:
    """A year ends on 31 December; quarter q (cumulative 1–3q 月) on the last day of month 3q."""
    month = 3 * quarter if quarter else 12
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_label(year: int, quarter: int | None) -> str:
    if quarter:
        return gettext("%(year)d年1–%(month)d月") % {"year": year, "month": 3 * quarter}
    return gettext("%(year)d年") % {"year": year}


def expected_by(year: int, quarter: int | None) -> dt.date:
    """When a statistics bureau has usually published a period's value (settings.LUOSHI_KPI_ARRIVAL)."""
    days = settings.LUOSHI_KPI_ARRIVAL["quarter_days" if quarter else "year_days"]
    return period_end(year, quarter) + dt.timedelta(days=days)


@dataclass(frozen=True)
class Known:
    """One period's value as known on the as-of date."""

    year: int
    quarter: int | None
    value: Decimal
    basis: str
    source: str
    entered_by: str
    entered_on: dt.date
    corrected: bool  # an earlier value for this period was replaced by the as-of date

    @property
    def period(self) -> str:
        return period_label(self.year, self.quarter)


@dataclass
class Series:
    """An indicator's known values: full years, and quarters (cumulative within their year)."""

    years: dict[int, Known] = field(default_factory=dict)
    quarters: dict[tuple[int, int], Known] = field(default_factory=dict)


def observations_as_of(plan: Plan, as_of: dt.date) -> dict[int, Series]:
    """indicator id → its values known at the end of `as_of`."""
    rows = (
        Observation.objects.filter(indicator__plan=plan, entered_at__lt=end_of_day(as_of))
        .select_related("entered_by")
        .order_by("entered_at", "pk")
    )
    latest: dict[tuple[int, int, int | None], tuple[Observation, int]] = {}
    for o in rows:
        if period_end(o.year, o.quarter) > as_of:
            continue  # the period had not ended: nobody could know its value
        key = (o.indicator_id, o.year, o.quarter)
        entries = latest.get(key, (o, 0))[1] + 1
        latest[key] = (o, entries)
    found: dict[int, Series] = {}
    for (indicator_id, year, quarter), (o, entries) in latest.items():
        known = Known(
            year,
            quarter,
            o.value,
            o.basis,
            o.source,
            o.entered_by.last_name or o.entered_by.username,
            timezone.localdate(o.entered_at),
            entries > 1,
        )
        series = found.setdefault(indicator_id, Series())
        if quarter:
            series.quarters[(year, quarter)] = known
        else:
            series.years[year] = known
    return found


def enters_values(user: Any) -> bool:
    """The office, or a member of an organisation assigned to enter some indicator."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_office(user):
        return True
    organisation = organisation_of(user)
    return (
        organisation is not None
        and IndicatorOwner.objects.filter(organisation=organisation).exists()
    )


def may_enter(actor: User, indicator: Indicator) -> bool:
    """The office, or the organisation it assigned to the indicator (e.g. 市统计局)."""
    if is_office(actor):
        return True
    owner = IndicatorOwner.objects.filter(indicator=indicator).first()
    return owner is not None and organisation_of(actor) == owner.organisation


def _check(indicator: Indicator, year: int, quarter: int | None, today: dt.date) -> None:
    if indicator.target_kind in COMPUTED_KINDS:
        raise ValidationError(
            {"indicator": gettext("该指标由系统根据落实情况自动计算，不能手工填报")}
        )
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": gettext("季度应为 1–4")})
    if not 1990 <= year <= today.year:
        raise ValidationError(
            {"year": gettext("年度应在 1990–%(last)d 之间") % {"last": today.year}}
        )
    if period_end(year, quarter) > today:
        raise ValidationError(
            {
                "year": gettext("%(period)s尚未结束，不能填报实际值")
                % {"period": period_label(year, quarter)}
            }
        )


def observation_record(
    *,
    indicator: Indicator,
    year: int,
    value: Decimal,
    actor: User,
    quarter: int | None = None,
    basis: str = ValueBasis.LEVEL,
    source: str = "",
    note: str = "",
) -> Observation:
    """Enter a period's value; if the period has one already, this is a correction that keeps it."""
    if not may_enter(actor, indicator):
        raise refuse(
            actor=actor,
            action=AuditAction.OBSERVATION_RECORD,
            obj=indicator,
            message=gettext("只有片区办或指定的填报单位可以填报该指标"),
        )
    _check(indicator, year, quarter, timezone.localdate())
    errors = {}
    if message := number_error(value, low=-VALUE_LIMIT, high=VALUE_LIMIT, places=4):
        errors["value"] = message
    for name, text, limit in (("source", source, 200), ("note", note, 2000)):
        if len(text) > limit:
            errors[name] = gettext("不能超过 %(n)d 字") % {"n": limit}
    refuse_if(errors)
    if basis not in ValueBasis.values:
        raise ValidationError({"basis": gettext("口径应为数值或增速")})
    with transaction.atomic():
        earlier = (
            Observation.objects.select_for_update()
            .filter(indicator=indicator, year=year, quarter=quarter)
            .order_by("-entered_at", "-pk")
            .first()
        )
        if earlier is not None and not note.strip():
            raise ValidationError({"note": gettext("更正已填报的数值时请说明原因")})
        observation = Observation.objects.create(
            indicator=indicator,
            year=year,
            quarter=quarter,
            value=value,
            basis=basis,
            source=source,
            note=note,
            corrects=earlier,
            entered_by=actor,
        )
        with translation.override(settings.LANGUAGE_CODE):  # the trail in one language
            period = period_label(year, quarter)
        audit_record(
            actor=actor,
            action=AuditAction.OBSERVATION_CORRECT if earlier else AuditAction.OBSERVATION_RECORD,
            obj=observation,
            detail={
                "period": period,
                "value": str(value),
                "basis": basis,
                "was": str(earlier.value) if earlier else None,
            },
        )
    return observation


def observations_carry(*, plan: Plan) -> int:
    """A revision keeps its indicators' values: each indicator of the new version takes the entries
    (corrections included, with their dates) and the owner of the indicator of the same name in the
    version it revises — or of the most similar name, for a renamed one."""
    if plan.revises_id is None:
        return 0
    old = list(Indicator.objects.filter(plan_id=plan.revises_id))
    count = 0
    for indicator in Indicator.objects.filter(plan=plan):
        earlier = _same_indicator(indicator, old)
        if earlier is None:
            continue
        old.remove(earlier)
        owner = IndicatorOwner.objects.filter(indicator=earlier).first()
        if owner is not None:
            IndicatorOwner.objects.create(indicator=indicator, organisation=owner.organisation)
        copied: dict[int, Observation] = {}
        for entry in Observation.objects.filter(indicator=earlier).order_by("entered_at", "pk"):
            source = entry.pk
            entry.pk = None
            entry.indicator = indicator
            entry.corrects = copied.get(entry.corrects_id or 0)
            entry.save()
            copied[source] = entry
        count += len(copied)
    return count


def _same_indicator(indicator: Indicator, old: list[Indicator]) -> Indicator | None:
    same = next((o for o in old if o.name == indicator.name), None)
    if same is not None or not old:
        return same
    best = max(old, key=lambda o: similarity(o.name, indicator.name))
    return best if similarity(best.name, indicator.name) >= SIMILAR else None
