"""KPI status for each target kind — growth (incl. negative), cumulative, computed 落实率, cases — and missing data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from luoshi.audit.models import AuditEvent
from luoshi.cases.models import CaseLevel
from luoshi.cases.services import case_advance, case_create
from luoshi.metrics.kpi import kpi_statuses
from luoshi.metrics.models import IndicatorOwner, Observation
from luoshi.metrics.observations import observation_record
from luoshi.plans.models import Organisation
from tests.conftest import ONCE, client_for
from tests.metrics.history import implement_tasks

if TYPE_CHECKING:
    from types import SimpleNamespace

    from luoshi.metrics.kpi import KpiStatus
    from luoshi.plans.models import Plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]
CHINA = dt.timezone(dt.timedelta(hours=8))


def status_of(plan: Plan, name: str, as_of: dt.date) -> KpiStatus:
    return next(k for k in kpi_statuses(plan, as_of) if k.name == name)


def enter(
    plan: Plan,
    people: SimpleNamespace,
    name: str,
    values: dict[int, str],
    on: dt.date | None = None,
    quarter: int | None = None,
    note: str = "",
    basis: str = "level",
) -> None:
    """Enter values as the office would have on `on` (a year's value: 20 March of the next year)."""
    indicator = plan.indicators.get(name=name)
    for year, value in values.items():
        day = on or (dt.date(year, 12, 31) + dt.timedelta(days=79))
        with time_machine.travel(dt.datetime.combine(day, dt.time(10), CHINA), tick=False):
            observation_record(
                indicator=indicator,
                year=year,
                quarter=quarter,
                value=Decimal(value),
                basis=basis,
                actor=people.office,
                source="市统计局",
                note=note,
            )


def test_missing_data_is_missing_not_zero_and_a_late_period_is_named(imported_plan, people):
    status = status_of(imported_plan, "税收收入增速", dt.date(2022, 3, 1))
    assert (status.status, status.value) == ("missing", "—")
    assert status.reason == "2020年数据未报送"  # the base year was due in spring 2021
    enter(imported_plan, people, "税收收入增速", {2020: "50", 2021: "55"})
    enter(imported_plan, people, "税收收入增速", {2023: "70"})
    gap = status_of(imported_plan, "税收收入增速", dt.date(2024, 6, 1))
    assert (gap.status, gap.reason) == ("missing", "2022年数据未报送")
    assert gap.value == "2020–2023年年均 11.9%"  # shown with its years, never as 2022's


@pytest.mark.parametrize(
    ("values", "status", "reason"),
    [
        ({2020: "50", 2021: "56"}, "green", "2020–2021年年均增长 12.0%，达到目标 10%"),
        ({2020: "50", 2021: "52"}, "yellow", "2020–2021年年均增长 4.0%，低于目标 10%"),
        ({2020: "50", 2021: "48"}, "red", "2020–2021年年均负增长 -4.0%，目标 10%"),
    ],
)
def test_annual_growth(imported_plan, people, values, status, reason):
    enter(imported_plan, people, "税收收入增速", values)
    found = status_of(imported_plan, "税收收入增速", dt.date(2022, 3, 31))
    assert (found.status, found.reason) == (status, reason)


def test_annual_growth_is_compound_from_the_base_year_beside_the_single_year(imported_plan, people):
    enter(imported_plan, people, "税收收入增速", {2020: "100", 2021: "125", 2022: "126"})
    found = status_of(imported_plan, "税收收入增速", dt.date(2023, 3, 31))
    assert (found.status, found.value) == ("green", "2020–2022年年均 12.2%")
    assert found.single_year == "2022年增长 0.8%"
    assert "2022年：市统计局，office 2023-03-20录入" in found.sources


def test_growth_entered_as_rates_chains_to_the_same_compound_growth(imported_plan, people):
    enter(imported_plan, people, "税收收入增速", {2021: "25", 2022: "0.8"}, basis="growth")
    found = status_of(imported_plan, "税收收入增速", dt.date(2023, 3, 31))
    assert found.value == "2020–2022年年均 12.2%"


def test_a_value_counts_only_once_its_period_ended_and_it_was_entered(imported_plan, people):
    with pytest.raises(ValidationError, match="尚未结束"):
        enter(imported_plan, people, "税收收入增速", {2021: "55"}, on=dt.date(2021, 6, 30))
    enter(imported_plan, people, "税收收入增速", {2020: "50", 2021: "55"})
    before = status_of(imported_plan, "税收收入增速", dt.date(2022, 3, 19))
    after = status_of(imported_plan, "税收收入增速", dt.date(2022, 3, 20))
    assert (before.status, before.reason) == ("missing", "尚无2021年数据")
    assert after.reason == "2020–2021年年均增长 10.0%，达到目标 10%"


def test_a_correction_keeps_the_earlier_value_and_counts_from_its_date(imported_plan, people):
    enter(imported_plan, people, "税收收入增速", {2020: "50", 2021: "55"})
    with pytest.raises(ValidationError, match="说明原因"):
        enter(imported_plan, people, "税收收入增速", {2021: "54"}, on=dt.date(2022, 6, 1))
    enter(
        imported_plan, people, "税收收入增速", {2021: "54"}, on=dt.date(2022, 6, 1), note="年报修订"
    )
    assert status_of(imported_plan, "税收收入增速", dt.date(2022, 5, 31)).value == (
        "2020–2021年年均 10.0%"
    )
    assert status_of(imported_plan, "税收收入增速", dt.date(2022, 6, 1)).value == (
        "2020–2021年年均 8.0%"
    )
    history = Observation.objects.filter(indicator__name="税收收入增速", year=2021)
    assert [str(o.value.normalize()) for o in history] == ["55", "54"]
    assert history[1].corrects == history[0]
    assert AuditEvent.objects.filter(action="observation_correct").count() == 1


def test_quarterly_values_are_cumulative_and_compared_with_a_year_before(imported_plan, people):
    enter(imported_plan, people, "税收收入增速", {2020: "50", 2021: "55"})
    enter(imported_plan, people, "税收收入增速", {2021: "26"}, quarter=2, on=dt.date(2021, 7, 28))
    enter(imported_plan, people, "税收收入增速", {2022: "30"}, quarter=2, on=dt.date(2022, 7, 28))
    found = status_of(imported_plan, "税收收入增速", dt.date(2022, 8, 1))
    assert found.single_year == "2021年增长 10.0%；2022年1–6月同比 15.4%"
    assert status_of(imported_plan, "税收收入增速", dt.date(2022, 7, 27)).single_year == (
        "2021年增长 10.0%"
    )


def test_cumulative_against_the_time_its_values_cover_then_a_final_verdict(imported_plan, people):
    # 新设立企业数: 6000 in three years (2021–2023).
    enter(imported_plan, people, "新设立企业数", {2021: "2100"})
    on_track = status_of(imported_plan, "新设立企业数", dt.date(2022, 3, 31))
    assert (on_track.status, on_track.value) == ("green", "累计 2100")
    assert on_track.reason == "截至2021年完成 35%，时间进度 33%"
    enter(imported_plan, people, "新设立企业数", {2022: "700"}, quarter=2, on=dt.date(2022, 7, 28))
    behind = status_of(imported_plan, "新设立企业数", dt.date(2022, 8, 1))
    assert (behind.status, behind.reason) == (
        "yellow",
        "截至2022年1–6月完成 47%，时间进度 50%，略慢于时间进度",
    )
    enter(imported_plan, people, "新设立企业数", {2022: "1980", 2023: "1700"})
    final = status_of(imported_plan, "新设立企业数", dt.date(2024, 3, 20))
    assert (final.status, final.final) == ("red", True)
    assert final.reason == "2021–2023年累计 5780，未达到（差 220）目标 6000"


def test_implementation_rate_is_computed_never_typed(imported_plan, people):
    indicator = imported_plan.indicators.get(name="改革试点任务落实率")
    with pytest.raises(ValidationError):
        observation_record(indicator=indicator, year=2021, value=Decimal(60), actor=people.office)
    implement_tasks(imported_plan, range(1, 45), dt.date(2021, 11, 20))
    done = status_of(imported_plan, "改革试点任务落实率", dt.date(2021, 12, 31))
    assert (done.status, done.value) == ("green", "50.0%")
    missed = status_of(imported_plan, "改革试点任务落实率", dt.date(2023, 1, 15))
    assert missed.status == "red" and missed.reason == "2023年目标 100%，当前 50.0%，预计年底 50.0%"


def test_national_cases_count_from_the_library(imported_plan, people):
    assert status_of(imported_plan, "提交国家改革创新案例", dt.date(2021, 6, 1)).status == "yellow"
    market = Organisation.objects.get(name="市市场监管局")
    case = case_create(
        actor=people.market_reporter,
        tasks=[imported_plan.tasks.get(number=10)],
        plan=imported_plan,
        title="“一业一证”改革",
        level=CaseLevel.NATIONAL,
        organisation=market,
    )
    case_advance(case=case, on=dt.date(2021, 9, 1), actor=people.office)
    before, after = (
        status_of(imported_plan, "提交国家改革创新案例", d)
        for d in (dt.date(2021, 8, 31), dt.date(2021, 9, 1))
    )
    assert (before.status, after.status) == ("yellow", "green")
    assert after.reason == "2021年提交国家案例 1 项，达到目标 1 项"


def test_only_the_office_or_the_assigned_unit_enters_values(imported_plan, people):
    indicator = imported_plan.indicators.get(name="外贸进出口增速")
    with pytest.raises(PermissionDenied):
        observation_record(
            indicator=indicator, year=2021, value=Decimal(1), actor=people.customs_reporter
        )
    IndicatorOwner.objects.create(
        indicator=indicator, organisation=Organisation.objects.get(name="岳阳海关")
    )
    response = client_for(people.customs_reporter).post(
        f"/api/kpis/{indicator.pk}/observations",
        {"year": 2021, "value": "120.5", "source": "海关统计"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
