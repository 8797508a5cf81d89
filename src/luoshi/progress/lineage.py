"""A revised plan's measure carries the history of the measure it revises (修订: progress carries over):
reads follow `Measure.carried_from` back through every earlier version."""

from __future__ import annotations

from luoshi.plans.models import Measure


def lineage(measure_ids: list[int]) -> dict[int, int]:
    """Every measure id → the measure among `measure_ids` it is or was carried over to: a revised
    plan's measure has the history of the measures it revises (修订: progress carries over)."""
    owner = {pk: pk for pk in measure_ids}
    frontier = dict(
        Measure.objects.filter(pk__in=measure_ids, carried_from__isnull=False).values_list(
            "pk", "carried_from_id"
        )
    )
    while frontier:
        for pk, earlier in frontier.items():
            owner.setdefault(earlier, owner[pk])
        frontier = dict(
            Measure.objects.filter(pk__in=frontier.values(), carried_from__isnull=False)
            .exclude(carried_from__in=owner)
            .values_list("pk", "carried_from_id")
        )
    return owner
