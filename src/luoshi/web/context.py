"""What every page's layout needs: the user's role and organisation, the navigation they may use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from luoshi.accounts.models import Role
from luoshi.accounts.policies import organisation_of, role_of

# (url name, label, roles that see it)
NAVIGATION = [
    (
        "web:dashboard",
        _("驾驶舱"),
        {Role.OFFICE, Role.LEADER, Role.EVALUATOR, Role.REPORTER, Role.HEAD},
    ),
    ("web:workbench", _("我的任务"), {Role.REPORTER, Role.HEAD}),
    ("web:review", _("审核台"), {Role.OFFICE}),
    (
        "web:tasks",
        _("任务清单"),
        {Role.OFFICE, Role.LEADER, Role.EVALUATOR, Role.REPORTER, Role.HEAD},
    ),
    (
        "web:timeline",
        _("时间轴"),
        {Role.OFFICE, Role.LEADER, Role.EVALUATOR, Role.REPORTER, Role.HEAD},
    ),
    (
        "web:organisations",
        _("责任单位"),
        {Role.OFFICE, Role.LEADER, Role.EVALUATOR, Role.REPORTER, Role.HEAD},
    ),
    (
        "web:kpis",
        _("主要指标"),
        {Role.OFFICE, Role.LEADER, Role.EVALUATOR, Role.REPORTER, Role.HEAD},
    ),
    (
        "web:cases",
        _("创新案例"),
        {Role.OFFICE, Role.LEADER, Role.EVALUATOR, Role.REPORTER, Role.HEAD},
    ),
    ("web:scores", _("考核排名"), {Role.OFFICE, Role.LEADER, Role.EVALUATOR}),
    (
        "web:documents",
        _("文书"),
        {Role.OFFICE, Role.LEADER, Role.EVALUATOR, Role.REPORTER, Role.HEAD},
    ),
    (
        "web:plans",
        _("方案"),
        {Role.OFFICE, Role.LEADER, Role.EVALUATOR, Role.REPORTER, Role.HEAD},
    ),
    ("web:audit", _("审计日志"), {Role.AUDITOR}),
]


def layout(request: HttpRequest) -> dict[str, Any]:
    role = role_of(request.user)
    organisation = organisation_of(request.user)
    return {
        "nav": [(name, label) for name, label, roles in NAVIGATION if role in roles],
        "role_label": role.label if role else "",
        "organisation": organisation,
    }
