"""Demo innovation cases and evaluations for `make run` (written through the services, so audited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from luoshi.cases.models import (
    CaseCategory,
    CaseLevel,
    EvaluationKind,
    InnovationCase,
    PromotionScope,
    ReviewResult,
    RiskLevel,
)
from luoshi.cases.services import case_advance, case_create, case_review, evaluation_record
from luoshi.plans.models import Organisation, Plan

D = dt.date
# title, organisation, level, category, task numbers, steps, published. Steps: ("submit", day),
# ("review", day, result, risk), ("select", day), ("promote", day, scope) — a case in every stage.
CASES: list[tuple[Any, ...]] = [
    (
        "“一业一证”改革集成审批",
        "市市场监管局",
        CaseLevel.NATIONAL,
        CaseCategory.GOVERNMENT,
        [10],
        [
            ("submit", D(2021, 10, 15)),
            ("review", D(2021, 11, 2), ReviewResult.PASS, RiskLevel.LOW),
            ("select", D(2022, 3, 1)),
            ("promote", D(2022, 9, 20), PromotionScope.PROVINCE),
        ],
        True,
    ),
    (
        "进口水果指定监管场地“一站式”查验",
        "岳阳海关",
        CaseLevel.PROVINCE,
        CaseCategory.TRADE,
        [79],
        [
            ("submit", D(2021, 11, 20)),
            ("review", D(2021, 12, 10), ReviewResult.PASS, RiskLevel.MEDIUM),
            ("select", D(2022, 5, 18)),
        ],
        True,
    ),
    (
        "知识产权质押融资风险分担机制",
        "市人民银行",
        CaseLevel.PROVINCE,
        CaseCategory.FINANCE,
        [88],
        [
            ("submit", D(2022, 4, 8)),
            ("review", D(2022, 5, 6), ReviewResult.REVISE, RiskLevel.HIGH),
            ("review", D(2022, 6, 20), ReviewResult.PASS, RiskLevel.MEDIUM),
        ],
        True,
    ),
    (
        "中非易货贸易试点",
        "市商务粮食局",
        CaseLevel.PROVINCE,
        CaseCategory.TRADE,
        [77],
        [("submit", D(2022, 11, 3))],
        False,
    ),
    (
        "跨境电商“包机+海外仓”出口模式",
        "市商务粮食局",
        CaseLevel.CITY,
        CaseCategory.TRADE,
        [77],
        [
            ("submit", D(2022, 7, 1)),
            ("review", D(2022, 7, 25), ReviewResult.REJECT, RiskLevel.HIGH),
        ],
        False,
    ),
    (
        "船舶进出港远程电子报备",
        "岳阳海事局",
        CaseLevel.CITY,
        CaseCategory.GOVERNMENT,
        [1],
        [],
        False,
    ),
]

REVIEW_WORDS = {
    ReviewResult.PASS: "做法可复制，风险可控，同意推广。",
    ReviewResult.REVISE: "风险防控措施不够具体，请补充后再审。",
    ReviewResult.REJECT: "涉及事项超出片区权限，风险较高，不予推广。",
}

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
    for title, org, level, category, tasks, steps, published in CASES:
        case = case_create(
            actor=office,
            tasks=list(plan.tasks.filter(number__in=tasks)),
            plan=plan,
            title=title,
            level=level,
            category=category,
            organisation=Organisation.objects.get(name=org),
            summary=f"{org}围绕“{title}”形成的可复制制度创新经验。",
            full_text=f"一、背景\n{title}针对企业办事中的堵点。\n二、做法\n……\n三、成效\n……",
            published=published,
        )
        for step, day, *more in steps:
            if step == "review":
                result, risk = more
                case_review(
                    case=case,
                    actor=office,
                    on=day,
                    category=category,
                    risk=risk,
                    opinion=REVIEW_WORDS[result],
                    result=result,
                )
                case.refresh_from_db()
            else:
                case = case_advance(case=case, on=day, actor=office, scope=more[0] if more else "")
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
