"""A report cannot contradict itself; one that contradicts its measure's deadline or its own earlier
report is flagged to the head and the office before they approve or accept it. Rules are settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError

from luoshi.plans.models import Measure
from luoshi.progress.consistency import report_flags
from luoshi.progress.services import cycle_open_month, report_draft, report_transition
from tests.conftest import ONCE, client_for

if TYPE_CHECKING:
    from types import SimpleNamespace

    from luoshi.progress.models import Report, ReportingCycle

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]


def _contradicting_draft(
    people: SimpleNamespace,
    cycle: ReportingCycle,
    measure: Measure,
    status: str = "completed",
    percent: int = 60,
) -> Report:
    """A draft may contradict itself (nothing typed is refused); its submission may not."""
    return report_draft(
        measure=measure,
        cycle=cycle,
        actor=people.market_reporter,
        progress_status=status,
        percent=percent,
        work_done="已完成系统建设",
    )


def test_completed_means_one_hundred_percent(people, cycle, market_measure):
    draft = _contradicting_draft(people, cycle, market_measure)
    assert (draft.state, draft.percent) == ("draft", 60)  # kept as typed
    with pytest.raises(ValidationError) as refused:
        report_transition(report=draft, action="submit", actor=people.market_reporter)
    assert refused.value.message_dict == {"percent": ["进展为“已完成”时完成比例应为 100%"]}
    submitted = client_for(people.market_reporter).post(
        f"/api/reports/{draft.pk}/transitions",
        {"action": "submit", "version": draft.version},
        content_type="application/json",
    )
    assert submitted.status_code == 422 and "100%" in submitted.content.decode()


def test_mechanism_in_place_only_closes_an_ongoing_measure(people, cycle, market_measure):
    draft = _contradicting_draft(people, cycle, market_measure, "ongoing_in_place", 100)
    with pytest.raises(ValidationError, match="仅适用于持续推进的举措"):
        report_transition(report=draft, action="submit", actor=people.market_reporter)
    ongoing = Measure.objects.filter(
        task__due_kind="ongoing",
        deadline_text="",
        responsibilities__organisation__name="市市场监管局",
        responsibilities__role="lead",
    ).first()
    assert ongoing is not None
    report = _contradicting_draft(people, cycle, ongoing, "ongoing_in_place", 100)
    report_transition(report=report, action="submit", actor=people.market_reporter)
    assert report.progress_status == "ongoing_in_place"


def test_the_rules_are_settings(people, cycle, market_measure, settings):
    settings.LUOSHI_REPORT_RULES = {**settings.LUOSHI_REPORT_RULES, "completed_is_100": False}
    report = _contradicting_draft(people, cycle, market_measure)
    report_transition(report=report, action="submit", actor=people.market_reporter)
    assert report.percent == 60


def test_a_report_against_its_deadline_or_its_earlier_report_is_flagged(
    people, cycle, market_measure
):
    june = report_draft(
        measure=market_measure,
        cycle=cycle,
        actor=people.market_reporter,
        progress_status="in_progress",
        percent=80,
        work_done="平台试运行",
    )
    for action, actor in (("submit", people.market_reporter), ("approve", people.market_head)):
        june = report_transition(report=june, action=action, actor=actor)
    july_cycle = cycle_open_month(plan=cycle.plan, year=2021, month=9, actor=people.office)
    later = report_draft(
        measure=market_measure,
        cycle=july_cycle,
        actor=people.market_reporter,
        progress_status="in_progress",
        percent=50,
        work_done="平台调整中",
    )
    later = report_transition(report=later, action="submit", actor=people.market_reporter)
    flags = report_flags(later)
    assert flags[0].startswith("已超过完成时限（2021-08-31）")
    assert flags[1] == "完成比例由上期（2021年06月）80% 降为 50%"
    # The head sees the flags in the queue and on the report before approving it …
    head = client_for(people.market_head)
    for page in ("/my/", f"/reports/{later.pk}/"):
        text = head.get(page).content.decode()
        assert "需核实" in text and "完成比例由上期（2021年06月）80% 降为 50%" in text, page
    # … the reporter is not told (the flags are for the reviewers) …
    assert (
        "需核实"
        not in client_for(people.market_reporter).get(f"/reports/{later.pk}/").content.decode()
    )
    # … and the office on the review desk and the report before accepting it.
    later = report_transition(report=later, action="approve", actor=people.market_head)
    office = client_for(people.office)
    for page in ("/review/", f"/reports/{later.pk}/"):
        text = office.get(page).content.decode()
        assert "已超过完成时限（2021-08-31）" in text and "降为 50%" in text, page
