"""`luoshi import-plan FILE [--dry-run] [--strict] [--level L] [--tasks-in PART] [--task-level 1.]
[--revises PLAN_ID] [--indicator-kind NAME=KIND …] [--format json]`: parse and store a plan; with
--revises, as a new version of that plan, printing its 修订对照表."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_noop

from luoshi.cli import Command as LanguageCommand
from luoshi.ingest import IngestError, parse_file
from luoshi.ingest.indicators import with_kinds
from luoshi.plans.ingest_text import describe
from luoshi.plans.models import Plan
from luoshi.plans.revisions import Diff, kind_labels, plan_diff
from luoshi.plans.services import plan_import
from luoshi.plans.summary import DRY_RUN, import_summary, plan_summary, summary_text
from luoshi.plans.uploads import TASK_STYLES
from luoshi.versions.services import plan_revise


class Command(LanguageCommand):
    help = gettext_noop("导入实施方案（.txt、.html 或 .docx）：全部保存或不保存，重复导入不变")
    # The system checks load every URL and view; `luoshi check` and deploys run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help=gettext("解析并报告，不保存"))
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--strict", action="store_true", help=gettext("有未能归位的行时失败"))
        parser.add_argument(
            "--level",
            choices=["central", "provincial", "city", "district"],
            help=gettext("发文层级（标题和发文机关看不出时）"),
        )
        parser.add_argument(
            "--tasks-in",
            metavar="PART",
            help=gettext("任务所在的部分：原文的序号或标题中的词（三、重点任务）"),
        )
        parser.add_argument(
            "--task-level",
            choices=TASK_STYLES,
            help=gettext("任务的编号样式（方案把任务嵌在其他标题之下时）"),
        )
        parser.add_argument(
            "--indicator-kind",
            action="append",
            default=[],
            metavar="NAME=KIND",
            help=gettext(
                "方案未写明时指标目标的类型（annual_growth、cumulative、yearly_thresholds、count），"
                "可重复"
            ),
        )
        parser.add_argument(
            "--revises",
            type=int,
            metavar="PLAN_ID",
            help=gettext("作为该方案的新版本：列出新增、删除和修改；保存后既不生效也不公开"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        results = []
        revises = None
        if options["revises"] is not None:
            revises = Plan.objects.filter(pk=options["revises"]).first()
            if revises is None:
                raise CommandError(
                    gettext("--revises %(id)s：没有这个方案") % {"id": options["revises"]}
                )
            if len(options["files"]) != 1:
                raise CommandError(gettext("--revises 只能用于一个文件"))
        for path in options["files"]:
            try:
                parsed = parse_file(
                    path,
                    level=options["level"],
                    tasks_in=options["tasks_in"],
                    task_style=options["task_level"],
                )
                parsed = with_kinds(parsed, _kinds(options["indicator_kind"]))
            except IngestError as error:
                raise CommandError(describe(error)) from error
            summary = plan_summary(parsed)
            if options["strict"] and summary["unplaced_lines"]:
                lines = ", ".join(str(u["line"]) for u in summary["unplaced_lines"][:20])
                raise CommandError(
                    gettext("%(file)s：%(count)s 行未能归位（--strict）：第 %(lines)s 行")
                    % {"file": path, "count": len(summary["unplaced_lines"]), "lines": lines}
                )
            diff = plan_diff(revises, parsed) if revises else None
            result = None
            if not options["dry_run"]:
                result = (
                    plan_revise(parsed=parsed, revises=revises, diff=diff)
                    if revises is not None
                    else plan_import(parsed=parsed)
                )
            summary = import_summary(parsed, revises=revises, diff=diff, result=result)
            results.append(summary)
            if options["format"] == "text":
                self.stdout.write(summary_text(summary, parsed.report.location_unit))
                if diff is not None:
                    self.stdout.write(diff_text(diff))
                self.stdout.write(stored_text(summary))
        if options["format"] == "json":
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))


def _kinds(pairs: list[str]) -> dict[str, str]:
    """`--indicator-kind 名称=kind` options as name → kind."""
    kinds = {}
    for pair in pairs:
        name, sep, kind = pair.partition("=")
        if not sep or not name.strip():
            raise CommandError(
                gettext("--indicator-kind %(pair)s：应为 名称=类型") % {"pair": pair}
            )
        kinds[name.strip()] = kind.strip()
    return kinds


def diff_text(diff: Diff) -> str:
    """The 修订对照表 as lines: one per added, removed or changed task or measure."""
    counts = {"added": len(diff.added), "removed": len(diff.removed), "changed": len(diff.changed)}
    lines = [
        gettext("  修订对照：新增 %(added)s 项，删除 %(removed)s 项，修改 %(changed)s 项") % counts
    ]
    for entry in diff.added + diff.removed + diff.changed:
        item = gettext("任务 %(code)s") if entry.level == "task" else gettext("举措 %(code)s")
        was = entry.old.code if entry.old and entry.old.code != entry.code else None
        old = gettext("（原 %(code)s）") % {"code": was} if was else ""
        lines.append(
            gettext("    %(item)s%(old)s：%(kinds)s")
            % {"item": item % {"code": entry.code}, "old": old, "kinds": kind_labels(entry.kinds)}
        )
    return "\n".join(lines)


def stored_text(summary: dict[str, Any]) -> str:
    """What was stored, in the active language (the JSON keeps its fixed words)."""
    stored = {
        DRY_RUN: gettext("试运行：未保存任何内容"),
        "created": gettext("已新建"),
    }.get(summary["stored"], gettext("未变化（已导入过）"))
    if "plan_id" not in summary:
        return f"  {stored}"
    return gettext("  %(stored)s，方案 %(id)s") % {"stored": stored, "id": summary["plan_id"]}
