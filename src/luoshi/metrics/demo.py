"""Demo KPI values for `make run`: yearly figures as a statistics bureau would report them."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User

from luoshi.metrics.kpi import observation_record
from luoshi.metrics.models import Observation
from luoshi.plans.models import Plan

# indicator → {year: value}; growth indicators carry their base year 2020. 2023 FDI is missing on purpose.
VALUES = {
    "税收收入增速": {2020: "52.3", 2021: "58.1", 2022: "61.0", 2023: "59.4"},
    "固定资产投资增速": {2020: "120", 2021: "136", 2022: "151", 2023: "166"},
    "外贸进出口增速": {2020: "210", 2021: "255", 2022: "281", 2023: "318"},
    "实际使用外资增速": {2020: "1.8", 2021: "2.0", 2022: "2.1"},
    "新设立企业数": {2021: "2150", 2022: "1980", 2023: "1700"},
    "新增内资企业注册资本增速": {2020: "80", 2021: "95", 2022: "104", 2023: "118"},
    "新增金融机构": {2021: "4", 2022: "3", 2023: "2"},
}


def demo_observations_ensure(plan: Plan, office: User) -> int:
    if Observation.objects.filter(indicator__plan=plan).exists():
        return 0
    count = 0
    for indicator in plan.indicators.filter(name__in=VALUES):
        for year, value in VALUES[indicator.name].items():
            observation_record(
                indicator=indicator,
                year=year,
                value=Decimal(value),
                actor=office,
                source="市统计局（演示数据）",
            )
            count += 1
    return count
