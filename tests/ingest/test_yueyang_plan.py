"""The bundled Yueyang plan parses to the ground truth of DOMAIN.md."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal

import pytest

from luoshi.ingest.model import AnomalyCode, DueKind, Duty, ParsedPlan, TargetKind
from tests.variants import bundled_text


def task(plan: ParsedPlan, number: int):
    return next(t for t in plan.tasks if t.number == number)


def units(item, role: Duty) -> list[str]:
    return [u.name for u in item.units if u.role == role]


def test_it_finds_88_tasks_and_240_measures(yueyang):
    assert [t.number for t in yueyang.tasks] == list(range(1, 89))
    assert len(yueyang.measures) == 240


def test_task_deadlines_give_due_dates(yueyang):
    due = Counter(t.deadline.due_date for t in yueyang.tasks)
    assert due == {
        dt.date(2021, 8, 31): 49,
        dt.date(2022, 8, 31): 16,
        dt.date(2023, 8, 31): 10,
        None: 13,
    }
    ongoing = [t for t in yueyang.tasks if t.deadline.kind == DueKind.ONGOING]
    assert len(ongoing) == 13
    assert {t.deadline.text for t in ongoing} == {"持续推进"}
    assert task(yueyang, 2).deadline.text == "持续推进"


def test_every_measure_has_a_lead(yueyang):
    assert all(units(m, Duty.LEAD) for m in yueyang.measures)


def test_measure_52_3_has_two_co_leads(yueyang):
    measure = task(yueyang, 52).measures[2]
    assert units(measure, Duty.LEAD) == ["市地方海事局", "岳阳海事局"]
    assert units(measure, Duty.SUPPORTING) == ["市金融办"]


@pytest.mark.parametrize(
    ("task_number", "measure_index", "supporting"),
    [(69, 5, ["市财政局", "市税务局"]), (75, 1, ["城陵矶新港区", "市商务粮食局"])],
)
def test_glued_lead_and_supporting_fields_are_split(
    yueyang, task_number, measure_index, supporting
):
    measure = task(yueyang, task_number).measures[measure_index]
    assert units(measure, Duty.LEAD) == ["岳阳海关"]
    assert units(measure, Duty.SUPPORTING) == supporting
    glued_lines = [a.line for a in yueyang.report.of(AnomalyCode.GLUED_FIELD_SPLIT)]
    assert measure.span.first in glued_lines


def test_task_70_reads_its_header_from_the_title_line(yueyang):
    t70 = task(yueyang, 70)
    assert (
        t70.title
        == "积极探索承接沿海产业转移的路径和模式，开展飞地经济合作，建立健全区域间互动合作和利益分享机制"
    )
    assert t70.deadline.due_date == dt.date(2022, 8, 31)
    names = [u.name for u in t70.units]
    assert names[:2] == ["市发展改革委", "市科技局"] and "市商务粮食局" in names
    assert [a.line for a in yueyang.report.of(AnomalyCode.HEADER_ON_TITLE_LINE)] == [t70.span.first]


def test_task_level_lead_units_of_83_and_87(yueyang):
    assert units(task(yueyang, 83), Duty.LEAD) == ["市市场监管局", "岳阳海关"]
    assert units(task(yueyang, 87), Duty.LEAD) == ["市市场监管局"]
    assert task(yueyang, 87).deadline.due_date == dt.date(2021, 8, 31)


def test_first_listed_unit_leads_a_task_by_the_plans_own_rule(yueyang):
    t1 = task(yueyang, 1)
    assert t1.title == "开展优化营商环境改革举措先行先试。"
    assert units(t1, Duty.LEAD) == ["市市场监管局"]
    assert t1.units[0].source == "rule"
    assert len(t1.units) == 12


def test_aliases_and_the_typo_are_merged(yueyang):
    names = {o.name for o in yueyang.organisations}
    for alias in (
        "市发改委",
        "市商务局",
        "市交通局",
        "市检察院",
        "城临矶新港区",
        "科技厅",
        "市委人才办",
    ):
        assert alias not in names
    for canonical in (
        "市发展改革委",
        "市商务粮食局",
        "市交通运输局",
        "市人民检察院",
        "城陵矶新港区",
        "省科技厅",
    ):
        assert canonical in names
    typo = yueyang.report.of(AnomalyCode.TYPO_CORRECTED)
    assert [str(a.message) for a in typo] == ["“城临矶新港区” → 城陵矶新港区"]
    assert bundled_text().splitlines()[typo[0].line - 1].count("城临矶新港区") == 1


def test_the_directory_knows_every_organisation_of_the_plan(yueyang):
    assert 40 <= len(yueyang.organisations) <= 50
    assert all(o.known for o in yueyang.organisations)
    assert yueyang.report.of(AnomalyCode.UNKNOWN_ORGANISATION) == []
    kinds = {o.name: (o.kind, o.level) for o in yueyang.organisations}
    assert kinds["省科技厅"] == ("provincial", "provincial")
    assert kinds["岳阳海关"] == ("central_vertical", "city")
    assert kinds["市中级人民法院"] == ("court", "city")


def test_open_groups_keep_the_named_unit_and_the_and_others_flag(yueyang):
    t8 = {u.name: u for u in task(yueyang, 8).units}
    assert t8["市卫健委"].and_others and t8["市卫健委"].as_written == "市卫健委等涉企行政许可单位"
    t12 = {u.name: u for u in task(yueyang, 12).units}
    assert t12["市人社局"].and_others
    assert not t12["市公安局"].and_others


def test_second_name_and_empty_list_item(yueyang):
    t86 = task(yueyang, 86)
    assert t86.units[0].name == "市委组织部" and t86.units[0].as_written == "市委组织部<市委人才办>"
    t78 = task(yueyang, 78)
    assert [u.name for u in t78.units][:3] == ["市发展改革委", "城陵矶综保区", "岳阳海关"]
    assert [a.line for a in yueyang.report.of(AnomalyCode.EMPTY_LIST_ITEM)] == [t78.span.first + 2]


def test_single_unnumbered_measures_are_reported(yueyang):
    missing = yueyang.report.of(AnomalyCode.MISSING_NUMBER)
    tasks_without_numbers = sorted(
        t.number for t in yueyang.tasks if any(m.number_as_written is None for m in t.measures)
    )
    assert tasks_without_numbers[:3] == [10, 13, 19]
    assert len(missing) == len(tasks_without_numbers)
    assert all(len(task(yueyang, n).measures) == 1 for n in tasks_without_numbers)


def test_headings_without_full_stop_still_open_their_blocks(yueyang):
    for number in (5, 57, 58, 59, 60, 70, 72):
        t = task(yueyang, number)
        assert t.measures and t.evaluation_target, number


EXPECTED_KPIS = [
    (
        "制度创新",
        "改革试点任务落实率",
        "%",
        TargetKind.YEARLY_THRESHOLDS,
        None,
        {2021: 50, 2022: 90, 2023: 100},
    ),
    ("制度创新", "提交国家改革创新案例", "项", TargetKind.COUNT, None, {2021: 1}),
    ("经济总量", "税收收入增速", "%", TargetKind.ANNUAL_GROWTH, 10, {}),
    ("经济总量", "固定资产投资增速", "%", TargetKind.ANNUAL_GROWTH, 12, {}),
    ("贸易投资", "外贸进出口增速", "%", TargetKind.ANNUAL_GROWTH, 15, {}),
    ("贸易投资", "实际使用外资增速", "%", TargetKind.ANNUAL_GROWTH, 10, {}),
    ("市场主体", "新设立企业数", "家", TargetKind.CUMULATIVE, 6000, {}),
    ("市场主体", "新增内资企业注册资本增速", "%", TargetKind.ANNUAL_GROWTH, 15, {}),
    ("金融", "新增金融机构", "家", TargetKind.CUMULATIVE, 10, {}),
]


def test_the_nine_kpis_with_both_targets(yueyang):
    got = [
        (
            i.category,
            i.name,
            i.unit,
            i.kind,
            i.area.value,
            {y: int(v) for y, v in i.area.by_year.items()},
        )
        for i in yueyang.indicators
    ]
    assert got == [
        (c, n, u, k, None if v is None else Decimal(v), y) for c, n, u, k, v, y in EXPECTED_KPIS
    ]
    province = {i.name: i.province for i in yueyang.indicators}
    assert province["新设立企业数"].value == 20000 and province["新设立企业数"].years == 3
    assert province["提交国家改革创新案例"].by_year == {2021: 10}
    assert province["新增金融机构"].text == "三年共100家"


def test_plan_targets_and_facts(yueyang):
    rate = {t.year: t.value for t in yueyang.targets if t.kind == "implementation_rate"}
    assert rate == {2021: 50, 2022: 90, 2023: 100}
    assert [(t.kind, t.value) for t in yueyang.targets if "cases" in t.kind] == [
        ("national_cases", 1),
        ("cases", 8),
    ]
    assert yueyang.title == "中国（湖南）自由贸易试验区岳阳片区实施方案（征求意见稿）"
    assert yueyang.issuer == "岳阳市商务粮食局"
    assert yueyang.published_at == dt.datetime(
        2021, 1, 19, 19, 28, tzinfo=dt.timezone(dt.timedelta(hours=8))
    )
    assert yueyang.is_draft
    assert yueyang.area_km2 == Decimal("19.94")
    assert yueyang.facts["其中：岳阳城陵矶综合保税区（平方公里）"] == "2.07"
    assert [s.title for s in yueyang.sections] == [
        "总体目标",
        "功能布局",
        "发展目标",
        "主要任务和措施",
        "保障措施",
    ]


def test_every_line_of_the_task_part_lands_somewhere(yueyang):
    """Each non-empty line of part 四 is a task title or header, a heading, a measure or a target."""
    assert yueyang.report.of(AnomalyCode.UNPARSED_LINE) == []
    part = yueyang.sections[3]
    lines = bundled_text().splitlines()
    placed = {part.span.first}
    for t in yueyang.tasks:
        placed |= {t.span.first} | {
            n for m in t.measures for n in range(m.span.first, m.span.last + 1)
        }
        target = t.evaluation_target
        for n in range(t.span.first, t.span.last + 1):
            text = lines[n - 1].replace("\u00a0", " ").strip()
            if (
                re.match(r"^\d[.、]\s*(落实举措|评估目标)", text)
                or text.startswith(("(责任单位", "(牵头单位"))
                or (
                    text
                    and text.replace(",", "，")
                    .replace(":", "：")
                    .replace("(", "（")
                    .replace(")", "）")
                    in target
                )
            ):
                placed.add(n)
    non_empty = {
        n for n in range(part.span.first, part.span.last + 1) if lines[n - 1].strip("\u00a0 ")
    }
    assert non_empty - placed == set()
