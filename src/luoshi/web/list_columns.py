"""The columns of the lists built on querysets and facts (web.listing): what each shows in its
workbook and how it sorts. The task list declares its own beside its view (web.views.tasks)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luoshi.cases.models import CaseLevel, CaseStage
from luoshi.web.listing import Column, Listing


def day(value: dt.date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def when(value: dt.datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else ""


def _notice_subject(n: Any) -> str:
    return str(n.subject)


# The 督办台账: the page shows seven columns, the workbook all thirteen of the register.
NOTICES = Listing(
    key="notices",
    title=_("督办台账"),
    default="-label",
    columns=(
        Column("label", _("编号"), lambda n: n.label, order=("year", "number"), width=16),
        Column(
            "organisation",
            _("承办单位"),
            lambda n: str(n.organisation),
            order=("organisation__name",),
            width=18,
        ),
        Column(
            "subject",
            _("督办事项"),
            _notice_subject,
            order=("measure__task__number", "measure__number", "task__number"),
            width=14,
        ),
        Column("level", _("级别"), lambda n: n.get_level_display(), width=10),
        Column("reason", _("事由"), lambda n: n.get_reason_display(), width=14),
        Column("requirement", _("督办要求"), lambda n: n.requirement, width=40, shown=False),
        Column(
            "issued",
            _("交办时间"),
            lambda n: when(n.issued_at),
            order=("issued_at",),
            width=17,
            shown=False,
        ),
        Column(
            "signed",
            _("签收时间"),
            lambda n: when(n.signed_at),
            order=("signed_at",),
            width=17,
            shown=False,
        ),
        Column("reply_due", _("反馈期限"), lambda n: day(n.reply_due), width=12),
        Column(
            "replied",
            _("反馈时间"),
            lambda n: when(n.replied_at),
            order=("replied_at",),
            width=17,
            shown=False,
        ),
        Column(
            "closed",
            _("办结时间"),
            lambda n: when(n.closed_at),
            order=("closed_at",),
            width=17,
            shown=False,
        ),
        Column("state", _("状态"), lambda n: n.get_state_display(), width=8),
        Column("reply", _("办理情况"), lambda n: n.reply, width=40, shown=False),
    ),
)


def _rank(choices: Any) -> dict[str, int]:
    return {value: i for i, value in enumerate(choices.values)}


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _tasks(numbers: Any) -> str:
    return gettext("、").join(str(n) for _id, n in numbers)


# The case library as of D (metrics.facts.CaseFact rows), latest reported first.
CASES = Listing(
    key="cases",
    title=_("创新案例"),
    default="-submitted",
    columns=(
        Column("title", _("案例"), lambda c: c.title, width=40),
        Column("organisation", _("单位"), lambda c: c.organisation, width=18),
        Column(
            "level",
            _("层级"),
            lambda c: c.level_label,
            sort=lambda c: _rank(CaseLevel)[c.level],
            width=10,
        ),
        Column(
            "stage",
            _("阶段"),
            lambda c: c.stage_label,
            sort=lambda c: _rank(CaseStage)[c.stage],
            width=10,
        ),
        Column("tasks", _("来源任务"), lambda c: _tasks(c.task_numbers), width=14),
        Column("category", _("类别"), lambda c: c.category_label, width=14, shown=False),
        Column("submitted", _("报送日期"), lambda c: day(c.submitted_on), width=12),
        Column(
            "promoted",
            _("推广"),
            lambda c: f"{c.promoted_scope_label} {day(c.promoted_on)}" if c.promoted_on else "",
            sort=lambda c: c.promoted_on,
            width=18,
            shown=False,
        ),
        Column("summary", _("简介"), lambda c: c.summary, width=60, shown=False),
    ),
)

# Evaluations as of D (metrics.facts.EvaluationFact rows), the latest first.
EVALUATIONS = Listing(
    key="evaluations",
    title=_("评估记录"),
    default="-evaluated",
    columns=(
        Column(
            "target",
            _("评估对象"),
            lambda e: gettext("任务 %(n)s") % {"n": e.task_number}
            if e.task_id
            else gettext("方案整体"),
            sort=lambda e: e.task_number or 0,
            width=14,
        ),
        Column("kind", _("类型"), lambda e: e.kind_label, width=16),
        Column("evaluator", _("评估主体"), lambda e: e.evaluator, width=24),
        Column("evaluated", _("评估日期"), lambda e: day(e.evaluated_on), width=12),
        Column("score", _("得分"), lambda e: e.score, sort=lambda e: _number(e.score), width=8),
        Column("grade", _("等次"), lambda e: e.grade, width=8),
    ),
)
