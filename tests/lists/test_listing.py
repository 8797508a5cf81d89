"""Lists: sort by a declared column (anything else falls back to the default), page sizes from a
fixed choice, the whole filtered list as Excel, saved filters that are the owner's alone."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from luoshi.audit.models import AuditEvent
from luoshi.savedviews.models import SavedView
from tests.conftest import ONCE, client_for, page_queries

pytestmark = pytest.mark.usefixtures(ONCE)


def sheet_rows(response):
    book = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    sheet = book.worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


@pytest.mark.django_db
def test_tasks_sort_page_size_and_export_follow_the_query(people):
    office = client_for(people.office)
    page = office.get("/tasks/?sort=-number&size=50")
    rows = page.context["page"].object_list
    assert [r.task.number for r in rows] == sorted((r.task.number for r in rows), reverse=True)
    assert len(rows) == 50
    # hostile or unknown sort and size: the default, no error page
    odd = office.get("/tasks/?sort=title;drop&size=7")
    assert odd.status_code == 200
    numbers = [r.task.number for r in odd.context["page"].object_list]
    assert numbers == sorted(numbers) and len(numbers) == 20
    # the export: every filtered row, in the page's order, with the header in Chinese
    total = office.get("/tasks/?light=green&sort=-due").context["count"]
    xlsx = sheet_rows(office.get("/tasks/?light=green&sort=-due&export=xlsx"))
    assert xlsx[0] == ["灯", "任务", "牵头单位", "截止", "状态"]
    assert len(xlsx) - 1 == total and {r[0] for r in xlsx[1:]} == {"绿灯"}
    assert AuditEvent.objects.filter(action="export_list", detail__list="tasks").exists()


@pytest.mark.django_db
def test_someone_elses_saved_filter_is_refused_and_audited(people):
    head = client_for(people.market_head)
    head.post("/lists/saved/", {"list": "tasks", "name": "红灯", "query": "light=red&page=3"})
    view = SavedView.objects.get(owner=people.market_head)
    assert view.query == "light=red"  # the page is not part of a filter
    assert head.get(f"/lists/saved/{view.pk}/")["Location"] == "/tasks/?light=red"
    other = client_for(people.office)
    assert other.get(f"/lists/saved/{view.pk}/").status_code == 403
    assert other.post(f"/lists/saved/{view.pk}/delete/").status_code == 403
    assert SavedView.objects.filter(pk=view.pk).exists()
    refused = AuditEvent.objects.filter(outcome="refused", object_id=str(view.pk))
    assert set(refused.values_list("action", flat=True)) == {
        "saved_view_open",
        "saved_view_delete",
    }
    head.post(f"/lists/saved/{view.pk}/delete/")
    assert not SavedView.objects.filter(pk=view.pk).exists()
    assert AuditEvent.objects.filter(action="saved_view_delete", outcome="success").count() == 1
    # the same × pressed again (a stale page, another tab): back to the list, told, no error page
    again = head.post(f"/lists/saved/{view.pk}/delete/", {"list": "measures"})
    assert again.status_code == 302 and again["Location"] == "/measures/"
    assert "该筛选条件已删除" in head.get("/measures/").content.decode()
    assert AuditEvent.objects.filter(action="saved_view_delete", outcome="success").count() == 1


@pytest.mark.django_db
def test_an_export_past_the_limit_is_cut_and_says_so(people, monkeypatch):
    from luoshi.web import listing

    monkeypatch.setattr(listing, "EXPORT_LIMIT", 5)
    office = client_for(people.office)
    page = office.get("/tasks/")
    assert "只导出前 5 行" in page.content.decode()  # said before downloading
    response = office.get("/tasks/?sort=-number&export=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    numbers = [r.task.number for r in page.context["page"].paginator.object_list]
    assert [r[1] for r in rows[1:]] == [
        f"（{t.number}）{t.title}"
        for t in sorted(
            (r.task for r in page.context["page"].paginator.object_list), key=lambda t: -t.number
        )[:5]
    ]
    assert len(numbers) > 5
    assert "只导出了前 5 行" in str(book.worksheets[1].cell(row=2, column=1).value)
    event = AuditEvent.objects.get(action="export_list")
    assert event.detail["rows"] == 5 and event.detail["cut"] is True


def notices_on_instructions(people, n: int) -> None:
    from luoshi.plans.models import Organisation
    from luoshi.supervision.assignments import assignment_to_notice, instruction_write

    unit = Organisation.objects.get(name="市市场监管局")
    soon = dt.date.today() + dt.timedelta(days=5)
    for i in range(n):
        instruction = instruction_write(
            actor=people.leader,
            text=f"第 {i + 1} 条批示",
            organisations=[unit],
            due_on=soon,
        )
        [todo] = instruction.assignments.all()
        assignment_to_notice(
            actor=people.office, assignment=todo, level="key", requirement="请落实", reply_due=soon
        )


@pytest.mark.django_db
def test_the_register_reads_a_page_of_notices_in_queries_not_growing_with_its_rows(people):
    office = client_for(people.office)

    def queries() -> int:
        office.get(
            "/supervision/?size=50"
        )  # per-process caches (the user row) filled after a write
        with CaptureQueriesContext(connection) as seen:
            assert office.get("/supervision/?size=50").status_code == 200
        return page_queries(seen)

    notices_on_instructions(people, 2)  # 督办单 on a 批示: its subject names the 批示
    few = queries()
    notices_on_instructions(people, 4)
    assert "领导批示 #" in office.get("/supervision/").content.decode()
    assert queries() == few


FORMULA = '=HYPERLINK("http://evil.example/","click")'


@pytest.mark.django_db
def test_formula_text_in_a_listed_row_is_exported_as_text(people, imported_plan):
    from luoshi.plans.models import Measure

    measure = Measure.objects.filter(task__plan=imported_plan).order_by("pk")[0]
    Measure.objects.filter(pk=measure.pk).update(text=FORMULA)
    response = client_for(people.office).get(f"/measures/?q={FORMULA[:10]}&export=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for row in book.worksheets[0].iter_rows() for c in row]
    assert [c.value for c in cells if c.value == FORMULA] == [FORMULA]
    assert all(c.data_type == "s" for c in cells if c.value == FORMULA)
    assert not any(c.data_type == "f" for c in cells)


@pytest.mark.django_db
def test_a_saved_filter_too_long_or_unnamed_is_refused_with_a_message(people):
    head = client_for(people.market_head)
    cases = [
        ({"name": "长", "query": "q=" + "字" * 3000}, "筛选条件过长", "/tasks/"),
        ({"name": "名" * 41, "query": "light=red"}, "名称不超过 40 字", "/tasks/?light=red"),
        ({"name": "  ", "query": "light=red"}, "请为筛选条件起个名字", "/tasks/?light=red"),
    ]
    for form, message, back in cases:
        response = head.post("/lists/saved/", {"list": "tasks", **form})
        assert response.status_code == 302 and response["Location"] == back
        assert message in head.get(back).content.decode()
    assert not SavedView.objects.exists()
