"""Demo innovation cases and evaluations for `make run` (written through the services, so audited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from luoshi.cases.evaluations import (
    criterion_add,
    evaluation_record,
    finding_assign,
    finding_close,
    finding_respond,
)
from luoshi.cases.models import (
    CaseCategory,
    CaseLevel,
    EvaluationKind,
    InnovationCase,
    PromotionScope,
    ReviewResult,
    RiskLevel,
)
from luoshi.cases.services import case_advance, case_create, case_review
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

# The office's evaluation framework: indicator, full marks.
FRAMEWORK = [
    ("任务落实进度", "40"),
    ("制度创新成效", "30"),
    ("企业获得感", "20"),
    ("风险防控", "10"),
]

# task number (None: the plan as a whole), kind, evaluator, date, the rest of the record
EVALUATIONS: list[tuple[Any, ...]] = [
    (
        10,
        EvaluationKind.THIRD_PARTY,
        "湖南某咨询评估机构",
        D(2022, 1, 12),
        {
            "grade": "优秀",
            "findings": "“一业一证”平台运行稳定，审批时限压缩 80% 以上。",
            "target_met": True,
            "method": "材料审查、企业问卷（回收 312 份）、部门座谈",
            "period_start": D(2021, 1, 1),
            "period_end": D(2021, 12, 31),
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
        None,
        EvaluationKind.ANNUAL,
        "片区工作领导小组办公室",
        D(2022, 12, 28),
        {
            "grade": "良好",
            "findings": "营商环境改革举措总体落实到位。",
            "target_met": True,
            "method": "年度整体评估：对照评估指标体系逐项打分",
            "period_start": D(2022, 1, 1),
            "period_end": D(2022, 12, 31),
        },
    ),
]
SCORES = {"任务落实进度": "34", "制度创新成效": "25", "企业获得感": "17", "风险防控": "10"}
# findings of the annual evaluation: text, unit, assigned on, due, closed on (None: still open)
FINDINGS = [
    (
        "跨境贸易便利化举措中，出口退税事项进展滞后",
        "岳阳海关",
        D(2023, 1, 10),
        D(2023, 6, 30),
        None,
    ),
    ("部分举措佐证材料不完整", "市市场监管局", D(2023, 1, 10), D(2023, 3, 31), D(2023, 3, 20)),
    ("知识产权质押融资风险分担资金未足额到位", "市人民银行", D(2023, 1, 10), D(2023, 9, 30), None),
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
    _demo_evaluations(plan, office)
    return len(CASES)


def _demo_evaluations(plan: Plan, office: User) -> None:
    criteria = {
        name: criterion_add(plan=plan, actor=office, name=name, max_score=Decimal(full))
        for name, full in FRAMEWORK
    }
    for number, kind, evaluator, day, fields in EVALUATIONS:
        annual = number is None
        evaluation = evaluation_record(
            plan=plan,
            task=plan.tasks.get(number=number) if number else None,
            actor=office,
            kind=kind,
            evaluator=evaluator,
            evaluated_on=day,
            scores={criteria[n].pk: Decimal(v) for n, v in SCORES.items()} if annual else None,
            items=[f[0] for f in FINDINGS] if annual else None,
            **fields,
        )
    for finding, (_, unit, assigned, due, closed) in zip(
        evaluation.items.order_by("position"), FINDINGS, strict=True
    ):
        organisation = Organisation.objects.get(name=unit)
        finding_assign(
            finding=finding, actor=office, organisation=organisation, due_on=due, on=assigned
        )
        if closed:
            head = User.objects.filter(
                membership__organisation=organisation, membership__role="head"
            ).first()
            finding_respond(
                finding=finding, actor=head or office, text="已补齐佐证材料并建立台账。"
            )
            finding_close(finding=finding, actor=office, on=closed)
