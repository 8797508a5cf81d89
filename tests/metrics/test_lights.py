"""Warning lights with their reasons, on a scripted month (as of 2022-07-15; cycles May, June, July 2022)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from luoshi.metrics.facts import load_facts
from luoshi.metrics.lights import (
    Colour,
    Thresholds,
    measure_lights,
    organisation_lights,
    task_lights,
)
from luoshi.plans.models import Measure, Organisation, Plan
from tests.conftest import ONCE
from tests.metrics.history import cycle, report

if TYPE_CHECKING:
    from luoshi.metrics.facts import PlanFacts
    from luoshi.metrics.lights import Light

# The bundled plan, the personas and the scripted months are built once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]
AS_OF = dt.date(2022, 7, 15)
MAY, JUNE = dt.date(2022, 5, 20), dt.date(2022, 6, 20)


def m(plan, code: str) -> Measure:
    task, number = code.split(".")
    return Measure.objects.select_related("task__plan").get(
        task__plan=plan, task__number=task, number=number
    )


@pytest.fixture(scope="module")
def scripted(plan_and_people_once, django_db_blocker) -> None:
    """The scripted months, written once into the module's world (not once per parameter)."""
    with django_db_blocker.unblock():
        plan = Plan.objects.get(pk=plan_and_people_once[0])
        for month in (5, 6, 7):
            cycle(plan, 2022, month)
        for code in ("6.1", "4.1", "7.3"):
            report(m(plan, code), MAY)
            report(m(plan, code), JUNE)
        report(m(plan, "6.2"), MAY)
        report(m(plan, "6.2"), JUNE, returns=2)
        report(m(plan, "7.2"), MAY)
        report(
            m(plan, "10.1"), JUNE, submitted=dt.date(2022, 7, 20)
        )  # after AS_OF: not yet reported
        for code in ("2.1", "2.2"):  # an ongoing task, implemented
            report(m(plan, code), MAY, accepted=True, status="ongoing_in_place")


@pytest.fixture
def lights(scripted, imported_plan):
    return load_facts(imported_plan, AS_OF)


def light_of(facts: PlanFacts, plan: Plan, code: str) -> Light:
    return measure_lights(facts, AS_OF)[m(plan, code).pk]


@pytest.mark.parametrize(
    ("code", "colour", "reasons"),
    [
        ("6.1", Colour.YELLOW, ["47 天后到期，尚未报告完成"]),  # due 2022-08-31
        ("6.2", Colour.RED, ["退回 2 次", "47 天后到期，尚未报告完成"]),
        ("4.1", Colour.RED, ["逾期 318 天"]),  # due 2021-08-31
        ("7.1", Colour.RED, ["连续 2 个周期未报送"]),  # due 2023-08-31, nothing in May or June
        ("7.2", Colour.YELLOW, ["上个周期未报送"]),
        ("7.3", Colour.GREEN, []),
        ("2.1", Colour.GREEN, ["已落实"]),
    ],
)
def test_measure_lights_and_reasons(lights, imported_plan, code, colour, reasons):
    light = light_of(lights, imported_plan, code)
    assert (light.colour, light.reasons) == (colour, reasons)


def test_a_report_submitted_after_the_date_does_not_count(lights, imported_plan):
    # 10.1 (due 2021-08-31) is overdue and reported nothing by 2022-07-15 in May or June.
    light = light_of(lights, imported_plan, "10.1")
    assert light.reasons == ["逾期 318 天", "连续 2 个周期未报送"]


def test_thresholds_are_settings(lights, imported_plan):
    lenient = Thresholds(
        due_soon_days=30, red_returns=3, red_missed_cycles=3, yellow_missed_cycles=2
    )
    light = measure_lights(lights, AS_OF, lenient)[m(imported_plan, "6.2").pk]
    assert light.colour == Colour.GREEN
    assert measure_lights(lights, AS_OF, lenient)[m(imported_plan, "7.1").pk].reasons == [
        "连续 2 个周期未报送"
    ]


def test_task_and_organisation_lights_name_the_measures_behind_them(lights, imported_plan):
    by_measure = measure_lights(lights, AS_OF)
    tasks = task_lights(lights, by_measure)
    t7 = tasks[imported_plan.tasks.get(number=7).pk]
    assert t7.colour == Colour.RED
    assert t7.reasons == ["举措 7.1：连续 2 个周期未报送", "举措 7.2：上个周期未报送"]
    assert tasks[imported_plan.tasks.get(number=2).pk].reasons == ["全部举措正常"]
    commerce = organisation_lights(lights, by_measure)[
        Organisation.objects.get(name="市商务粮食局").pk
    ]
    assert (
        commerce.colour == Colour.RED
        and "举措 6.2：退回 2 次；47 天后到期，尚未报告完成" in commerce.reasons
    )


def test_a_late_rectification_item_turns_its_units_light_red(imported_plan, people):
    import datetime as dt

    from luoshi.cases.evaluations import evaluation_record, finding_assign
    from luoshi.metrics.facts import load_facts
    from luoshi.metrics.lights import lights_as_of, organisation_lights

    evaluation = evaluation_record(
        plan=imported_plan,
        actor=people.office,
        kind="annual",
        evaluator="片区办",
        evaluated_on=dt.date(2022, 1, 10),
        items=["部分举措佐证材料不完整"],
    )
    market = people.market_reporter.membership.organisation
    finding_assign(
        finding=evaluation.items.get(),
        actor=people.office,
        organisation=market,
        due_on=dt.date(2022, 3, 31),
        on=dt.date(2022, 1, 20),
    )

    def light(day):
        facts = load_facts(imported_plan, day)
        return organisation_lights(facts, lights_as_of(facts, day))[market.pk]

    assert not any("整改" in r for r in light(dt.date(2022, 3, 31)).reasons)  # due, not late
    late = light(dt.date(2022, 4, 5))
    assert late.colour == Colour.RED and "整改事项“部分举措佐证材料不完整”逾期 5 天" in late.reasons
