"""The office enters indicator values in the browser: a year's value, a quarter's, a correction, and a
whole table from Excel (preview, then all or nothing); the history keeps every entry."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from luoshi.audit.models import AuditEvent
from luoshi.metrics.models import Observation
from luoshi.metrics.values_import import headers

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.django_db(transaction=True)


def table(rows) -> bytes:
    book = Workbook()
    book.worksheets[0].append(headers())
    for row in rows:
        book.worksheets[0].append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def enter(
    page: Page,
    name: str,
    year: int,
    value: str,
    *,
    quarter: str = "",
    source: str = "市统计局",
    note: str = "",
) -> None:
    page.select_option("#id_indicator", label=name)
    page.fill("#id_year", str(year))
    page.select_option("#id_quarter", quarter)
    page.fill("#id_value", value)
    page.fill("#id_source", source)
    page.fill("#id_note", note)
    page.click("#value-form button[type=submit]")


def test_the_office_enters_corrects_and_uploads_values(open_page, live_server, people, tmp_path):
    page = open_page(people.office)
    page.goto(live_server.url + "/kpis/values/")

    enter(page, "税收收入增速", 2020, "50")
    enter(page, "税收收入增速", 2021, "55")
    assert "已录入：税收收入增速 2021" in page.inner_text("main")
    enter(page, "税收收入增速", 2022, "30", quarter="2")  # 1–6月, cumulative

    enter(page, "税收收入增速", 2021, "54")  # a correction without a reason keeps the typed values
    assert "更正已填报的数值时请说明原因" in page.inner_text("#value-form")
    assert page.input_value("#id_value") == "54"
    page.fill("#id_note", "统计局年报修订")
    page.click("#value-form button[type=submit]")
    assert "已更正：税收收入增速 2021" in page.inner_text("main")
    history = page.inner_text("#history")
    assert "2022 1–6月" in history and "更正，原为 55" in history

    tax = Observation.objects.filter(indicator__name="税收收入增速")
    assert sorted(f"{o.value.normalize():f}" for o in tax) == ["30", "50", "54", "55"]
    assert AuditEvent.objects.filter(action="observation_correct").count() == 1

    wrong = tmp_path / "有误.xlsx"
    wrong.write_bytes(
        table(
            [
                ["新设立企业数", 2021, None, "数值", 2150, "市市场监管局", ""],
                ["新设立企业数", 2022, 5, "数值", 900, "市市场监管局", ""],
            ]
        )
    )
    page.set_input_files("#values-file", str(wrong))
    page.click("text=预览")
    assert "第 3 行“季度”列" in page.inner_text("#problems")
    assert not Observation.objects.filter(indicator__name="新设立企业数").exists()

    page.goto(live_server.url + "/kpis/values/")
    good = tmp_path / "指标.xlsx"
    good.write_bytes(
        table(
            [
                ["新设立企业数", 2021, None, "数值", 2150, "市市场监管局", ""],
                ["新设立企业数", 2022, 2, "数值", 900, "市市场监管局", ""],
                ["税收收入增速", 2021, None, "数值", 54, "市统计局", ""],  # unchanged: left out
            ]
        )
    )
    page.set_input_files("#values-file", str(good))
    page.click("text=预览")
    expect(page.locator("#rows tbody tr")).to_have_count(2)  # waits for the preview page
    page.click("text=确认导入")
    assert "已导入 2 个数值" in page.inner_text("main")
    assert Observation.objects.filter(indicator__name="新设立企业数").count() == 2

    page.goto(live_server.url + "/kpis/")  # values entered today count from today
    row = page.locator("#kpis tr", has_text="税收收入增速").inner_text()
    assert "2020–2021年年均 8.0%" in row and "2022年、2023年数据未报送" in row
