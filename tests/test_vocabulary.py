"""One vocabulary: the enums `ingest` keeps free of Django stay equal to the stored choices, every
audit action the code can write is in the registry, and every state, kind and colour has a label."""

from __future__ import annotations

import pytest
from django.db import models

from luoshi.audit.actions import AuditAction
from luoshi.ingest import model as ingest
from luoshi.metrics.kpi import KpiColour
from luoshi.metrics.lights import Colour
from luoshi.plans import models as plans
from luoshi.progress.workflow import Action

# ingest is pure Python (no Django), so plans declares the same values again as TextChoices.
COPIES = [
    (ingest.Duty, plans.Duty),
    (ingest.UnitSource, plans.UnitSource),
    (ingest.DueKind, plans.DueKind),
    (ingest.TargetKind, plans.TargetKind),
    (ingest.PlanTargetKind, plans.PlanTargetKind),
]


@pytest.mark.parametrize(("parsed", "stored"), COPIES, ids=lambda e: e.__name__)
def test_the_parser_and_the_database_use_the_same_values(parsed, stored):
    assert {m.name: m.value for m in parsed} == {m.name: m.value for m in stored}


def test_every_workflow_step_and_export_kind_has_an_audit_action():
    for action in Action:
        assert AuditAction.report_transition(action).label
    for kind in ("ledger", "opendata", "briefing", "workplan"):
        assert AuditAction.export_of(kind).label


def test_an_unknown_audit_action_cannot_be_written(db):
    from luoshi.audit.services import audit_record

    with pytest.raises(ValueError):
        audit_record(actor=None, action="made_up")  # type: ignore[arg-type]


def _choices() -> list[type[models.Choices]]:
    found: list[type[models.Choices]] = [Action, Colour, KpiColour, AuditAction]
    for model in plans.__dict__.values():
        if isinstance(model, type) and issubclass(model, models.Choices):
            found.append(model)
    return found


@pytest.mark.parametrize("choices", _choices(), ids=lambda c: c.__name__)
def test_every_choice_has_a_chinese_label(choices):
    for member in choices:
        label = str(member.label)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in label), f"{choices.__name__}.{member.name}"
