"""A plan's life in a real browser: import the bundled draft → open comments → comments from the portal
→ answers → 意见采纳情况表 → import the final version as a revision → the diff names exactly what
changed → confirm → reports carried over, 落实率 unchanged for the surviving tasks."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from luoshi.accounts.models import Role
from luoshi.accounts.services import membership_set
from luoshi.consultation.models import Comment, CommentPeriod
from luoshi.metrics.facts import load_facts
from luoshi.plans.models import Measure, Plan
from luoshi.progress.selectors import implemented_on
from tests.conftest import PASSWORD
from tests.metrics.history import report
from tests.plans.revision import EXPECTED, revised_text
from tests.variants import BUNDLED

pytestmark = pytest.mark.django_db(transaction=True)


def choose(page, plan: Plan, action: str) -> None:
    row = page.locator(f"#plans tr[data-plan='{plan.pk}']")
    row.locator("select[name=action]").select_option(action)
    with page.expect_navigation():
        row.get_by_role("button", name="下一步").click()
    expect(page.locator("#choose-consequences")).to_contain_text(plan.title)
    with page.expect_navigation():
        page.click("#confirm-choice")


def implemented_titles(plan: Plan, day: dt.date) -> set[str]:
    return {
        t.title
        for t in load_facts(plan).tasks
        if t.implemented_on is not None and t.implemented_on <= day
    }


def test_draft_comments_answers_revision_and_progress_carried_over(
    open_page, live_server, tmp_path, settings
):
    settings.DATA_DIR = tmp_path
    user = User.objects.create_user("office", "office@example.gov.cn", PASSWORD)
    membership_set(user=user, role=Role.OFFICE, organisation=None, actor=None)
    office = open_page(user)
    office.set_default_timeout(60000)  # storing the whole plan takes seconds on a busy machine
    today = timezone.localdate()

    # import the bundled draft; it is neither in force nor public until the office says so
    office.goto(live_server.url + "/plans/")
    office.set_input_files("#plan-file", str(BUNDLED))
    with office.expect_navigation():
        office.click("button:has-text('预览')")
    with office.expect_navigation():
        office.click("button:has-text('确认导入')")
    draft = Plan.objects.get()
    expect(office.locator(f"#plans tr[data-plan='{draft.pk}']")).to_contain_text("未生效、未公开")
    choose(office, draft, "in_force")
    choose(office, draft, "public")
    expect(office.locator(f"#plans tr[data-plan='{draft.pk}']")).to_contain_text("公开版本")

    # open comments on it
    office.goto(live_server.url + "/consultation/")
    office.fill("#opens-on", today.isoformat())
    office.fill("#closes-on", (today + dt.timedelta(days=30)).isoformat())
    with office.expect_navigation():
        office.click("button:has-text('开启')")
    period = CommentPeriod.objects.get()

    # two similar comments from the public on measure 2.1
    public = open_page()
    public.set_default_timeout(60000)
    for text in ("建议完善公平竞争审查制度", "公平竞争审查制度应当完善"):
        public.goto(f"{live_server.url}/consultation/{period.pk}/public/")
        item = public.locator("li[id='measure-2.1']")
        item.locator("summary").click()
        item.locator("textarea").fill(text)
        a, b = map(int, re.findall(r"\d+", item.locator(".challenge").inner_text()))
        item.locator("input[name=challenge]").fill(str(a + b))
        with public.expect_navigation():
            item.get_by_role("button", name="提交意见").click()
        expect(public.locator(".messages")).to_contain_text("意见已提交")
    first, second = Comment.objects.order_by("pk")

    # the office accepts one, groups the other under it, and answers
    office.goto(f"{live_server.url}/consultation/{period.pk}/")
    with office.expect_navigation():
        office.locator(f"#c{first.pk}").get_by_role("button", name="受理", exact=True).click()
    card = office.locator(f"#c{second.pk}")
    card.locator("select[name=duplicate_of]").select_option(str(first.pk))
    with office.expect_navigation():
        card.get_by_role("button", name="归并", exact=True).click()
    card = office.locator(f"#c{first.pk}")
    card.locator("select[name=answer]").select_option("adopted")
    card.locator("input[name=change_code]").fill("2.1")
    card.locator("textarea[name=reason]").fill("已在正式稿中修改")
    with office.expect_navigation():
        card.get_by_role("button", name="保存答复").click()
    with office.expect_download() as download:
        office.click("#adoption-xlsx")
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][1:] == (
        "2.1",
        "建议完善公平竞争审查制度",
        "匿名",
        "1",
        "采纳",
        "已在正式稿中修改",
        "2.1",
    )

    # once the period is over, the answers are public
    CommentPeriod.objects.filter(pk=period.pk).update(
        opens_on=today - dt.timedelta(days=2), closes_on=today - dt.timedelta(days=1)
    )
    public.goto(f"{live_server.url}/consultation/{period.pk}/public/")
    expect(public.locator("#answers")).to_contain_text("已在正式稿中修改")

    # progress on the draft: four measures implemented in May 2021
    codes = [(2, 1), (3, 3), (10, 1), (12, 1)]
    for task, number in codes:
        measure = Measure.objects.get(task__plan=draft, task__number=task, number=number)
        report(measure, dt.date(2021, 5, 20), accepted=True, status="completed")
    before = implemented_titles(draft, today)

    # the final version as a revision: the diff names exactly what changed
    final = tmp_path / "final.txt"
    final.write_text(revised_text(), encoding="utf-8")
    office.goto(live_server.url + "/plans/")
    office.set_input_files("#plan-file", str(final))
    office.select_option("#plan-revises", str(draft.pk))
    with office.expect_navigation():
        office.click("button:has-text('预览')")
    named = set()
    for row in office.locator("#diff tbody tr").all():
        level = "task" if "diff-task" in (row.get_attribute("class") or "") else "measure"
        code, kinds = row.get_attribute("data-code"), row.get_attribute("data-kinds") or ""
        for kind in kinds.split(","):
            section = kind if kind in ("added", "removed") else "changed"
            named.add((section, level, code, kind))
    assert named == EXPECTED
    with office.expect_navigation():
        office.click("button:has-text('确认导入')")
    new = Plan.objects.exclude(pk=draft.pk).get()
    assert new.revises == draft and Plan.objects.get(pk=draft.pk).programme.in_force == draft
    choose(office, new, "in_force")
    expect(office.locator(f"#plans tr[data-plan='{new.pk}']")).to_contain_text("现行版本")

    # reports carried over to the matched measures; the surviving tasks' state is unchanged
    carried = implemented_on(Measure.objects.filter(task__plan=new))
    kept = Measure.objects.filter(task__plan=new, carried_from__isnull=False, pk__in=carried)
    assert {
        (m.carried_from.task.number, m.carried_from.number) for m in kept if m.carried_from
    } == {
        (2, 1),
        (10, 1),
        (12, 1),
    }
    surviving = {t.title for t in new.tasks.all()}
    assert implemented_titles(new, today) == before & surviving
    office.goto(live_server.url + "/dashboard/")
    expect(office.locator("#plan-shown")).to_contain_text(new.title)
