"""The importer's parse-report notes in the reader's language: kept as message ids with their
parameters (Plan.parse_report stores both), shown in Chinese by default and in English when asked
on the import preview, through the API and by `luoshi import-plan`; a note stored before notes
kept their template (plain text) is shown as written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from luoshi.ingest import parse_bytes
from luoshi.plans.ingest_text import stored_note
from luoshi.plans.services import plan_import
from tests.variants import bundled_text

pytestmark = pytest.mark.django_db

# The bundled plan's task （十） has an item without a number (its line 273).
CHINESE = "任务（十）：未编号的条目，作为举措 1"
ENGLISH = "task （十）: item without a number, taken as measure 1"
LEVEL_EN = "document level City, 岳阳市 (from the title and issuer): unprefixed names read at it"


def preview(client, **headers):
    file = SimpleUploadedFile("plan.txt", bundled_text().encode())
    return client.post("/plans/upload/", {"file": file, "level": ""}, **headers).content.decode()


def test_the_preview_lists_the_notes_in_the_readers_language(office):
    chinese = preview(office)
    assert CHINESE in chinese and ENGLISH not in chinese
    office.cookies["django_language"] = "en"
    english = preview(office)
    assert ENGLISH in english and LEVEL_EN in english
    assert "未编号的条目" not in english and "不带前缀" not in english


@pytest.mark.parametrize(
    ("headers", "expected"), [({}, CHINESE), ({"HTTP_ACCEPT_LANGUAGE": "en"}, ENGLISH)]
)
def test_the_api_gives_the_notes_text_in_the_requests_language_and_keeps_its_keys(
    office, headers, expected
):
    file = SimpleUploadedFile("plan.txt", bundled_text().encode())
    report = office.post("/api/plans/import?dry_run=true", {"file": file}, **headers).json()[
        "report"
    ]
    note = next(n for n in report if n["line"] == 273 and n["code"] == "missing_number")
    assert note["message"] == expected
    assert note["template"] == "任务（%(numeral)s）：未编号的条目，作为举措 %(number)s"
    assert note["params"] == {"numeral": "十", "number": 1}


def test_the_command_prints_the_notes_in_the_language_asked(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text(bundled_text(), encoding="utf-8")
    luoshi = Path(sys.executable).with_name("luoshi")
    for argv, expected in [([], CHINESE), (["--lang", "en"], ENGLISH)]:
        text = subprocess.run(
            [luoshi, *argv, "import-plan", str(plan), "--dry-run"], capture_output=True, text=True
        )
        assert text.returncode == 0 and expected in text.stdout
    as_json = subprocess.run(
        [luoshi, "--lang", "en", "import-plan", str(plan), "--dry-run", "--format", "json"],
        capture_output=True,
        text=True,
    )
    (summary,) = json.loads(as_json.stdout)
    assert {"line": 273, "code": "missing_number", "message": ENGLISH} in [
        {k: n[k] for k in ("line", "code", "message")} for n in summary["report"]
    ]


def test_the_stored_report_keeps_template_and_params_and_old_plain_notes_show_as_written(people):
    parsed = parse_bytes(bundled_text().encode(), "plan.txt")
    plan = plan_import(parsed=parsed, actor=people.office).plan
    plan.refresh_from_db()
    note = next(n for n in plan.parse_report if n["line"] == 273 and n["code"] == "missing_number")
    assert note["message"] == CHINESE and note["params"] == {"numeral": "十", "number": 1}
    with translation.override("en"):
        assert stored_note(note) == ENGLISH
        old = {"line": 273, "code": "missing_number", "message": "an English note of before"}
        assert stored_note(old) == "an English note of before"
    with translation.override("zh-hans"):
        assert stored_note(note) == CHINESE


def test_the_admin_shows_the_stored_notes_in_the_readers_language(admin_client, imported_plan):
    page = f"/admin/plans/plan/{imported_plan.pk}/change/"
    admin_client.cookies["django_language"] = "en"
    english = admin_client.get(page).content.decode()
    assert f"273 [missing_number] {ENGLISH}" in english and "未编号的条目" not in english
    old = {"line": 273, "code": "missing_number", "message": "an English note of before"}
    type(imported_plan).objects.filter(pk=imported_plan.pk).update(parse_report=[old])
    assert (
        "273 [missing_number] an English note of before" in admin_client.get(page).content.decode()
    )
