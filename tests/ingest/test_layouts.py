"""Layouts met in documents of other issuers, on short documents written for the test in their style
(the real documents are in tests/corpus)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from luoshi.ingest import IngestError, parse_bytes
from luoshi.ingest.model import AnomalyCode

if TYPE_CHECKING:
    from luoshi.ingest.model import ParsedMeasure, ParsedTask


def parse(text: str, **options):
    return parse_bytes(text.encode(), "layout.txt", **options)


def units(item: ParsedTask | ParsedMeasure) -> list[str]:
    return [f"{u.name}/{u.role.value}" + ("+" if u.and_others else "") for u in item.units]


def due(item: ParsedTask | ParsedMeasure) -> dt.date | str | None:
    d = item.deadline
    return None if d is None else (d.due_date or d.kind.value)


SPACED_TABLE = """某市人民政府办公室关于印发2022年重点工作任务分工的通知
某政办发〔2022〕5号
各县市区人民政府，市直各单位：
现将任务分工印发给你们。
某市人民政府办公室
2022年3月1日
序号\t重点任务\t具体措施\t牵头单位\t配合单位\t牵头领导\t完成时限
1\t优化营商环境\t推行企业开办一日办结\t市市场监管局\t市税务局、市公安局\t张三\t6月底前
2\t\t建设政务服务中心\t市行政审批局\t无\t李四\t第三季度
3\t扩大有效投资\t新开工重大项目50个\t市发展改革委\t各县市区人民政府\t王五\t年底前
"""


def test_a_table_flattened_with_tabs_keeps_leaders_as_persons_and_reads_deadlines_in_its_year():
    plan = parse(SPACED_TABLE)
    rows = [(m.text, units(m), m.leaders, due(m)) for m in plan.measures]
    assert rows == [
        (
            "推行企业开办一日办结",
            ["市市场监管局/lead", "市税务局/supporting", "市公安局/supporting"],
            ["张三"],
            dt.date(2022, 6, 30),
        ),
        ("建设政务服务中心", ["市行政审批局/lead"], ["李四"], dt.date(2022, 9, 30)),
        (
            "新开工重大项目50个",
            ["市发展改革委/lead", "各县市区人民政府/supporting"],
            ["王五"],
            dt.date(2022, 12, 31),
        ),
    ]
    assert [t.title for t in plan.tasks] == ["优化营商环境", "扩大有效投资"]  # merged cell repeats
    assert plan.doc_number == "某政办发〔2022〕5号" and plan.issued_on == dt.date(2022, 3, 1)


WORK_MEASURES = """关于印发某省数字经济三年行动计划的通知
某省人民政府
2023年2月1日
一、总体要求
到2025年，数字经济核心产业增加值翻一番。
二、工作措施
（一）夯实数字基础。加快5G网络建设，2023年底前实现乡镇全覆盖。（省通信管理局、工业和信息化厅按职责分工负责）推进算力中心建设。（省发展改革委牵头，省能源局参与）
（二）发展数字产业。培育软件企业，明年起每年认定一批。（省工业和信息化厅牵头，下同）
（三）推进数字政府。完善一体化平台（省政务服务数据管理局负责）
三、保障措施
加强组织领导。
"""


def test_tasks_under_other_headings_several_brackets_and_a_province_that_is_not_home():
    plan = parse(WORK_MEASURES)
    assert plan.level == "provincial"
    rows = [(m.text[:8], units(m), due(m)) for m in plan.measures]
    assert rows == [
        (
            "夯实数字基础。加",
            ["省通信管理局/responsible", "省工业和信息化厅/responsible"],
            dt.date(2023, 12, 31),
        ),
        ("推进算力中心建设", ["省发展改革委/lead", "省能源局/supporting"], None),
        ("发展数字产业。培", ["省工业和信息化厅/lead"], "ongoing"),
        ("推进数字政府。完", ["省政务服务数据管理局/responsible"], None),
    ]


def test_a_named_province_s_bodies_are_its_own_never_the_directory_s():
    text = WORK_MEASURES.replace("某省", "浙江省")
    plan = parse(text)
    names = {u.name for m in plan.measures for u in m.units}
    assert {"浙江省通信管理局", "浙江省工业和信息化厅", "浙江省发展改革委"} <= names
    recognised = {o.name: o.known for o in plan.organisations}
    assert recognised["浙江省发展改革委"]  # a standard department, by pattern
    assert not any(n.startswith("省") for n in names)


FLAT = """国务院办公厅关于某项工作的通知
国办发〔2020〕9号
一、对工作成效明显的省份，给予资金奖励。（财政部、国家发展改革委等负责）
二、对推进改革力度大的城市，优先纳入试点。（发展改革委会同有关部门负责）
三、对考核优秀的县，在分配资金时予以倾斜。（各省级人民政府负责，年内完成）
各有关部门要于2020年6月底前制定实施办法。
国务院办公厅
2020年5月6日
"""


def test_a_flat_list_of_the_state_council_with_collectives_and_a_closing_paragraph():
    plan = parse(FLAT)
    assert plan.level == "central" and plan.doc_number == "国办发〔2020〕9号"
    rows = [(units(m), due(m)) for m in plan.measures]
    assert rows == [
        (["财政部/responsible", "国家发展改革委/responsible+"], None),
        (["国家发展改革委/lead+"], None),
        (["各省级人民政府/responsible"], dt.date(2020, 12, 31)),
    ]
    not_placed = plan.report.of(AnomalyCode.NOT_PLACED)
    assert [(a.line, "2020年6月底前" in str(a.message)) for a in not_placed] == [(6, True)]
    assert plan.report.ledger.unaccounted() == []


def test_the_reader_names_the_part_and_the_numbering_that_hold_the_tasks():
    text = """某市方案
一、总体要求
（一）目标。到2025年完成。
二、重点任务
（一）营商环境
1.推行一网通办。（市政务服务中心负责）
2.推行证照分离。（市市场监管局负责）
"""
    plan = parse(text, tasks_in="二", task_style="1.")
    assert [t.title for t in plan.tasks] == ["推行一网通办。", "推行证照分离。"]
    structure = [str(a.message) for a in plan.report.of(AnomalyCode.STRUCTURE)]
    assert "第 二、重点任务 部分：用作任务；编号 1. （一）" in structure
    with pytest.raises(IngestError, match="没有“九”部分"):
        parse(text, tasks_in="九")


def test_label_lines_with_a_deadline_and_a_leader_and_labels_at_the_end_of_the_text():
    text = """某区人民政府关于印发2024年重点工作任务分工方案的通知
某政发〔2024〕2号
一、重点工作
1.地区生产总值增长6%左右。
牵头单位：区发改局
责任单位：各街道
牵头领导：赵六
完成时限：年底前
2.新增市场主体2000户。责任单位：区市场监管局、区税务局。
"""
    plan = parse(text)
    first, second = plan.measures
    assert (units(first), first.leaders, due(first)) == (
        ["区发改局/lead", "各街道/supporting"],
        ["赵六"],
        dt.date(2024, 12, 31),
    )
    assert second.text == "新增市场主体2000户。"
    assert units(second) == ["区市场监管局/responsible", "区税务局/responsible"]


def test_time_limits_written_in_other_ways():
    text = """某市方案（2022年3月1日印发）
二、重点任务
（一）建成数据平台，2022年底完成验收。（市数据局负责）
（二）开展专项行动（长期坚持）
（三）出台配套办法。（市司法局负责，三季度）
"""
    plan = parse(text)
    # 三季度 is read in the year of the title's date
    assert [due(m) for m in plan.measures] == [
        dt.date(2022, 12, 31),
        "ongoing",
        dt.date(2022, 9, 30),
    ]
    assert plan.measures[1].text == "开展专项行动"
