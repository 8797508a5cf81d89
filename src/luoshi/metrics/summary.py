"""Headline figures as plain data (for JSON, the status command and documents)."""

from __future__ import annotations

from typing import Any

from luoshi.metrics.headline import Headline
from luoshi.metrics.kpi import KpiStatus


def headline_dict(h: Headline, kpis: list[KpiStatus]) -> dict[str, Any]:
    return {
        "plan": h.facts.title,
        "plan_id": h.facts.plan_id,
        "as_of": h.as_of.isoformat(),
        "rate": {"done": h.rate.done, "total": h.rate.total, "percent": h.rate.percent},
        "measure_rate": {
            "done": h.measure_rate.done,
            "total": h.measure_rate.total,
            "percent": h.measure_rate.percent,
        },
        "target": {
            "year": h.target.year,
            "value": h.target.value,
            "deadline": h.target.deadline.isoformat() if h.target.deadline else None,
        }
        if h.target
        else None,
        "on_target": h.on_target,
        "forecast": [
            {
                "deadline": f.deadline.isoformat(),
                "target": f.target.value,
                "required": f.required,
                "past": f.past,
                "pace_per_month": round(f.pace_per_month, 2),
                "expected_done": f.expected_done,
                "expected_percent": f.expected_percent,
                "will_meet": f.will_meet,
                "short_by": f.short_by,
                "verdict": f.verdict,
                "months_left": f.months_left,
                "needed_per_month": f.needed_per_month,
                "scheduled": f.scheduled,
            }
            for f in h.forecasts
        ],
        "overdue_count": len(h.overdue),
        "due_soon_count": len(h.due_soon),
        "overdue": [
            {"task": x.task.number, "title": x.task.title, "days": x.days} for x in h.overdue
        ],
        "lights": h.lights_by_colour,
        "kpis": [k.as_dict() for k in kpis],
    }
