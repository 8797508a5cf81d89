"""`luoshi export ledger [--organisation ORG] [--as-of DATE]`, `luoshi export opendata --format csv|json`
and `luoshi export upward --format json|xlsx` (the upward report, docs/upward-export.md)."""

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
from luoshi.paperwork.ledger import ledger_xlsx
from luoshi.paperwork.management.commands.report import _organisation
from luoshi.paperwork.opendata import open_csv, open_json
from luoshi.paperwork.upward import upward_json, upward_xlsx
from luoshi.plans.selectors import plan_or_default


class Command(cli.Command):
    help = gettext_noop("导出工作台账（.xlsx）、开放数据（CSV/JSON）或向上级报送（JSON/.xlsx）。")
    # The system checks load every URL and view; `luoshi check` and deploys run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["ledger", "opendata", "upward"])
        parser.add_argument(
            "--organisation", default=None, help=gettext("台账：只导出该单位牵头的举措")
        )
        parser.add_argument(
            "--format",
            choices=["csv", "json", "xlsx"],
            default="json",
            help=gettext("开放数据：csv 或 json；向上级报送：json 或 xlsx"),
        )
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None)
        parser.add_argument("--plan", type=int, default=None)
        parser.add_argument("--output", "-o", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        plan = plan_or_default(options["plan"])
        if plan is None:
            raise CommandError(gettext("没有方案：请先用 `luoshi import-plan 文件` 导入"))
        as_of = options["as_of"] or timezone.localdate()
        if options["kind"] == "ledger":
            organisation = (
                _organisation(options["organisation"]) if options["organisation"] else None
            )
            data = ledger_xlsx(plan, as_of, organisation)
            name = f"ledger-{as_of}.xlsx"
        elif options["kind"] == "upward":
            if options["format"] == "csv":
                raise CommandError(gettext("向上级报送只有 json 或 xlsx 格式"))
            fmt = options["format"]
            data = upward_xlsx(plan, as_of) if fmt == "xlsx" else upward_json(plan, as_of).encode()
            name = f"upward-{as_of}.{fmt}"
        else:
            if options["format"] == "xlsx":
                raise CommandError(gettext("开放数据只有 csv 或 json 格式"))
            text = open_csv(plan, as_of) if options["format"] == "csv" else open_json(plan, as_of)
            data, name = text.encode("utf-8"), f"opendata-{as_of}.{options['format']}"
        target = Path(options["output"] or name)
        target.write_bytes(data)
        audit_record(
            actor=None,
            username="cli",
            action=AuditAction.EXPORT_DOCUMENT
            if options["kind"] == "upward"
            else AuditAction.export_of(options["kind"]),
            obj=plan,
            detail={"file": str(target)},
        )
        self.stdout.write(
            gettext("已写入 %(file)s（%(n)d 字节）") % {"file": target, "n": len(data)}
        )
