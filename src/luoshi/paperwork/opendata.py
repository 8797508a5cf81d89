"""Open data (信息公开): the published fields of a plan's tasks as CSV and JSON. Schema: docs/open-data.md."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from django.utils.translation import gettext

from luoshi.metrics.facts import load_facts
from luoshi.metrics.rates import task_rate
from luoshi.paperwork.cells import csv_cell
from luoshi.plans.models import Plan

FIELDS = [
    "task_number",
    "title",
    "deadline_text",
    "due_date",
    "ongoing",
    "lead_units",
    "measures",
    "status",
    "implemented_on",
]


def open_rows(plan: Plan, as_of: dt.date) -> list[dict[str, Any]]:
    facts = load_facts(plan, as_of)
    deadlines = dict(plan.tasks.values_list("pk", "deadline_text"))
    return [
        {
            "task_number": t.number,
            "title": t.title,
            "deadline_text": deadlines[t.id],
            "due_date": t.due_date.isoformat() if t.due_date else None,
            "ongoing": t.ongoing,
            "lead_units": sorted(
                {facts.organisations[o] for i in t.measure_ids for o in facts.measures[i].leads}
            ),
            "measures": len(t.measure_ids),
            "status": "implemented" if t.done(as_of) else "in_progress",
            "implemented_on": t.implemented_on.isoformat()
            if t.done(as_of) and t.implemented_on
            else None,
        }
        for t in facts.tasks
    ]


def open_json(plan: Plan, as_of: dt.date) -> str:
    facts = load_facts(plan, as_of)
    rate = task_rate(facts, as_of)
    return json.dumps(
        {
            "plan": plan.title,
            "issuer": plan.issuer,
            "as_of": as_of.isoformat(),
            "implementation_rate": {
                "done": rate.done,
                "total": rate.total,
                "percent": rate.percent,
            },
            "tasks": open_rows(plan, as_of),
        },
        ensure_ascii=False,
        indent=1,
    )


def open_csv(plan: Plan, as_of: dt.date) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    for row in open_rows(plan, as_of):
        cells = {**row, "lead_units": gettext("、").join(row["lead_units"])}
        writer.writerow({k: csv_cell(v) for k, v in cells.items()})
    return "\ufeff" + out.getvalue()  # BOM: Excel opens UTF-8 CSV correctly
