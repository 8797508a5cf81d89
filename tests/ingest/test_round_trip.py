"""Generated plans written in mixed notations read back to the same items, units and deadlines.

Hypothesis draws a plan (tasks, measures, lead and supporting units, deadlines), writes each task in
one layout and each measure in one responsibility notation, parses the text and compares.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.ingest import parse_bytes
from luoshi.ingest.model import AnomalyCode
from luoshi.ingest.numerals import chinese_to_int

UNITS = [
    "市发展改革委",
    "市财政局",
    "市商务粮食局",
    "岳阳海关",
    "市税务局",
    "市市场监管局",
    "市公安局",
]
DEADLINES = {"2021年8月底前": dt.date(2021, 8, 31), "2022年底前": dt.date(2022, 12, 31)}
NUMERALS = "一二三四五六七八九"


@dataclass
class Measure:
    lead: list[str]
    supporting: list[str]
    deadline: str | None

    def expected_units(self) -> list[tuple[str, str]]:
        others = "supporting" if self.lead else "responsible"
        return [(u, "lead") for u in self.lead] + [(u, others) for u in self.supporting]


def bracket_labelled(m: Measure) -> list[str]:
    fields = [f"牵头单位：{'、'.join(m.lead)}"] if m.lead else []
    label = "配合单位" if m.lead else "责任单位"
    fields += [f"{label}：{'、'.join(m.supporting)}"] if m.supporting else []
    fields += [f"完成时间：{m.deadline}"] if m.deadline else []
    return [f"（{'，'.join(fields)}）"]


def bracket_verbs(m: Measure) -> list[str]:
    if m.lead:
        clauses = [f"{'、'.join(m.lead)}牵头"] + (
            [f"{'、'.join(m.supporting)}参与"] if m.supporting else []
        )
    else:
        clauses = [f"{'、'.join(m.supporting)}负责"]
    return [f"（{'，'.join(clauses + ([m.deadline] if m.deadline else []))}）"]


def square_brackets(m: Measure) -> list[str]:
    return ["〔" + bracket_labelled(m)[0][1:-1] + "〕"]


def labels_on_own_lines(m: Measure) -> list[str]:
    lines = [f"牵头单位：{'、'.join(m.lead)}"] if m.lead else []
    return lines + ([f"责任单位：{'、'.join(m.supporting)}"] if m.supporting else [])


NOTATIONS: list[Callable[[Measure], list[str]]] = [
    bracket_labelled,
    bracket_verbs,
    square_brackets,
    labels_on_own_lines,
]


def measure_lines(marker: str, text: str, m: Measure, notation: int) -> list[str]:
    if not (m.lead or m.supporting):
        return [f"{marker}{text}{'，' + m.deadline + '完成' if m.deadline else ''}。"]
    if NOTATIONS[notation] is labels_on_own_lines:  # the deadline then stands in the prose
        return [
            f"{marker}{text}{'，' + m.deadline + '完成' if m.deadline else ''}。",
            *labels_on_own_lines(m),
        ]
    return [f"{marker}{text}。{NOTATIONS[notation](m)[0]}"]


units = st.lists(st.sampled_from(UNITS), max_size=4, unique=True)
measures = st.builds(
    lambda names, split, deadline: Measure(names[:split], names[split:], deadline),
    units,
    st.integers(0, 2),
    st.none() | st.sampled_from(sorted(DEADLINES)),
)
tasks = st.lists(
    st.tuples(
        st.sampled_from(["yueyang", "flat", "number-alone"]),
        st.lists(st.tuples(measures, st.integers(0, len(NOTATIONS) - 1)), min_size=1, max_size=3),
    ),
    min_size=1,
    max_size=len(NUMERALS),
)


def write(plan: list[tuple[str, list[tuple[Measure, int]]]]) -> str:
    lines = ["某某改革试点任务实施方案", "一、主要任务"]
    for t, (layout, items) in enumerate(plan):
        numeral, title = NUMERALS[t], f"推进第{t + 1}项改革"
        if layout == "yueyang":
            lines += [
                f"（{numeral}）{title}。",
                f"（责任单位：{UNITS[t % len(UNITS)]} 落实时间：2023年8月底前）",
            ]
            lines.append("1.落实举措。")
        elif layout == "number-alone":
            lines += [f"（{numeral}）", title]
        else:
            lines.append(f"（{numeral}）{title}。")
        for k, (m, notation) in enumerate(items, start=1):
            marker = f"（{k}）" if layout == "yueyang" else f"{k}."
            lines += measure_lines(marker, f"落实第{t + 1}项第{k}条举措", m, notation)
        if layout == "yueyang":
            lines += ["2.评估目标。", f"第{t + 1}项改革见效。"]
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tasks)
def test_generated_plans_read_back_to_what_was_written(plan):
    parsed = parse_bytes(write(plan).encode(), "generated.txt")
    assert [chinese_to_int(t.numeral) for t in parsed.tasks] == list(range(1, len(plan) + 1))
    for task, (layout, items) in zip(parsed.tasks, plan, strict=True):
        assert len(task.measures) == len(items)
        assert task.evaluation_target == (
            f"第{task.number}项改革见效。" if layout == "yueyang" else ""
        )
        for measure, (m, _notation) in zip(task.measures, items, strict=True):
            assert measure.text.startswith(f"落实第{task.number}项第{measure.number}条举措")
            assert [(u.name, u.role.value) for u in measure.units] == m.expected_units()
            due = measure.deadline.due_date if measure.deadline else None
            assert due == (DEADLINES[m.deadline] if m.deadline else None)
    assert parsed.report.of(AnomalyCode.UNPARSED_LINE) == []
