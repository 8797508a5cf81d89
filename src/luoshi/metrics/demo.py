"""Demo KPI values for `make run`, entered when a statistics bureau would have published them.

A quarter's cumulative value (1–3月, 1–6月, 1–9月) is entered about a month after the quarter, a
year's value in the following March; one year's value is corrected a few months later; 2023 FDI is
never entered. So the dashboard on a past date shows what was known then. Written in bulk like the
progress demo: demonstration data, not anybody's actions, so no audit rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from luoshi.metrics.models import Observation
from luoshi.metrics.observations import period_end
from luoshi.plans.models import Plan

CHINA = dt.timezone(dt.timedelta(hours=8))
SOURCE = "市统计局（演示数据）"

# indicator → {year: full-year level}; growth indicators carry their base year 2020.
VALUES = {
    "税收收入增速": {2020: "52.3", 2021: "58.1", 2022: "61.0", 2023: "59.4"},
    "固定资产投资增速": {2020: "120", 2021: "136", 2022: "151", 2023: "166"},
    "外贸进出口增速": {2020: "210", 2021: "255", 2022: "281", 2023: "318"},
    "实际使用外资增速": {2020: "1.8", 2021: "2.0", 2022: "2.1"},
    "新设立企业数": {2021: "2150", 2022: "1980", 2023: "1700"},
    "新增内资企业注册资本增速": {2020: "80", 2021: "95", 2022: "104", 2023: "118"},
    "新增金融机构": {2021: "4", 2022: "3", 2023: "2"},
}
# Share of the year's level reached by the end of each quarter (cumulative 1–3月, 1–6月, 1–9月).
QUARTER_SHARES = {1: Decimal("0.22"), 2: Decimal("0.47"), 3: Decimal("0.73")}
# (indicator, year): the first published value, corrected on the date given to the level in VALUES.
FIRST_PUBLISHED = {("外贸进出口增速", 2022): ("276", dt.date(2023, 6, 15))}


def entered_on(year: int, quarter: int | None) -> dt.date:
    """A quarter's value about a month after it ends; a year's on 20 March of the next year."""
    if quarter:
        return period_end(year, quarter) + dt.timedelta(days=28)
    return dt.date(year + 1, 3, 20)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), CHINA)


def _rows(name: str, office: User) -> list[tuple[int, int | None, Decimal, dt.date, str]]:
    rows: list[tuple[int, int | None, Decimal, dt.date, str]] = []
    for year, text in VALUES[name].items():
        level = Decimal(text)
        for quarter, share in QUARTER_SHARES.items():
            value = (level * share).quantize(Decimal("1" if level >= 100 else "0.01"))
            rows.append((year, quarter, value, entered_on(year, quarter), ""))
        first = FIRST_PUBLISHED.get((name, year))
        if first:
            rows.append((year, None, Decimal(first[0]), entered_on(year, None), ""))
            rows.append((year, None, level, first[1], "统计局年报修订"))
        else:
            rows.append((year, None, level, entered_on(year, None), ""))
    return rows


def demo_observations_ensure(plan: Plan, office: User) -> int:
    """Enter the demo values known by today; returns how many were written (0 if already there)."""
    if Observation.objects.filter(indicator__plan=plan).exists():
        return 0
    today = timezone.localdate()
    written: list[Observation] = []
    for indicator in plan.indicators.filter(name__in=VALUES):
        previous: dict[tuple[int, int | None], Observation] = {}
        for year, quarter, value, day, note in sorted(
            _rows(indicator.name, office), key=lambda r: r[3]
        ):
            if day > today:
                continue
            entry = Observation(
                indicator=indicator,
                year=year,
                quarter=quarter,
                value=value,
                source=SOURCE,
                note=note,
                corrects=previous.get((year, quarter)),
                entered_by=office,
                entered_at=_at(day),
            )
            entry.save()
            previous[(year, quarter)] = entry
            written.append(entry)
    return len(written)
