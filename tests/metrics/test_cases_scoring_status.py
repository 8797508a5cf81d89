"""Cases against targets, evaluations, department scoring with traceable points, and `luoshi status`."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from luoshi.cases.evaluations import evaluation_record
from luoshi.cases.models import CaseLevel
from luoshi.cases.services import case_advance, case_create
from luoshi.ingest import parse_bytes
from luoshi.metrics.case_targets import case_progress
from luoshi.metrics.facts import load_facts
from luoshi.metrics.headline import headline
from luoshi.metrics.scoring import scores
from luoshi.plans.models import Measure, Organisation
from luoshi.plans.services import plan_import
from luoshi.progress.models import ReportEvent
from tests.conftest import client_for
from tests.english import CJK, mask
from tests.metrics.history import cycle, implement_tasks, report
from tests.variants import bundled_text

pytestmark = pytest.mark.django_db


def test_case_progress_against_both_targets(imported_plan, people):
    market = Organisation.objects.get(name="市市场监管局")
    for title, level, day in [
        ("A", CaseLevel.NATIONAL, dt.date(2021, 10, 1)),
        ("B", CaseLevel.PROVINCE, dt.date(2022, 3, 1)),
        ("C", CaseLevel.CITY, dt.date(2022, 4, 1)),
    ]:
        case = case_create(
            actor=people.office,
            tasks=[],
            plan=imported_plan,
            title=title,
            level=level,
            organisation=market,
        )
        case_advance(case=case, on=day, actor=people.office)
    progress = {
        p.kind: (p.count, p.target, p.met)
        for p in case_progress(load_facts(imported_plan, dt.date(2022, 12, 31)))
    }
    assert progress == {
        "national_cases": (1, 1, True),
        "cases": (2, 8, False),
    }  # a city case does not count


def test_evaluations_by_who_may_record_them(imported_plan, people):
    from django.core.exceptions import PermissionDenied

    task = imported_plan.tasks.get(number=10)  # led by 市市场监管局
    evaluation_record(
        task=task,
        actor=people.market_head,
        kind="self",
        evaluator="市市场监管局",
        evaluated_on=dt.date(2021, 12, 1),
        target_met=True,
    )
    evaluation_record(
        task=task,
        actor=people.evaluator,
        kind="third_party",
        evaluator="某评估机构",
        evaluated_on=dt.date(2022, 1, 5),
        score=88,
    )
    with pytest.raises(PermissionDenied):
        evaluation_record(
            task=task,
            actor=people.customs_head,
            kind="self",
            evaluator="海关",
            evaluated_on=dt.date(2022, 1, 5),
        )
    with pytest.raises(PermissionDenied):
        evaluation_record(
            task=task,
            actor=people.market_head,
            kind="third_party",
            evaluator="x",
            evaluated_on=dt.date(2022, 1, 5),
        )
    listed = client_for(people.leader).get("/api/evaluations", {"task": task.pk}).json()
    assert [(e["kind"], e["target_met"]) for e in listed] == [("third_party", None), ("self", True)]


def test_scoring_points_are_traceable(imported_plan):
    """Second half of 2021, for 市自然资源和规划局 (leads 4.1–4.3, due 2021-08-31) and 市市场监管局 (10.1)."""
    land = Organisation.objects.get(name="市自然资源和规划局")
    market = Organisation.objects.get(name="市市场监管局")
    t4 = list(Measure.objects.filter(task__plan=imported_plan, task__number=4).order_by("number"))
    ten = Measure.objects.get(task__plan=imported_plan, task__number=10)
    cycle(imported_plan, 2021, 7)  # the only cycle in the period
    report(t4[0], dt.date(2021, 7, 20), accepted=True, status="completed")  # on time: +5
    report(t4[1], dt.date(2021, 7, 20), submitted=dt.date(2021, 8, 3))  # late by 3 days: -1
    # 4.3 not reported in July: -2; accepted in September, after its deadline: +2
    report(t4[2], dt.date(2021, 9, 10), accepted=True, status="completed")
    returned = report(ten, dt.date(2021, 7, 25))
    ReportEvent.objects.create(
        report=returned,
        actor=returned.created_by,
        action="return",
        from_state="approved",
        to_state="draft",
        comment="请补充材料",
        at=dt.datetime(2021, 7, 28, 10, tzinfo=dt.UTC),
    )  # -1
    table = {
        s.organisation_id: s
        for s in scores(imported_plan, dt.date(2021, 7, 1), dt.date(2021, 9, 30))
    }
    land_points = table[land.pk].points
    # Cycles due in the period: July (made above) and September (made by the 4.3 report).
    assert [
        (p.rule, p.points, p.on, p.reference)
        for p in land_points
        if p.reference.startswith("举措 4.")
    ] == [
        ("accepted_on_time", 5, dt.date(2021, 7, 20), "举措 4.1"),
        ("missing_report", -2, dt.date(2021, 7, 31), "举措 4.3 · 2021年7月"),
        ("late_report", -1, dt.date(2021, 8, 3), "举措 4.2 · 2021年7月（晚 3 天）"),
        ("accepted_late", 2, dt.date(2021, 9, 10), "举措 4.3"),
        ("missing_report", -2, dt.date(2021, 9, 30), "举措 4.2 · 2021年9月"),
    ]
    # Nothing but traceable points, in 百分制: earned ÷ (measures led × 5) × 100, then 加减分.
    land_score = table[land.pk]
    earned = sum(p.points for p in land_points)
    assert land_score.base == (Decimal(100) * earned / (land_score.measures * 5)).quantize(
        Decimal("0.1")
    )
    assert land_score.total == land_score.base + land_score.extra and land_score.extra == 0
    market_points = [(p.rule, p.points, p.reference) for p in table[market.pk].points]
    assert ("returned", -1, "举措 10.1 · 2021年7月：请补充材料") in market_points
    ranks = sorted(table.values(), key=lambda s: s.rank)
    assert all(a.total >= b.total for a, b in pairwise(ranks))


def test_headline_queries_do_not_grow_with_the_plan(imported_plan, people):
    implement_tasks(imported_plan, range(1, 30), dt.date(2021, 6, 1))
    with CaptureQueriesContext(connection) as small:
        headline(imported_plan, dt.date(2022, 1, 1))
    final = bundled_text().replace("(征求意见稿)", "", 1)  # another document: a second plan
    second = plan_import(parsed=parse_bytes(final.encode(), "final.txt")).plan
    implement_tasks(second, range(1, 80), dt.date(2021, 6, 1))
    with CaptureQueriesContext(connection) as large:
        headline(second, dt.date(2022, 1, 1))
    assert len(large) == len(small) <= 12


def test_status_command_prints_the_headline(imported_plan, capsys):
    implement_tasks(imported_plan, range(1, 45), dt.date(2021, 11, 20))
    call_command("status", "--as-of", "2021-12-31")
    out = capsys.readouterr().out
    assert "落实率 50.0%（44/88 项任务" in out and "，目标 50.0%（2021-12-31 前）：达标" in out
    assert (
        "指标 税收收入增速：缺数据 — 2020年数据未报送" in out
    )  # the base year was due by spring 2021
    with translation.override("en"):
        call_command("status", "--as-of", "2021-12-31")
    english = capsys.readouterr().out
    assert "Implementation rate 50.0% (44/88 tasks" in english
    assert "target 50.0% by 2021-12-31: On target" in english
    assert "KPI 税收收入增速: Missing data — 2020 values not reported" in english
    data = [imported_plan.title, *imported_plan.indicators.values_list("name", flat=True)]
    assert CJK.findall(mask(english, data)) == []  # one language at a time: data only
    call_command("status", "--as-of", "2022-03-01", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["rate"]["percent"] == 50.0 and data["target"]["year"] == 2022
    assert data["overdue_count"] == sum(
        1 for t in imported_plan.tasks.filter(due_date=dt.date(2021, 8, 31), number__gt=44)
    )
    assert set(data["lights"]) == {"red", "yellow", "green"}
