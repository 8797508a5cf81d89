"""Responsibility notations of other plans of this family, on short documents written for the test."""

from __future__ import annotations

from luoshi.ingest import parse_bytes
from luoshi.ingest.model import AnomalyCode

DOCUMENT = """某片区改革试点任务分工方案
四、主要任务
（一）推进通关便利化。
（岳阳海关牵头，市商务局、市税务局参与）
1.落实举措。
（1）推行出口退税无纸化。（市税务局负责）
（2）设立融资风险补偿资金。（市财政局指导，市金融办参与）
（3）探索政府和社会资本合作模式（PPP）
2.评估目标。
通关时间压缩一半。
（二）完善投资促进机制。（市发改委、市财政局、市商务局负责，排在第一位的部门为牵头部门，下同）
1.落实举措。
（1）建立重大项目库。（市税务局、市财政局负责）
2.评估目标。
项目库建成。
（三）统筹能源保障。（省发展改革委、省能源局，各区、县级市）
1.落实举措。
（1）编制能源保障方案。（市发改委负责）
2.评估目标。
方案印发。
"""


def units(item):
    return [(u.name, u.role.value, u.source.value) for u in item.units]


def parsed():
    return parse_bytes(DOCUMENT.encode(), "notations.txt")


def test_unit_lists_with_verbs():
    plan = parsed()
    first = plan.tasks[0]
    assert units(first) == [
        ("岳阳海关", "lead", "written"),
        ("市商务粮食局", "supporting", "written"),
        ("市税务局", "supporting", "written"),
    ]
    one, two, three = first.measures
    assert units(one) == [("市税务局", "responsible", "written")]
    assert units(two) == [("市财政局", "lead", "written"), ("市金融办", "supporting", "written")]
    assert (
        units(three) == [] and three.text == "探索政府和社会资本合作模式（PPP）"
    )  # not a unit list
    assert three.span.first in [a.line for a in plan.report.of(AnomalyCode.NO_RESPONSIBILITY)]


def test_the_first_unit_leads_from_where_the_rule_is_written():
    plan = parsed()
    second = plan.tasks[1]
    assert second.title == "完善投资促进机制。"
    assert units(second) == [
        ("市发展改革委", "lead", "rule"),
        ("市财政局", "supporting", "rule"),
        ("市商务粮食局", "supporting", "rule"),
    ]
    assert units(second.measures[0]) == [
        ("市税务局", "lead", "rule"),
        ("市财政局", "supporting", "rule"),
    ]


def test_an_unlabelled_list_of_units_and_a_fixed_group():
    plan = parsed()
    third = plan.tasks[2]
    assert [u.name for u in third.units] == ["省发展改革委", "省能源局", "各区、县级市"]
    assert [a.message for a in plan.report.of(AnomalyCode.UNKNOWN_ORGANISATION)] == [
        "“省能源局” is not in the directory"
    ]
    levels = {o.name: o.level for o in plan.organisations}
    assert (levels["省发展改革委"], levels["市发展改革委"], levels["各区、县级市"]) == (
        "provincial",
        "city",
        "district",
    )
