"""The Gantt view: per measure, the months under way to its deadline, the approved milestones and
the date its schedule says it will be done, as of a day — for a unit (a department opens on its
own) and for the whole plan; reached from the calendar."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import client_for


@pytest.mark.django_db
def test_the_plans_gantt_as_of_a_day(scheduled, people):
    page = client_for(people.leader).get("/gantt/?year=2021&as_of=2021-06-01").content.decode()
    assert f'id="gantt-{scheduled.pk}"' in page
    row = page.split(f'id="gantt-{scheduled.pk}"')[1].split("</tr>")[0]
    cells = row.split('<td class="g-cell')[1:]
    assert [" g-bar" in c.split(">")[0] for c in cells] == [False] * 3 + [True] * 5 + [False] * 4
    assert "2021-04-30 细则印发 已过期未完成" in cells[3]  # missed by 6-01
    assert "2021-08-31 落实时限" in cells[7]
    assert "2021-09-01 按节点计划预计完成" in cells[8]  # pushed back by the late 节点
    before = client_for(people.leader).get("/gantt/?year=2021&as_of=2021-03-09").content.decode()
    assert "细则印发" not in before  # not yet approved on that day


@pytest.mark.django_db(transaction=True)
def test_a_unit_opens_its_own_gantt_from_the_calendar(open_page, live_server, scheduled, people):
    head = open_page(people.market_head)
    head.set_default_timeout(60000)
    head.goto(f"{live_server.url}/calendar/?year=2021&as_of=2021-06-01")
    head.click("#to-gantt")
    expect(head.locator("h1")).to_contain_text("市市场监管局")
    row = head.locator(f"#gantt-{scheduled.pk}")
    expect(row).to_contain_text("●30")
    expect(row.locator(".g-milestone.bad")).to_have_count(1)
    expect(row.locator(".g-deadline")).to_contain_text("◆31")
    head.select_option("#g-unit", "")  # the whole plan
    head.click("#gantt-filters button")
    expect(head.locator("h1")).not_to_contain_text("市市场监管局")
    expect(head.locator("#gantt tbody tr")).not_to_have_count(1)
