"""`luoshi export-plan`: the JSON of the whole plan and the .xlsx ledger, checked against the database."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.core.management import call_command

from luoshi.paperwork.plan_export import plan_as_dict

pytestmark = pytest.mark.django_db


def test_json_export_holds_every_task_and_measure(imported_plan, capsysbinary):
    call_command("export_plan", str(imported_plan.pk), "--format", "json")
    data = json.loads(capsysbinary.readouterr().out)
    assert data == plan_as_dict(imported_plan)
    assert len(data["tasks"]) == 88
    assert sum(len(t["measures"]) for t in data["tasks"]) == 240
    t69 = data["tasks"][68]
    assert t69["measures"][5]["code"] == "69.6"
    assert [(u["organisation"], u["role"]) for u in t69["measures"][5]["units"]] == [
        ("岳阳海关", "lead"),
        ("市财政局", "supporting"),
        ("市税务局", "supporting"),
    ]


def test_xlsx_export_is_the_ledger(imported_plan, tmp_path):
    target = tmp_path / "plan.xlsx"
    call_command("export_plan", str(imported_plan.pk), "--format", "xlsx", "--output", str(target))
    book = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
    assert book.sheetnames == ["任务", "举措台账"]
    tasks, measures = book["任务"], book["举措台账"]
    assert tasks.max_row == 89 and measures.max_row == 241
    assert measures.freeze_panes == "A2"
    header = [c.value for c in measures[1]]
    row = next(r for r in measures.iter_rows(min_row=2, values_only=True) if r[0] == "52.3")
    record = dict(zip(header, row, strict=True))
    assert record["牵头单位"] == "市地方海事局、岳阳海事局"
    assert record["配合单位"] == "市金融办"
    assert record["落实时间"] == "持续推进"
    t8 = next(r for r in tasks.iter_rows(min_row=2, values_only=True) if r[0] == 8)
    assert "市卫健委等" in str(t8[2])


def test_export_of_a_missing_plan_fails(db):
    with pytest.raises(Exception, match="没有编号为 999 的方案"):
        call_command("export_plan", "999")


def test_the_bundled_plan_exports_exactly_as_recorded(imported_plan):
    """Regression guard for parser changes: the whole structured plan, field by field.
    After an intended change, regenerate tests/data/yueyang-export.json and review its diff."""
    from pathlib import Path

    recorded = json.loads(
        (Path(__file__).parent.parent / "data" / "yueyang-export.json").read_text(encoding="utf-8")
    )
    assert json.loads(json.dumps(plan_as_dict(imported_plan), ensure_ascii=False)) == recorded
