"""Generated documents opened with python-docx/openpyxl/pypdf and checked against the database."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import cast

import docx
import openpyxl
import pytest
from django.utils import translation
from docx.table import Table
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from luoshi.metrics.facts import load_facts
from luoshi.metrics.rates import task_rate
from luoshi.metrics.scoring import scores
from luoshi.paperwork.briefing import briefing_docx
from luoshi.paperwork.ledger import headers, ledger_xlsx
from luoshi.paperwork.opendata import FIELDS, open_csv, open_json
from luoshi.paperwork.pdf import docx_to_pdf
from luoshi.paperwork.workplan import workplan_docx, workplan_xlsx
from luoshi.plans.models import Measure, Organisation
from tests.conftest import client_for, import_bundled_plan, shared_world
from tests.metrics.history import implement_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The plan with 44 tasks implemented, built once for the module; each test in a savepoint."""
    with shared_world(django_db_blocker):
        plan = import_bundled_plan()
        implement_tasks(plan, range(1, 21), dt.date(2021, 6, 15))
        implement_tasks(plan, range(21, 45), dt.date(2021, 11, 20))
        yield plan


@pytest.fixture
def imported_plan(world):
    return world


@pytest.fixture
def history(world):
    return world


def text_of(data: bytes) -> tuple[str, list[Table]]:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs), document.tables


@pytest.mark.parametrize(
    ("as_of", "done", "percent", "this_month"),
    [(dt.date(2021, 6, 30), 20, 22.7, 20), (dt.date(2021, 11, 30), 44, 50.0, 24)],
)
def test_briefing_reproduces_the_figures_of_its_date(history, as_of, done, percent, this_month):
    text, tables = text_of(briefing_docx(history, as_of))
    assert f"统计截至 {as_of.year}年{as_of.month}月{as_of.day}日" in text
    assert f"88项改革试点任务已落实{done}项，落实率{percent}%" in text
    assert task_rate(load_facts(history), as_of).percent == percent
    measures_this_month = Measure.objects.filter(
        task__plan=history, task__number__in=range(1, 21) if this_month == 20 else range(21, 45)
    ).count()
    assert f"验收落实举措{measures_this_month}项" in text
    progress, _red, ranking, scored, kpis = tables
    # 考核 in the briefing: the same computation as the scores page and the API.
    expected = scores(history, as_of.replace(month=1, day=1), as_of)[:10]
    assert [[c.text for c in row.cells] for row in scored.rows[1:]] == [
        [str(s.rank), s.name, str(s.total), str(s.base), str(s.extra)] for s in expected
    ]
    assert "督办事项：领导批示0项" in text
    assert len(progress.rows) == measures_this_month + 1
    assert [c.text for c in ranking.rows[0].cells] == [
        "名次",
        "单位",
        "牵头举措",
        "已落实",
        "落实率",
    ]
    assert [c.text for c in kpis.rows[1].cells][:2] == [
        "改革试点任务落实率",
        "2021年50%以上；2022年90%以上；2023年100%",
    ]
    assert "一、总体情况" in text and "七、下一步工作" in text
    assert any(
        shape for shape in docx.Document(io.BytesIO(briefing_docx(history, as_of))).inline_shapes
    )  # the chart


def test_an_official_document_is_chinese_whatever_the_readers_language(history):
    """A 公文 goes to Chinese units: asked for from the English interface, it is the same document,
    down to the light reasons it quotes (computed through gettext)."""
    day = dt.date(2021, 12, 31)
    chinese = text_of(briefing_docx(history, day))
    with translation.override("en"):
        english = text_of(briefing_docx(history, day))
    assert english[0] == chinese[0] and "逾期" in chinese[0]
    assert [[c.text for c in r.cells] for t in english[1] for r in t.rows] == [
        [c.text for c in r.cells] for t in chinese[1] for r in t.rows
    ]


def test_briefing_pdf_renders(history):
    pdf = PdfReader(io.BytesIO(docx_to_pdf(briefing_docx(history, dt.date(2021, 12, 31)))))
    assert len(pdf.pages) > 0
    first = pdf.pages[0].extract_text().replace(" ", "")  # pypdf spaces digits off CJK
    assert "改革试点任务落实情况通报" in first and "落实率50.0%" in first


def test_the_ledger_is_ready_to_filter_and_print(history):
    sheet = openpyxl.load_workbook(io.BytesIO(ledger_xlsx(history, dt.date(2022, 1, 1))))[
        "工作台账"
    ]
    assert [c.value for c in sheet[1]] == headers()
    assert sheet.max_row == 241 and sheet.freeze_panes == "B2"
    assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 and sheet.auto_filter.ref
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    row = rows[f"{history.pk}-52.3"]
    assert row[3] == "市地方海事局、岳阳海事局" and row[6] == "持续推进"
    assert rows[f"{history.pk}-1.1"][8] == "绿灯"  # implemented in June 2021


def test_a_work_plan_lists_the_organisations_measures(history, people):
    from luoshi.accounts.services import responsible_person_set

    market = Organisation.objects.get(name="市市场监管局")
    measure = Measure.objects.get(task__plan=history, task__number=10)
    responsible_person_set(measure=measure, person=people.market_reporter, actor=people.market_head)
    rows = list(
        openpyxl.load_workbook(io.BytesIO(workplan_xlsx(history, market, 2022)))
        .worksheets[0]
        .iter_rows(min_row=2, values_only=True)
    )
    expected = (
        Measure.objects.filter(task__plan=history, responsibilities__organisation=market)
        .distinct()
        .count()
    )
    assert len(rows) == expected
    ten = next(r for r in rows if r[1] == "10.1")
    assert (ten[3], ten[4], ten[5]) == ("牵头单位", "2021年8月底前", "market_reporter")
    assert ten[8] == measure.task.evaluation_target
    text, tables = text_of(workplan_docx(history, market, 2022))
    assert (
        "市市场监管局2022年度自贸片区改革工作计划" in text and len(tables[0].rows) == expected + 1
    )


def test_open_data_has_the_published_fields_only(history, client):
    data = json.loads(open_json(history, dt.date(2021, 12, 31)))
    assert data["implementation_rate"] == {"done": 44, "total": 88, "percent": 50.0}
    assert set(data["tasks"][0]) == set(FIELDS)
    assert (
        data["tasks"][0]["status"] == "implemented" and data["tasks"][60]["status"] == "in_progress"
    )
    lines = open_csv(history, dt.date(2021, 12, 31)).lstrip("\ufeff").splitlines()
    assert lines[0] == ",".join(FIELDS) and len(lines) == 89
    public = client.get("/open-data/tasks.json")  # no login
    assert public.status_code == 200 and json.loads(public.content)["tasks"][0]["task_number"] == 1


def test_pages_and_api_serve_the_documents(history, people):
    office = client_for(people.office)
    assert office.get("/documents/briefing/?as_of=2021-12-31")["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    api = office.get("/api/documents/ledger", {"as_of": "2021-12-31"})
    assert (
        api.status_code == 200
        and openpyxl.load_workbook(io.BytesIO(api.content))["工作台账"].max_row == 241
    )
    mine = client_for(people.market_reporter).get("/documents/ledger/")
    led = Measure.objects.filter(
        task__plan=history,
        responsibilities__organisation__name="市市场监管局",
        responsibilities__role="lead",
    ).count()
    assert openpyxl.load_workbook(io.BytesIO(mine.content))["工作台账"].max_row == led + 1
    customs = Organisation.objects.get(name="岳阳海关")
    assert (
        client_for(people.market_reporter).get(f"/documents/workplan/{customs.pk}/").status_code
        == 403
    )


def official_layout(data: bytes, *, landscape: bool = False) -> docx.document.Document:
    """Assert GB/T 9704's page: A4, 37/35/28/26 mm margins, 仿宋_GB2312 三号 body, "— 1 —" numbers."""
    from docx.shared import Mm, Pt

    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    mm = Mm(1)
    assert section.page_width is not None and section.page_height is not None
    assert abs(section.page_width - width) < mm and abs(section.page_height - height) < mm
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m / mm) if m is not None else None for m in margins] == [37, 35, 28, 26]
    normal = document.styles["Normal"]
    east_asian = normal.element.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia"))
    assert (east_asian, normal.font.size) == ("仿宋_GB2312", Pt(16))
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, "RIGHT"), (section.even_page_footer, "LEFT")):
        xml = footer.paragraphs[0]._element.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml  # a live page-number field
        assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(
            " —"
        )
        assert footer.paragraphs[0].alignment.name == align  # the outer side of the page
    return document


def test_the_briefing_is_laid_out_as_an_official_document(history):
    as_of = dt.date(2022, 6, 30)
    document = official_layout(briefing_docx(history, as_of))
    lines = [p.text for p in document.paragraphs]
    assert lines[0] == "岳片改办通〔2022〕6号"  # 文号 before the title
    title = document.paragraphs[1]
    assert title.runs[0].font.size == docx.shared.Pt(22)
    fonts = title.runs[0]._element.rPr.rFonts if title.runs[0]._element.rPr is not None else None
    assert fonts is not None and fonts.get(docx.oxml.ns.qn("w:eastAsia")) == "方正小标宋简体"
    assert "片区各责任单位：" in lines  # 主送
    assert "2022年6月30日" in lines[-1] and "2022年06月" not in "\n".join(lines)


def test_work_plans_share_the_layout(history):
    market = Organisation.objects.get(name="市市场监管局")
    official_layout(workplan_docx(history, market, 2022), landscape=True)


def test_the_pdf_uses_the_named_fallback_fonts(history):
    pdf = PdfReader(io.BytesIO(docx_to_pdf(briefing_docx(history, dt.date(2021, 12, 31)))))
    fonts = {
        str(font["/BaseFont"])
        for page in pdf.pages[:2]
        for font in (cast(DictionaryObject, page["/Resources"]).get("/Font") or {}).values()
        if "/BaseFont" in font.get_object()
        for font in [font.get_object()]
    }
    assert any("NotoSerifCJK" in f for f in fonts), fonts  # 仿宋_GB2312 / 小标宋 → Noto Serif CJK
    assert len(pdf.pages) > 1 and "— 2 —" in pdf.pages[1].extract_text()
