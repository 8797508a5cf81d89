"""Responsibility notations of other plans of this family, on short documents written for the test."""

from __future__ import annotations

from typing import TYPE_CHECKING

from luoshi.ingest import parse_bytes
from luoshi.ingest.model import AnomalyCode

if TYPE_CHECKING:
    from luoshi.ingest import ParsedPlan
    from luoshi.ingest.model import ParsedMeasure, ParsedTask

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


def units(item: ParsedTask | ParsedMeasure) -> list[tuple[str, str, str]]:
    return [(u.name, u.role.value, u.source.value) for u in item.units]


def parsed() -> ParsedPlan:
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
    # 指导 guides, it does not lead
    assert units(two) == [("市财政局", "guiding", "written"), ("市金融办", "supporting", "written")]
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
    assert [str(a.message) for a in plan.report.of(AnomalyCode.UNKNOWN_ORGANISATION)] == [
        "“省能源局”不在单位名录中"
    ]
    levels = {o.name: o.level for o in plan.organisations}
    assert (levels["省发展改革委"], levels["市发展改革委"], levels["各区、县级市"]) == (
        "provincial",
        "city",
        "district",
    )


LABELLED = """某市重点工作分工方案
一、重点任务
（一）深化“放管服”改革。
1.落实举措。
（1）推行企业开办一网通办。（牵头单位：市市场监管局，配合单位：市税务局、市人社局）
（2）推进工程建设项目审批改革。
牵头单位：市住建局
责任单位：市自然资源和规划局、各区县政府
（3）实行告知承诺制。〔责任单位：市行政审批局〕
（4）开展信用分级分类监管。（负责部门：市发改委、市市场监管局；适用范围：岳阳片区全域）
2.评估目标。
审批时间压缩。
"""


def test_labelled_notations_in_one_bracket_on_their_own_lines_and_in_square_brackets():
    plan = parse_bytes(LABELLED.encode(), "labelled.txt")
    one, two, three, four = plan.tasks[0].measures
    assert units(one) == [
        ("市市场监管局", "lead", "written"),
        ("市税务局", "supporting", "written"),
        ("市人社局", "supporting", "written"),
    ]
    assert units(two) == [
        ("市住建局", "lead", "written"),
        ("市自然资源和规划局", "supporting", "written"),
        ("各区县政府", "supporting", "written"),
    ]
    assert two.span.last == two.span.first + 2  # the label lines belong to the item
    assert (
        units(three) == [("市行政审批局", "responsible", "written")]
        and three.text == "实行告知承诺制。"
    )
    assert units(four) == [
        ("市发展改革委", "responsible", "written"),
        ("市市场监管局", "responsible", "written"),
    ]
    assert four.scope == "岳阳片区全域"  # several responsible units, none invented as lead
    assert plan.report.of(AnomalyCode.UNPARSED_LINE) == []


def test_catch_alls_flag_the_list_instead_of_inventing_a_unit():
    text = LABELLED.replace(
        "（牵头单位：市市场监管局，配合单位：市税务局、市人社局）",
        "（牵头单位：市市场监管局，配合单位：市税务局、各有关单位）",
    )
    one = parse_bytes(text.encode(), "catch-all.txt").tasks[0].measures[0]
    assert [(u.name, u.and_others) for u in one.units] == [
        ("市市场监管局", False),
        ("市税务局", True),
    ]


def test_a_bracket_that_names_a_unit_but_is_not_a_list_is_kept_as_text_and_reported():
    text = DOCUMENT.replace(
        "（3）探索政府和社会资本合作模式（PPP）", "（3）简化审批（含市发改委核准事项）"
    )
    plan = parse_bytes(text.encode(), "unsure.txt")
    third = plan.tasks[0].measures[2]
    assert (third.text, third.units) == ("简化审批（含市发改委核准事项）", [])
    assert [str(a.message) for a in plan.report.of(AnomalyCode.UNSURE_BRACKET)] == [
        "“（含市发改委核准事项）”提到市发改委，但不是单位列表：保留在正文中"
    ]
