"""A task's page lists each measure's latest reports only (the same work after years of monthly
reports), says how many there are as of the day shown, and links to the measure's whole history
on the report list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from luoshi.plans.models import Measure
from luoshi.web.views.tasks import HISTORY
from tests.metrics.history import report

pytestmark = pytest.mark.django_db


def test_a_task_page_lists_the_latest_reports_and_links_to_all_of_them(imported_plan, people):
    measure = Measure.objects.get(task__plan=imported_plan, task__number=10)
    months = [dt.date(2021 + (m // 12), 1 + m % 12, 10) for m in range(HISTORY + 10)]
    for on in months:
        report(measure, on, status="in_progress")
    client = Client()
    client.force_login(people.office)

    page = client.get(f"/tasks/{measure.task_id}/?as_of=2022-06-30").content.decode()
    section = page.split(f'id="measure-{measure.pk}"')[1].split("</section>")[0]
    shown = [on for on in months if on <= dt.date(2022, 6, 30)]  # 18 cycles started by then
    assert f"进展报告（{len(shown)}）" in section
    assert section.count('href="/reports/') == HISTORY + 1  # the latest ones, and the whole list
    assert "2022年6月" in section and "2021年6月" not in section  # the oldest ones left out
    assert "以上为最近 12 份" in section
    whole = f"/reports/?plan={imported_plan.pk}&amp;measure={measure.pk}"
    assert whole in section

    listed = client.get(whole.replace("&amp;", "&") + "&size=100").content.decode()
    assert f"共 {len(months)} 份报告" in listed  # every cycle's, not only those shown
    assert "举措 10.1" in listed

    few = client.get(f"/tasks/{measure.task_id}/?as_of=2021-06-30").content.decode()
    section = few.split(f'id="measure-{measure.pk}"')[1].split("</section>")[0]
    assert "进展报告（6）" in section and "以上为最近" not in section
