"""Reads on funding: totals by unit and by source (one query each)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from luoshi.funding.models import Project, Source


@dataclass(frozen=True)
class Total:
    label: str
    projects: int
    planned: Decimal
    allocated: Decimal
    spent: Decimal


def _totals(projects: QuerySet[Project], key: str) -> list[tuple[str, Total]]:
    rows = (
        projects.order_by()
        .values(key)
        .annotate(n=Count("pk"), p=Sum("planned"), a=Sum("allocated"), s=Sum("spent"))
        .order_by(key)
    )
    return [(r[key], Total(str(r[key]), r["n"], r["p"], r["a"], r["s"])) for r in rows]


def totals_by_unit(projects: QuerySet[Project]) -> list[Total]:
    return [t for _key, t in _totals(projects, "organisation__name")]


def totals_by_source(projects: QuerySet[Project]) -> list[Total]:
    labels = dict(Source.choices)
    return [
        Total(str(labels[k]), t.projects, t.planned, t.allocated, t.spent)
        for k, t in _totals(projects, "source")
    ]


def grand_total(projects: QuerySet[Project]) -> Total:
    r = projects.order_by().aggregate(
        n=Count("pk"), p=Sum("planned"), a=Sum("allocated"), s=Sum("spent")
    )
    zero = Decimal(0)
    return Total("", r["n"], r["p"] or zero, r["a"] or zero, r["s"] or zero)
