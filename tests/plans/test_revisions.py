"""Revisions: the 修订对照表 names exactly what a new version changes; confirmed, the new version takes
over from its effective date with the progress of the measures it keeps, and figures as of an
earlier date stay as they were."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from luoshi.ingest import parse_bytes
from luoshi.metrics.facts import PlanFacts, load_facts
from luoshi.metrics.rates import task_rate
from luoshi.paperwork.revision_table import revision_docx
from luoshi.plans.models import Measure, Plan, Programme
from luoshi.plans.revisions import plan_diff
from luoshi.plans.selectors import version_on
from luoshi.plans.services import plan_import, plan_put_in_force
from luoshi.progress.models import Report
from luoshi.progress.selectors import implemented_on
from luoshi.versions.services import plan_revise
from tests.metrics.history import report
from tests.paperwork.test_documents import official_layout
from tests.plans.revision import EXPECTED, revised_text

pytestmark = pytest.mark.django_db

BEFORE = dt.date(2021, 6, 30)  # a day before the revision takes effect
EFFECTIVE = dt.date(2021, 7, 1)


def facts_on(programme: Programme, day: dt.date) -> PlanFacts:
    """The facts (as of today) of the version that applies on `day`."""
    plan = version_on(programme, day)
    assert plan is not None, f"no version of {programme} applies on {day}"
    return load_facts(plan)


def named(diff: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    return {
        (section, e["level"], e["code"], kind)
        for section in ("added", "removed", "changed")
        for e in diff[section]
        for kind in e["kinds"]
    }


def test_the_diff_names_exactly_what_the_revision_changes(imported_plan):
    diff = plan_diff(imported_plan, parse_bytes(revised_text().encode(), "final.txt"))
    assert named(diff.as_dict()) == EXPECTED
    reworded = next(e for e in diff.changed if e.code == "2.1")
    assert reworded.old and reworded.new and "并完善" in reworded.new.text
    assert "并完善" not in reworded.old.text and 0.9 < reworded.similarity < 1
    moved = next(e for e in diff.changed if e.code == "11")
    assert moved.old and moved.old.code == "12" and moved.new and moved.new.text == moved.old.text


def test_the_office_can_correct_a_proposed_match(imported_plan):
    parsed = parse_bytes(revised_text().encode(), "final.txt")
    diff: dict[str, Any] = plan_diff(imported_plan, parsed, forced={"2.3": "3.3"}).as_dict()
    assert not diff["added"] and not diff["removed"]
    corrected = next(e for e in diff["changed"] if e["code"] == "2.3")
    assert corrected["old_code"] == "3.3" and "moved" in corrected["kinds"]
    unmatched: dict[str, Any] = plan_diff(imported_plan, parsed, forced={"2.1": None}).as_dict()
    assert {("added", "2.1"), ("removed", "2.1")} <= {
        (s, e["code"]) for s in ("added", "removed") for e in unmatched[s]
    }


def test_the_command_prints_the_diff_as_json_and_a_dry_run_stores_nothing(imported_plan, tmp_path):
    path = tmp_path / "final.txt"
    path.write_text(revised_text(), encoding="utf-8")
    out = io.StringIO()
    args = ["import_plan", str(path), "--revises", str(imported_plan.pk), "--format", "json"]
    call_command(*args, "--dry-run", stdout=out)
    assert named(json.loads(out.getvalue())[0]) == EXPECTED
    assert Plan.objects.count() == 1
    call_command(*args, stdout=io.StringIO())
    new = Plan.objects.exclude(pk=imported_plan.pk).get()
    assert new.programme == imported_plan.programme and new.revises == imported_plan
    assert new.programme.in_force == imported_plan  # stored, but not in force


def test_confirmed_the_revision_carries_progress_over_and_keeps_the_past(imported_plan, people):
    old = imported_plan
    kept = Measure.objects.get(task__plan=old, task__number=2, number=1)  # reworded
    removed = Measure.objects.get(task__plan=old, task__number=3, number=3)
    done = [
        Measure.objects.get(task__plan=old, task__number=10, number=1),  # task 10, unchanged
        Measure.objects.get(task__plan=old, task__number=12, number=1),  # renumbered to 11
    ]
    for measure in [kept, removed, *done]:
        report(measure, dt.date(2021, 5, 20), accepted=True, status="completed")
    rate_before = task_rate(facts_on(old.programme, BEFORE), BEFORE)

    parsed = parse_bytes(revised_text().encode(), "final.txt")
    new = plan_import(parsed=parsed, revises=old, actor=people.office).plan
    plan_put_in_force(plan=new, actor=people.office, effective_from=EFFECTIVE)

    assert version_on(old.programme, BEFORE) == old and version_on(old.programme, EFFECTIVE) == new
    assert task_rate(facts_on(old.programme, BEFORE), BEFORE) == rate_before
    carried = Measure.objects.get(task__plan=new, task__number=2, number=1)
    renumbered = Measure.objects.get(task__plan=new, task__number=11, number=1)
    assert carried.carried_from == kept and renumbered.carried_from == done[1]
    found = implemented_on(Measure.objects.filter(task__plan=new))
    assert found[carried.pk] == found[renumbered.pk] == dt.date(2021, 5, 20)
    # surviving tasks keep their state: the same tasks implemented on both sides, by title
    old_facts, new_facts = load_facts(old), load_facts(new)
    today = dt.date(2021, 8, 1)
    implemented = {
        t.title for t in old_facts.tasks if t.implemented_on and t.implemented_on <= today
    }
    assert implemented == {
        t.title for t in new_facts.tasks if t.implemented_on and t.implemented_on <= today
    }
    # the removed measure stays readable with its report
    assert Report.objects.filter(measure=removed).count() == 1
    assert not Measure.objects.filter(task__plan=new, carried_from=removed).exists()


def test_the_revision_table_is_an_official_document_naming_each_change(imported_plan):
    parsed = parse_bytes(revised_text().encode(), "final.txt")
    new = plan_revise(parsed=parsed, revises=imported_plan).plan
    document = official_layout(revision_docx(new))
    (grid,) = document.tables
    assert [c.text for c in grid.rows[0].cells] == ["原文", "修改后", "修改类型"]
    assert len(grid.rows) == 1 + len(EXPECTED)  # one row per change the diff names
    reworded = next(r for r in grid.rows if "并完善" in r.cells[1].text)
    assert "并完善" not in reworded.cells[0].text and reworded.cells[2].text == "文字修改"
