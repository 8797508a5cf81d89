"""`luoshi import-plan FILE [--dry-run] [--strict] [--level L] [--tasks-in PART] [--task-level 1.]
[--revises PLAN_ID] [--indicator-kind NAME=KIND …] [--format json]`: parse and store a plan; with
--revises, as a new version of that plan, printing its 修订对照表."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from luoshi.ingest import IngestError, parse_file
from luoshi.ingest.indicators import with_kinds
from luoshi.plans.models import Plan
from luoshi.plans.revisions import Diff, kind_labels, plan_diff
from luoshi.plans.services import plan_import
from luoshi.plans.summary import import_summary, plan_summary, summary_text
from luoshi.plans.uploads import TASK_STYLES
from luoshi.versions.services import plan_revise


class Command(BaseCommand):
    help = "Import an implementation plan (.txt, .html or .docx). Atomic and idempotent."
    # The system checks load every URL and view; `luoshi check` and deploys run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--dry-run", action="store_true", help="parse and report; store nothing"
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--strict", action="store_true", help="fail when any line could not be placed"
        )
        parser.add_argument(
            "--level",
            choices=["central", "provincial", "city", "district"],
            help="the issuing jurisdiction, when the title and issuer do not tell it",
        )
        parser.add_argument(
            "--tasks-in",
            metavar="PART",
            help="the part(s) holding the tasks, by the numeral or words of the title as written",
        )
        parser.add_argument(
            "--task-level",
            choices=TASK_STYLES,
            help="the numbering of the tasks, when the document nests them under other headings",
        )
        parser.add_argument(
            "--indicator-kind",
            action="append",
            default=[],
            metavar="NAME=KIND",
            help="the kind of an indicator's target when the document does not say it "
            "(annual_growth, cumulative, yearly_thresholds, count); repeat for several",
        )
        parser.add_argument(
            "--revises",
            type=int,
            metavar="PLAN_ID",
            help="a new version of this plan: print what it adds, removes and changes; stored "
            "neither in force nor public",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        results = []
        revises = None
        if options["revises"] is not None:
            revises = Plan.objects.filter(pk=options["revises"]).first()
            if revises is None:
                raise CommandError(f"--revises {options['revises']}: no such plan")
            if len(options["files"]) != 1:
                raise CommandError("--revises takes one file")
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
                raise CommandError(str(error)) from error
            summary = plan_summary(parsed)
            if options["strict"] and summary["unplaced_lines"]:
                lines = ", ".join(str(u["line"]) for u in summary["unplaced_lines"][:20])
                raise CommandError(
                    f"{path}: {len(summary['unplaced_lines'])} line(s) not placed (strict): {lines}"
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
                self.stdout.write(
                    f"  {summary['stored']}"
                    + (f", plan {summary['plan_id']}" if "plan_id" in summary else "")
                )
        if options["format"] == "json":
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))


def _kinds(pairs: list[str]) -> dict[str, str]:
    """`--indicator-kind 名称=kind` options as name → kind."""
    kinds = {}
    for pair in pairs:
        name, sep, kind = pair.partition("=")
        if not sep or not name.strip():
            raise CommandError(f"--indicator-kind {pair}: expected NAME=KIND")
        kinds[name.strip()] = kind.strip()
    return kinds


def diff_text(diff: Diff) -> str:
    """The 修订对照表 as lines: one per added, removed or changed task or measure."""
    lines = [
        f"  revision table: {len(diff.added)} added, {len(diff.removed)} removed, "
        f"{len(diff.changed)} changed"
    ]
    for entry in diff.added + diff.removed + diff.changed:
        kinds = kind_labels(entry.kinds)
        old = f" (was {entry.old.code})" if entry.old and entry.old.code != entry.code else ""
        lines.append(f"    {entry.level} {entry.code}{old}: {kinds}")
    return "\n".join(lines)
