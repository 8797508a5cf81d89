"""Pages read like one product: words instead of codes, laggards first, a scores page that opens on
a period with events, lights with text, the matrix with 牵头/配合 marks."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.audit.models import AuditEvent
from luoshi.plans.models import Measure
from luoshi.progress.services import report_draft, report_transition
from tests.conftest import ONCE, client_for
from tests.metrics.history import report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]


def test_the_audit_log_and_the_report_trail_use_words(people, cycle, market_measure):
    draft = report_draft(
        measure=market_measure, cycle=cycle, actor=people.market_reporter, work_done="推进中"
    )
    report_transition(report=draft, action="submit", actor=people.market_reporter)
    trail = client_for(people.market_head).get(f"/reports/{draft.pk}/").content.decode()
    assert "· 提交" in trail and "· submit" not in trail
    audit = client_for(people.auditor).get("/audit/?action=report_submit").content.decode()
    assert "提交进展报告" in audit and "成功" in audit and ">report_submit<" not in audit
    assert AuditEvent.objects.filter(action="report_submit").exists()


def test_the_matrix_marks_lead_and_support_in_words(people, imported_plan):
    page = client_for(people.leader).get("/matrix/").content.decode()
    assert 'title="牵头">牵</abbr>' in page and 'title="配合">配</abbr>' in page
    assert ">L<" not in page and ">S<" not in page


def test_the_dashboard_ranking_shows_laggards_first_and_all_on_request(people, imported_plan):
    measure = Measure.objects.get(task__plan=imported_plan, task__number=10)
    report(measure, dt.date(2021, 6, 10), accepted=True, status="completed")
    leader = client_for(people.leader)
    page = leader.get("/dashboard/?as_of=2021-07-01")
    rows = page.context["ranking"]
    assert len(rows) == 12
    rates = [r.as_lead.percent for _, r in rows]
    assert rates == sorted(rates)  # lowest first
    assert "市市场监管局" not in [r.name for _, r in rows]  # the one unit with progress
    everyone = leader.get("/dashboard/?as_of=2021-07-01&ranking=all").context["ranking"]
    assert len(everyone) == page.context["ranking_total"] > 12
    assert everyone[-1][0] == 1 and everyone[-1][1].name == "市市场监管局"


def test_scores_open_on_the_last_year_with_events_and_say_so(people, imported_plan):
    measure = Measure.objects.get(task__plan=imported_plan, task__number=10)
    report(measure, dt.date(2021, 6, 10), accepted=True, status="completed")
    office = client_for(people.office)
    page = office.get("/scores/")  # today: a year without events
    text = page.content.decode()
    assert page.context["start"] == dt.date(2021, 1, 1)
    assert "年尚无计分事件，显示最近有事件的 2021 年" in text
    empty = office.get("/scores/?start=2019-01-01&as_of=2019-12-31").content.decode()
    assert "所选期间没有计分事件" in empty


def test_every_light_has_words(people, imported_plan):
    page = client_for(people.leader).get("/tasks/").content.decode()
    lights = page.count('<span class="light ')
    assert lights >= 20 and page.count('role="img" aria-label="红灯"') > 0
    assert lights == sum(
        page.count(f'role="img" aria-label="{w}"') for w in ("红灯", "黄灯", "绿灯")
    )


def test_every_page_has_a_favicon(client, people):
    page = client.get("/public/").content.decode()
    assert '<link rel="icon" href="/static/web/favicon.svg"' in page
