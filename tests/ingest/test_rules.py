"""Deadlines, organisation names and the indicator table as separate rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from luoshi.ingest.deadlines import parse_deadline
from luoshi.ingest.indicators import parse_table
from luoshi.ingest.model import AnomalyCode, DueKind, ParseReport, TargetKind
from luoshi.ingest.numerals import chinese_to_int
from luoshi.ingest.organisations import directory
from luoshi.ingest.reader import SourceLine, normalise


@pytest.mark.parametrize(
    ("words", "kind", "due"),
    [
        ("2021年8月底前", DueKind.DATED, dt.date(2021, 8, 31)),
        ("2021年底前", DueKind.DATED, dt.date(2021, 12, 31)),
        ("2022年6月前", DueKind.DATED, dt.date(2022, 6, 30)),
        ("2024年2月底前", DueKind.DATED, dt.date(2024, 2, 29)),
        ("2021年9月30日前", DueKind.DATED, dt.date(2021, 9, 30)),
        ("2022年上半年", DueKind.DATED, dt.date(2022, 6, 30)),
        ("持续推进", DueKind.ONGOING, None),
        ("长期坚持", DueKind.ONGOING, None),
        ("每年", DueKind.RECURRING, None),
        ("尽快", DueKind.UNKNOWN, None),
    ],
)
def test_deadline_words(words, kind, due):
    deadline = parse_deadline(words)
    assert (deadline.text, deadline.kind, deadline.due_date) == (words, kind, due)


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("八十八", 88), ("一百零二", 102)],
)
def test_chinese_numerals(numeral, value):
    assert chinese_to_int(numeral) == value


def test_punctuation_and_blanks_normalise_to_one_form():
    ascii_copy = "(牵头单位:岳阳海关\u00a0 责任单位:市财政局,市税务局)"
    fullwidth_copy = "（牵头单位：岳阳海关\u3000责任单位：市财政局，市税务局）"
    assert (
        normalise(ascii_copy)
        == normalise(fullwidth_copy)
        == "（牵头单位：岳阳海关 责任单位：市财政局，市税务局）"
    )
    assert normalise("编稿时间: 2021-01-19 19:28") == "编稿时间： 2021-01-19 19:28"


@pytest.mark.parametrize(
    ("written", "canonical", "code"),
    [
        ("市发改委", "市发展改革委", AnomalyCode.ALIAS_RESOLVED),
        ("市商务局", "市商务粮食局", AnomalyCode.ALIAS_RESOLVED),
        ("市交通局", "市交通运输局", AnomalyCode.ALIAS_RESOLVED),
        ("市检察院", "市人民检察院", AnomalyCode.ALIAS_RESOLVED),
        ("科技厅", "省科技厅", AnomalyCode.ALIAS_RESOLVED),
        ("城临矶新港区", "城陵矶新港区", AnomalyCode.TYPO_CORRECTED),
        ("市委组织部<市委人才办>", "市委组织部", AnomalyCode.SECOND_NAME),
    ],
)
def test_names_resolve_to_one_organisation(written, canonical, code):
    report = ParseReport()
    resolved = directory().resolve(written, 7, report)
    assert resolved.name == canonical and not resolved.and_others
    assert [(a.line, a.code) for a in report.anomalies] == [(7, code)]


def test_open_group_is_a_named_unit_and_others():
    report = ParseReport()
    resolved = directory().resolve("市卫健委等涉企行政许可单位", 3, report)
    assert (resolved.name, resolved.and_others) == ("市卫健委", True)


def test_unknown_names_are_kept_and_reported_once():
    report, names = ParseReport(), directory()
    assert names.resolve("市新设局", 1, report).name == "市新设局"
    names.resolve("市新设局", 2, report)
    assert [(a.line, a.code) for a in report.anomalies] == [(1, AnomalyCode.UNKNOWN_ORGANISATION)]
    assert not names.used["市新设局"].known


def test_indicator_rows_without_unit_cells():
    cells = [
        "类别",
        "指标名称",
        "单位",
        "目标（省）",
        "目标（市）",
        "市场主体",
        "新设立企业数",
        "三年共20000家",
        "三年共6000家",
        "增速",
        "%",
        "8%",
        "9%",
    ]
    report = ParseReport()
    rows = parse_table([SourceLine(n, c) for n, c in enumerate(cells, start=1)], report)
    assert [(r.name, r.unit, r.kind, r.province.value, r.area.value) for r in rows] == [
        ("新设立企业数", "家", TargetKind.CUMULATIVE, Decimal(20000), Decimal(6000)),
        (
            "增速",
            "%",
            TargetKind.UNKNOWN,
            Decimal(8),
            Decimal(9),
        ),  # a percentage alone does not say 年均增长
    ]
    assert rows[1].category == "市场主体"
    assert [(a.line, a.code) for a in report.anomalies] == [(10, AnomalyCode.INDICATOR_KIND)]
    headed = [c.replace("目标（省）", "年均增长（省）") for c in cells]
    rows = parse_table([SourceLine(n, c) for n, c in enumerate(headed, start=1)], ParseReport())
    assert rows[1].kind == TargetKind.ANNUAL_GROWTH  # the column says it


def test_a_yearly_percentage_is_a_rate_only_when_the_document_names_the_rate():
    """Per-year percentages may be anything (growth, a share): 落实率 only when the row names it."""
    cells = ["指标名称", "单位", "2021年", "2022年"]
    cells += ["改革试点任务落实率", "%", "50%", "90%", "外贸进出口增速", "%", "15%", "15%"]
    cells += ["提交国家改革创新案例", "项", "1", "2", "新设企业数", "家", "200", "400"]
    report = ParseReport()
    rows = parse_table([SourceLine(n, c) for n, c in enumerate(cells, start=1)], report)
    assert [(r.name, r.kind) for r in rows] == [
        ("改革试点任务落实率", TargetKind.YEARLY_THRESHOLDS),
        ("外贸进出口增速", TargetKind.UNKNOWN),
        ("提交国家改革创新案例", TargetKind.COUNT),
        ("新设企业数", TargetKind.UNKNOWN),
    ]
    assert [str(a.message).split("”")[0] for a in report.of(AnomalyCode.INDICATOR_KIND)] == [
        "“外贸进出口增速",
        "“新设企业数",
    ]


def test_the_same_bureau_at_three_levels_is_three_organisations():
    report, names = ParseReport(), directory()
    resolved = [names.resolve(n, 1, report).name for n in ("国家发改委", "省发改委", "市发改委")]
    assert resolved == ["国家发展改革委", "省发展改革委", "市发展改革委"]
    assert [names.used[n].level for n in resolved] == ["central", "provincial", "city"]
    assert names.resolve("省发展改革委", 2, report).name == "省发展改革委"
