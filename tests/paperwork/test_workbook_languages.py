"""Workbooks follow the reader's language and read back in either: the ledger and the KPI table
exported in English import to the same result as in Chinese; an English error names its sheet, row
and column in English and changes nothing; an English export has no Chinese outside stored data."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from luoshi.metrics.models import Observation
from luoshi.metrics.values_import import ValuesRefused, values_preview, values_template
from luoshi.paperwork.ledger import KEYS, ledger_xlsx
from luoshi.paperwork.ledger_import import LedgerRefused, ledger_apply, ledger_preview
from luoshi.paperwork.plan_export import plan_as_xlsx
from luoshi.paperwork.upward import upward_xlsx
from luoshi.plans.models import Organisation
from luoshi.progress.models import ProgressStatus, Report
from luoshi.progress.services import cycle_open_month
from luoshi.supervision.services import notice_issue
from tests.conftest import client_for
from tests.english import CJK, data_strings, mask

pytestmark = pytest.mark.django_db
COL = {key: i + 1 for i, key in enumerate(KEYS)}
LANGUAGES = ("zh-hans", "en")


@pytest.fixture
def cycle(imported_plan, people):
    today = timezone.localdate()
    return cycle_open_month(
        plan=imported_plan, year=today.year, month=today.month, actor=people.office
    )


def save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ledger_in(language: str, plan) -> openpyxl.Workbook:
    market = Organisation.objects.get(name="市市场监管局")
    with translation.override(language):
        return openpyxl.load_workbook(io.BytesIO(ledger_xlsx(plan, timezone.localdate(), market)))


def row_of(sheet, measure_id: str) -> int:
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == measure_id)


def filled_ledger(language: str, plan) -> bytes:
    """The market bureau's ledger made in `language`, two rows filled in with its words."""
    book = ledger_in(language, plan)
    sheet = book.worksheets[0]
    a, b = row_of(sheet, f"{plan.pk}-10.1"), row_of(sheet, f"{plan.pk}-7.2")
    with translation.override(language):
        sheet.cell(a, COL["progress_status"], str(ProgressStatus.IN_PROGRESS.label))
        sheet.cell(b, COL["progress_status"], str(ProgressStatus.COMPLETED.label))
    sheet.cell(a, COL["percent"], 70)
    sheet.cell(a, COL["work_done"], "平台已上线")
    sheet.cell(b, COL["percent"], "100%")
    return save(book)


def test_an_english_ledger_reads_back_like_the_chinese_one(imported_plan, people, cycle):
    english = ledger_in("en", imported_plan)
    assert english.sheetnames == ["Ledger"]
    header = [c.value for c in english["Ledger"][1]]
    assert header[COL["progress_status"] - 1] == "Status this period"
    assert str(english["Ledger"].cell(2, COL["task"]).value).startswith(
        "("
    )  # "(1) …", not "（1）…"

    found = {}
    for made in LANGUAGES:
        data = filled_ledger(made, imported_plan)
        for reader in LANGUAGES:  # whoever uploads it, in whatever language they browse
            with translation.override(reader):
                changes = ledger_preview(
                    plan=imported_plan, cycle=cycle, data=data, actor=people.market_reporter
                )
            found[made, reader] = [
                (c.row, f"{c.measure.task.number}.{c.measure.number}", c.fields) for c in changes
            ]
    chinese = found["zh-hans", "zh-hans"]
    assert [code for _row, code, _fields in chinese] == ["7.2", "10.1"]
    assert all(result == chinese for result in found.values()), found

    with translation.override("en"):
        reports = ledger_apply(
            plan=imported_plan,
            cycle=cycle,
            data=filled_ledger("en", imported_plan),
            actor=people.market_reporter,
        )
    assert sorted((r.measure.task.number, r.progress_status, r.percent) for r in reports) == [
        (7, "completed", 100),
        (10, "in_progress", 70),
    ]
    again = ledger_in("en", imported_plan)["Ledger"]  # and the next export says so in English
    ten = row_of(again, f"{imported_plan.pk}-10.1")
    assert again.cell(ten, COL["state"]).value == "Draft"


def test_a_bad_cell_in_an_english_ledger_is_named_in_english_and_changes_nothing(
    imported_plan, people, cycle
):
    book = ledger_in("en", imported_plan)
    sheet = book["Ledger"]
    r = row_of(sheet, f"{imported_plan.pk}-10.1")
    sheet.cell(r, COL["progress_status"], "nearly done")
    sheet.cell(r, COL["percent"], "seventy")
    sheet.cell(r, COL["measure"], "an edited measure")
    data = save(book)
    with translation.override("en"), pytest.raises(LedgerRefused) as refused:
        ledger_apply(plan=imported_plan, cycle=cycle, data=data, actor=people.market_reporter)
    with translation.override("en"):
        found = [str(p) for p in refused.value.problems]
    at = f"Sheet “Ledger”, row {r}, column"
    assert f"{at} C (Measure): this column is read-only and cannot be changed" in found
    assert f"{at} O (% done this period): “seventy” is not a whole number from 0 to 100" in found
    assert any(
        p.startswith(f"{at} N (Status this period): invalid status “nearly done”; use one of: ")
        and "In progress" in p
        for p in found
    ), found
    assert Report.objects.count() == 0

    page = client_for(people.market_reporter)
    page.cookies["django_language"] = "en"
    response = page.post("/documents/ledger/upload/", {"file": SimpleUploadedFile("l.xlsx", data)})
    text = response.content.decode()
    assert response.status_code == 422
    assert f"In “l.xlsx”: {at} O (% done this period): “seventy” is not a whole number" in text
    assert Report.objects.count() == 0


def values_table(language: str, plan, growth: str, quarter: int | None = None) -> bytes:
    """The KPI template made in `language`, two indicators filled in."""
    with translation.override(language):
        book = openpyxl.load_workbook(io.BytesIO(values_template(plan)))
    sheet = book.worksheets[0]
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    firms, tax = rows["新设立企业数"], rows["税收收入增速"]
    for r, quarter_, basis, value in ((firms, quarter, None, 2150), (tax, None, growth, 5.5)):
        sheet.cell(r, 2, 2021)
        sheet.cell(r, 3, quarter_)
        if basis is not None:
            sheet.cell(r, 4, basis)
        sheet.cell(r, 5, value)
        sheet.cell(r, 6, "市统计局")
    return save(book)


def test_an_english_kpi_table_reads_back_like_the_chinese_one(imported_plan, people):
    with translation.override("en"):
        english = openpyxl.load_workbook(io.BytesIO(values_template(imported_plan))).worksheets[0]
    assert [c.value for c in english[1]][:5] == ["Indicator", "Year", "Quarter", "Basis", "Value"]
    assert english.cell(2, 4).value == "Value"  # the basis written in, in English

    found = {}
    growth_words = {"zh-hans": ("增速（%）", "增速"), "en": ("Growth (%)", "Growth")}
    for made in LANGUAGES:
        for growth in growth_words[made]:  # the label, and without its unit
            data = values_table(made, imported_plan, growth)
            for reader in LANGUAGES:
                with translation.override(reader):
                    rows = values_preview(plan=imported_plan, data=data, actor=people.office)
                found[made, growth, reader] = [
                    (r.row, r.indicator.name, r.year, r.quarter, r.basis, r.value) for r in rows
                ]
    chinese = next(iter(found.values()))
    assert {(name, basis, value) for _r, name, _y, _q, basis, value in chinese} == {
        ("新设立企业数", "level", Decimal(2150)),
        ("税收收入增速", "growth", Decimal("5.5")),
    }
    assert all(result == chinese for result in found.values()), found


def test_a_bad_cell_in_an_english_kpi_table_is_named_in_english_and_changes_nothing(
    imported_plan, people
):
    data = values_table("en", imported_plan, "Growth (%)", quarter=5)
    with translation.override("en"), pytest.raises(ValuesRefused) as refused:
        values_preview(plan=imported_plan, data=data, actor=people.office)
    assert any(
        p.startswith("Sheet “Indicator observation”, row ")
        and p.endswith(", column “Quarter”: should be empty (whole year) or 1–4, not “5”")
        for p in refused.value.problems
    ), refused.value.problems
    page = client_for(people.office)
    page.cookies["django_language"] = "en"
    response = page.post("/kpis/values/upload/", {"file": SimpleUploadedFile("k.xlsx", data)})
    assert response.status_code == 422
    assert (
        "In “k.xlsx”: Sheet “Indicator observation”, row " in response.content.decode()
        and "column “Quarter”: should be empty (whole year) or 1–4" in response.content.decode()
    )
    assert not Observation.objects.exists()


def workbook_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    return "\n".join([*book.sheetnames, *cells])


def test_english_workbooks_have_no_chinese_outside_stored_data(imported_plan, people, cycle):
    plan = imported_plan
    with translation.override("en"):  # a report, a notice: states and words of their own
        ledger_apply(
            plan=plan, cycle=cycle, data=filled_ledger("en", plan), actor=people.market_reporter
        )
    notice_issue(
        actor=people.office,
        level="key",
        reason="overdue",
        requirement="抓紧办理",
        reply_due=timezone.localdate() + dt.timedelta(days=10),
        organisation=Organisation.objects.get(name="市市场监管局"),
        measure=Report.objects.get(measure__task__number=10).measure,
    )
    day = timezone.localdate()
    with translation.override("en"):
        made = {
            "ledger": ledger_xlsx(plan, day),
            "upward": upward_xlsx(plan, day),
            "plan": plan_as_xlsx(plan),
            "kpi template": values_template(plan),
        }
    office = client_for(people.office)
    office.cookies["django_language"] = "en"
    register = office.get("/supervision/export.xlsx")
    assert register.status_code == 200
    made["supervision register"] = register.content
    data = data_strings()
    for name, content in made.items():
        text = workbook_text(content)
        left = CJK.findall(mask(text, data))
        assert left == [], (name, left)
    assert "Supervision register" in workbook_text(made["supervision register"])
