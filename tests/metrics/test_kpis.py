"""KPI status for each target kind — growth (incl. negative), cumulative, computed 落实率, cases — and missing data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from luoshi.cases.models import CaseLevel
from luoshi.cases.services import case_advance, case_create
from luoshi.metrics.kpi import kpi_statuses, observation_record
from luoshi.metrics.models import IndicatorOwner
from luoshi.plans.models import Organisation
from tests.conftest import client_for
from tests.metrics.history import implement_tasks

pytestmark = pytest.mark.django_db


def status_of(plan, name, as_of):
    return next(k for k in kpi_statuses(plan, as_of) if k.name == name)


def enter(plan, people, name, values):
    indicator = plan.indicators.get(name=name)
    for year, value in values.items():
        observation_record(
            indicator=indicator,
            year=year,
            value=Decimal(value),
            actor=people.office,
            source="市统计局",
        )


def test_missing_data_is_missing_not_zero(imported_plan, people):
    status = status_of(imported_plan, "税收收入增速", dt.date(2022, 3, 1))
    assert (status.status, status.value, status.reason) == ("missing", "—", "尚无数据")
    enter(imported_plan, people, "税收收入增速", {2021: "52.0"})
    assert (
        status_of(imported_plan, "税收收入增速", dt.date(2022, 3, 1)).reason
        == "缺少2020年数据，无法计算增速"
    )


@pytest.mark.parametrize(
    ("values", "status", "reason"),
    [
        ({2020: "50", 2021: "56"}, "green", "2021年增长 12.0%，达到目标 10%"),
        ({2020: "50", 2021: "52"}, "yellow", "2021年增长 4.0%，低于目标 10%"),
        ({2020: "50", 2021: "48"}, "red", "2021年负增长 -4.0%，目标 10%"),
    ],
)
def test_annual_growth(imported_plan, people, values, status, reason):
    enter(imported_plan, people, "税收收入增速", values)
    found = status_of(imported_plan, "税收收入增速", dt.date(2022, 3, 1))
    assert (found.status, found.reason) == (status, reason)


def test_cumulative_against_time_elapsed(imported_plan, people):
    # 新设立企业数: 6000 in three years (2021–2023). On 2022-07-01, 54% of the period has passed.
    enter(imported_plan, people, "新设立企业数", {2021: "2100"})
    on_track = status_of(imported_plan, "新设立企业数", dt.date(2021, 12, 31))
    assert (on_track.status, on_track.value) == ("green", "累计 2100")  # 35% done, 33% of time
    behind = status_of(imported_plan, "新设立企业数", dt.date(2022, 7, 1))
    assert behind.status == "red" and behind.reason == "完成 35%，时间进度 50%，明显慢于时间进度"
    enter(imported_plan, people, "新设立企业数", {2022: "1000"})
    close = status_of(imported_plan, "新设立企业数", dt.date(2022, 7, 1))
    assert close.status == "green" and close.reason == "完成 52%，时间进度 50%"
    enter(imported_plan, people, "新设立企业数", {2023: "3000"})
    assert (
        status_of(imported_plan, "新设立企业数", dt.date(2023, 12, 31)).reason
        == "累计 6100，已达到目标 6000"
    )


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
