"""A higher plan for the linking tests: the provincial 总体方案 the bundled 片区 plan implements, made
from the bundled text (tasks 11 and 12 swapped, so a proposal must follow the words, not the number)."""

from __future__ import annotations

from luoshi.ingest import parse_bytes
from luoshi.plans.models import Plan
from luoshi.plans.services import plan_import
from tests.plans.revision import revised_text

PARENT_TITLE = "中国(湖南)自由贸易试验区总体方案"


def import_parent() -> Plan:
    text = revised_text().replace("中国(湖南)自由贸易试验区岳阳片区实施方案", PARENT_TITLE, 1)
    parsed = parse_bytes(text.encode(), "总体方案.txt", level="provincial")
    return plan_import(parsed=parsed).plan
