"""A revision carries over more than reports: responsible persons, cases, evaluations, indicator
values and links; a carried measure's lights and history look through the measures it revises; and
nothing of the earlier version changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from luoshi.accounts.models import Membership, ResponsiblePerson, Role
from luoshi.accounts.services import responsible_person_set
from luoshi.audit.models import AuditEvent
from luoshi.cases.models import CaseLevel, Evaluation, InnovationCase
from luoshi.cases.services import case_attach, case_create
from luoshi.ingest import parse_bytes
from luoshi.metrics.facts import load_facts
from luoshi.metrics.lights import lights_as_of
from luoshi.metrics.models import IndicatorOwner, Observation
from luoshi.metrics.rates import task_rate
from luoshi.plans.models import Duty, Indicator, Measure, Organisation, Task
from luoshi.plans.services import plan_put_in_force
from luoshi.progress.evidence import storage_dir
from luoshi.progress.models import ReportingCycle
from luoshi.progress.reminders import reminders_for
from luoshi.progress.selectors import expected_reports, filed_in, workbench
from luoshi.versions.services import plan_revise
from tests.conftest import ONCE, PDF, client_for
from tests.metrics.history import cycle, report
from tests.plans.revision import revised_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]

EFFECTIVE = dt.date(2021, 7, 1)


def _revise(old, office):
    parsed = parse_bytes(revised_text().encode(), "final.txt")
    new = plan_revise(parsed=parsed, revises=old, actor=office).plan
    return plan_put_in_force(plan=new, actor=office, effective_from=EFFECTIVE)


def _measure(plan, task, number):
    return Measure.objects.get(task__plan=plan, task__number=task, number=number)


def test_a_revision_carries_persons_cases_evaluations_and_indicator_values(imported_plan, people):
    old = imported_plan
    m83 = _measure(old, 83, 1)
    responsible_person_set(measure=m83, person=people.market_reporter, actor=people.market_head)
    ten, twelve = (Task.objects.get(plan=old, number=n) for n in (10, 12))
    Evaluation.objects.create(
        plan=old, task=ten, kind="third_party", evaluator="第三方", evaluated_on=dt.date(2021, 5, 1),
        score=Decimal("88.5"), recorded_by=people.office,
    )  # fmt: skip
    case = InnovationCase.objects.create(
        plan=old, title="一枚印章管审批", organisation=Organisation.objects.get(name="市市场监管局"),
        level="provincial", stage="submitted", submitted_on=dt.date(2021, 5, 2),
        created_by=people.office,
    )  # fmt: skip
    case.tasks.set([ten, twelve])
    indicator = Indicator.objects.filter(plan=old).order_by("position").first()
    assert indicator is not None
    IndicatorOwner.objects.create(
        indicator=indicator, organisation=Organisation.objects.get(name="市市场监管局")
    )
    first = Observation.objects.create(
        indicator=indicator, year=2020, value=Decimal("10"), entered_by=people.office
    )
    Observation.objects.create(
        indicator=indicator, year=2020, value=Decimal("11"), corrects=first,
        entered_by=people.office,
    )  # fmt: skip

    new = _revise(old, people.office)

    carried = _measure(new, 83, 1)
    assert ResponsiblePerson.objects.get(measure=carried).person.user == people.market_reporter
    new_ten, new_eleven = (Task.objects.get(plan=new, number=n) for n in (10, 11))
    assert new_ten.evaluations.get().score == Decimal("88.5")
    copy = InnovationCase.objects.get(plan=new)
    assert copy.title == case.title and set(copy.tasks.all()) == {new_ten, new_eleven}
    same = Indicator.objects.get(plan=new, name=indicator.name)
    assert same.owner.organisation.name == "市市场监管局"
    values = list(Observation.objects.filter(indicator=same).order_by("entered_at", "pk"))
    assert [v.value for v in values] == [Decimal("10"), Decimal("11")]
    assert values[1].corrects == values[0]
    # the earlier version keeps its own: nothing moved away from it
    assert InnovationCase.objects.get(plan=old).tasks.count() == 2
    assert ten.evaluations.count() == 1 and indicator.observations.count() == 2
    assert ResponsiblePerson.objects.filter(measure=m83).exists()
    detail = AuditEvent.objects.get(action="plan_carry_over").detail
    assert detail["responsible_people"] == 1 and detail["cases"] == 1
    assert detail["evaluations"] == 1 and detail["indicator_values"] == 2


def test_a_carried_measure_is_not_missing_from_cycles_its_predecessor_reported(
    imported_plan, people
):
    old = imported_plan
    for month in (4, 5, 6):  # three monthly cycles, the measure reported in each under the old plan
        report(_measure(old, 83, 1), dt.date(2021, month, 10))
    rate_before = task_rate(load_facts(old, dt.date(2021, 6, 30)), dt.date(2021, 6, 30))
    new = _revise(old, people.office)
    july = cycle(old, 2021, 7)  # the programme's cycle, after the revision took effect
    report(_measure(old, 83, 1), dt.date(2021, 7, 10))  # sent under the old measure in July

    day = dt.date(2021, 8, 5)
    facts = load_facts(new, day)
    carried, fresh = _measure(new, 83, 1), _measure(new, 83, 2)
    lights = lights_as_of(facts, day)
    assert not any("未报送" in r for r in lights[carried.pk].reasons)
    assert any("未报送" in r for r in lights[fresh.pk].reasons)  # never reported: it is flagged
    assert carried.pk in filed_in(july) and fresh.pk not in filed_in(july)
    assert expected_reports(july).filter(task__plan=new).count() == expected_reports(july).count()
    assert ReportingCycle.objects.filter(plan=new).count() == 0  # cycles stay the programme's
    assert task_rate(load_facts(old, dt.date(2021, 6, 30)), dt.date(2021, 6, 30)) == rate_before


def test_the_task_page_shows_the_predecessors_reports_marked(imported_plan, people, client):
    old = imported_plan
    report(_measure(old, 83, 1), dt.date(2021, 5, 10))
    new = _revise(old, people.office)
    task = Task.objects.get(plan=new, number=83)
    client.force_login(people.leader)
    page = client.get(f"/tasks/{task.pk}/?as_of=2021-08-01").content.decode()
    assert "原版本进展报告（1，修订沿用）" in page
    assert f"原举措 83.1（{old.title}）" in page
    earlier = client.get(f"/tasks/{task.pk}/?as_of=2021-04-30").content.decode()
    assert "原版本进展报告" not in earlier  # the history as it stood on the date shown


def test_reminders_count_what_was_sent_or_implemented_under_the_predecessor(imported_plan, people):
    old = imported_plan
    done_before = _measure(old, 10, 1)
    report(done_before, dt.date(2021, 5, 10), accepted=True, status="completed")
    new = _revise(old, people.office)
    july = cycle(old, 2021, 7)
    report(_measure(old, 83, 1), dt.date(2021, 7, 10))  # sent under the old measure in July

    due = {
        int(i.key.split(":")[1])
        for items in reminders_for(today=dt.date(2021, 8, 5), days=3).values()
        for i in items
        if i.key.endswith(f":{july.pk}")
    }
    carried, implemented = _measure(new, 83, 1), _measure(new, 10, 1)
    assert carried.carried_from == _measure(old, 83, 1)
    assert implemented.carried_from == done_before
    assert carried.pk not in due and implemented.pk not in due
    assert _measure(new, 83, 2).pk in due  # never reported: reminded
    # the same measures as the cycle's own definition, for every lead unit with a reporter
    reporting = set(
        Membership.objects.filter(role=Role.REPORTER, user__is_active=True).values_list(
            "organisation_id", flat=True
        )
    )
    filed = filed_in(july)
    expected = {
        m.pk
        for m in expected_reports(july)
        if m.pk not in filed
        and m.responsibilities.filter(role=Duty.LEAD, organisation__in=reporting).exists()
    }
    assert due == expected


def test_my_tasks_show_a_measure_reported_by_its_predecessor_in_the_cycle(
    imported_plan, people, client
):
    """A revision confirmed mid-cycle: the measure reported under the earlier version is reported
    for that cycle on the reporter's 我的任务, and a measure nobody reported still offers 填报."""
    old = imported_plan
    today = timezone.localdate()
    month = cycle(old, today.year, today.month)  # open, the revision is confirmed during it
    market = Organisation.objects.get(name="市市场监管局")
    led = Measure.objects.filter(
        task__plan=old, responsibilities__organisation=market, responsibilities__role=Duty.LEAD
    ).order_by("task__number", "number")
    sent, unsent = led[0], led[1]
    earlier = report(sent, today)
    parsed = parse_bytes(revised_text().encode(), "final.txt")
    new = plan_put_in_force(
        plan=plan_revise(parsed=parsed, revises=old, actor=people.office).plan,
        actor=people.office,
    )
    carried = Measure.objects.get(carried_from=sent, task__plan=new)

    found = workbench(people.market_reporter, today=today, remind_days=3)
    (group,) = found.groups
    assert group.plan == new and group.cycle == month
    rows = {row.measure.pk: row for row in group.due}
    assert rows[carried.pk].report == earlier
    assert rows[Measure.objects.get(carried_from=unsent).pk].report is None
    client.force_login(people.market_reporter)
    page = client.get("/my/").content.decode()
    assert f'href="/reports/{earlier.pk}/"' in page


def test_a_carried_case_reads_the_same_stored_attachment(imported_plan, people, settings, tmp_path):
    """The revision's case lists the earlier case's file and serves it from the one stored copy,
    checked against its digest: tampering with that copy fails both reads."""
    settings.LUOSHI_EVIDENCE_DIR = tmp_path
    old = imported_plan
    case = case_create(
        actor=people.office, tasks=[Task.objects.get(plan=old, number=10)], plan=old,
        title="一窗通办", level=CaseLevel.PROVINCE,
        organisation=Organisation.objects.get(name="市市场监管局"),
    )  # fmt: skip
    attachment = case_attach(
        case=case, upload=SimpleUploadedFile("做法.pdf", PDF), name="做法.pdf", actor=people.office
    )
    new = _revise(old, people.office)

    copy = InnovationCase.objects.get(plan=new)
    (shared,) = copy.attachments.all()
    assert shared.pk != attachment.pk and shared.original_name == "做法.pdf"
    assert (shared.stored_name, shared.sha256) == (attachment.stored_name, attachment.sha256)
    assert shared.uploaded_at == attachment.uploaded_at
    assert len(list((storage_dir() / "cases").rglob("*"))) == 2  # one folder, one file: no copy
    office = client_for(people.office)
    assert f"/cases/files/{shared.pk}/" in office.get(f"/cases/{copy.pk}/").content.decode()
    assert office.get(f"/cases/files/{shared.pk}/").content == PDF
    path = storage_dir() / "cases" / shared.stored_name[:2] / shared.stored_name
    path.write_bytes(PDF.replace(b"1.4", b"1.7"))
    assert office.get(f"/cases/files/{shared.pk}/").status_code == 409
    assert office.get(f"/cases/files/{attachment.pk}/").status_code == 409
