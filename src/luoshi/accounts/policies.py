"""Who may see and do what. Every page, endpoint and download asks here, nowhere else."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from luoshi.accounts.models import Membership, Role
from luoshi.plans.models import Duty, Measure, Organisation, Responsibility

AnyUser = User | AnonymousUser
READ_EVERYTHING = frozenset({Role.OFFICE, Role.LEADER, Role.EVALUATOR, Role.PROVINCE})
DEPARTMENT = frozenset({Role.REPORTER, Role.HEAD})


def membership_of(user: AnyUser) -> Membership | None:
    if not user.is_authenticated:
        return None
    # The reverse one-to-one is cached on the user object after the first access; a user without
    # one raises RelatedObjectDoesNotExist, an AttributeError, hence the default.
    membership: Membership | None = getattr(user, "membership", None)
    return membership


def role_of(user: AnyUser) -> Role | None:
    if getattr(user, "is_superuser", False):
        return (
            None  # the Django superuser installs luoshi; it never acts in the workflow (三权分立)
        )
    membership = membership_of(user)
    return Role(membership.role) if membership else None


def organisation_of(user: AnyUser) -> Organisation | None:
    membership = membership_of(user)
    return membership.organisation if membership else None


def is_office(user: AnyUser) -> bool:
    return role_of(user) == Role.OFFICE


def reads_everything(user: AnyUser) -> bool:
    return role_of(user) in READ_EVERYTHING


def is_auditor(user: AnyUser) -> bool:
    return role_of(user) == Role.AUDITOR


def is_system_admin(user: AnyUser) -> bool:
    """系统管理员: accounts and settings in the admin site; no business action, no audit reading."""
    return role_of(user) == Role.SYSADMIN


def is_security_admin(user: AnyUser) -> bool:
    """安全管理员: security policy, account locks and second factors; no business data."""
    return role_of(user) == Role.SECADMIN


def may_administer(user: AnyUser) -> bool:
    """The admin site: the installing superuser and the system administrator."""
    return bool(getattr(user, "is_superuser", False)) or is_system_admin(user)


def reads_plans(user: AnyUser) -> bool:
    """The plan's structure: every role but the auditor (who reads the audit trail only)."""
    return role_of(user) in READ_EVERYTHING | DEPARTMENT


def visible_measures(user: AnyUser) -> QuerySet[Measure]:
    """All measures for the office, leaders and evaluators; the organisation's own for a department."""
    if reads_everything(user):
        return Measure.objects.all()
    if role_of(user) in DEPARTMENT:
        return Measure.objects.filter(  # a subquery: no DISTINCT over whole rows
            pk__in=Responsibility.objects.filter(organisation=organisation_of(user)).values(
                "measure_id"
            )
        )
    return Measure.objects.none()


def duties_on(user: AnyUser, measure: Measure) -> set[str]:
    """The roles (lead/supporting) the user's organisation holds on the measure."""
    organisation = organisation_of(user)
    if organisation is None:
        return set()
    return {d.role for d in measure.responsibilities.all() if d.organisation_id == organisation.pk}


def leads(user: AnyUser, measure: Measure) -> bool:
    return role_of(user) in DEPARTMENT and Duty.LEAD in duties_on(user, measure)


def supports(user: AnyUser, measure: Measure) -> bool:
    return role_of(user) in DEPARTMENT and bool(duties_on(user, measure) - {Duty.LEAD})


def is_head_of(user: AnyUser, organisation: Organisation | None) -> bool:
    return (
        role_of(user) == Role.HEAD
        and organisation is not None
        and organisation_of(user) == organisation
    )


def can_name_responsible_person(user: AnyUser, measure: Measure) -> bool:
    """The head of an organisation responsible for the measure names its 责任人."""
    organisation = organisation_of(user)
    return (
        is_head_of(user, organisation)
        and measure.responsibilities.filter(organisation=organisation).exists()
    )


def can_keep_people(user: AnyUser, organisation: Organisation | None) -> bool:
    """A unit's head keeps its 责任人 records (the unit knows its own staff)."""
    return is_head_of(user, organisation)


def reads_people(user: AnyUser, organisation: Organisation | None) -> bool:
    """A unit's own staff, the office, leaders and evaluators read a unit's 责任人 and their numbers."""
    return reads_everything(user) or (
        role_of(user) in DEPARTMENT
        and organisation is not None
        and organisation_of(user) == organisation
    )
