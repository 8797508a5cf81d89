"""What people see never changes by accident: an import is neither in force nor public until the office
chooses it (with a confirmation, audited); pages name the plan they show; /my/ groups by plan; a
measure is only ever reported under a cycle of its own programme."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.audit.models import AuditEvent
from luoshi.ingest import parse_bytes
from luoshi.plans.models import Measure, Plan, PlanStatus
from luoshi.plans.selectors import plans_in_force, public_plans, version_on
from luoshi.plans.services import plan_import, plan_put_in_force
from luoshi.progress.services import cycle_open_month, report_draft
from tests.conftest import client_for
from tests.metrics.history import report
from tests.variants import bundled_text

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def final_version() -> bytes:
    """The bundled draft as its final version would arrive: the same text without 征求意见稿."""
    return bundled_text().replace("(征求意见稿)", "", 1).encode()


def seen(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return CSRF.sub("", response.content.decode())


@pytest.fixture
def running(imported_plan, people, cycle, market_measure):
    """The bundled plan in force and public, with one task implemented and a draft in the open cycle."""
    report(market_measure, dt.date(2021, 5, 20), accepted=True, status="completed")
    other = Measure.objects.get(task__plan=imported_plan, task__number=83, number=1)
    report_draft(measure=other, cycle=cycle, actor=people.market_reporter)
    return imported_plan


def views_of(people) -> dict[str, str]:
    clients = {
        "leader": client_for(people.leader),
        "office": client_for(people.office),
        "market_reporter": client_for(people.market_reporter),
        "customs_head": client_for(people.customs_head),
    }
    found = {f"{name}:/dashboard/": seen(c, "/dashboard/") for name, c in clients.items()}
    found |= {f"{n}:/my/": seen(clients[n], "/my/") for n in ("market_reporter", "customs_head")}
    found |= {f"{n}:/tasks/": seen(c, "/tasks/") for n, c in clients.items()}
    anonymous = client_for(people.leader)
    anonymous.logout()
    found["public"] = seen(anonymous, "/public/")
    found["open-data"] = seen(anonymous, "/open-data/tasks.json")
    return found


@pytest.mark.parametrize("as_revision", [False, True])
def test_an_import_changes_nothing_anybody_sees(running, people, as_revision):
    before = views_of(people)
    assert "1.1%" in before["public"] and running.title in before["leader:/dashboard/"]
    result = plan_import(
        parsed=parse_bytes(final_version(), "final.txt"),
        actor=people.office,
        revises=running if as_revision else None,
    )
    assert result.created and result.plan.status == PlanStatus.FINAL
    assert (result.plan.programme == running.programme) is as_revision
    assert views_of(people) == before
    assert list(plans_in_force()) == [running] and list(public_plans()) == [running]


def test_the_first_import_is_not_in_force_or_public_until_the_office_says_so(db, client):
    plan = plan_import(parsed=parse_bytes(final_version(), "final.txt")).plan
    assert not plans_in_force().exists() and not public_plans().exists()
    anonymous = client
    assert plan.title not in seen(anonymous, "/public/")
    assert anonymous.get("/open-data/tasks.json").status_code == 404


def test_the_office_chooses_the_version_in_force_after_a_confirmation(running, people):
    new = plan_import(
        parsed=parse_bytes(final_version(), "final.txt"), actor=people.office, revises=running
    ).plan
    office = client_for(people.office)
    asked = office.post(f"/plans/{new.pk}/choose/", {"action": "in_force"})
    assert asked.status_code == 200 and "确认后" in asked.content.decode()
    assert list(plans_in_force()) == [running]  # nothing changed before the confirmation
    office.post(
        f"/plans/{new.pk}/choose/",
        {"action": "in_force", "confirm": "1", "effective_from": "2021-07-01"},
    )
    assert list(plans_in_force()) == [new] and list(public_plans()) == [running]
    event = AuditEvent.objects.filter(action="plan_in_force").latest("pk")
    assert event.user == people.office and event.detail["before"] == running.pk
    # which version applies on a date: the old one before the effective date, the new one after
    assert version_on(new.programme, dt.date(2021, 6, 30)) == running
    assert version_on(new.programme, dt.date(2021, 7, 1)) == new
    office.post(f"/plans/{new.pk}/choose/", {"action": "public", "confirm": "1"})
    anonymous = client_for(people.leader)
    anonymous.logout()
    assert new.title in seen(anonymous, "/public/") and list(public_plans()) == [new]


def test_only_the_office_chooses_and_a_refusal_is_audited(running, people):
    refused = client_for(people.leader).post(
        f"/plans/{running.pk}/choose/", {"action": "repeal", "confirm": "1"}
    )
    assert refused.status_code == 403
    assert AuditEvent.objects.filter(action="access", outcome="refused").exists()
    assert Plan.objects.get(pk=running.pk).status != PlanStatus.REPEALED


def test_a_repealed_version_stays_readable_but_cannot_be_put_in_force(running, people):
    office = client_for(people.office)
    office.post(f"/plans/{running.pk}/choose/", {"action": "repeal", "confirm": "1"})
    running.refresh_from_db()
    assert running.status == PlanStatus.REPEALED and not plans_in_force().exists()
    with pytest.raises(ValidationError):
        plan_put_in_force(plan=running, actor=people.office)
    assert "已废止" in seen(office, f"/tasks/?plan={running.pk}")


def test_every_page_names_the_plan_it_shows_and_users_switch_explicitly(running, people):
    other = plan_import(parsed=parse_bytes(final_version(), "final.txt")).plan
    plan_put_in_force(plan=other, actor=people.office)
    reporter = client_for(people.market_reporter)
    for url in ("/dashboard/", "/tasks/", "/timeline/", "/kpis/", "/documents/"):
        page = seen(reporter, url)
        shown = page[page.index('id="plan-shown"') :][:600]
        assert running.title in shown and f"?plan={other.pk}" in shown, url
    page = seen(reporter, f"/dashboard/?plan={other.pk}")
    shown = page[page.index('id="plan-shown"') :][:600]
    assert other.title in shown and f"?plan={running.pk}" in shown
    assert other.title in seen(reporter, "/tasks/")[:20000]  # the choice is remembered


def test_my_tasks_groups_by_plan_each_under_its_own_cycle(running, people, cycle):
    other = plan_import(parsed=parse_bytes(final_version(), "final.txt")).plan
    plan_put_in_force(plan=other, actor=people.office)
    page = seen(client_for(people.market_reporter), "/my/")
    groups = re.findall(r'<section class="plan-group" id="plan-(\d+)"', page)
    assert groups == [str(running.pk), str(other.pk)]
    second = page[page.index(f'id="plan-{other.pk}"') :]
    assert "当前没有开放的填报周期" in second and f'value="{cycle.pk}"' not in second
    measure = Measure.objects.get(task__plan=other, task__number=83, number=2)
    with pytest.raises(ValidationError, match="另一个方案"):
        report_draft(measure=measure, cycle=cycle, actor=people.market_reporter)


def test_my_tasks_reads_a_number_of_queries_that_does_not_grow_with_the_plans(running, people):
    """A unit on dozens of plans (the national benchmark: 50) must not cost a set of queries per
    plan: one plan or two plans in force, the same count."""
    head = client_for(people.market_head)
    seen(head, "/my/")  # the first request fills per-process caches

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            seen(head, "/my/")
        return len(queries)

    one = count()
    other = plan_import(parsed=parse_bytes(final_version(), "final.txt")).plan
    plan_put_in_force(plan=other, actor=people.office)
    page = seen(head, "/my/")
    assert f'id="plan-{other.pk}"' in page  # both plans shown
    assert count() == one


def test_my_tasks_over_many_plans_shows_one_plan_at_a_time(running, people, cycle, monkeypatch):
    """Past SHOWN_TOGETHER plans (lowered here to one), /my/ shows the plan chosen in the heading,
    with only that plan's measures, drafts and reminders; ?plan= switches like on every page."""
    monkeypatch.setattr("luoshi.web.views.workbench.SHOWN_TOGETHER", 1)
    other = plan_import(parsed=parse_bytes(final_version(), "final.txt")).plan
    plan_put_in_force(plan=other, actor=people.office)
    reporter = client_for(people.market_reporter)
    page = seen(reporter, "/my/")
    assert re.findall(r'<section class="plan-group" id="plan-(\d+)"', page) == [str(running.pk)]
    assert "逐个方案查看" in page and f'href="?plan={other.pk}"' in page
    draft = Measure.objects.get(task__plan=running, task__number=83, number=1)
    assert f"举措 {draft.code}</a>" in page  # the running plan's draft
    page = seen(reporter, f"/my/?plan={other.pk}")
    assert re.findall(r'<section class="plan-group" id="plan-(\d+)"', page) == [str(other.pk)]
    assert f"举措 {draft.code}</a>" not in page and "当前没有开放的填报周期" in page
    assert re.findall(r'<section class="plan-group" id="plan-(\d+)"', seen(reporter, "/my/")) == [
        str(other.pk)
    ]  # the choice is remembered, as on every page


def test_a_revision_reports_in_its_programmes_cycles(running, people, cycle):
    new = plan_import(
        parsed=parse_bytes(final_version(), "final.txt"), actor=people.office, revises=running
    ).plan
    plan_put_in_force(plan=new, actor=people.office, effective_from=dt.date(2021, 6, 1))
    measure = Measure.objects.get(task__plan=new, task__number=83, number=2)
    assert report_draft(measure=measure, cycle=cycle, actor=people.market_reporter).pk
    with pytest.raises(ValidationError, match="已有"):
        cycle_open_month(plan=new, year=2021, month=6, actor=people.office)
