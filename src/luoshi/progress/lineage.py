"""A revised plan's measure carries the history of the measure it revises (修订: progress carries over):
reads follow `Measure.carried_from` back through every earlier version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Min, QuerySet
from django.utils import timezone

from luoshi.plans.models import Measure
from luoshi.progress.models import IMPLEMENTING, Report, ReportState


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


def reports_through(reports: QuerySet[Report], owner: dict[int, int]) -> dict[int, list[Report]]:
    """The reports among `reports` that count for each measure of a lineage (`owner`, from
    `lineage`): its own and those sent under a measure it was carried over from. The one rule by
    which a carried measure is not missing from a cycle its predecessor reported in."""
    return reports_owned(reports.filter(measure__in=list(owner)), owner)


def reports_owned(reports: Iterable[Report], owner: dict[int, int]) -> dict[int, list[Report]]:
    """`reports_through` on reports already read (for several lineages from one read): those of a
    measure outside the lineage are left out."""
    found: dict[int, list[Report]] = {}
    for report in reports:
        if report.measure_id in owner:
            found.setdefault(owner[report.measure_id], []).append(report)
    return found


def implemented_through(owner: dict[int, int]) -> dict[int, dt.date]:
    """Each measure of a lineage (`owner`) → the first day a report saying it, or a measure it was
    carried over from, is implemented was accepted (已落实); implemented ones only."""
    return implemented_through_each([owner])


def implemented_through_each(owners: list[dict[int, int]]) -> dict[int, dt.date]:
    """`implemented_through` for several lineages (of different plans) in one query."""
    first = dict(
        Report.objects.filter(
            measure__in={pk for owner in owners for pk in owner},
            state=ReportState.ACCEPTED,
            progress_status__in=IMPLEMENTING,
        )
        .order_by()
        .values("measure_id")
        .annotate(first=Min("accepted_at"))
        .values_list("measure_id", "first")
    )
    found: dict[int, dt.date] = {}
    for owner in owners:
        for measure_id, pk in owner.items():
            if measure_id in first:
                day = timezone.localdate(first[measure_id])
                found[pk] = min(day, found.get(pk, day))
    return found


def lineages(groups: dict[int, list[int]]) -> dict[int, dict[int, int]]:
    """`lineage` of each group of measure ids (e.g. per plan), read for all groups at once: the
    number of queries grows with the depth of revisions, not with the number of groups."""
    earlier: dict[int, int] = {}
    frontier = {pk for ids in groups.values() for pk in ids}
    while frontier:
        found = dict(
            Measure.objects.filter(pk__in=frontier, carried_from__isnull=False).values_list(
                "pk", "carried_from_id"
            )
        )
        earlier.update(found)
        frontier = set(found.values()) - earlier.keys()
    owners: dict[int, dict[int, int]] = {}
    for key, ids in groups.items():
        owner = {pk: pk for pk in ids}
        layer = [pk for pk in ids if pk in earlier]
        while layer:  # layer by layer, as `lineage` reads them
            for pk in layer:
                owner.setdefault(earlier[pk], owner[pk])
            layer = [e for e in dict.fromkeys(earlier[pk] for pk in layer) if e in earlier]
            layer = [pk for pk in layer if earlier[pk] not in owner]
        owners[key] = owner
    return owners
