"""Reads about people: a unit's 责任人 records and whom it has named for its measures."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from luoshi.accounts.models import Membership, Person, ResponsiblePerson, Role
from luoshi.plans.models import Measure, Organisation, Plan


def unit_people(organisation: Organisation) -> QuerySet[Person]:
    return Person.objects.filter(organisation=organisation).select_related("user")


def unit_accounts(organisation: Organisation) -> list[Membership]:
    """The unit's login accounts a record may be linked to."""
    return list(
        Membership.objects.filter(
            organisation=organisation, role__in=[Role.REPORTER, Role.HEAD], user__is_active=True
        ).select_related("user")
    )


def named_people(organisation: Organisation, measures: Iterable[Measure]) -> dict[int, Person]:
    """measure id → the person the unit named for it."""
    return {
        p.measure_id: p.person
        for p in ResponsiblePerson.objects.filter(
            organisation=organisation, measure__in=[m.pk for m in measures]
        ).select_related("person")
    }


def unit_measures(plan: Plan, organisation: Organisation) -> QuerySet[Measure]:
    """The unit's measures in a plan (led or supported), in the plan's order."""
    return (
        Measure.objects.filter(task__plan=plan, responsibilities__organisation=organisation)
        .select_related("task")
        .prefetch_related("responsibilities")
        .distinct()
        .order_by("task__number", "number")
    )
