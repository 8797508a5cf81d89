"""`make run`'s demo database: the plan, demo accounts and a true-to-life reporting history."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from luoshi.plans.models import Measure, Plan
from luoshi.progress.models import Report, ReportEvent, ReportingCycle
from luoshi.progress.selectors import implemented_on
from tests.conftest import shared_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bootstrapped(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    """The demo database, built once for the module (bootstrap writes years of history); each test
    reads it in a savepoint. Yields what bootstrap printed. DEBUG: bootstrap refuses production."""
    printed = io.StringIO()
    with shared_world(django_db_blocker, DEBUG=True, DATA_DIR=tmp_path_factory.mktemp("demo")):
        call_command("bootstrap", stdout=printed)
        yield printed.getvalue()


def test_bootstrap_prints_logins_and_is_idempotent(bootstrapped, capsys):
    assert "administrator      admin / " in bootstrapped
    assert (
        "scjg-tb / " in bootstrapped and "hg-sh / " in bootstrapped and "rmyh-tb / " in bootstrapped
    )
    assert "demo history:" in bootstrapped
    counts = (Plan.objects.count(), ReportingCycle.objects.count(), Report.objects.count())
    call_command("bootstrap")
    again = capsys.readouterr().out
    assert "already present" in again and "demo history" not in again
    assert (Plan.objects.count(), ReportingCycle.objects.count(), Report.objects.count()) == counts
    password = bootstrapped.split("scjg-tb / ")[1].split()[0]
    assert f"scjg-tb / {password}" in again  # the same credentials, not new ones


def test_the_history_looks_like_real_life(bootstrapped):
    cycles = ReportingCycle.objects.order_by("starts_on")
    assert cycles.count() == 34 and cycles[0].starts_on == dt.date(2021, 3, 1)
    assert list(cycles.values_list("status", flat=True)).count("open") == 1
    assert (
        Report.objects.filter(return_count=1).exists()
        and Report.objects.filter(return_count=2).exists()
    )
    assert ReportEvent.objects.filter(action="return").exclude(comment="").exists()
    late = Report.objects.filter(
        submitted_at__date__gt=dt.date(2021, 3, 31), cycle__starts_on=dt.date(2021, 3, 1)
    )
    assert late.exists()
    first = cycles.first()
    assert (
        Report.objects.filter(cycle=first).count() < Measure.objects.count()
    )  # some reports missing
    done = implemented_on(Measure.objects.all())
    by_2021 = sum(1 for d in done.values() if d <= dt.date(2021, 12, 31))
    assert 0.3 < by_2021 / 240 < 0.8
    assert len(done) < 240  # a few measures never got there


def test_every_unit_has_named_a_responsible_person_for_every_measure(bootstrapped):
    from luoshi.accounts.models import Person, ResponsiblePerson
    from luoshi.plans.models import Responsibility

    duties = set(
        Responsibility.objects.filter(measure__isnull=False).values_list(
            "measure_id", "organisation_id"
        )
    )
    named = set(ResponsiblePerson.objects.values_list("measure_id", "organisation_id"))
    assert duties == named
    assert not Person.objects.filter(office_phone="").exists()
    assert Person.objects.get(user__username="scjg-tb").organisation.name == "市市场监管局"


def test_the_demo_has_approved_work_plans_with_milestones_and_risks(bootstrapped):
    from luoshi.risks.models import Risk
    from luoshi.workplans.models import Milestone, WorkPlan

    plans = WorkPlan.objects.filter(year=2023)
    assert plans.count() > 10 and set(plans.values_list("state", flat=True)) == {"approved"}
    milestones = Milestone.objects.filter(work_plan__in=plans)
    assert milestones.filter(met_on__isnull=False).exists()
    assert milestones.filter(met_on__isnull=True).exists()
    assert Risk.objects.filter(level="high", closed_on__isnull=True).count() == 2
