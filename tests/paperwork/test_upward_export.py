"""The upward report (向上级报送): the plan's figures as of D in JSON and Excel, the same as the
dashboard's, from the page and the command; refused to departments, every download audited."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from luoshi.audit.models import AuditEvent, Outcome
from tests.conftest import client_for, import_bundled_plan, shared_world
from tests.metrics.history import implement_tasks
from tests.serving.servers import migrated_sqlite

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_world(django_db_blocker):
        plan = import_bundled_plan()
        implement_tasks(plan, range(1, 21), dt.date(2021, 6, 15))
        implement_tasks(plan, range(21, 45), dt.date(2021, 11, 20))
        yield plan


@pytest.fixture
def imported_plan(world):
    return world


def test_the_json_holds_the_dashboards_figures_of_its_date(world, people):
    office = client_for(people.office)
    for day, done in ((dt.date(2021, 6, 30), 20), (dt.date(2021, 11, 30), 44)):
        answer = office.get(f"/documents/upward.json?plan={world.pk}&as_of={day}")
        assert answer.status_code == 200, answer.content
        data = json.loads(answer.content)
        status = office.get(f"/api/metrics/status?plan={world.pk}&as_of={day}").json()
        assert data["format"] == "luoshi-upward/1" and data["as_of"] == day.isoformat()
        assert (
            data["summary"]["task_rate"]
            == status["rate"]
            == {
                "done": done,
                "total": 88,
                "percent": round(done / 88 * 100, 1),
            }
        )
        assert data["summary"]["lights"] == status["lights"]
        assert len(data["tasks"]) == 88
        implemented = [t["number"] for t in data["tasks"] if t["status"] == "implemented"]
        assert implemented == list(range(1, done + 1))
        assert sum(s["done"] for s in data["sections"]) == done
        assert {"organisation", "as_lead", "as_supporting"} <= set(data["organisations"][0])


def test_the_workbook_has_the_same_tasks_and_rate(world, people):
    day = dt.date(2021, 11, 30)
    answer = client_for(people.leader).get(f"/documents/upward.xlsx?plan={world.pk}&as_of={day}")
    assert answer.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["概况", "分部分", "分单位", "任务", "指标"]
    summary = {row[0]: row[1] for row in book["概况"].iter_rows(values_only=True)}
    assert summary["任务落实率 %"] == 50.0 and summary["已落实任务"] == 44
    rows = list(book["任务"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 88 and sum(1 for r in rows if r[4] == "已落实") == 44
    assert {r[7] for r in rows} <= {"绿灯", "黄灯", "红灯"}  # words, not the JSON's codes

    reader = client_for(people.leader)
    reader.cookies["django_language"] = "en"  # the reader's language, the same figures
    answer = reader.get(f"/documents/upward.xlsx?plan={world.pk}&as_of={day}")
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["Summary", "By section", "By unit", "Tasks", "Indicators"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["Task implementation rate %"] == 50.0 and summary["Tasks implemented"] == 44
    rows = list(book["Tasks"].iter_rows(min_row=2, values_only=True))
    assert sum(1 for r in rows if r[4] == "Implemented") == 44


def test_departments_may_not_export_and_every_download_is_audited(world, people):
    refused = client_for(people.market_reporter).get(f"/documents/upward.json?plan={world.pk}")
    assert refused.status_code == 403
    assert AuditEvent.objects.filter(user=people.market_reporter, outcome=Outcome.REFUSED).exists()
    client_for(people.office).get(f"/documents/upward.xlsx?plan={world.pk}")
    assert AuditEvent.objects.filter(
        user=people.office, action="export_document", detail__file__startswith="upward-"
    ).exists()
    assert client_for(people.office).get("/documents/upward.pdf").status_code == 404


def test_the_command_writes_the_same_report(tmp_path):
    env = {
        **os.environ,
        "LUOSHI_DEBUG": "1",
        "DATABASE_URL": migrated_sqlite(tmp_path / "cli.sqlite3"),
        "LUOSHI_DATA_DIR": str(tmp_path),
    }
    luoshi = [str(Path(sys.executable).with_name("luoshi"))]
    plan = Path(__file__).parents[2] / "data" / "plans" / "yueyang-ftz-implementation-plan-2021.txt"
    subprocess.run([*luoshi, "import-plan", str(plan)], env=env, check=True, capture_output=True)
    out = tmp_path / "up.json"
    subprocess.run(
        [*luoshi, "export", "upward", "--as-of", "2022-06-30", "-o", str(out)],
        env=env,
        check=True,
        capture_output=True,
    )
    data = json.loads(out.read_text())
    assert data["as_of"] == "2022-06-30" and data["summary"]["task_rate"]["total"] == 88
    refused = subprocess.run(
        [*luoshi, "export", "upward", "--format", "csv"], env=env, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "json 或 xlsx" in refused.stderr
    english = subprocess.run(
        [*luoshi, "--lang", "en", "export", "upward", "--format", "csv"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert english.returncode != 0 and "the upward report is json or xlsx" in english.stderr
    ledger = tmp_path / "ledger.xlsx"
    wrote = subprocess.run(
        [*luoshi, "export", "ledger", "--lang", "en", "-o", str(ledger)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert wrote.stdout.startswith(f"wrote {ledger} (")
    assert openpyxl.load_workbook(ledger).sheetnames == ["Ledger"]
