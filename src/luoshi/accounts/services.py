"""Writes about people: memberships and responsible persons. Each audited in its transaction."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from luoshi.accounts.models import Membership, ResponsiblePerson, Role
from luoshi.accounts.policies import is_head_of, organisation_of
from luoshi.audit.models import Outcome
from luoshi.audit.services import audit_record
from luoshi.plans.models import Measure, Organisation


def membership_set(
    *,
    user: User,
    role: Role,
    organisation: Organisation | None,
    actor: User | None,
) -> Membership:
    with transaction.atomic():
        membership, created = Membership.objects.update_or_create(
            user=user, defaults={"role": role, "organisation": organisation}
        )
        audit_record(
            actor=actor,
            action="membership_set",
            obj=membership,
            detail={
                "role": role,
                "organisation": organisation.name if organisation else None,
                "created": created,
            },
        )
    return membership


def responsible_person_set(*, measure: Measure, person: User, actor: User) -> ResponsiblePerson:
    """The head of a responsible organisation names its 责任人 for a measure."""
    organisation = organisation_of(actor)
    with transaction.atomic():
        if (
            not is_head_of(actor, organisation)
            or not measure.responsibilities.filter(organisation=organisation).exists()
        ):
            audit_record(
                actor=actor, action="responsible_person_set", obj=measure, outcome=Outcome.REFUSED
            )
            raise PermissionDenied("只有该举措责任单位的审核人可以指定责任人")
        if organisation_of(person) != organisation:
            raise ValidationError({"person": "责任人必须是本单位人员"})
        assignment, _ = ResponsiblePerson.objects.update_or_create(
            measure=measure, organisation=organisation, defaults={"person": person, "set_by": actor}
        )
        audit_record(
            actor=actor,
            action="responsible_person_set",
            obj=assignment,
            detail={"person": person.pk},
        )
    return assignment
