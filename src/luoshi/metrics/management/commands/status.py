"""`luoshi status [--as-of DATE] [--plan ID] [--format json]`: the headline figures, for scripts and cron."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from luoshi.metrics.headline import headline
from luoshi.metrics.kpi import kpi_statuses
from luoshi.metrics.summary import headline_dict
from luoshi.plans.selectors import plan_or_default


class Command(BaseCommand):
    help = "Print 落实率 vs target, forecast, overdue count, lights by colour and KPI statuses."
    # The system checks load every URL and view; `luoshi check` and deploys run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD"
        )
        parser.add_argument(
            "--plan", type=int, default=None, help="plan id (default: the plan in force)"
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = plan_or_default(options["plan"])
        if plan is None:
            raise CommandError("no plan: import one with `luoshi import-plan FILE`")
        as_of = options["as_of"] or timezone.localdate()
        data = headline_dict(headline(plan, as_of), kpi_statuses(plan, as_of))
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(_text(data))


def _text(data: dict[str, Any]) -> str:
    rate, target = data["rate"], data["target"]
    measures = data["measure_rate"]["percent"]
    head = (
        f"  落实率 {rate['percent']}% ({rate['done']}/{rate['total']} tasks; measures {measures}%)"
    )
    if target:
        verdict = "on target" if data["on_target"] else "BELOW target"
        head += f", target {target['value']}% by {target['deadline']}: {verdict}"
    lines = [f"{data['plan']} — as of {data['as_of']}", head]
    for f in data["forecast"]:
        verdict = "met" if f["will_meet"] else f"missed by {f['short_by']} tasks"
        if f["past"]:
            lines.append(
                f"  {f['deadline']} target {f['target']}%: achieved {f['expected_percent']}% — {verdict}"
            )
        else:
            outlook = "will be met" if f["will_meet"] else f"short by {f['short_by']} tasks"
            lines.append(
                f"  {f['deadline']} target {f['target']}%: forecast {f['expected_percent']}% — "
                f"{outlook}; needs {f['needed_per_month']} tasks/month (pace {f['pace_per_month']})"
            )
    lines.append(
        f"  overdue tasks {data['overdue_count']}, due within 60 days {data['due_soon_count']}"
    )
    lights = data["lights"]
    lines.append(
        f"  lights: red {lights['red']}, yellow {lights['yellow']}, green {lights['green']}"
    )
    for kpi in data["kpis"]:
        lines.append(f"  KPI {kpi['name']}: {kpi['status']} — {kpi['reason']}")
    return "\n".join(lines)
