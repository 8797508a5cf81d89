"""Writes about people: memberships and responsible persons. Each audited in its transaction."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from luoshi.accounts.models import Membership, ResponsiblePerson, Role
from luoshi.accounts.policies import can_name_responsible_person, organisation_of
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, refuse
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
            action=AuditAction.MEMBERSHIP_SET,
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
    # Refused before the transaction opens: a refusal row written inside it would be rolled back.
    if not can_name_responsible_person(actor, measure):
        raise refuse(
            actor=actor,
            action=AuditAction.RESPONSIBLE_PERSON_SET,
            obj=measure,
            message="只有该举措责任单位的审核人可以指定责任人",
        )
    organisation = organisation_of(actor)
    if organisation_of(person) != organisation:
        raise ValidationError({"person": "责任人必须是本单位人员"})
    with transaction.atomic():
        assignment, _ = ResponsiblePerson.objects.update_or_create(
            measure=measure, organisation=organisation, defaults={"person": person, "set_by": actor}
        )
        audit_record(
            actor=actor,
            action=AuditAction.RESPONSIBLE_PERSON_SET,
            obj=assignment,
            detail={"person": person.pk},
        )
    return assignment
