"""`luoshi report briefing --as-of DATE --format docx|pdf` and `luoshi report workplan ORG`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from luoshi import cli
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record
from luoshi.paperwork.briefing import briefing_docx
from luoshi.paperwork.pdf import docx_to_pdf
from luoshi.paperwork.workplan import workplan_docx, workplan_xlsx
from luoshi.plans.models import Organisation
from luoshi.plans.selectors import plan_or_default


class Command(cli.Command):
    help = gettext_noop("撰写工作通报或单位的年度工作计划（公文，中文）。")
    # The system checks load every URL and view; `luoshi check` and deploys run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True)
        briefing = kinds.add_parser("briefing")
        briefing.add_argument("--as-of", type=dt.date.fromisoformat, default=None)
        briefing.add_argument("--format", choices=["docx", "pdf"], default="docx")
        briefing.add_argument("--plan", type=int, default=None)
        briefing.add_argument("--output", "-o", default=None)
        workplan = kinds.add_parser("workplan")
        workplan.add_argument("organisation", metavar="ORG", help=gettext("单位名称或简称"))
        workplan.add_argument("--year", type=int, default=None)
        workplan.add_argument("--format", choices=["docx", "xlsx"], default="docx")
        workplan.add_argument("--plan", type=int, default=None)
        workplan.add_argument("--output", "-o", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        plan = plan_or_default(options["plan"])
        if plan is None:
            raise CommandError(gettext("没有方案：请先用 `luoshi import-plan 文件` 导入"))
        if options["kind"] == "briefing":
            as_of = options["as_of"] or timezone.localdate()
            data = briefing_docx(plan, as_of)
            data = docx_to_pdf(data) if options["format"] == "pdf" else data
            name = f"briefing-{as_of}.{options['format']}"
        else:
            organisation = _organisation(options["organisation"])
            year = options["year"] or timezone.localdate().year
            data = (workplan_docx if options["format"] == "docx" else workplan_xlsx)(
                plan, organisation, year
            )
            name = f"workplan-{organisation.pk}-{year}.{options['format']}"
        target = Path(options["output"] or name)
        target.write_bytes(data)
        audit_record(
            actor=None,
            username="cli",
            action=AuditAction.export_of(options["kind"]),
            obj=plan,
            detail={"file": str(target)},
        )
        self.stdout.write(
            gettext("已写入 %(file)s（%(n)d 字节）") % {"file": target, "n": len(data)}
        )


def _organisation(name: str) -> Organisation:
    found = (
        Organisation.objects.filter(name=name).first()
        or Organisation.objects.filter(aliases__name=name).first()
    )
    if found is None:
        raise CommandError(gettext("未知单位“%(name)s”") % {"name": name})
    return found
