"""Export → edit in a spreadsheet → import: the preview lists exactly the edits; apply makes drafts.
Bad sheets are refused with row/column-precise messages and change nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from luoshi.paperwork.ledger import KEYS, ledger_xlsx
from luoshi.paperwork.ledger_import import LedgerRefused, ledger_apply, ledger_preview
from luoshi.plans.models import Measure, Organisation
from luoshi.progress.models import Report
from luoshi.progress.services import cycle_open_month
from tests.conftest import ONCE, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]
COL = {key: i + 1 for i, key in enumerate(KEYS)}
AT = "工作表“工作台账”"


@pytest.fixture
def sheet_and_cycle(imported_plan, people):
    today = timezone.localdate()
    cycle = cycle_open_month(
        plan=imported_plan, year=today.year, month=today.month, actor=people.office
    )
    market = Organisation.objects.get(name="市市场监管局")
    book = openpyxl.load_workbook(io.BytesIO(ledger_xlsx(imported_plan, today, market)))
    return book, cycle


def save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row_of(sheet, measure_id: str) -> int:
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == measure_id)


def test_round_trip_preview_lists_exactly_the_edits_then_apply(
    imported_plan, people, sheet_and_cycle
):
    book, cycle = sheet_and_cycle
    sheet = book["工作台账"]
    a, b = row_of(sheet, f"{imported_plan.pk}-10.1"), row_of(sheet, f"{imported_plan.pk}-7.2")
    sheet.cell(a, COL["progress_status"], "推进中")
    sheet.cell(a, COL["percent"], 70)
    sheet.cell(a, COL["work_done"], "平台已上线")
    sheet.cell(b, COL["progress_status"], "已完成")
    sheet.cell(b, COL["percent"], "100%")
    data = save(book)
    changes = ledger_preview(
        plan=imported_plan, cycle=cycle, data=data, actor=people.market_reporter
    )
    assert [(c.row, f"{c.measure.task.number}.{c.measure.number}", c.fields) for c in changes] == [
        (b, "7.2", {"progress_status": "completed", "percent": 100}),
        (a, "10.1", {"progress_status": "in_progress", "percent": 70, "work_done": "平台已上线"}),
    ]  # in sheet order: 7.2 comes before 10.1
    assert Report.objects.count() == 0  # a preview stores nothing
    response = client_for(people.market_reporter).post(
        "/api/ledger/apply", {"file": SimpleUploadedFile("台账.xlsx", data)}
    )
    assert response.status_code == 200, response.content
    ten = Report.objects.get(measure__task__number=10, cycle=cycle)
    assert (ten.state, ten.percent, ten.work_done, ten.created_by) == (
        "draft",
        70,
        "平台已上线",
        people.market_reporter,
    )
    assert (
        Report.objects.get(measure__task__number=7, measure__number=2).progress_status
        == "completed"
    )


def problems(imported_plan, people, cycle, data, actor=None) -> list[str]:
    with pytest.raises(LedgerRefused) as refused:
        ledger_apply(
            plan=imported_plan, cycle=cycle, data=data, actor=actor or people.market_reporter
        )
    assert Report.objects.count() == 0
    return [str(p) for p in refused.value.problems]


def test_a_renamed_column_is_refused(imported_plan, people, sheet_and_cycle):
    book, cycle = sheet_and_cycle
    book["工作台账"].cell(1, COL["percent"], "完成率")
    assert problems(imported_plan, people, cycle, save(book)) == [
        f"{AT}第1行 O列（本期完成比例）：表头应为“本期完成比例”，实际为“完成率”"
    ]


def test_wrong_types_and_edited_read_only_cells_name_row_and_column(
    imported_plan, people, sheet_and_cycle
):
    book, cycle = sheet_and_cycle
    sheet = book["工作台账"]
    r = row_of(sheet, f"{imported_plan.pk}-10.1")
    sheet.cell(r, COL["progress_status"], "差不多了")
    sheet.cell(r, COL["percent"], "七成")
    sheet.cell(r, COL["measure"], "改过的举措文字")
    found = problems(imported_plan, people, cycle, save(book))
    assert f"{AT}第{r}行 C列（举措）：只读列不能修改" in found
    assert any(
        p.startswith(f"{AT}第{r}行 N列（本期进展状态）：无效的进展状态“差不多了”") for p in found
    )
    assert f"{AT}第{r}行 O列（本期完成比例）：“七成”不是 0–100 的整数" in found


def test_a_row_of_another_organisation_and_an_unknown_id(imported_plan, people, sheet_and_cycle):
    book, cycle = sheet_and_cycle
    sheet = book["工作台账"]
    customs_measure = Measure.objects.get(
        task__plan=imported_plan, task__number=75, number=1
    )  # led by 岳阳海关
    full = openpyxl.load_workbook(io.BytesIO(ledger_xlsx(imported_plan, timezone.localdate())))[
        "工作台账"
    ]
    source = next(
        row
        for row in full.iter_rows(min_row=2, values_only=True)
        if row[0] == f"{imported_plan.pk}-75.1"
    )
    sheet.append([*source[:13], "推进中", 50, "", "", ""])
    sheet.append(
        ["999-1.1", "x", "y", "", "", "", "", "", "", "", "", "", "", "推进中", 10, "", "", ""]
    )
    found = problems(imported_plan, people, cycle, save(book))
    last = sheet.max_row
    assert f"{AT}第{last - 1}行：举措 75.1 不由本单位牵头，不能填报" in found
    assert f"{AT}第{last}行 A列（ID）：未知编号“999-1.1”" in found
    assert customs_measure.reports.count() == 0


def test_a_junk_file_named_xlsx_is_refused(imported_plan, people, sheet_and_cycle):
    _, cycle = sheet_and_cycle
    junk = b"\x00junk" * (1024 * 1024)  # 5 MB
    assert problems(imported_plan, people, cycle, junk)[0].startswith(
        "文件不是有效的 Excel（.xlsx）台账"
    )
    response = client_for(people.market_reporter).post(
        "/documents/ledger/upload/", {"file": SimpleUploadedFile("台账.xlsx", junk)}
    )
    assert response.status_code == 422
    assert "文件“台账.xlsx” 文件不是有效的 Excel（.xlsx）台账" in response.content.decode()


def test_the_preview_page_reads_in_labels_not_codes(imported_plan, people, sheet_and_cycle):
    book, _cycle = sheet_and_cycle
    sheet = book["工作台账"]
    a = row_of(sheet, f"{imported_plan.pk}-10.1")
    sheet.cell(a, COL["progress_status"], "推进中")
    sheet.cell(a, COL["percent"], 70)
    response = client_for(people.market_reporter).post(
        "/documents/ledger/upload/", {"file": SimpleUploadedFile("台账.xlsx", save(book))}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "进展：推进中；完成比例：70" in page
    assert "progress_status" not in page and "in_progress" not in page
