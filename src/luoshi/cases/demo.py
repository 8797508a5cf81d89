"""Demo innovation cases and evaluations for `make run` (written through the services, so audited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User

from luoshi.cases.models import CaseLevel, EvaluationKind, InnovationCase
from luoshi.cases.services import case_advance, case_create, evaluation_record
from luoshi.plans.models import Organisation, Plan

D = dt.date
# title, organisation, level, task numbers, stage dates (submitted, selected, promoted), published
CASES = [
    (
        "“一业一证”改革集成审批",
        "市市场监管局",
        CaseLevel.NATIONAL,
        [10],
        [D(2021, 10, 15), D(2022, 3, 1)],
        True,
    ),
    (
        "进口水果指定监管场地“一站式”查验",
        "岳阳海关",
        CaseLevel.PROVINCE,
        [79],
        [D(2021, 11, 20)],
        True,
    ),
    (
        "知识产权质押融资风险分担机制",
        "市人民银行",
        CaseLevel.PROVINCE,
        [88],
        [D(2022, 4, 8), D(2022, 9, 1), D(2023, 5, 10)],
        True,
    ),
    ("中非易货贸易试点", "市商务粮食局", CaseLevel.PROVINCE, [77], [D(2022, 11, 3)], False),
    ("船舶进出港远程电子报备", "岳阳海事局", CaseLevel.CITY, [1], [], False),
]

# task number, kind, evaluator, date, the rest of the record
EVALUATIONS = [
    (
        10,
        EvaluationKind.THIRD_PARTY,
        "湖南某咨询评估机构",
        D(2022, 1, 12),
        {
            "score": Decimal("91.5"),
            "grade": "优秀",
            "findings": "“一业一证”平台运行稳定，审批时限压缩 80% 以上。",
            "target_met": True,
        },
    ),
    (
        23,
        EvaluationKind.SELF,
        "市口岸办",
        D(2022, 9, 5),
        {
            "grade": "良好",
            "findings": "单一窗口主要功能已覆盖，出口退税事项仍需省级支持。",
            "target_met": False,
        },
    ),
    (
        1,
        EvaluationKind.ANNUAL,
        "片区工作领导小组办公室",
        D(2022, 12, 28),
        {"score": Decimal("86"), "findings": "营商环境改革举措总体落实到位。", "target_met": True},
    ),
]


def demo_cases_ensure(plan: Plan, office: User) -> int:
    if InnovationCase.objects.filter(plan=plan).exists():
        return 0
    for title, org, level, tasks, stages, published in CASES:
        case = case_create(
            actor=office,
            tasks=list(plan.tasks.filter(number__in=tasks)),
            plan=plan,
            title=title,
            level=level,
            organisation=Organisation.objects.get(name=org),
            summary=f"{org}围绕“{title}”形成的可复制制度创新经验。",
            published=published,
        )
        for day in stages:
            case = case_advance(case=case, on=day, actor=office)
    for number, kind, evaluator, day, fields in EVALUATIONS:
        evaluation_record(
            task=plan.tasks.get(number=number),
            actor=office,
            kind=kind,
            evaluator=evaluator,
            evaluated_on=day,
            **fields,
        )
    return len(CASES)
