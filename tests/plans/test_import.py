"""Storing a parsed plan: counts, idempotency, atomicity, and the import command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from luoshi.ingest import parse_bytes, parse_file
from luoshi.plans.models import (
    Indicator,
    Measure,
    Organisation,
    Plan,
    PlanTarget,
    Responsibility,
    Task,
)
from luoshi.plans.services import plan_import
from tests.variants import BUNDLED, bundled_text, gb18030_crlf

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Plan, Task, Measure, Responsibility, Organisation, Indicator, PlanTarget)
    }


def test_the_bundled_plan_is_stored_whole(imported_plan):
    assert imported_plan.tasks.count() == 88
    assert Measure.objects.filter(task__plan=imported_plan).count() == 240
    assert imported_plan.indicators.count() == 9
    assert imported_plan.status == "draft"
    t52 = imported_plan.tasks.get(number=52)
    leads = Responsibility.objects.filter(measure__task=t52, measure__number=3, role="lead")
    assert sorted(leads.values_list("organisation__name", flat=True)) == [
        "岳阳海事局",
        "市地方海事局",
    ]
    assert Organisation.objects.get(name="市发展改革委").aliases.filter(name="市发改委").exists()
    assert not Organisation.objects.filter(name__in=["市发改委", "城临矶新港区"]).exists()


def test_a_task_shows_its_source_paragraph(imported_plan):
    task = imported_plan.tasks.get(number=23)
    source = imported_plan.source_text(task.first_line, task.last_line)
    assert source.startswith("（二十三）建设具有国际先进水平的国际贸易“单一窗口”")
    assert "2.评估目标。" in source


def test_reimporting_the_same_document_changes_nothing(imported_plan):
    before = counts()
    again = plan_import(parsed=parse_file(BUNDLED))
    assert not again.created and again.plan == imported_plan
    same_in_gb18030 = plan_import(parsed=parse_bytes(gb18030_crlf(), "plan-gb18030.txt"))
    assert not same_in_gb18030.created
    assert counts() == before


def test_a_different_document_is_a_second_plan_sharing_organisations(imported_plan):
    final = bundled_text().replace("(征求意见稿)", "", 1)
    result = plan_import(parsed=parse_bytes(final.encode(), "final.txt"))
    assert result.created and result.plan.status == "final"
    assert Plan.objects.count() == 2
    assert Organisation.objects.filter(name="岳阳海关").count() == 1
    assert Task.objects.count() == 176


def test_a_failure_while_storing_leaves_nothing(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Indicator.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        plan_import(parsed=parse_file(BUNDLED))
    assert set(counts().values()) == {0}


def test_import_command_prints_summary_and_report(capsys):
    with translation.override("en"):
        call_command("import_plan", str(BUNDLED))
    out = capsys.readouterr().out
    assert "tasks 88, measures 240 (240 with a lead unit)" in out
    assert "2021-08-31 × 49, 2022-08-31 × 16, 2023-08-31 × 10, ongoing × 13" in out
    assert "line 1179: [glued_field_split]" in out
    assert "created, plan" in out
    call_command("import_plan", str(BUNDLED))  # the site's language, Chinese, by default
    out = capsys.readouterr().out
    assert "任务 88 项、举措 240 项（有牵头单位的 240 项）" in out
    assert "2021-08-31 × 49、2022-08-31 × 16" in out
    assert "第 1179 行：[glued_field_split]" in out
    assert "未变化（已导入过），方案" in out
    assert Plan.objects.count() == 1


def test_dry_run_stores_nothing_and_json_is_machine_readable(capsys):
    call_command("import_plan", str(BUNDLED), "--dry-run", "--format", "json")
    [summary] = json.loads(capsys.readouterr().out)
    assert summary["tasks"] == 88 and summary["measures"] == 240
    assert summary["stored"] == "dry run: nothing stored"
    assert summary["report_counts"]["typo_corrected"] == 1
    assert Plan.objects.count() == 0


def test_a_bad_file_fails_naming_file_and_line(tmp_path):
    lines = bundled_text().splitlines()
    bad = tmp_path / "truncated.txt"
    bad.write_text("\n".join(lines[:800]), encoding="utf-8")
    with (
        translation.override("en"),
        pytest.raises(
            CommandError, match=r"truncated\.txt, line \d+: the document ends inside task"
        ),
    ):
        call_command("import_plan", str(bad))
    with pytest.raises(
        CommandError, match=r"truncated\.txt，第 \d+ 行：文件在任务（四十六）中间结束"
    ):
        call_command("import_plan", str(bad))
    assert Plan.objects.count() == 0


def test_console_script_accepts_hyphenated_command(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    luoshi = Path(sys.executable).with_name("luoshi")
    ok = subprocess.run(
        [luoshi, "--lang", "en", "import-plan", str(BUNDLED), "--dry-run"],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    assert "tasks 88, measures 240" in ok.stdout
    assert "dry run: nothing stored" in ok.stdout
    failed = subprocess.run(
        [luoshi, "import-plan", str(empty), "--dry-run"], capture_output=True, text=True
    )
    assert failed.returncode != 0
    assert "empty.txt：文件为空" in failed.stderr  # the site's Chinese
    english = subprocess.run(
        [luoshi, "--lang", "en", "import-plan", str(empty)], capture_output=True, text=True
    )
    assert english.returncode != 0 and "empty.txt: the file is empty" in english.stderr


def test_dry_run_counts_items_and_strict_fails_on_unplaced_lines(tmp_path, capsys):
    with translation.override("en"):
        call_command("import_plan", str(BUNDLED), "--dry-run", "--strict")
    assert (
        "items: 328 found; measures with a lead 240, with any unit 240, with a deadline 240 (0 their own); "
        "tasks with a deadline 88; units inherited 0; lines not placed 0"
        in (capsys.readouterr().out)
    )
    lines = bundled_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("(二)")) + 1
    lines.insert(at, "这一行不属于任何结构")  # between a task's title and its header
    odd = tmp_path / "odd.txt"
    odd.write_text("\n".join(lines), encoding="utf-8")
    call_command("import_plan", str(odd), "--dry-run")
    assert "未能归位的行 1 行" in capsys.readouterr().out
    with (
        translation.override("en"),
        pytest.raises(
            CommandError, match=rf"odd\.txt: 1 line\(s\) not placed \(strict\): {at + 1}"
        ),
    ):
        call_command("import_plan", str(odd), "--dry-run", "--strict")
    with pytest.raises(CommandError, match=rf"odd\.txt：1 行未能归位（--strict）：第 {at + 1} 行"):
        call_command("import_plan", str(odd), "--dry-run", "--strict")


def test_the_documents_level_can_be_given_when_its_words_do_not_tell(tmp_path, capsys):
    plan = tmp_path / "extract.txt"
    plan.write_text(
        "实施方案摘录\n一、主要任务\n（一）推进改革。（发展改革委牵头）\n", encoding="utf-8"
    )
    call_command("import_plan", str(plan), "--dry-run", "--format", "json")
    assert json.loads(capsys.readouterr().out)[0]["level"] == "city"
    call_command("import_plan", str(plan), "--level", "provincial")
    assert Task.objects.get(
        plan__source_name="extract.txt"
    ).responsibilities.get().organisation.name == ("省发展改革委")
