"""我的任务 and the review desk keep what they read until the next write (metrics/cache.py): a write
anywhere shows on the next request, and one viewer's page is never another's."""

from __future__ import annotations

import pytest

from tests.conftest import client_for, open_july_cycle

pytestmark = pytest.mark.django_db


def test_my_tasks_show_a_write_made_after_they_were_kept(people, imported_plan):
    reporter = client_for(people.market_reporter)
    before = reporter.get("/my/").content.decode()
    assert "当前没有开放的填报周期" in before and "填报" not in before.split("本周期应报")[1]

    open_july_cycle(imported_plan, people.office)  # a write: the cycle opens
    after = reporter.get("/my/").content.decode()
    assert "当前填报周期：2021年07月" in after and "无变化，沿用上期" in after


def test_my_tasks_are_kept_per_viewer(people, imported_plan, market_measure):
    """Task 10's measure is led by 市市场监管局 alone: on its reporter's page, not on 岳阳海关's."""
    row = f"#measure-{market_measure.pk}"
    assert row in client_for(people.market_reporter).get("/my/").content.decode()
    assert row not in client_for(people.customs_reporter).get("/my/").content.decode()
    assert row in client_for(people.market_reporter).get("/my/").content.decode()


def test_the_review_desk_shows_a_write_made_after_it_was_kept(people, imported_plan):
    office = client_for(people.office)
    before = office.get(f"/review/?plan={imported_plan.pk}").content.decode()
    assert "2021年07月" not in before
    open_july_cycle(imported_plan, people.office)
    after = office.get(f"/review/?plan={imported_plan.pk}").content.decode()
    assert "2021年07月（07-01–07-31，" in after
