"""A parsed plan in a few figures, for the import command's output (text or JSON)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext

from luoshi.ingest.model import AnomalyCode, Duty, ParsedPlan

if TYPE_CHECKING:
    from luoshi.plans.models import Plan
    from luoshi.plans.revisions import Diff
    from luoshi.plans.services import ImportResult

DRY_RUN = "dry run: nothing stored"


def plan_summary(parsed: ParsedPlan) -> dict[str, Any]:
    due = Counter(
        (t.deadline.due_date.isoformat() if t.deadline.due_date else t.deadline.kind.value)
        if t.deadline
        else "none"
        for t in parsed.tasks
    )
    measures = parsed.measures
    return {
        "source": parsed.source_name,
        "title": parsed.title,
        "status": "draft" if parsed.is_draft else "final",
        "tasks": len(parsed.tasks),
        "measures": len(measures),
        "measures_with_lead": sum(any(u.role == Duty.LEAD for u in m.units) for m in measures),
        "measures_with_unit": sum(bool(m.units) for m in measures),
        "tasks_with_deadline": sum(t.deadline is not None for t in parsed.tasks),
        "measures_with_deadline": sum(
            (m.deadline or t.deadline) is not None for t in parsed.tasks for m in t.measures
        ),
        "measures_with_own_deadline": sum(m.deadline is not None for m in measures),
        "inherited_units": sum(
            u.source == "inherited"
            for t in parsed.tasks
            for units in [t.units, *(m.units for m in t.measures)]
            for u in units
        ),
        "level": parsed.level,
        "unplaced_lines": [
            {"line": a.line, "message": a.message}
            for a in parsed.report.of(AnomalyCode.UNPARSED_LINE)
        ],
        "organisations": len(parsed.organisations),
        "unknown_organisations": [o.name for o in parsed.organisations if not o.known],
        "indicators": len(parsed.indicators),
        "indicators_to_confirm": [i.name for i in parsed.indicators if i.kind == "unknown"],
        "targets": len(parsed.targets),
        "tasks_by_due": dict(sorted(due.items())),
        "accounting": parsed.report.ledger.counts(),
        "report_counts": dict(Counter(str(a.code) for a in parsed.report.anomalies)),
        "report": [
            {"line": a.line, "code": str(a.code), "message": a.message}
            for a in parsed.report.anomalies
        ],
    }


def import_summary(
    parsed: ParsedPlan,
    *,
    revises: Plan | None = None,
    diff: Diff | None = None,
    result: ImportResult | None = None,
) -> dict[str, Any]:
    """One document's import as `luoshi import-plan --format json` prints it and the API answers
    it (one builder for both): the figures, for a new version `revises` and its 修订对照表 (`added`,
    `removed`, `changed`), and what was stored — nothing when there is no `result` (a dry run)."""
    summary = plan_summary(parsed)
    if revises is not None and diff is not None:
        summary["revises"] = revises.pk
        summary |= diff.as_dict()
    if result is None:
        summary["stored"] = DRY_RUN
    else:
        summary["plan_id"] = result.plan.pk
        summary["stored"] = "created" if result.created else "unchanged (already imported)"
    return summary


def summary_text(summary: dict[str, Any], unit: str = "line") -> str:
    lines = [
        f"{summary['source']}: {summary['title']} ({summary['status']})",
        f"  tasks {summary['tasks']}, measures {summary['measures']} "
        f"({summary['measures_with_lead']} with a lead unit), organisations {summary['organisations']}, "
        f"indicators {summary['indicators']}, targets {summary['targets']}",
        f"  items: {summary['tasks'] + summary['measures']} found; "
        f"measures with a lead {summary['measures_with_lead']}, "
        f"with any unit {summary['measures_with_unit']}, with a deadline {summary['measures_with_deadline']} "
        f"({summary['measures_with_own_deadline']} their own); tasks with a deadline {summary['tasks_with_deadline']}; "
        f"units inherited {summary['inherited_units']}; lines not placed {len(summary['unplaced_lines'])}",
        "  tasks by due date: "
        + ", ".join(f"{k} × {v}" for k, v in summary["tasks_by_due"].items()),
    ]
    counts = summary["accounting"]
    lines.append(
        f"  accounted for: unit brackets {counts['brackets_placed']} placed of {counts['brackets_seen']} seen, "
        f"deadline phrases {counts['deadlines_placed']} placed of {counts['deadlines_seen']} seen, "
        f"{counts['unplaced']} listed as not placed"
    )
    if summary["unknown_organisations"]:
        lines.append(
            "  organisations not in the directory: "
            + gettext("、").join(summary["unknown_organisations"])
        )
    if summary["indicators_to_confirm"]:
        lines.append(
            "  indicator kinds to confirm (--indicator-kind NAME=KIND): "
            + gettext("、").join(summary["indicators_to_confirm"])
        )
    lines.append(
        "  parse report: "
        + (
            ", ".join(f"{k} {v}" for k, v in summary["report_counts"].items())
            or "nothing to report"
        )
    )
    lines += [f"    {unit} {a['line']}: [{a['code']}] {a['message']}" for a in summary["report"]]
    return "\n".join(lines)
