"""The 催办 → 督办 ladder, run daily by `luoshi remind` (rules: settings.LUOSHI_ESCALATION).

- a cycle's report still missing `reporter_after_days` after its due date → the reporter (the named
  责任人, else the unit's reporters); after `head_after_days` → also the unit's head;
- a measure overdue, or red at the due dates of the last `leader_red_cycles` cycles → its 分管领导
  (every leader when none is named) and, for the office, a proposed 督办单;
- a 督办单 not signed within `sign_within_days`, or not answered by its reply deadline → the unit's
  head and the 分管领导;
- and, when the office asks from the 督办台账 (`notices_urge`) or the measures list (`measures_urge`),
  the picked 督办单's or unfinished measures' unit heads now.

Every reminder is an Urging row (item, reason, person, day) under one digest message per person, so a
second run on the same day finds everything already sent and sends nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from luoshi.accounts.models import Membership, Person, ResponsiblePerson, Role
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, refuse
from luoshi.metrics.facts import load_facts
from luoshi.metrics.lights import Colour, lights_as_of
from luoshi.plans.models import Measure, Plan
from luoshi.progress.models import CycleStatus, ReportingCycle
from luoshi.progress.selectors import expected_reports, filed_in, lead_organisation_ids
from luoshi.progress.timing import is_overdue
from luoshi.risks.models import Risk, RiskStatus
from luoshi.supervision import texts
from luoshi.supervision.messaging import deliver_pending, message_send
from luoshi.supervision.models import (
    OPEN_STATES,
    Assignment,
    AssignmentKind,
    AssignmentState,
    Notice,
    NoticeEvent,
    NoticeState,
    NoticeStep,
    Oversight,
    Reason,
    Rung,
    Urging,
)
from luoshi.supervision.policies import may_urge
from luoshi.supervision.texts import Text, cycle_text, in_site_language, label

# The 督办单 reason for each kind of assignment (also its 催办's reason).
REASON_OF = {
    AssignmentKind.INSTRUCTION: Reason.INSTRUCTION,
    AssignmentKind.DECISION: Reason.MEETING,
    AssignmentKind.COORDINATION: Reason.COORDINATION,
}


@dataclass(frozen=True)
class Entry:
    reason: str
    rung: str
    text: Text
    measure_id: int | None = None
    notice_id: int | None = None
    assignment_id: int | None = None
    risk_id: int | None = None

    @property
    def key(self) -> tuple[int | None, int | None, int | None, int | None, str]:
        return (self.measure_id, self.notice_id, self.assignment_id, self.risk_id, self.reason)


@dataclass
class Outcome:
    urgings: int = 0
    messages: int = 0
    proposals: int = 0
    sent: int = 0
    failed: int = 0


class People:
    """Who sits on each rung, loaded once per run."""

    def __init__(self) -> None:
        self.by_role: dict[tuple[str, int | None], list[User]] = defaultdict(list)
        for m in Membership.objects.filter(user__is_active=True).select_related("user"):
            self.by_role[(m.role, m.organisation_id)].append(m.user)
            if m.role in (Role.LEADER, Role.OFFICE):
                self.by_role[(m.role, None)].append(m.user)
        self.named = {
            (p.measure_id, p.organisation_id): p.person.user
            for p in ResponsiblePerson.objects.select_related("person__user")
            if p.person.user is not None and p.person.user.is_active
        }
        self.by_name = {
            (p.organisation_id, p.name): p.user
            for p in Person.objects.filter(user__is_active=True).select_related("user")
        }
        self.overseers: dict[int, list[User]] = defaultdict(list)
        for o in Oversight.objects.select_related("leader"):
            self.overseers[o.organisation_id].append(o.leader)

    def reporters(self, measure_id: int, org_id: int) -> list[User]:
        person = self.named.get((measure_id, org_id))
        return [person] if person else self.by_role[(Role.REPORTER, org_id)]

    def person(self, org_id: int, name: str) -> User | None:
        """The login of the unit's 责任人 record named `name`, if it has one."""
        return self.by_name.get((org_id, name.strip()))

    def heads(self, org_id: int) -> list[User]:
        return self.by_role[(Role.HEAD, org_id)]

    def leaders(self, org_id: int) -> list[User]:
        return self.overseers.get(org_id) or self.by_role[(Role.LEADER, None)]

    def office(self) -> list[User]:
        return self.by_role[(Role.OFFICE, None)]


Found = dict[User, dict[tuple[int | None, int | None, int | None, int | None, str], Entry]]


def _add(found: Found, users: list[User], entry: Entry) -> None:
    for user in users:
        found[user].setdefault(entry.key, entry)


def _silent(plan: Plan, today: dt.date, people: People, found: Found) -> None:
    rules = settings.LUOSHI_ESCALATION
    cycles = ReportingCycle.objects.filter(
        plan=plan,
        status=CycleStatus.OPEN,
        due_on__lte=today - dt.timedelta(rules["reporter_after_days"]),
    ).order_by("-due_on")
    for cycle in cycles:
        missing = (
            expected_reports(cycle)
            .exclude(pk__in=list(filed_in(cycle)))
            .select_related("task")
            .prefetch_related("responsibilities")
        )
        late = (today - cycle.due_on).days
        to_head = late >= rules["head_after_days"]
        for measure in missing:
            text = texts.text(
                gettext_noop("举措 %(code)s：%(cycle)s进展报告逾期 %(n)s 天未报送"),
                code=measure.code,
                cycle=cycle_text(cycle),
                n=late,
            )
            for org in lead_organisation_ids(measure):
                entry = Entry(Reason.NO_REPORT, Rung.REPORTER, text, measure_id=measure.pk)
                _add(found, people.reporters(measure.pk, org), entry)
                if to_head:
                    head = Entry(Reason.NO_REPORT, Rung.HEAD, text, measure_id=measure.pk)
                    _add(found, people.heads(org), head)


def _red(plan: Plan, today: dt.date, people: People, found: Found) -> list[tuple[int, str, int]]:
    """Overdue or persistently red measures → 分管领导; returns (measure id, reason, days overdue)
    to propose."""
    k = settings.LUOSHI_ESCALATION["leader_red_cycles"]
    facts = load_facts(plan, today)
    ended = [c for c in facts.cycles if c.due_on < today][-k:] if k else []
    # each cycle's lights as they stood on its due date (facts as of that day)
    red_at = [lights_as_of(load_facts(plan, c.due_on)) for c in ended] if len(ended) == k else []
    flagged: list[tuple[int, str, int]] = []
    for m in facts.measures.values():
        if m.done(today):
            continue
        if m.due_date is not None and is_overdue(m.due_date, today, done=False):
            why = texts.text(
                gettext_noop("已超过完成时限（%(day)s）"), day=f"{m.due_date:%Y-%m-%d}"
            )
            reason = Reason.OVERDUE
        elif red_at and all(lights[m.id].colour == Colour.RED for lights in red_at):
            reason, why = Reason.RED, texts.text(gettext_noop("连续 %(k)s 个填报周期亮红灯"), k=k)
        else:
            continue
        text = texts.text(gettext_noop("举措 %(code)s：%(why)s"), code=m.code, why=why)
        entry = Entry(reason, Rung.LEADER, text, measure_id=m.id)
        for org in m.leads:
            _add(found, people.leaders(org), entry)
        flagged.append((m.id, reason, (today - m.due_date).days if m.due_date else 0))
    return flagged


def _late_notices(today: dt.date, people: People, found: Found) -> None:
    sign_days = settings.LUOSHI_ESCALATION["sign_within_days"]
    for notice in Notice.objects.filter(
        state__in=[NoticeState.ISSUED, NoticeState.SIGNED, NoticeState.RETURNED]
    ).select_related("measure__task", "task", "organisation"):
        assert notice.issued_at is not None
        if notice.state == NoticeState.ISSUED and (
            timezone.localdate(notice.issued_at) + dt.timedelta(sign_days) < today
        ):
            reason, said = Reason.UNSIGNED, gettext_noop("%(notice)s（%(subject)s）逾期未签收")
        elif notice.reply_due is not None and notice.reply_due < today:
            reason, said = Reason.NO_REPLY, gettext_noop("%(notice)s（%(subject)s）逾期未反馈")
        else:
            continue
        text = texts.text(said, notice=notice.label_text, subject=notice.subject_text)
        org = notice.organisation_id
        _add(found, people.heads(org), Entry(reason, Rung.HEAD, text, notice_id=notice.pk))
        _add(found, people.leaders(org), Entry(reason, Rung.LEADER, text, notice_id=notice.pk))


def _late_assignments(today: dt.date, people: People, found: Found) -> None:
    """批示, 议定事项 and 协调事项 still open past their date → the unit's head (or the leader a
    请示 went to), once a day, like a late measure."""
    late = Assignment.objects.filter(state=AssignmentState.OPEN, due_on__lt=today)
    for a in late.select_related("owner"):
        assert a.due_on is not None
        text = texts.text(
            gettext_noop("%(kind)s：%(text)s（%(day)s 到期）逾期未反馈"),
            kind=label(AssignmentKind(a.kind).label),
            text=a.text[:40],
            day=f"{a.due_on:%Y-%m-%d}",
        )
        entry = Entry(REASON_OF[AssignmentKind(a.kind)], Rung.HEAD, text, assignment_id=a.pk)
        heads = [a.owner] if a.owner else people.heads(a.organisation_id or 0)
        _add(found, heads, entry)


def _risks_to_review(today: dt.date, people: People, found: Found) -> None:
    """An open risk past its review date (复核日期) → its owner: the login of the unit's 责任人
    record of that name, else the raising unit's head (the office for the office's own risks),
    once a day until it is reviewed (a new date set) or closed."""
    due = Risk.objects.filter(status=RiskStatus.OPEN, review_on__lt=today)
    for risk in due.select_related("task", "measure__task"):
        where = risk.measure.code if risk.measure else str(risk.task.number)
        text = texts.text(
            gettext_noop("风险（%(where)s）%(what)s：%(day)s 应复核，已逾期 %(n)s 天"),
            where=where,
            what=risk.description[:30],
            day=f"{risk.review_on:%Y-%m-%d}",
            n=(today - risk.review_on).days,
        )
        entry = Entry(Reason.RISK_REVIEW, Rung.HEAD, text, risk_id=risk.pk)
        org = risk.organisation_id
        owner = people.person(org, risk.owner) if org else None
        _add(found, [owner] if owner else people.heads(org) if org else people.office(), entry)


def _propose(
    flagged: list[tuple[int, str, int]], today: dt.date, people: People, found: Found
) -> int:
    """A proposed 督办单 for the flagged measures that have none open or proposed, at most
    `proposals_per_run` a day (a second run adds none), the longest overdue first: an office acts
    on a handful of 督办单 a week, not on every late item at once; the others stay with their
    分管领导 and come up on later days."""
    busy = set(
        Notice.objects.exclude(state__in=[NoticeState.CLOSED, NoticeState.DROPPED])
        .filter(measure_id__in=[m for m, _r, _d in flagged])
        .values_list("measure_id", flat=True)
    )
    waiting = sorted((f for f in flagged if f[0] not in busy), key=lambda f: (-f[2], f[0]))
    done_today = Notice.objects.filter(proposed_on=today).count()
    waiting = waiting[: max(0, settings.LUOSHI_ESCALATION["proposals_per_run"] - done_today)]
    made = 0
    measures = Measure.objects.in_bulk([m for m, _r, _d in waiting])
    for measure_id, reason, _days in waiting:
        measure = measures.get(measure_id)
        orgs = lead_organisation_ids(measure) if measure else []
        if not orgs:
            continue
        assert measure is not None
        notice = Notice.objects.create(
            state=NoticeState.PROPOSED,
            level="general",
            reason=reason,
            organisation_id=orgs[0],
            measure=measure,
            proposed_on=today,
        )
        NoticeEvent.objects.create(notice=notice, action=NoticeStep.PROPOSE, to_state=notice.state)
        text = texts.text(
            gettext_noop("举措 %(code)s：建议下发督办单（%(reason)s）"),
            code=measure.code,
            reason=label(Reason(reason).label),
        )
        _add(found, people.office(), Entry(reason, Rung.OFFICE, text, measure_id=measure.pk))
        made += 1
    return made


def _send(found: Found, today: dt.date) -> tuple[int, int]:
    """One digest per person with what they were not yet told today; returns (messages, urgings)."""
    messages = urgings = 0
    # what everyone was told today, in one read (not one per person: a national run has hundreds)
    told: dict[int, set[tuple[int | None, int | None, int | None, int | None, str]]]
    told = defaultdict(set)
    for person, measure, notice, assignment, risk, reason in Urging.objects.filter(
        day=today
    ).values_list("recipient_id", "measure_id", "notice_id", "assignment_id", "risk_id", "reason"):
        told[person].add((measure, notice, assignment, risk, reason))
    for user, entries in found.items():
        new = [e for key, e in entries.items() if key not in told[user.pk]]
        if not new:
            continue
        message = message_send(
            recipient=user,
            subject=texts.text(gettext_noop("催办提醒（%(n)s 项）"), n=len(new)),
            body=[e.text for e in new],
            link=reverse("supervision:messages"),
        )
        Urging.objects.bulk_create(
            [
                Urging(
                    measure_id=e.measure_id,
                    notice_id=e.notice_id,
                    assignment_id=e.assignment_id,
                    risk_id=e.risk_id,
                    reason=e.reason,
                    rung=e.rung,
                    detail=in_site_language(e.text)[:200],
                    detail_text=e.text.as_json(),
                    recipient=user,
                    day=today,
                    message=message,
                )
                for e in new
            ]
        )
        messages, urgings = messages + 1, urgings + len(new)
    return messages, urgings


def escalate(*, today: dt.date, deliver: bool = True) -> Outcome:
    """Run the ladder for `today`; idempotent per item, reason, person and day."""
    outcome = Outcome()
    started = timezone.now()
    people = People()
    found: Found = defaultdict(dict)
    with transaction.atomic():
        for plan in Plan.objects.filter(cycles__isnull=False).distinct():
            _silent(plan, today, people, found)
            flagged = _red(plan, today, people, found)
            outcome.proposals += _propose(flagged, today, people, found)
        _late_notices(today, people, found)
        _late_assignments(today, people, found)
        _risks_to_review(today, people, found)
        outcome.messages, outcome.urgings = _send(found, today)
        if outcome.messages or outcome.proposals:
            audit_record(
                actor=None,
                action=AuditAction.ESCALATION_RUN,
                detail={
                    "day": today.isoformat(),
                    "messages": outcome.messages,
                    "urgings": outcome.urgings,
                    "proposals": outcome.proposals,
                },
            )
    # Today's messages went out when the transaction committed; earlier failures are tried again.
    if deliver:
        outcome.sent, outcome.failed = deliver_pending(before=started)
    return outcome


@dataclass(frozen=True)
class Urged:
    """What became of one item (督办单 or 举措) picked for 催办: sent (to whom), or why not."""

    item_id: int
    item: Notice | Measure | None
    ok: bool
    message: str


UrgeOne = Callable[[int, People, set[tuple[int, int]], Found], Urged]


def _urge_picked(
    *,
    actor: User,
    action: AuditAction,
    field: str,
    picked: list[int],
    today: dt.date,
    one: UrgeOne,
) -> list[Urged]:
    """The office's 催办 of picked items, in the ladder's way: `one` decides each item's heads and
    text; an Urging (reason 其他, rung 单位负责人) under one digest message per person, at most once
    a day per item and person; one audited row per item reminded.

    The picked items are locked first, so a second submit of the same form (a double click, two
    tabs) waits for the first and then finds each item 今天已催办过, never a duplicate error."""
    started = timezone.now()
    people = People()
    found: Found = defaultdict(dict)
    with transaction.atomic():
        model = Notice if field == "notice_id" else Measure
        list(model.objects.select_for_update().filter(pk__in=picked).values_list("pk"))
        told = set(
            Urging.objects.filter(
                day=today, reason=Reason.OTHER, **{f"{field}__in": picked}
            ).values_list(field, "recipient_id")
        )
        results = [one(pk, people, told, found) for pk in picked]
        _send(found, today)
        for result in results:
            if result.ok:
                audit_record(
                    actor=actor, action=action, obj=result.item, detail={"message": result.message}
                )
    deliver_pending(before=started)
    return results


def _told_to(heads: list[User], pk: int, told: set[tuple[int, int]]) -> tuple[list[User], str]:
    """The heads not yet reminded of item `pk` today, and their names."""
    new = [u for u in heads if (pk, u.pk) not in told]
    return new, _("、").join(u.get_full_name() or u.get_username() for u in new)


def notices_urge(*, actor: User, notice_ids: list[int], today: dt.date) -> list[Urged]:
    """催办 now, picked from the 督办台账 by the office: each open 督办单's unit heads."""
    if not may_urge(actor):
        raise refuse(actor=actor, action=AuditAction.NOTICE_URGE, message=_("仅片区办可以催办"))
    picked = list(dict.fromkeys(notice_ids))
    notices = Notice.objects.select_related("measure__task", "task", "organisation").in_bulk(picked)

    def one(pk: int, people: People, told: set[tuple[int, int]], found: Found) -> Urged:
        return _urge_notice(notices.get(pk), pk, people, told, found)

    return _urge_picked(
        actor=actor,
        action=AuditAction.NOTICE_URGE,
        field="notice_id",
        picked=picked,
        today=today,
        one=one,
    )


def _urge_notice(
    notice: Notice | None, pk: int, people: People, told: set[tuple[int, int]], found: Found
) -> Urged:
    if notice is None:
        return Urged(pk, None, False, _("督办单不存在"))
    if notice.state not in OPEN_STATES:
        return Urged(
            pk, notice, False, _("%(state)s，无需催办") % {"state": notice.get_state_display()}
        )
    heads = people.heads(notice.organisation_id)
    if not heads:
        return Urged(pk, notice, False, _("承办单位没有负责人账号，无法催办"))
    new, names = _told_to(heads, pk, told)
    if not new:
        return Urged(pk, notice, False, _("今天已催办过"))
    wanted = gettext_noop("签收") if notice.state == NoticeState.ISSUED else gettext_noop("反馈")
    said = gettext_noop("%(label)s（%(subject)s）：片区办催办，请尽快%(wanted)s")
    if notice.reply_due:
        said = gettext_noop(
            "%(label)s（%(subject)s）：片区办催办，请尽快%(wanted)s，反馈期限 %(day)s"
        )
    text = texts.text(
        said,
        label=notice.label_text,
        subject=notice.subject_text,
        wanted=texts.text(wanted),
        day=f"{notice.reply_due:%Y-%m-%d}" if notice.reply_due else "",
    )
    _add(found, new, Entry(Reason.OTHER, Rung.HEAD, text, notice_id=pk))
    return Urged(pk, notice, True, _("已催办：%(names)s") % {"names": names})


def measures_urge(*, actor: User, measure_ids: list[int], today: dt.date) -> list[Urged]:
    """催办 now, picked from the measures list by the office: each unfinished measure's lead units'
    heads, through the same Urging rows and digest messages as the 督办单's."""
    if not may_urge(actor):
        raise refuse(actor=actor, action=AuditAction.REMINDER_SENT, message=_("仅片区办可以催办"))
    picked = list(dict.fromkeys(measure_ids))
    measures = Measure.objects.select_related("task__plan").in_bulk(picked)
    facts = {
        plan.pk: load_facts(plan, today)
        for plan in {m.task.plan_id: m.task.plan for m in measures.values()}.values()
    }

    def one(pk: int, people: People, told: set[tuple[int, int]], found: Found) -> Urged:
        measure = measures.get(pk)
        if measure is None:
            return Urged(pk, None, False, _("举措不存在"))
        fact = facts[measure.task.plan_id].measures[pk]
        if fact.done(today):
            return Urged(pk, measure, False, _("已落实，无需催办"))
        heads = list(dict.fromkeys(u for org in fact.leads for u in people.heads(org)))
        if not heads:
            return Urged(pk, measure, False, _("牵头单位没有负责人账号，无法催办"))
        new, names = _told_to(heads, pk, told)
        if not new:
            return Urged(pk, measure, False, _("今天已催办过"))
        said = gettext_noop("举措 %(code)s：片区办催办，请尽快推进落实并报送进展")
        if fact.due_date:
            said = gettext_noop(
                "举措 %(code)s：片区办催办，请尽快推进落实并报送进展，完成时限 %(day)s"
            )
        day = f"{fact.due_date:%Y-%m-%d}" if fact.due_date else ""
        text = texts.text(said, code=fact.code, day=day)
        _add(found, new, Entry(Reason.OTHER, Rung.HEAD, text, measure_id=pk))
        return Urged(pk, measure, True, _("已催办：%(names)s") % {"names": names})

    return _urge_picked(
        actor=actor,
        action=AuditAction.REMINDER_SENT,
        field="measure_id",
        picked=picked,
        today=today,
        one=one,
    )


def tasks_urge(*, actor: User, task_ids: list[int], today: dt.date) -> list[Urged]:
    """催办 picked from the task list: each picked task's measures, as if ticked on the measures
    list (one result per measure; implemented ones are told, not reminded)."""
    if not may_urge(actor):
        raise refuse(actor=actor, action=AuditAction.REMINDER_SENT, message=_("仅片区办可以催办"))
    measures = Measure.objects.filter(task_id__in=task_ids).order_by("task__number", "number")
    ids = list(measures.values_list("pk", flat=True))
    return measures_urge(actor=actor, measure_ids=ids, today=today)
