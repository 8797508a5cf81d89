"""What every page's layout needs: the user's role and organisation, the navigation they may use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from luoshi.accounts.models import Role
from luoshi.accounts.policies import DEPARTMENT, READ_EVERYTHING, organisation_of, role_of
from luoshi.plans.models import Organisation
from luoshi.web.access import plans_of

READERS = READ_EVERYTHING | DEPARTMENT  # all but the auditor, as policies.reads_plans
# (url name, label, roles that see it)
NAVIGATION = [
    ("web:dashboard", _("驾驶舱"), READERS),
    ("web:workbench", _("我的任务"), DEPARTMENT),
    ("web:people", _("责任人"), DEPARTMENT),
    ("workplans:list", _("工作计划"), READERS),
    ("risks:list", _("风险"), READERS),
    ("funding:list", _("资金保障"), READERS),
    ("web:review", _("审核台"), {Role.OFFICE}),
    ("web:tasks", _("任务清单"), READERS),
    ("web:measures", _("举措清单"), READERS),
    ("web:reports", _("进展报告"), READERS),
    ("web:timeline", _("时间轴"), READERS),
    ("web:organisations", _("责任单位"), READERS),
    ("web:kpis", _("主要指标"), READERS),
    ("web:cases", _("创新案例"), READERS),
    ("web:evaluations", _("评估与整改"), READERS),
    ("supervision:register", _("督办台账"), READERS),
    ("supervision:assignments", _("督办事项"), READERS),
    ("web:scores", _("考核排名"), READ_EVERYTHING),
    ("web:documents", _("文书"), READERS),
    ("web:plans", _("方案"), READERS),
    ("consultation:periods", _("征求意见"), {Role.OFFICE}),
    ("web:audit", _("审计日志"), {Role.AUDITOR}),
    ("security", _("安全管理"), {Role.SECADMIN}),
    ("security_tokens", _("API 令牌"), {Role.SECADMIN}),
    ("admin:index", _("账号管理"), {Role.SYSADMIN}),
]


def layout(request: HttpRequest) -> dict[str, Any]:
    role = role_of(request.user)
    organisation = organisation_of(request.user)
    return {
        "nav": [(name, label) for name, label, roles in NAVIGATION if role in roles],
        "role_label": role.label if role else "",
        "organisation": organisation,
        **_plan_shown(request, organisation),
    }


def _plan_shown(request: HttpRequest, organisation: Organisation | None) -> dict[str, Any]:
    """The plan the page shows (every page names it) and the other plans in force to switch to."""
    shown = getattr(request, "shown_plan", None)
    if shown is None:
        return {}
    choices = plans_of(request, organisation)
    return {
        "shown_plan": shown,
        "shown_in_force": shown.programme.in_force_id == shown.pk,
        "plan_choices": [p for p in choices if p.pk != shown.pk],
    }
