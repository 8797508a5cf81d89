"""The API tells what the pages tell: programmes with their versions (status, in force, public,
effective date), a revision's lineage, linked plans and the roll-up as of a date."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.ingest import parse_bytes
from luoshi.plans.models import Measure, Task
from luoshi.versions.services import plan_link, plan_revise
from tests.conftest import client_for
from tests.metrics.history import report
from tests.plans.revision import revised_text
from tests.versions.links import CONFIRMED_ON, confirm_on, import_parent

pytestmark = pytest.mark.django_db


def test_programmes_and_plans_say_which_version_is_in_force_and_public(imported_plan, people):
    new = plan_revise(
        parsed=parse_bytes(revised_text().encode(), "final.txt"),
        revises=imported_plan,
        actor=people.office,
    ).plan
    api = client_for(people.province)
    (programme,) = api.get("/api/programmes").json()
    assert programme["in_force_id"] == programme["public_id"] == imported_plan.pk
    assert [(v["id"], v["status"], v["revises_id"]) for v in programme["versions"]] == [
        (imported_plan.pk, "draft", None),
        (new.pk, "final", imported_plan.pk),
    ]
    plans = {p["id"]: p for p in api.get("/api/plans").json()}
    assert plans[imported_plan.pk]["in_force"] and plans[imported_plan.pk]["public"]
    assert not plans[new.pk]["in_force"] and not plans[new.pk]["public"]
    lineage = api.get(f"/api/plans/{new.pk}/lineage").json()
    measures = {m["code"]: m["carried_from_id"] for m in lineage["measures"]}
    old = Measure.objects.get(task__plan=imported_plan, task__number=12, number=1)
    assert measures["11.1"] == old.pk and measures["2.3"] is None  # renumbered; added
    assert lineage["revises_id"] == imported_plan.pk


def test_links_and_the_rollup_as_of_a_date(imported_plan, people):
    parent = import_parent()
    link = plan_link(plan=imported_plan, parent=parent, actor=people.office)
    child_ten = Task.objects.get(plan=imported_plan, number=10)
    confirm_on(
        CONFIRMED_ON,
        link=link,
        choices={child_ten.pk: Task.objects.get(plan=parent, number=10).pk},
        actor=people.office,
    )
    for measure in child_ten.measures.all():
        report(measure, dt.date(2021, 5, 20), accepted=True, status="completed")
    api = client_for(people.leader)
    links = api.get(f"/api/plans/{imported_plan.pk}/links").json()
    (up,) = links["implements"]
    assert up["parent_id"] == parent.pk and not links["implemented_by"]
    confirmed = [x for x in up["task_links"] if x["state"] == "confirmed"]
    assert [x["task_id"] for x in confirmed] == [child_ten.pk]  # the rest stay proposals
    after = api.get(f"/api/plans/{parent.pk}/rollup?as_of=2021-06-01").json()
    row = next(r for r in after["rows"] if r["number"] == 10)
    assert row["linked"][0]["done"] and row["linked"][0]["task_id"] == child_ten.pk
    assert after["children"][0]["plan_id"] == imported_plan.pk
    before = api.get(f"/api/plans/{parent.pk}/rollup?as_of=2021-05-19").json()
    assert not next(r for r in before["rows"] if r["number"] == 10)["linked"][0]["done"]
    assert api.get(f"/api/plans/{parent.pk}/rollup?as_of=1800-01-01").status_code == 422
    assert client_for(people.auditor).get("/api/programmes").status_code == 403
