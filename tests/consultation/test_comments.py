"""征求意见: the office opens a period on the draft; the public comments per task and measure (limits,
challenge, escaping); the office moderates, groups duplicates and answers; answers are published
after the period; the 意见采纳情况表 lists them."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from luoshi.audit.models import AuditEvent
from luoshi.consultation.models import Comment, Moderation
from luoshi.consultation.services import (
    comment_answer,
    comment_moderate,
    comment_submit,
    period_open,
)
from luoshi.plans.models import Measure
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

OPEN = dt.datetime(2021, 2, 1, 10, tzinfo=dt.UTC)


@pytest.fixture
def period(imported_plan, people):
    return period_open(
        plan=imported_plan,
        opens_on=dt.date(2021, 1, 20),
        closes_on=dt.date(2099, 2, 20),
        actor=people.office,
        name_required=True,
    )


def answered(page) -> dict[str, str]:
    """The page's question answered, as a person fills the form in."""
    html = page.content.decode()
    a, b = map(int, re.search(r'class="challenge">(\d+) \+ (\d+) = \?', html).groups())  # type: ignore[union-attr]
    token = re.search(r'name="challenge_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    return {"challenge": str(a + b), "challenge_token": token}


def post_comment(client: Client, period, **fields):
    page = client.get(f"/consultation/{period.pk}/public/")
    data = answered(page) | {"name": "李明"} | fields
    return page, client.post(f"/consultation/{period.pk}/comment/", data)


def test_the_public_comments_on_a_measure_of_the_draft(period, imported_plan, client):
    measure = Measure.objects.get(task__plan=imported_plan, task__number=2, number=1)
    page, sent = post_comment(
        client, period, measure=str(measure.pk), text="<script>alert(1)</script>建议增加评估"
    )
    html = page.content.decode()
    assert page.status_code == 200 and html.count('class="stack comment-form"') == 1 + 88 + 240
    assert sent.status_code == 302
    comment = Comment.objects.get()
    assert (comment.measure, comment.moderation, comment.name) == (measure, "pending", "李明")
    office = client_for(period.opened_by)
    listing = office.get(f"/consultation/{period.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing and "<script>alert" not in listing


def test_a_wrong_challenge_or_a_missing_name_keeps_the_typed_text(period, client):
    client.get(f"/consultation/{period.pk}/public/")
    wrong = client.post(
        f"/consultation/{period.pk}/comment/", {"challenge": "999", "text": "我的意见全文"}
    )
    assert wrong.status_code == 200 and "验证答案不正确" in wrong.content.decode()
    assert "我的意见全文" in wrong.content.decode() and not Comment.objects.exists()
    _, unnamed = post_comment(client, period, name="", text="没有署名的意见")
    assert "请填写姓名" in unnamed.content.decode() and "没有署名的意见" in unnamed.content.decode()
    assert not Comment.objects.exists()
    assert AuditEvent.objects.filter(action="comment_submit", outcome="refused").exists()


def test_the_draft_opens_without_a_session_and_each_page_s_answer_counts_once(period, client):
    """Reading the draft writes nothing (no session row, no cookie: a flood of readers takes no
    write lock); two tabs each ask their own question; an answer sent again is refused, the text
    kept."""
    from django.contrib.sessions.models import Session

    sessions = Session.objects.count()
    first, second = (client.get(f"/consultation/{period.pk}/public/") for _ in range(2))
    assert Session.objects.count() == sessions and "sessionid" not in first.cookies
    url = f"/consultation/{period.pk}/comment/"
    older = answered(first) | {"name": "李明", "text": "第一个标签页的意见"}
    assert (
        client.post(url, answered(second) | {"name": "李明", "text": "第二个"}).status_code == 302
    )
    assert client.post(url, older).status_code == 302  # the tab opened first still answers
    again = client.post(url, older)
    assert again.status_code == 200 and "这道验证题已用于提交意见" in again.content.decode()
    assert "第一个标签页的意见" in again.content.decode()
    assert Comment.objects.count() == 2
    refused = AuditEvent.objects.filter(action="comment_submit", outcome="refused")
    assert [e.detail for e in refused] == [{"challenge": "这道验证题已用于提交意见，请重新计算"}]


def test_limits_length_rate_and_dates(period, settings):
    settings.LUOSHI_COMMENTS_PER_HOUR = 2
    with pytest.raises(ValidationError, match="1–1000"):
        comment_submit(period=period, text="长" * 1001, name="甲", address="1.1.1.1", now=OPEN)
    for _ in range(2):
        comment_submit(period=period, text="意见", name="甲", address="1.1.1.1", now=OPEN)
    with pytest.raises(ValidationError, match="频繁"):
        comment_submit(period=period, text="意见", name="甲", address="1.1.1.1", now=OPEN)
    later = OPEN + dt.timedelta(hours=2)
    assert comment_submit(period=period, text="意见", name="甲", address="1.1.1.1", now=later)
    early = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(ValidationError, match="尚未开始"):
        comment_submit(period=period, text="意见", name="甲", address="2.2.2.2", now=early)


def test_the_office_moderates_groups_answers_and_the_table_lists_it(period, people, client):
    first, same, spam = (
        comment_submit(period=period, text=t, name="甲", address=a, now=OPEN)
        for t, a in (("建议延长时限", "1.1.1.1"), ("时限太紧", "2.2.2.2"), ("广告", "3.3.3.3"))
    )
    with pytest.raises(PermissionDenied):
        comment_moderate(comment=first, actor=people.leader, accept=True)
    comment_moderate(comment=first, actor=people.office, accept=True)
    comment_moderate(comment=same, actor=people.office, accept=True, duplicate_of=first)
    comment_moderate(comment=spam, actor=people.office, accept=False)
    with pytest.raises(ValidationError, match="理由"):
        comment_answer(comment=first, actor=people.office, answer="partly", reason="")
    comment_answer(
        comment=first, actor=people.office, answer="partly", reason="延长至10月", change_code="4"
    )
    # not published while the period is open
    assert "延长至10月" not in client.get(f"/consultation/{period.pk}/public/").content.decode()
    period.closes_on = dt.date(2021, 2, 20)
    period.save()
    public = client.get(f"/consultation/{period.pk}/public/").content.decode()
    assert "延长至10月" in public and "部分采纳" in public and "广告" not in public
    assert "征求意见已截止" in public and 'class="stack comment-form"' not in public
    office = client_for(people.office)
    book = openpyxl.load_workbook(
        io.BytesIO(office.get(f"/consultation/{period.pk}/table.xlsx").content)
    )
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1:] == [("1", "全文", "建议延长时限", "甲", "1", "部分采纳", "延长至10月", "4")]
    document = docx.Document(
        io.BytesIO(office.get(f"/consultation/{period.pk}/table.docx").content)
    )
    cells = [c.text for c in document.tables[0].rows[1].cells]
    assert cells[2] == "建议延长时限" and cells[5] == "部分采纳"
    assert Comment.objects.get(pk=spam.pk).moderation == Moderation.REJECTED


def test_a_comment_written_as_a_formula_stays_text_in_the_table(monkeypatch):
    from luoshi.consultation import tables

    hostile = '=HYPERLINK("http://example.invalid","点此")'
    monkeypatch.setattr(tables, "adoption_rows", lambda period: [["1", "全文", hostile]])
    sheet = openpyxl.load_workbook(io.BytesIO(tables.adoption_xlsx(None))).worksheets[0]  # type: ignore[arg-type]
    cell = sheet["C2"]
    assert (cell.value, cell.data_type) == (hostile, "s")
