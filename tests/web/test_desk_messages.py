"""The review desk says what each action did and its counters follow, whether the row acts in place
(htmx) or the page posts and comes back (no script)."""

from __future__ import annotations

import pytest

from luoshi.progress.workflow import Action
from tests.conftest import ONCE, client_for
from tests.web.test_no_error_pages import prepared

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]


@pytest.mark.parametrize("via", ["page", "htmx"])
@pytest.mark.parametrize("action", ["accept", "return"])
def test_every_desk_action_says_what_it_did_and_the_counter_follows(
    people, cycle, market_measure, action, via
):
    report = prepared(people, cycle, market_measure, "approved")
    office = client_for(people.office)
    assert "待验收 1 份" in office.get("/review/").content.decode()
    body = {"action": action, "version": report.version, "reason": "请补充数据", "next": "/review/"}
    headers = {"HX-Request": "true"} if via == "htmx" else {}
    answer = office.post(
        f"/reports/{report.pk}/action/", body, headers=headers, follow=via == "page"
    )
    text = answer.content.decode()
    label = str(Action(action).label)
    assert answer.status_code == 200
    if via == "htmx":
        assert f"已{label}：{market_measure.code}" in text
        assert 'id="desk-counts" aria-live="polite" hx-swap-oob="true"' in text
    else:
        assert answer.redirect_chain[-1][0] == "/review/"
        assert f"操作成功：{label}" in text
    assert "待验收 0 份" in text


def test_the_desks_other_actions_each_leave_a_message(people, cycle):
    office = client_for(people.office)
    reminded = office.post("/review/remind/", follow=True).content.decode()
    assert 'class="success"' in reminded
    refused = office.post(
        "/review/cycles/", {"starts_on": "2021-10-31", "ends_on": "2021-10-01"}, follow=True
    ).content.decode()
    assert 'class="error"' in refused
    nothing = office.post("/review/bulk/", {"action": "accept"}, follow=True).content.decode()
    assert "请先勾选要办理的报告" in nothing


def test_carry_forward_from_two_clients_makes_one_report_and_tells_the_second(
    people, cycle, market_measure, imported_plan
):
    from luoshi.progress.models import Report
    from luoshi.progress.services import cycle_open_month

    prepared(people, cycle, market_measure, "submitted")
    july = cycle_open_month(plan=imported_plan, year=2021, month=7, actor=people.office)
    url = f"/measures/{market_measure.pk}/report/"
    confirm = {"cycle": july.pk, "carry_forward": "1", "confirm": "1"}
    first, second = client_for(people.market_reporter), client_for(people.market_head)
    assert first.post(url, confirm).status_code == 302  # both saw the preview; the first confirms
    page = second.post(url, confirm, follow=True)
    carried = Report.objects.get(cycle=july)
    assert page.redirect_chain[-1][0] == f"/reports/{carried.pk}/"
    assert "当前状态：已提交" in page.content.decode()
    api = second.post(
        f"/api/measures/{market_measure.pk}/carry-forward",
        {"cycle_id": july.pk},
        content_type="application/json",
    )
    assert api.status_code == 409
    assert Report.objects.filter(cycle=july).count() == 1 and carried.events.count() == 2
