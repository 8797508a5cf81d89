"""Writes about people: memberships and responsible persons. Each audited in its transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from luoshi.accounts.models import Membership, Person, ResponsiblePerson, Role
from luoshi.accounts.policies import (
    can_keep_people,
    can_name_responsible_person,
    membership_of,
    organisation_of,
)
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, refuse
from luoshi.plans.models import Measure, Organisation, Plan, Responsibility


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


PERSON_FIELDS = ("name", "post", "office_phone", "mobile", "email", "user")


def person_save(
    *, actor: User, organisation: Organisation, fields: dict[str, Any], person: Person | None = None
) -> Person:
    """The unit's head adds a 责任人 record or corrects one (name, post, phones, e-mail, login)."""
    if not can_keep_people(actor, organisation) or (
        person is not None and person.organisation_id != organisation.pk
    ):
        raise refuse(
            actor=actor,
            action=AuditAction.PERSON_SAVE,
            obj=person or organisation,
            message=gettext("只有本单位审核人可以维护本单位责任人"),
        )
    record = person or Person(organisation=organisation)
    for name in PERSON_FIELDS:
        if name in fields:
            setattr(record, name, fields[name])
    if record.user is not None and organisation_of(record.user) != organisation:
        raise ValidationError({"user": gettext("登录账号必须是本单位人员")})
    record.full_clean()
    with transaction.atomic():
        record.save()
        audit_record(
            actor=actor,
            action=AuditAction.PERSON_SAVE,
            obj=record,
            detail={"created": person is None, "fields": sorted(set(fields) & set(PERSON_FIELDS))},
        )
    return record


def person_for_account(*, user: User, organisation: Organisation) -> Person:
    """The unit's record for a login account (made from the account when there is none yet), so the
    API's older "name a user" call and the pages name the same person."""
    found = Person.objects.filter(organisation=organisation, user=user).first()
    if found is not None:
        return found
    membership = membership_of(user)
    return Person.objects.create(
        organisation=organisation,
        user=user,
        name=(user.last_name + user.first_name) or user.username,
        email=user.email,
        office_phone=membership.phone if membership else "",
    )


def responsible_person_set(
    *, measure: Measure, person: Person | User, actor: User
) -> ResponsiblePerson:
    """The head of a responsible organisation names its 责任人 for a measure: one of its person
    records (a login account is taken as the record linked to it)."""
    # Refused before the transaction opens: a refusal row written inside it would be rolled back.
    if not can_name_responsible_person(actor, measure):
        raise refuse(
            actor=actor,
            action=AuditAction.RESPONSIBLE_PERSON_SET,
            obj=measure,
            message=gettext("只有该举措责任单位的审核人可以指定责任人"),
        )
    organisation = organisation_of(actor)
    assert organisation is not None  # a head always has one
    if isinstance(person, User):
        if organisation_of(person) != organisation:
            raise ValidationError({"person": gettext("责任人必须是本单位人员")})
        person = person_for_account(user=person, organisation=organisation)
    if person.organisation_id != organisation.pk:
        raise ValidationError({"person": gettext("责任人必须是本单位人员")})
    with transaction.atomic():
        assignment, _ = ResponsiblePerson.objects.update_or_create(
            measure=measure, organisation=organisation, defaults={"person": person, "set_by": actor}
        )
        audit_record(
            actor=actor,
            action=AuditAction.RESPONSIBLE_PERSON_SET,
            obj=assignment,
            detail={"person": person.pk, "name": person.name},
        )
    return assignment


def responsible_people_carry(*, plan: Plan) -> int:
    """A revision keeps the 责任人 of every measure it carries over, for each unit that still has a
    duty on the new measure (a unit the revision took off the measure loses its person there)."""
    carried = dict(
        Measure.objects.filter(task__plan=plan, carried_from__isnull=False).values_list(
            "carried_from_id", "pk"
        )
    )
    duties = set(
        Responsibility.objects.filter(measure__in=carried.values()).values_list(
            "measure_id", "organisation_id"
        )
    )
    copies = [
        ResponsiblePerson(
            measure_id=carried[p.measure_id],
            organisation_id=p.organisation_id,
            person_id=p.person_id,
            set_by_id=p.set_by_id,
        )
        for p in ResponsiblePerson.objects.filter(measure__in=list(carried))
        if (carried[p.measure_id], p.organisation_id) in duties
    ]
    ResponsiblePerson.objects.bulk_create(copies, ignore_conflicts=True)
    return len(copies)
