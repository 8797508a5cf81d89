"""A 分工表 in a Word file: header-named columns, merged cells, one table or several, beside prose."""

from __future__ import annotations

import datetime as dt
import io

import docx

from luoshi.ingest import parse_bytes
from luoshi.ingest.model import AnomalyCode
from tests.ingest.test_outlines import codes, rows


def word(
    blocks: list[str | list[list[str]]], merges: tuple[tuple[int, int, int], ...] = ()
) -> bytes:
    """Paragraphs (str) and tables (rows of cells, '\\n' between a cell's paragraphs) in order;
    `merges`: (row, column, rows down) to merge vertically in the last table."""
    document = docx.Document()
    table = None
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        table = document.add_table(rows=len(block), cols=len(block[0]))
        for r, row in enumerate(block):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    for r, c, down in merges:
        assert table is not None
        keep = table.cell(r, c).text
        table.cell(r, c).merge(table.cell(r + down, c)).text = keep
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


KPIS = [["类别", "指标名称", "单位", "目标"], ["贸易投资", "外贸进出口增速", "%", "15%"]]
DIVISION = [
    ["序号", "重点任务", "具体举措", "牵头单位", "配合单位", "完成时限"],
    [
        "1",
        "推进投资便利化",
        "推行企业投资项目承诺制",
        "市发改委",
        "市行政审批局\n市住建局",
        "2021年底前",
    ],
    ["2", "", "推行“标准地”出让", "市自然资源和规划局", "", ""],
    ["3", "推进贸易便利化", "推广海关“两步申报”", "岳阳海关", "市商务局", "持续推进"],
]


def test_a_division_table_after_the_prose_assigns_the_plan():
    data = word(
        [
            "岳阳市人民政府办公室关于印发重点工作分工方案的通知",
            "一、发展目标",
            KPIS,
            "二、重点任务",
            "（一）推进投资便利化。",
            "三、保障措施",
            "加强组织领导。",
            "附件：重点任务分工表",
            DIVISION,
            "抄送：市委办公室。",
        ],
        merges=((1, 1, 1), (1, 5, 1)),  # the task and the deadline cells span rows 1–2
    )
    plan = parse_bytes(data, "division.docx")
    assert [(r[0], r[2], r[3], r[4]) for r in rows(plan)] == [
        ("1", "推进投资便利化", [], None),
        (
            "1.1",
            "推行企业投资项目承诺制",
            ["市发展改革委/lead", "市行政审批局/supporting", "市住建局/supporting"],
            ("2021年底前", "dated", dt.date(2021, 12, 31)),
        ),
        (
            "1.2",
            "推行“标准地”出让",
            ["市自然资源和规划局/lead"],
            ("2021年底前", "dated", dt.date(2021, 12, 31)),
        ),
        ("2", "推进贸易便利化", [], None),
        (
            "2.1",
            "推广海关“两步申报”",
            ["岳阳海关/lead", "市商务粮食局/supporting"],
            ("持续推进", "ongoing", None),
        ),
    ]
    sections = {s.title: s.text for s in plan.sections}
    assert sections["重点任务"] == "（一）推进投资便利化。"  # prose, kept: the table assigns
    assert (
        "抄送：市委办公室。" in sections["保障措施"]
    )  # what follows the table returns to its part
    assert [(i.name, i.area.text) for i in plan.indicators] == [
        ("外贸进出口增速", "15%")
    ]  # not a 分工表
    assert codes(plan, AnomalyCode.UNPARSED_LINE) == []


def test_a_table_with_one_content_column_and_units_written_with_verbs():
    data = word(
        [
            "某区重点工作清单",
            [
                ["序号", "工作任务", "责任单位", "完成时间"],
                ["1", "建设跨境电商产业园", "城陵矶新港区牵头，市商务局参与", "2022年6月底前"],
                ["2", "开通国际货运航线", "市交通局", ""],
                ["3", "", "市商务局", "2023年底前"],
            ],
        ]
    )
    plan = parse_bytes(data, "list.docx")
    assert [(r[0], r[2], r[3], r[4]) for r in rows(plan) if "." not in r[0]] == [
        (
            "1",
            "建设跨境电商产业园",
            ["城陵矶新港区/lead", "市商务粮食局/supporting"],
            ("2022年6月底前", "dated", dt.date(2022, 6, 30)),
        ),
        ("2", "开通国际货运航线", ["市交通运输局/responsible"], None),
        ("3", "", ["市商务粮食局/responsible"], ("2023年底前", "dated", dt.date(2023, 12, 31))),
    ]
    assert [str(a.message) for a in plan.report.of(AnomalyCode.EMPTY_ITEM)] == ["举措 3.1 没有内容"]


def test_the_same_table_on_a_portal_page():
    page = """<html><body><p>岳阳市人民政府办公室关于印发重点工作分工方案的通知</p>
<table border="1">
<tr><th>序号</th><th>重点任务</th><th>具体举措</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr>
<tr><td>1</td><td rowspan="2">推进投资便利化</td><td>推行企业投资项目承诺制</td><td>市发改委</td>
<td>市行政审批局<br>市住建局</td><td rowspan="2">2021年底前</td></tr>
<tr><td>2</td><td>推行“标准地”出让</td><td>市自然资源和规划局</td><td></td></tr>
<tr><td>3</td><td>推进贸易便利化</td><td>推广海关“两步申报”</td><td>岳阳海关</td><td>市商务局</td><td>持续推进</td></tr>
</table><table><tr><td>版权所有</td><td>岳阳市人民政府</td></tr></table></body></html>"""
    from_word = word(
        ["岳阳市人民政府办公室关于印发重点工作分工方案的通知", DIVISION],
        merges=((1, 1, 1), (1, 5, 1)),
    )
    assert rows(parse_bytes(page.encode(), "division.html")) == rows(
        parse_bytes(from_word, "division.docx")
    )
