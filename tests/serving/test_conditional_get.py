"""Conditional GET on the API: an unchanged list answers 304 with no body; a write changes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import ONCE, client_for, open_july_cycle

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]


def test_unchanged_list_is_not_sent_again(client, people, imported_plan):
    client.force_login(people.leader)
    first = client.get("/api/cycles")
    assert first.status_code == 200 and first["ETag"]

    again = client.get("/api/cycles", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""

    open_july_cycle(imported_plan, people.office)  # a write to the plan
    changed = client.get("/api/cycles", headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert len(changed.json()) == len(first.json()) + 1


def test_a_304_is_answered_before_rendering(client, people, imported_plan):
    """The ETag comes from the write stamp, the viewer, the day and the query, so a revalidation
    runs none of the figures' queries: only the session's and the viewer's own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people.leader)
    path = f"/api/metrics/status?plan={imported_plan.pk}&as_of=2021-06-30"
    with CaptureQueriesContext(connection) as rendered:
        first = client.get(path)
    assert first.status_code == 200 and first["ETag"].startswith('W/"')
    with CaptureQueriesContext(connection) as revalidated:
        again = client.get(path, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    tables = " ".join(q["sql"] for q in revalidated.captured_queries)
    assert "plans_" not in tables and "progress_" not in tables and "metrics_" not in tables
    assert len(revalidated) < len(rendered), (len(revalidated), len(rendered))


def test_the_etag_is_the_viewers_own_and_changes_with_the_query(client, people, imported_plan):
    client.force_login(people.leader)
    tag = client.get("/api/cycles")["ETag"]
    assert client.get("/api/cycles?plan=1")["ETag"] != tag
    client.force_login(people.office)  # another viewer, another scope: rendered for them
    other = client.get("/api/cycles", headers={"if-none-match": tag})
    assert other.status_code == 200 and other["ETag"] != tag


def test_an_audited_read_is_never_answered_early(client, people):
    client.force_login(people.auditor)
    first = client.get("/api/audit")
    assert first.status_code == 200
    tag = first.get("ETag", "")
    again = client.get("/api/audit", headers={"if-none-match": tag or '"x"'})
    assert again.status_code in (200, 304)
    assert not tag.startswith('W/"')  # the trail's own content hash, not the early tag


def tagged(client, path: str) -> tuple[str, Any]:
    """A first answer's ETag and body."""
    first = client.get(path)
    assert first.status_code == 200, first.content
    return first["ETag"], first.json()


def test_a_draft_and_a_notice_reply_change_the_lists_they_show_in(
    client, people, imported_plan, cycle, market_measure
):
    """Writes that change no figure (a report draft, a 督办单 reply) still change the early ETag of
    the lists and details that show them: never a 304 for an answer that changed."""
    from luoshi.progress.services import report_draft, report_update
    from luoshi.supervision.services import notice_issue, notice_reply, notice_sign

    reporter = client_for(people.market_reporter)
    tag, reports = tagged(reporter, "/api/reports")
    report = report_draft(
        measure=market_measure, cycle=cycle, actor=people.market_reporter, work_done="起草"
    )
    after = reporter.get("/api/reports", headers={"if-none-match": tag})
    assert after.status_code == 200 and len(after.json()) == len(reports) + 1
    tag = after["ETag"]
    report_update(
        report=report, actor=people.market_reporter, version=report.version, work_done="改稿"
    )
    edited = reporter.get("/api/reports", headers={"if-none-match": tag})
    assert edited.status_code == 200 and "改稿" in str(edited.json())

    notice = notice_issue(
        actor=people.office,
        level="general",
        reason="overdue",
        requirement="抓紧办理",
        reply_due=dt.date.today() + dt.timedelta(days=7),
        organisation=people.market_reporter.membership.organisation,
        measure=market_measure,
    )
    notice_sign(notice=notice, actor=people.market_head)
    office = client_for(people.office)
    paths = ["/api/supervision/notices", f"/api/supervision/notices/{notice.pk}"]
    tags = [tagged(office, path)[0] for path in paths]
    notice_reply(notice=notice, actor=people.market_head, text="已办理完毕", files=[])
    for path, old in zip(paths, tags, strict=True):
        again = office.get(path, headers={"if-none-match": old})
        assert again.status_code == 200 and again["ETag"] != old, path
    assert "已办理完毕" in office.get(paths[1]).json()["reply"]


def test_a_renamed_author_shows_at_once_and_a_sign_in_keeps_the_304(
    client, people, cycle, market_measure
):
    """auth_user writes count as writes (a rename shows in reports' histories; is_active and
    is_superuser change a viewer's scope), except a sign-in's last-login note, which changes no
    answer."""
    from django.contrib.auth.models import update_last_login

    from luoshi.progress.services import report_draft

    report = report_draft(
        measure=market_measure, cycle=cycle, actor=people.market_reporter, work_done="起草"
    )
    reporter = client_for(people.market_reporter)  # a draft is its unit's only
    path = f"/api/reports/{report.pk}"
    tag, _ = tagged(reporter, path)
    update_last_login(type(people.market_head), people.market_head)  # someone signs in
    assert reporter.get(path, headers={"if-none-match": tag}).status_code == 304

    people.market_reporter.username = "market-reporter-renamed"
    people.market_reporter.save()
    renamed = reporter.get(path, headers={"if-none-match": tag})
    assert renamed.status_code == 200 and "market-reporter-renamed" in str(renamed.json())


def test_a_viewer_made_superuser_is_not_answered_from_their_old_scope(client, people):
    """A role change on the user row (is_superuser: no workflow role) must not leave the old
    answer's ETag valid for the same viewer."""
    leader = client_for(people.leader)
    tag, _ = tagged(leader, "/api/cycles")
    people.leader.is_superuser = True
    people.leader.save(update_fields=["is_superuser"])
    again = leader.get("/api/cycles", headers={"if-none-match": tag})
    assert again.status_code != 304


def test_a_repeated_read_is_answered_from_the_kept_body_until_a_write(
    client, people, imported_plan
):
    """Without If-None-Match too: the rendered bytes are kept under the early ETag, so a repeat runs
    none of the view's queries; a write changes the tag and the next read is rendered afresh."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    leader = client_for(people.leader)
    first = leader.get("/api/cycles")
    with CaptureQueriesContext(connection) as repeated:
        again = leader.get("/api/cycles")
    assert again.status_code == 200 and again.content == first.content
    assert again["ETag"] == first["ETag"] and again["Content-Type"] == first["Content-Type"]
    assert "progress_" not in " ".join(q["sql"] for q in repeated.captured_queries)

    open_july_cycle(imported_plan, people.office)  # a write to the plan
    fresh = leader.get("/api/cycles")
    assert fresh["ETag"] != first["ETag"] and len(fresh.json()) == len(first.json()) + 1
