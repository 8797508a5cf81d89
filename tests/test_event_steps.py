"""Event steps are enumerated once, with labels, and kept equal to their neighbours."""

from __future__ import annotations

from luoshi.audit.actions import AuditAction
from luoshi.progress.models import ReportStep
from luoshi.progress.workflow import Action
from luoshi.supervision.models import NoticeStep


def test_report_event_steps_name_every_workflow_action_alike():
    # The workflow's actions are recorded as report events: the two lists must not drift apart.
    assert {a.value: str(a.label) for a in Action} == {
        s.value: str(s.label) for s in ReportStep if s != ReportStep.DRAFT
    }


def test_every_notice_step_but_the_proposal_has_its_audit_action():
    # each step's audit row is notice_<step>; a proposal is audited by the escalation run
    unaudited = {s for s in NoticeStep if f"notice_{s.value}" not in AuditAction.values}
    assert unaudited == {NoticeStep.PROPOSE}


def test_every_report_step_has_its_audit_action():
    assert all(f"report_{s.value}" in AuditAction.values for s in ReportStep)
