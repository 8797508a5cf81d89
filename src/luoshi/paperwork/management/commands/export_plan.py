"""`luoshi export-plan PLAN --format json|xlsx [--output FILE]`: the whole structured plan."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from luoshi import cli
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record
from luoshi.paperwork.plan_export import plan_as_dict, plan_as_xlsx
from luoshi.plans.models import Plan


class Command(cli.Command):
    help = gettext_noop("按编号导出方案：JSON 或 .xlsx 台账。")
    # The system checks load every URL and view; `luoshi check` and deploys run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", type=int, metavar="PLAN")
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("--output", "-o", help=_("写入的文件（json 默认输出到标准输出）"))

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(pk=options["plan"]).first()
        if plan is None:
            raise CommandError(_("没有编号为 %(id)s 的方案") % {"id": options["plan"]})
        if options["format"] == "json":
            data = json.dumps(plan_as_dict(plan), ensure_ascii=False, indent=2).encode()
        else:
            data = plan_as_xlsx(plan)
            if not options["output"]:
                raise CommandError(_("导出 xlsx 需要 --output 文件"))
        audit_record(
            actor=None,
            username="cli",
            action=AuditAction.EXPORT_PLAN,
            obj=plan,
            detail={"format": options["format"]},
        )
        if options["output"]:
            Path(options["output"]).write_bytes(data)
            self.stdout.write(_("已写入 %(path)s") % {"path": options["output"]})
        else:
            sys.stdout.buffer.write(data + b"\n")
