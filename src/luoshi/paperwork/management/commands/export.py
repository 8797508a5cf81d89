"""`luoshi export ledger [--organisation ORG] [--as-of DATE]`, `luoshi export opendata --format csv|json`
and `luoshi export upward --format json|xlsx` (the upward report, docs/upward-export.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record
from luoshi.paperwork.ledger import ledger_xlsx
from luoshi.paperwork.management.commands.report import _organisation
from luoshi.paperwork.opendata import open_csv, open_json
from luoshi.paperwork.upward import upward_json, upward_xlsx
from luoshi.plans.selectors import plan_or_default


class Command(BaseCommand):
    help = "Export the ledger (工作台账 .xlsx), the open data (CSV/JSON) or the upward report (JSON/.xlsx)."
    # The system checks load every URL and view; `luoshi check` and deploys run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["ledger", "opendata", "upward"])
        parser.add_argument(
            "--organisation", default=None, help="ledger: only the measures it leads"
        )
        parser.add_argument(
            "--format",
            choices=["csv", "json", "xlsx"],
            default="json",
            help="opendata: csv or json; upward: json or xlsx",
        )
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None)
        parser.add_argument("--plan", type=int, default=None)
        parser.add_argument("--output", "-o", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        plan = plan_or_default(options["plan"])
        if plan is None:
            raise CommandError("no plan: import one with `luoshi import-plan FILE`")
        as_of = options["as_of"] or timezone.localdate()
        if options["kind"] == "ledger":
            organisation = (
                _organisation(options["organisation"]) if options["organisation"] else None
            )
            data = ledger_xlsx(plan, as_of, organisation)
            name = f"ledger-{as_of}.xlsx"
        elif options["kind"] == "upward":
            if options["format"] == "csv":
                raise CommandError("the upward report is json or xlsx")
            fmt = options["format"]
            data = upward_xlsx(plan, as_of) if fmt == "xlsx" else upward_json(plan, as_of).encode()
            name = f"upward-{as_of}.{fmt}"
        else:
            if options["format"] == "xlsx":
                raise CommandError("open data is csv or json")
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
        self.stdout.write(f"wrote {target} ({len(data)} bytes)")
