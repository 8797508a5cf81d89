"""Whatever the input, the parser returns a plan or refuses with an IngestError — it never crashes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.ingest import IngestError, ParsedPlan, parse_bytes
from luoshi.ingest.model import AnomalyCode
from tests.variants import bundled_text

LINES = bundled_text().splitlines()
PIECES = [
    "（一）",
    "（二）",
    "（1）",
    "1.落实举措。",
    "2.评估目标。",
    "（牵头单位：",
    "责任单位：",
    "落实时间：",
    "）",
    "四、主要任务和措施",
    "、",
    "\u3000",
    "指标名称",
    "单位",
    "%",
]


def parse_or_refuse(data: bytes) -> ParsedPlan | None:
    try:
        return parse_bytes(data, "fuzz.txt")
    except IngestError as error:
        assert error.message
        return None


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text(text):
    parse_or_refuse(text.encode("utf-8"))


@settings(max_examples=200, deadline=None)
@given(st.binary())
def test_arbitrary_bytes(data):
    parse_or_refuse(data)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=60))
def test_plan_like_fragments(pieces):
    parse_or_refuse(("\n".join(["四、主要任务和措施", *pieces])).encode("utf-8"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sets(st.integers(min_value=120, max_value=len(LINES) - 1), max_size=40))
def test_the_real_plan_with_lines_removed(removed):
    kept = [line for i, line in enumerate(LINES) if i not in removed]
    plan = parse_or_refuse("\n".join(kept).encode("utf-8"))
    if plan is not None:  # whatever it could not place is in the report, with its line
        assert all(a.line is not None for a in plan.report.of(AnomalyCode.UNPARSED_LINE))
