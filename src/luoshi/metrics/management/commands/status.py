"""`luoshi status [--as-of DATE] [--plan ID] [--format json]`: the headline figures, for scripts and cron."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.metrics.headline import headline
from luoshi.metrics.kpi import KpiColour, kpi_statuses
from luoshi.metrics.summary import headline_dict
from luoshi.plans.selectors import plan_or_default


class Command(BaseCommand):
    help = "Print the implementation rate against the target, forecast, overdue count, lights and KPI statuses."
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
            raise CommandError(_("没有方案：请先用 `luoshi import-plan 文件` 导入"))
        as_of = options["as_of"] or timezone.localdate()
        data = headline_dict(headline(plan, as_of), kpi_statuses(plan, as_of))
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(_text(data))


def _text(data: dict[str, Any]) -> str:
    rate, target = data["rate"], data["target"]
    head = _("  落实率 %(percent)s%%（%(done)s/%(total)s 项任务；举措 %(measures)s%%）") % {
        **rate,
        "measures": data["measure_rate"]["percent"],
    }
    if target:
        verdict = _("达标") if data["on_target"] else _("未达标")
        head += _("，目标 %(value)s%%（%(deadline)s 前）：%(verdict)s") % {
            **target,
            "verdict": verdict,
        }
    lines = [_("%(plan)s — 截至 %(as_of)s") % data, head]
    lines += [_forecast_line(f) for f in data["forecast"]]
    lines.append(_("  逾期任务 %(overdue_count)s 项，60 天内到期 %(due_soon_count)s 项") % data)
    lines.append(_("  红灯 %(red)s，黄灯 %(yellow)s，绿灯 %(green)s") % data["lights"])
    for kpi in data["kpis"]:
        status = KpiColour(kpi["status"]).label
        lines.append(_("  指标 %(name)s：%(label)s — %(reason)s") % {**kpi, "label": status})
    return "\n".join(lines)


def _forecast_line(f: dict[str, Any]) -> str:
    if f["past"]:
        verdict = _("已达到") if f["will_meet"] else _("差 %(short_by)s 项未达到") % f
        return _("  %(deadline)s 目标 %(target)s%%：实际 %(expected_percent)s%% — %(verdict)s") % {
            **f,
            "verdict": verdict,
        }
    outlook = _("预计可以达到") if f["will_meet"] else _("预计差 %(short_by)s 项") % f
    return _(
        "  %(deadline)s 目标 %(target)s%%：预计 %(expected_percent)s%% — %(outlook)s；"
        "需每月落实 %(needed_per_month)s 项（近期每月 %(pace_per_month)s 项）"
    ) % {**f, "outlook": outlook}
