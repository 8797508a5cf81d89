"""A parsed plan in a few figures, for the import command's output (text or JSON)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext

from luoshi.ingest.model import AnomalyCode, Duty, ParsedPlan
from luoshi.plans.ingest_text import translated

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
            {"line": a.line, "message": translated(a.message), **a.message.as_json()}
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
            {"line": a.line, "code": str(a.code), "message": translated(a.message)}
            | a.message.as_json()
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


def place(unit: str, number: object) -> str:
    """Where in the document, in the active language: 第 12 行 / line 12 (paragraphs for Word)."""
    if number is None:  # about the whole document (its level, its structure)
        return gettext("全文")
    if unit == "paragraph":
        return gettext("第 %(n)s 段") % {"n": number}
    return gettext("第 %(n)s 行") % {"n": number}


def summary_text(summary: dict[str, Any], unit: str = "line") -> str:
    """The summary `import-plan` prints, in the active language (`luoshi --lang en …`)."""
    counts, listed = summary["accounting"], gettext("、")
    lines = [
        gettext("%(source)s：%(title)s（%(status)s）")
        % {
            **summary,
            "status": gettext("征求意见稿") if summary["status"] == "draft" else gettext("正式稿"),
        },
        gettext(
            "  任务 %(tasks)s 项、举措 %(measures)s 项（有牵头单位的 %(lead)s 项），"
            "单位 %(organisations)s 个，指标 %(indicators)s 个，目标 %(targets)s 个"
        )
        % {**summary, "lead": summary["measures_with_lead"]},
        gettext(
            "  条目：共 %(items)s 项；举措有牵头单位 %(lead)s 项，有任一单位 %(unit)s 项，"
            "有期限 %(due)s 项（自身写明 %(own)s 项）；任务有期限 %(task_due)s 项；"
            "沿用规则得到单位 %(inherited)s 个；未能归位的行 %(unplaced)s 行"
        )
        % {
            "items": summary["tasks"] + summary["measures"],
            "lead": summary["measures_with_lead"],
            "unit": summary["measures_with_unit"],
            "due": summary["measures_with_deadline"],
            "own": summary["measures_with_own_deadline"],
            "task_due": summary["tasks_with_deadline"],
            "inherited": summary["inherited_units"],
            "unplaced": len(summary["unplaced_lines"]),
        },
        gettext("  任务按期限：%(counts)s")
        % {"counts": listed.join(f"{k} × {v}" for k, v in summary["tasks_by_due"].items())},
        gettext(
            "  核对：单位括注 %(brackets_placed)s 处已归位（共 %(brackets_seen)s 处），"
            "期限表述 %(deadlines_placed)s 处已归位（共 %(deadlines_seen)s 处），"
            "%(unplaced)s 处列为未归位"
        )
        % counts,
    ]
    if summary["unknown_organisations"]:
        names = listed.join(summary["unknown_organisations"])
        lines.append(gettext("  不在单位名录中的单位：%(names)s") % {"names": names})
    if summary["indicators_to_confirm"]:
        names = listed.join(summary["indicators_to_confirm"])
        lines.append(
            gettext("  需确认目标类型的指标（--indicator-kind 名称=类型）：%(names)s")
            % {"names": names}
        )
    found = listed.join(f"{k} {v}" for k, v in summary["report_counts"].items())
    lines.append(gettext("  解析报告：%(counts)s") % {"counts": found or gettext("无需报告")})
    lines += [
        gettext("    %(place)s：[%(code)s] %(message)s")
        % {"place": place(unit, a["line"]), "code": a["code"], "message": a["message"]}
        for a in summary["report"]
    ]
    return "\n".join(lines)
