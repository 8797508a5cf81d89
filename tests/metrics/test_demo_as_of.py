"""`make run`'s demo database: the plan, demo accounts and a true-to-life history; and on past dates:
lights count only the cycles missed and the returns made by then, KPI cards use only values known
then, and the 工作通报 carries the dashboard's numbers.

The demo database is built once for the module (bootstrap writes years of history); each test reads
it in a savepoint.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from decimal import Decimal

import docx
import pytest
from django.core.management import call_command
from django.test import Client

from luoshi.metrics.headline import headline
from luoshi.metrics.kpi import kpi_statuses
from luoshi.metrics.observations import period_end
from luoshi.metrics.rates import lead_ranking
from luoshi.paperwork.briefing import briefing_docx
from luoshi.plans.models import Measure, Plan
from luoshi.progress.asof import end_of_day
from luoshi.progress.models import Report, ReportEvent, ReportingCycle
from luoshi.progress.selectors import implemented_on
from tests.conftest import shared_world

pytestmark = pytest.mark.django_db
DATES = [dt.date(2021, 6, 30), dt.date(2021, 12, 31), dt.date(2022, 6, 30), dt.date(2023, 3, 31)]


@pytest.fixture(scope="module")
def bootstrapped(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    """Yields what bootstrap printed. DEBUG: bootstrap refuses to run in production."""
    printed = io.StringIO()
    with shared_world(django_db_blocker, DEBUG=True, DATA_DIR=tmp_path_factory.mktemp("demo")):
        call_command("bootstrap", stdout=printed)
        yield printed.getvalue()


@pytest.fixture
def demo(bootstrapped: str) -> Plan:
    return Plan.objects.get()


def _sent_by(day: dt.date) -> set[tuple[int, int]]:
    """(cycle, measure) of every report submitted by the end of `day`, from the raw events."""
    return set(
        ReportEvent.objects.filter(action="submit", at__lt=end_of_day(day)).values_list(
            "report__cycle_id", "report__measure_id"
        )
    )


@pytest.mark.parametrize("day", DATES)
def test_no_light_counts_more_than_had_happened(demo, day):
    h = headline(demo, day)
    ended = list(
        ReportingCycle.objects.filter(plan=demo, due_on__lt=day)
        .order_by("-due_on")
        .values_list("id", flat=True)
    )
    sent = _sent_by(day)
    counted = 0
    for measure_id, light in h.measure_lights.items():
        for reason in light.reasons:
            if m := re.fullmatch(r"连续 (\d+) 个周期未报送", reason):
                missed = 0
                for cycle_id in ended:
                    if (cycle_id, measure_id) in sent:
                        break
                    missed += 1
                assert int(m[1]) == missed <= len(ended)
                counted += 1
            if m := re.fullmatch(r"退回 (\d+) 次", reason):
                returns = ReportEvent.objects.filter(
                    action="return",
                    at__lt=end_of_day(day),
                    report__measure_id=measure_id,
                    report__cycle_id__in=ended + [c.id for c in h.facts.cycles],
                )
                assert int(m[1]) <= returns.count()
    if day > dt.date(2021, 6, 30):
        assert counted, "the demo has measures that went silent"


@pytest.mark.parametrize("day", DATES)
def test_no_kpi_card_uses_a_value_unknown_on_the_date(demo, day):
    for kpi in kpi_statuses(demo, day):
        for used in filter(None, kpi.sources.split("；")):
            m = re.fullmatch(r"(\d{4})年(?:1–(\d+)月)?：.*?(\d{4}-\d{2}-\d{2})录入", used)
            assert m, used
            year, months, entered = int(m[1]), m[2], dt.date.fromisoformat(m[3])
            assert entered <= day, (kpi.name, used)
            assert period_end(year, int(months) // 3 if months else None) <= day


def test_the_demo_shows_a_missing_year_as_missing_and_a_final_verdict(demo):
    kpis = {k.name: k for k in kpi_statuses(demo, dt.date(2024, 6, 1))}
    assert kpis["实际使用外资增速"].status == "missing"
    assert kpis["实际使用外资增速"].reason == "2023年数据未报送"
    assert kpis["新设立企业数"].final and kpis["新设立企业数"].status == "red"
    early = {k.name: k for k in kpi_statuses(demo, dt.date(2021, 6, 30))}
    assert "2021年" not in early["新设立企业数"].sources.replace("2021年1–", "")  # no full year yet


def _briefing(plan, day) -> tuple[str, list[list[list[str]]]]:
    document = docx.Document(io.BytesIO(briefing_docx(plan, day)))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return text, tables


def _table(tables: list[list[list[str]]], header: list[str]) -> list[list[str]]:
    """The rows of the one table with this header: sections may gain tables."""
    (found,) = [t for t in tables if t and t[0] == header]
    return found[1:]


@pytest.mark.parametrize("day", [dt.date(2021, 12, 31), dt.date(2022, 6, 30)])
def test_the_briefing_carries_the_dashboards_numbers(demo, day):
    from django.contrib.auth.models import User

    client = Client()
    client.force_login(User.objects.get(username="office"))
    page = client.get(f"/dashboard/?as_of={day}&ranking=all").content.decode()
    text, tables = _briefing(demo, day)
    h = headline(demo, day)
    # 总体情况: the same rate, count and measure rate as the dashboard's card
    assert f">{h.rate.percent}%</a>" in page
    assert f"已落实 {h.rate.done} / {h.rate.total} 项任务" in page
    assert f"已落实{h.rate.done}项，落实率{h.rate.percent}%" in text
    assert f"举措 {h.measure_rate.percent}%" in page and f"（{h.measure_rate.percent}%）" in text
    # 逾期及预警: the dashboard's overdue count and red lights
    red = h.lights_by_colour["red"]
    assert f"逾期任务 {len(h.overdue)} 项" in page
    assert f"逾期任务{len(h.overdue)}项，亮红灯任务{red}项" in text
    assert re.search(rf'class="lights-red"><span class="light red"[^>]*></span>{red}<', page)
    # 排名: the briefing's first twelve are in the dashboard's full ranking with the same figures
    ranking = _table(tables, ["名次", "单位", "牵头举措", "已落实", "落实率"])
    for i, r in enumerate(lead_ranking(h.facts, day)[:12]):
        assert ranking[i][1] == r.name and ranking[i][4] == f"{r.as_lead.percent}%"
        assert f"{r.as_lead.percent}%（{r.as_lead.done}/{r.as_lead.total}）" in page
    # 主要预期指标: each card's value and reason
    for k, row in zip(
        kpi_statuses(demo, day),
        _table(tables, ["指标", "目标", "当前", "状态", "说明"]),
        strict=True,
    ):
        assert row[:3] == [k.name, k.target, k.value] and row[4] == k.reason
        assert k.value in page and k.reason in page


def test_the_demo_has_cases_in_every_stage_and_an_evaluation_with_findings(demo):
    from luoshi.cases.models import CaseStage, Evaluation, InnovationCase

    assert set(InnovationCase.objects.values_list("stage", flat=True)) == set(CaseStage.values)
    assert InnovationCase.objects.filter(reviews__result="revise").exists()  # reviewed twice
    annual = Evaluation.objects.get(kind="annual", task=None)
    assert (annual.scores.count(), annual.score) == (4, Decimal(86))
    assert sorted(annual.items.values_list("state", flat=True)) == ["closed", "open", "open"]


# The history itself (progress): bootstrap's output, its idempotence and what the history holds.


def test_bootstrap_prints_logins_and_is_idempotent(bootstrapped, capsys):
    assert "administrator      admin / " in bootstrapped
    assert (
        "scjg-tb / " in bootstrapped and "hg-sh / " in bootstrapped and "rmyh-tb / " in bootstrapped
    )
    assert "demo history:" in bootstrapped
    counts = (Plan.objects.count(), ReportingCycle.objects.count(), Report.objects.count())
    call_command("bootstrap")
    again = capsys.readouterr().out
    assert "already present" in again and "demo history" not in again
    assert (Plan.objects.count(), ReportingCycle.objects.count(), Report.objects.count()) == counts
    password = bootstrapped.split("scjg-tb / ")[1].split()[0]
    assert f"scjg-tb / {password}" in again  # the same credentials, not new ones


def test_the_history_looks_like_real_life(bootstrapped):
    cycles = ReportingCycle.objects.order_by("starts_on")
    assert cycles.count() == 34 and cycles[0].starts_on == dt.date(2021, 3, 1)
    assert list(cycles.values_list("status", flat=True)).count("open") == 1
    assert (
        Report.objects.filter(return_count=1).exists()
        and Report.objects.filter(return_count=2).exists()
    )
    assert ReportEvent.objects.filter(action="return").exclude(comment="").exists()
    late = Report.objects.filter(
        submitted_at__date__gt=dt.date(2021, 3, 31), cycle__starts_on=dt.date(2021, 3, 1)
    )
    assert late.exists()
    first = cycles.first()
    assert (
        Report.objects.filter(cycle=first).count() < Measure.objects.count()
    )  # some reports missing
    done = implemented_on(Measure.objects.all())
    by_2021 = sum(1 for d in done.values() if d <= dt.date(2021, 12, 31))
    assert 0.3 < by_2021 / 240 < 0.8
    assert len(done) < 240  # a few measures never got there


def test_every_unit_has_named_a_responsible_person_for_every_measure(bootstrapped):
    from luoshi.accounts.models import Person, ResponsiblePerson
    from luoshi.plans.models import Responsibility

    duties = set(
        Responsibility.objects.filter(measure__isnull=False).values_list(
            "measure_id", "organisation_id"
        )
    )
    named = set(ResponsiblePerson.objects.values_list("measure_id", "organisation_id"))
    assert duties == named
    assert not Person.objects.filter(office_phone="").exists()
    assert Person.objects.get(user__username="scjg-tb").organisation.name == "市市场监管局"


def test_the_demo_has_approved_work_plans_with_milestones_and_risks(bootstrapped):
    from luoshi.risks.models import Risk
    from luoshi.workplans.models import Milestone, WorkPlan

    plans = WorkPlan.objects.filter(year=2023)
    assert plans.count() > 10 and set(plans.values_list("state", flat=True)) == {"approved"}
    milestones = Milestone.objects.filter(work_plan__in=plans)
    assert milestones.filter(met_on__isnull=False).exists()
    assert milestones.filter(met_on__isnull=True).exists()
    assert Risk.objects.filter(level="high", closed_on__isnull=True).count() == 2
